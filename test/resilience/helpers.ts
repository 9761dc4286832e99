/**
 * Real processes for the resilience tests: the service as operators run it (src/main.ts on the embedded H2
 * database in a temporary DATA_DIR), WeCom faked at the wire by the simulator, and a sender that behaves like
 * WeCom (a callback not answered 200 is delivered again with the same msgid).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { expect } from 'vitest';
import { type BotConfig, loadBots } from '../../src/config/bots.js';
import type { Received, WecomSimulator } from '../../src/wecom/simulator/simulator.js';

export type LogLine = Record<string, unknown> & { msg?: string };

/** A temporary bots directory holding the demo bot, with `edit` applied to its JSON (placeholders kept). */
export function botsDir(edit: (bot: Record<string, unknown>) => void = () => {}): { dir: string; bots: Map<string, BotConfig> } {
  const dir = mkdtempSync(join(tmpdir(), 'weibao-bots-'));
  const bot = JSON.parse(readFileSync('bots/demo.json', 'utf8')) as Record<string, unknown>;
  edit(bot);
  writeFileSync(join(dir, 'demo.json'), JSON.stringify(bot));
  return { dir, bots: loadBots(dir, {}) };
}

export interface ServiceProcess {
  child: ChildProcess;
  logs: LogLine[];
  url: string;
  dbUri: string;
  dbPid: number;
  /** Resolves with the first log line (from now on or already seen after `since`) matching `msg`. */
  waitLog(msg: string, opts?: { since?: number; timeoutMs?: number }): Promise<LogLine>;
  exited: Promise<number | string | null>;
  stop(): Promise<void>;
}

/** Starts `npm start`'s entry point on a free port with its own DATA_DIR and waits until it serves. */
export async function startServiceProcess(env: { dataDir: string; botsDir: string; simUrl: string; extra?: Record<string, string> }) {
  mkdirSync(env.dataDir, { recursive: true });
  const child = spawn('node', ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TZ: 'Asia/Shanghai',
      PORT: '0',
      DATA_DIR: env.dataDir,
      BOTS_DIR: env.botsDir,
      WECOM_API_BASE: env.simUrl,
      WECOM_MAX_SKEW_S: '0',
      ADMIN_TOKEN: 'resilience-admin',
      LOG_LEVEL: 'info',
      // The demo credentials would otherwise start the playground's own in-process WeCom.
      PLAYGROUND: 'off',
      ...env.extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const events = new EventEmitter();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const entry = JSON.parse(line) as LogLine;
      logs.push(entry);
      events.emit('line', entry);
    } catch {
      // not a log line
    }
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<number | string | null>((res) => child.once('exit', (code, signal) => res(code ?? signal)));
  const waitLog = (msg: string, opts: { since?: number; timeoutMs?: number } = {}): Promise<LogLine> => {
    const seen = logs.slice(opts.since ?? 0).find((l) => l.msg === msg);
    if (seen) return Promise.resolve(seen);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        events.off('line', on);
        rej(new Error(`no "${msg}" log line within ${opts.timeoutMs ?? 60_000} ms; stderr: ${stderr.slice(-500)}`));
      }, opts.timeoutMs ?? 60_000);
      const on = (l: LogLine) => {
        if (l.msg !== msg) return;
        clearTimeout(timer);
        events.off('line', on);
        res(l);
      };
      events.on('line', on);
      void exited.then((code) => {
        clearTimeout(timer);
        events.off('line', on);
        rej(new Error(`service exited (${code}) before "${msg}"; stderr: ${stderr.slice(-500)}`));
      });
    });
  };
  const db = await waitLog('embedded MongoDB started');
  const started = await waitLog('service started');
  const proc: ServiceProcess = {
    child,
    logs,
    url: String(started.url),
    dbUri: String(db.uri),
    dbPid: Number(db.pid),
    waitLog,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
  return proc;
}

/** One nurse's report as WeCom would deliver it: a fixed msgid and response_url across deliveries. */
export interface Delivery {
  user: string;
  msgId: string;
  text: string;
  responseCode: string;
  payload: Record<string, unknown>;
  /** Set once the service answered 200. */
  ackedAt?: number;
  attempts: number;
}

export function groupReport(sim: WecomSimulator, user: string, text: string, chatId = 'wr_ward'): Delivery {
  const responseUrl = sim.newResponseUrl('demo');
  const msgId = `rs_${user}_${Math.random().toString(36).slice(2, 10)}`;
  return {
    user,
    msgId,
    text,
    responseCode: new URL(responseUrl).searchParams.get('response_code') ?? '',
    attempts: 0,
    payload: {
      msgid: msgId,
      aibotid: 'aibot_demo',
      chatid: chatId,
      chattype: 'group',
      from: { userid: user },
      response_url: responseUrl,
      msgtype: 'text',
      text: { content: `@维保助手 ${text}` },
    },
  };
}

/** Delivers once; true when the service answered 200 (the message is then WeCom's "acknowledged"). */
export async function deliver(sim: WecomSimulator, serviceUrl: () => string, d: Delivery): Promise<boolean> {
  d.attempts++;
  try {
    const res = await sim.sendAibot({ bot: 'demo', serviceUrl: serviceUrl(), payload: d.payload });
    if (res.status === 200) {
      d.ackedAt ??= Date.now();
      return true;
    }
  } catch {
    // connection refused / reset: the service is down
  }
  return false;
}

/** WeCom's behaviour: retry an unanswered callback (here every `everyMs`, up to `tries` deliveries). */
export async function deliverWithRetries(sim: WecomSimulator, serviceUrl: () => string, d: Delivery, tries = 30, everyMs = 1000) {
  for (let i = 0; i < tries; i++) {
    if (await deliver(sim, serviceUrl, d)) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

/** Replies a reporter got: through its message's response_url, or a group post mentioning them. */
export function repliesTo(sim: WecomSimulator, d: Delivery): Received[] {
  return sim
    .delivered('response_url')
    .filter((r) => r.query.response_code === d.responseCode)
    .concat(
      sim.delivered('webhook/send').filter((r) => {
        const body = r.body as { text?: { mentioned_list?: string[] }; markdown?: { content?: string } };
        return body.text?.mentioned_list?.includes(d.user) || body.markdown?.content?.includes(`<@${d.user}>`);
      }),
    );
}

export function replyText(r: Received): string {
  const body = r.body as { markdown?: { content?: string }; text?: { content?: string } };
  return body.markdown?.content ?? body.text?.content ?? '';
}

/** Claim cards (template cards sent to engineers) per ticket number. */
export function cardsPerTicket(sim: WecomSimulator): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of sim.delivered('message/send')) {
    const card = (r.body as { template_card?: { button_list?: { key?: string }[] } }).template_card;
    const key = card?.button_list?.[0]?.key ?? '';
    const m = /^claim:(\d+)$/.exec(key);
    if (m) out.set(Number(m[1]), (out.get(Number(m[1])) ?? 0) + 1);
  }
  return out;
}

/** Group posts announcing a new ticket, per ticket number. */
export function groupPostsPerTicket(sim: WecomSimulator): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of sim.delivered('webhook/send')) {
    const m = /^新报修[\s\S]*?#(\d+)【/.exec(replyText(r));
    if (m) out.set(Number(m[1]), (out.get(Number(m[1])) ?? 0) + 1);
  }
  return out;
}

/** Reads the service's database directly (the embedded engine of the process under test). */
export async function withDb<T>(uri: string, fn: (db: ReturnType<MongoClient['db']>) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(client.db('weibao'));
  } finally {
    await client.close();
  }
}

/**
 * Why reporters were not answered, for a failure message: their inbox entries, their reply's outbox items
 * (without text), the outbox's unsent backlog and the service's warnings and errors.
 */
export async function unansweredReport(svc: ServiceProcess, sim: WecomSimulator, deliveries: Delivery[]): Promise<string> {
  const missing = deliveries.filter((d) => repliesTo(sim, d).length === 0);
  const state = await withDb(svc.dbUri, async (db) => {
    const inbox = await db
      .collection('inbox')
      .find({ msgId: { $in: missing.map((d) => d.msgId) } }, { projection: { text: 0, responseUrl: 0 } })
      .toArray();
    const replies = await db
      .collection('outbox')
      .find({ idempotencyKey: { $in: inbox.map((e) => `reply:${String(e._id)}`) } }, { projection: { payload: 0, url: 0, fallback: 0 } })
      .toArray();
    const backlog = await db
      .collection('outbox')
      .aggregate([{ $match: { status: { $ne: 'sent' } } }, { $group: { _id: { kind: '$kind', status: '$status' }, n: { $sum: 1 } } }])
      .toArray();
    return { inbox, replies, backlog };
  });
  const notable = svc.logs
    .filter((l) => Number(l.level) >= 40 || String(l.msg).includes('embedded'))
    .map((l) => `${l.time} ${l.msg} ${l.err ?? ''} ${l.inboxId ?? l.outboxId ?? ''}`);
  return `unanswered ${missing.map((d) => d.user).join(',')}: ${JSON.stringify(state)}\n${notable.slice(-80).join('\n')}`;
}

/** Polls `check` every 200 ms until it returns true; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The outbox holds exactly one claim card and one "新报修" group post for each of the `tickets` tickets. */
export async function expectOneCardAndPostPerTicket(db: ReturnType<MongoClient['db']>, tickets: number): Promise<void> {
  const items = await db
    .collection('outbox')
    .find({}, { projection: { kind: 1, payload: 1 } })
    .toArray();
  const cards = new Map<number, number>();
  const posts = new Map<number, number>();
  for (const it of items) {
    const p = it.payload as { template_card?: { button_list?: { key?: string }[] }; markdown?: { content?: string } };
    const claim = /^claim:(\d+)$/.exec(p.template_card?.button_list?.[0]?.key ?? '');
    if (it.kind === 'app' && claim) cards.set(Number(claim[1]), (cards.get(Number(claim[1])) ?? 0) + 1);
    const post = /^新报修[\s\S]*?#(\d+)【/.exec(p.markdown?.content ?? '');
    if (it.kind === 'webhook' && post) posts.set(Number(post[1]), (posts.get(Number(post[1])) ?? 0) + 1);
  }
  expect(cards.size).toBe(tickets);
  expect([...cards.values()].every((n) => n === 1)).toBe(true);
  expect(posts.size).toBe(tickets);
  expect([...posts.values()].every((n) => n === 1)).toBe(true);
}

/**
 * Waits (up to `timeoutMs`) until the outbox holds exactly one claim card and one group post per ticket, then
 * asserts it once more so a failure names the count that was wrong. Notifications interrupted by a crash are
 * re-delivered by the repair sweep (30 s grace, every 15 s), hence the wait.
 */
export async function awaitOneCardAndPostPerTicket(uri: string, tickets: number, timeoutMs = 60_000): Promise<void> {
  const holds = () =>
    withDb(uri, (db) =>
      expectOneCardAndPostPerTicket(db, tickets).then(
        () => true,
        () => false,
      ),
    );
  await eventually('one card and one group post stored per ticket', holds, timeoutMs).catch(() => undefined);
  await withDb(uri, (db) => expectOneCardAndPostPerTicket(db, tickets));
}

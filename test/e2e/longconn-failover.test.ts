/**
 * Two real service processes (`npm start`'s entry point) on one database, both configured for the smart bot's long
 * connection against the simulator: the MongoDB lease lets exactly one of them dial WeCom; killing it (SIGKILL,
 * no goodbye) moves the connection to the other within 15 s, and every message is answered exactly once.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import type { Spawned } from '../helpers/process.js';

const LEASE_MS = 1500;

interface Instance extends Spawned {
  name: string;
  lines: Array<Record<string, unknown>>;
  url: Promise<string>;
}

function databaseUri(): string {
  const base = inject('mongoUri');
  return base.replace(/\/?(\?.*)?$/, (_m, q: string | undefined) => `/lc_${randomBytes(5).toString('hex')}${q ?? ''}`);
}

let sim: WecomSimulator;
const started: Instance[] = [];

/** Waits until no long-connection frame is waiting or being sent (read from the instances' database). */
async function settled(uri: string): Promise<void> {
  const conn = await mongoose.createConnection(uri).asPromise();
  try {
    const outbox = conn.collection('outbox');
    const end = Date.now() + 15_000;
    while ((await outbox.countDocuments({ kind: 'aibot_ws', status: { $in: ['pending', 'sending'] } })) > 0) {
      if (Date.now() > end) throw new Error('long-connection frames still unsent after 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await conn.close();
  }
}

/** When the long connection's lease, as it stands now, runs out unless renewed (ms since the epoch). */
async function leaseUntil(uri: string): Promise<number> {
  const conn = await mongoose.createConnection(uri).asPromise();
  try {
    const lease = await conn.collection<{ _id: string; until: Date }>('wecom_leases').findOne({ _id: 'demo' });
    if (!lease) throw new Error('no lease document for the connected bot');
    return lease.until.getTime();
  } finally {
    await conn.close();
  }
}

/** Resolves once the instance has logged `msg` (its stdout arrives a little after the simulator saw the effect). */
async function logged(i: Instance, msg: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!i.lines.some((l) => l.msg === msg)) {
    if (Date.now() > end) throw new Error(`${i.name} did not log "${msg}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `npm start` without npm: one node process (SIGKILL must kill the service itself, not a tsx wrapper). */
function spawnService(env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'Asia/Shanghai', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, stderr: () => err, exited };
}

function startInstance(name: string, env: Record<string, string>): Instance {
  const run = spawnService(env);
  const lines: Array<Record<string, unknown>> = [];
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: run.child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === 'service started') resolve(String(entry.url));
      } catch {
        // not a log line
      }
    });
    run.child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before starting: ${run.stderr()}`)));
  });
  const inst = { ...run, name, lines, url };
  started.push(inst);
  return inst;
}

beforeAll(async () => {
  sim = new WecomSimulator({ bots: loadBots('bots', { WECOM_AIBOT_MODE: 'longConnection' }).values() });
  await sim.start();
});
afterAll(async () => {
  for (const i of started) if (i.child.exitCode === null) i.child.kill('SIGKILL');
  await sim.stop();
});

describe('two service instances, one long connection', () => {
  it('exactly one holds it; killing the holder moves it to the other within 15 s, no message lost or doubled', async () => {
    const uri = databaseUri();
    const env = {
      PORT: '0',
      MONGODB_URI: uri,
      LOG_LEVEL: 'info',
      ADMIN_TOKEN: 'failover-token',
      PLAYGROUND: 'off',
      WECOM_API_BASE: sim.url,
      WECOM_MAX_SKEW_S: '0',
      WECOM_AIBOT_MODE: 'longConnection',
      WECOM_AIBOT_WS_URL: sim.wsUrl,
      WECOM_LEASE_MS: String(LEASE_MS),
    };
    const a = startInstance('A', env);
    const b = startInstance('B', env);
    await Promise.all([a.url, b.url]);
    await sim.longConnection.waitForConnection('demo', 20_000);
    // The standby keeps polling the lease but never dials: watch past the end of the lease as it stands now plus
    // two of the standby's looks (every LEASE_MS / 4): unrenewed, the lease would have been taken by then.
    const until = await leaseUntil(uri);
    await new Promise((r) => setTimeout(r, until - Date.now() + LEASE_MS / 2));
    expect(sim.longConnection.subscriptions('demo')).toBe(1);
    expect(sim.longConnection.openSockets()).toBe(1);
    const subscribed = (i: Instance) => i.lines.some((l) => l.msg === 'wecom long connection subscribed');
    const holder = subscribed(a) ? a : b;
    const standby = holder === a ? b : a;
    expect(subscribed(standby)).toBe(false);
    expect(standby.lines.some((l) => l.msg === 'wecom long connection lease acquired')).toBe(false);

    const answered = (n: number) =>
      sim.waitFor((all) => all.filter((r) => r.kind === 'aibot_respond_msg' && r.errcode === 0).length >= n, { timeoutMs: 15_000 });
    const say = (msgId: string, text: string) =>
      sim.sendAibotText({ bot: 'demo', serviceUrl: '', from: 'nurse_f', chatId: 'wr_ward_group', text, msgId });
    await say('fo-1', '@维保助手 LIS报告打印不出来，检验科，分机8823');
    await answered(1);
    // Kill it between messages, once it has recorded the answer as sent. (Killed between WeCom's acknowledgement
    // and that record, the frame would be sent again after the outbox lease: at least once, never lost.)
    await settled(uri);

    holder.child.kill('SIGKILL');
    const killedAt = Date.now();
    await sim.longConnection.waitForSubscriptions('demo', 2, 15_000);
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(15_000);
    await logged(standby, 'wecom long connection subscribed');
    expect(sim.longConnection.openSockets()).toBe(1);

    await say('fo-2', '@维保助手 PACS影像调阅不了，放射科，分机3300');
    await answered(2);
    const res = await fetch(`${await standby.url}/api/tickets?bot=demo`, { headers: { authorization: 'Bearer failover-token' } });
    const { items } = (await res.json()) as { items: Array<{ no: number }> };
    expect(items.map((t) => t.no).sort()).toEqual([1, 2]);
    const answers = sim.delivered('aibot_respond_msg');
    expect(answers).toHaveLength(2);
    expect(new Set(answers.map((r) => r.query.req_id)).size).toBe(2);
    // Reconnections are logged with counts, never the message text.
    const output = standby.lines.map((l) => JSON.stringify(l)).join('\n');
    expect(output).not.toContain('PACS影像调阅不了');

    standby.child.kill('SIGTERM');
    expect(await standby.exited).toBe(0);
  }, 120_000);
});

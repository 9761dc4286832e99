/**
 * `npm run bench -- storm`: an outage storm against the real service (npm start's entry point, embedded H2
 * database in a temporary DATA_DIR, WeCom faked by the standalone simulator in its own process, as WeCom is
 * not inside the load generator: its work must not stall the generator's clock), beside a no-storage floor server
 * (scripts/bench/floor-server.ts) measured in the same run. 500 reporters × 3 deliveries (WeCom repeats each
 * message: 1 500 deliveries, 500 distinct messages), signed and encrypted beforehand.
 *   closed loop: 50 concurrent senders, each sending the next delivery as soon as the last was answered;
 *   open loop: the 1 500 deliveries at fixed times spread over 60 s (25/s), whatever the answers.
 * Reports acknowledgement latency (p50/p99/max), throughput, CPU seconds and peak RSS of the service (Node and
 * its Java database child), acknowledged messages lost or handled twice, and tickets opened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { encrypt, getSignature } from '@wecom/crypto';
import { MongoClient } from 'mongodb';
import { loadBots } from '../../src/config/bots.js';
import type { BenchResult } from './timing.js';

const REPORTERS = 500;
const REPEATS = 3;
const CONCURRENCY = 50;
const OPEN_LOOP_S = 60;
/** Reports (× REPEATS deliveries) sent to the floor and to each service before measuring: first ones are slow everywhere (JIT). */
const WARM_REPORTERS = 100;

const TEXTS = ['HIS系统全院都登不上了，急', '门诊收费系统卡死，全院排队，急', 'HIS打不开了，挂号收费都停了', '住院医生站进不去，HIS崩了'];

interface Delivery {
  path: string;
  body: string;
  msgId: string;
  code: string;
}

/** A standalone simulator (`npm run simulator`'s entry) in its own process, driven over its control API. */
interface Sim {
  child: ChildProcess;
  url: string;
}

function startSim(): Promise<Sim> {
  const child = spawn('node', ['--import', 'tsx', 'src/wecom/simulator/main.ts'], {
    env: { ...process.env, SIM_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((res, rej) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /^WeCom simulator on (\S+)/.exec(l);
      if (m) res({ child, url: m[1] });
    });
    child.once('exit', (c) => rej(new Error(`simulator exited ${c}`)));
  });
}

async function simControl<T>(sim: Sim, path: string, body?: object): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, body ? { method: 'POST', body: JSON.stringify(body) } : {});
  if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function deliveries(
  sim: Sim,
  bot: ReturnType<typeof loadBots> extends Map<string, infer B> ? B : never,
  tag: string,
): Promise<Delivery[]> {
  const { token, encodingAesKey } = bot.wecom.aibot;
  const { urls } = await simControl<{ urls: string[] }>(sim, '/_sim/response-urls', { bot: bot.id, count: REPORTERS });
  const out: Delivery[] = [];
  for (let r = 0; r < REPORTERS; r++) {
    const responseUrl = urls[r];
    const msgId = `storm_${tag}_${r}`;
    const payload = {
      msgid: msgId,
      aibotid: `aibot_${bot.id}`,
      chatid: `wr_ward_${r % 20}`,
      chattype: 'group',
      from: { userid: `nurse_${tag}_${r}` },
      response_url: responseUrl,
      msgtype: 'text',
      text: { content: `@维保助手 ${TEXTS[r % TEXTS.length]}` },
    };
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = String(r);
    const enc = encrypt(encodingAesKey, JSON.stringify(payload), '');
    const sig = getSignature(token, ts, nonce, enc);
    const d = {
      path: `/wecom/${bot.id}/aibot?msg_signature=${sig}&timestamp=${ts}&nonce=${nonce}`,
      body: JSON.stringify({ encrypt: enc }),
      msgId,
      code: new URL(responseUrl).searchParams.get('response_code') ?? '',
    };
    for (let k = 0; k < REPEATS; k++) out.push(d);
  }
  // Repeats arrive mixed in with everyone else's messages, as WeCom's retries do.
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919 + 13) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The deliveries of the first WARM_REPORTERS reporters, in their mixed order. */
const warmUp = (list: Delivery[]) => list.filter((d) => Number(d.msgId.slice(d.msgId.lastIndexOf('_') + 1)) < WARM_REPORTERS);

interface Run {
  latenciesMs: number[];
  wallMs: number;
  acked: Set<string>;
  errors: number;
}

async function post(base: string, d: Delivery): Promise<boolean> {
  try {
    const res = await fetch(base + d.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: d.body });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function closedLoop(base: string, list: Delivery[]): Promise<Run> {
  const run: Run = { latenciesMs: [], wallMs: 0, acked: new Set(), errors: 0 };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < list.length) {
        const d = list[next++];
        const s = performance.now();
        const ok = await post(base, d);
        run.latenciesMs.push(performance.now() - s);
        if (ok) run.acked.add(d.msgId);
        else run.errors++;
      }
    }),
  );
  run.wallMs = performance.now() - t0;
  return run;
}

async function openLoop(base: string, list: Delivery[]): Promise<Run> {
  const run: Run = { latenciesMs: [], wallMs: 0, acked: new Set(), errors: 0 };
  const gap = (OPEN_LOOP_S * 1000) / list.length;
  const t0 = performance.now();
  await Promise.all(
    list.map(async (d, i) => {
      const due = t0 + i * gap;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      const ok = await post(base, d);
      // From the scheduled time: a late start (the generator itself behind) counts against the service.
      run.latenciesMs.push(performance.now() - due);
      if (ok) run.acked.add(d.msgId);
      else run.errors++;
    }),
  );
  run.wallMs = performance.now() - t0;
  return run;
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function startFloor(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn('node', ['--import', 'tsx', 'scripts/bench/floor-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /^LISTENING (\d+)/.exec(l);
      if (m) res({ child, base: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (c) => rej(new Error(`floor server exited ${c}`)));
  });
}

interface Svc {
  child: ChildProcess;
  base: string;
  dbUri: string;
  dbPid: number;
}

function startService(simUrl: string): Promise<Svc> {
  const child = spawn('node', ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'weibao-storm-')),
      WECOM_API_BASE: simUrl,
      WECOM_MAX_SKEW_S: '0',
      PLAYGROUND: 'off',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((res, rej) => {
    let dbUri = '';
    let dbPid = 0;
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (!l.startsWith('{')) return;
      const e = JSON.parse(l) as { msg?: string; uri?: string; pid?: number; url?: string };
      if (e.msg === 'embedded MongoDB started') {
        dbUri = e.uri ?? '';
        dbPid = e.pid ?? 0;
      }
      if (e.msg === 'service started') res({ child, base: e.url ?? '', dbUri, dbPid });
    });
    child.once('exit', (c) => rej(new Error(`service exited ${c}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

/** Waits (≤ 3 min) until every stored message is handled; the seconds it took. */
async function drained(svc: Svc): Promise<number> {
  const client = await MongoClient.connect(svc.dbUri);
  const inbox = client.db('weibao').collection('inbox');
  const t0 = Date.now();
  while (Date.now() - t0 < 180_000 && (await inbox.countDocuments({ status: { $in: ['pending', 'processing'] } })) > 0) {
    await new Promise((r) => setTimeout(r, 500));
  }
  await client.close();
  return (Date.now() - t0) / 1000;
}

async function ticketCount(svc: Svc): Promise<number> {
  const client = await MongoClient.connect(svc.dbUri);
  const n = await client.db('weibao').collection('tickets').countDocuments();
  await client.close();
  return n;
}

/** After the storm: wait until every stored message is handled, then count what matters. */
async function audit(svc: Svc, sim: Sim, list: Delivery[], run: Run, ticketsBefore: number) {
  const drainedS = await drained(svc);
  const client = await MongoClient.connect(svc.dbUri);
  const db = client.db('weibao');
  const stored = new Set(
    (
      await db
        .collection('inbox')
        .find({}, { projection: { msgId: 1 } })
        .toArray()
    ).map((d) => d.msgId as string),
  );
  const lost = [...run.acked].filter((m) => !stored.has(m)).length;
  const perMsg = new Map<string, number>();
  for (const e of await db
    .collection('inbox')
    .find({}, { projection: { msgId: 1 } })
    .toArray())
    perMsg.set(e.msgId, (perMsg.get(e.msgId) ?? 0) + 1);
  const codes = new Set(list.map((d) => d.code));
  const replies = new Map<string, number>();
  for (const r of await simControl<{ query: Record<string, string> }[]>(sim, '/_sim/received?kind=response_url')) {
    const c = r.query.response_code;
    if (codes.has(c)) replies.set(c, (replies.get(c) ?? 0) + 1);
  }
  const duplicated = [...perMsg.values()].filter((n) => n > 1).length + [...replies.values()].filter((n) => n > 1).length;
  const tickets = (await db.collection('tickets').countDocuments()) - ticketsBefore;
  await client.close();
  return { lost, duplicated, tickets, drainedS, unique: stored.size };
}

function line(name: string, run: Run, extra = ''): string {
  const thr = (run.latenciesMs.length / run.wallMs) * 1000;
  return `  ${name.padEnd(22)} ack p50 ${pct(run.latenciesMs, 0.5).toFixed(1)} ms  p99 ${pct(run.latenciesMs, 0.99).toFixed(1)} ms  max ${Math.max(...run.latenciesMs).toFixed(0)} ms  ${thr.toFixed(0)}/s  non-200 ${run.errors}${extra}`;
}

export async function stormBench(): Promise<BenchResult> {
  const bots = loadBots('bots', {});
  const bot = bots.get('demo');
  if (!bot) throw new Error('bots/demo.json missing');
  const sim = await startSim();
  const simUrl = sim.url;
  const out: string[] = [
    'storm: 500 reporters × 3 deliveries, embedded H2; service = npm start, floor = verify + decrypt + in-memory dedupe',
  ];
  let closedRatio = 0;
  let closedSvc: Run | undefined;
  try {
    const floor = await startFloor();
    await closedLoop(floor.base, warmUp(await deliveries(sim, bot, 'warm')));
    const floorClosed = await closedLoop(floor.base, await deliveries(sim, bot, 'fc'));
    const floorCpu = cpuSeconds(floor.child.pid ?? 0);
    await stopChild(floor.child);
    out.push(line('floor closed-loop', floorClosed, `  cpu ${floorCpu.toFixed(1)} s`));

    for (const mode of ['closed', 'open'] as const) {
      const svc = await startService(simUrl);
      // Warmed like the floor (a hospital's service has been running when the storm comes): 100 reports,
      // 300 deliveries, handled to the end before the storm starts.
      await closedLoop(svc.base, warmUp(await deliveries(sim, bot, `warm-${mode}`)));
      await drained(svc);
      const ticketsBefore = await ticketCount(svc);
      const list = await deliveries(sim, bot, mode);
      const cpu0 = cpuSeconds(svc.child.pid ?? 0) + cpuSeconds(svc.dbPid);
      const run = mode === 'closed' ? await closedLoop(svc.base, list) : await openLoop(svc.base, list);
      const cpu = cpuSeconds(svc.child.pid ?? 0) + cpuSeconds(svc.dbPid) - cpu0;
      const a = await audit(svc, sim, list, run, ticketsBefore);
      const rss = peakRssMb(svc.child.pid ?? 0) + peakRssMb(svc.dbPid);
      await stopChild(svc.child);
      out.push(
        line(`service ${mode}-loop`, run, `  cpu ${cpu.toFixed(1)} s  peak rss ${rss.toFixed(0)} MB (node + java)`),
        `  ${''.padEnd(22)} acknowledged ${run.acked.size}/${REPORTERS} messages, lost ${a.lost}, duplicated ${a.duplicated}, tickets opened ${a.tickets}, backlog handled ${a.drainedS.toFixed(0)} s after the last answer`,
      );
      if (mode === 'closed') {
        closedSvc = run;
        const svcThr = run.latenciesMs.length / run.wallMs;
        const floorThr = floorClosed.latenciesMs.length / floorClosed.wallMs;
        closedRatio = svcThr / floorThr;
        out.push(`  closed-loop throughput ratio service/floor ${closedRatio.toFixed(2)} (target ≥ 0.3)`);
      }
    }
  } finally {
    await stopChild(sim.child);
  }
  console.log(out.join('\n'));
  const lat = closedSvc?.latenciesMs ?? [0];
  return {
    name: 'storm (closed-loop ack, service)',
    runs: lat.length,
    medianUs: pct(lat, 0.5) * 1000,
    p99Us: pct(lat, 0.99) * 1000,
    note: `throughput ratio service/floor ${closedRatio.toFixed(2)}`,
  };
}

/**
 * Scheduler lag: 10 000 open tickets with their escalation jobs (20 000: response and resolve) on the
 * embedded engine (or MONGODB_URI). The first 1 000 tickets' response 50 % reminders come due over 100 s
 * (10/s, far above a hospital's real rate); the lag is the time between a job's due instant and its handler
 * starting. Tune with BENCH_SLA_TICKETS, BENCH_SLA_DUE, BENCH_SLA_WINDOW_S. Production scheduler settings (processEvery 2 s) and the real handler
 * (ticket read, `reminded` event written with the version precondition); notifications are only counted.
 */
import { TicketEventBus } from '../../src/tickets/events.js';
import { availableParallelism } from 'node:os';
import type { Job } from 'agenda';
import { type BotConfig, loadBots } from '../../src/config/bots.js';
import { systemClock } from '../../src/clock.js';
import { connect, disconnect } from '../../src/db/connection.js';
import { startEmbedded } from '../../src/db/embedded.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { log } from '../../src/log.js';
import { type EscalationNotifier, nextPendingStep, TARGET_NAMES } from '../../src/sla/escalation.js';
import { defineEscalationJobs, ESCALATION_JOB, type EscalationJobData } from '../../src/sla/jobs.js';
import { ensureTicketIndexes, Ticket } from '../../src/tickets/model.js';
import { newTicketDoc } from '../../src/tickets/commands/create-ticket.js';
import type { TicketDoc } from '../../src/tickets/types.js';
import type { BenchResult } from './timing.js';

const N = Number(process.env.BENCH_SLA_TICKETS ?? 10_000);
/** How many of the tickets have their first reminder come due during the run… */
const DUE = Math.min(N, Number(process.env.BENCH_SLA_DUE ?? 1_000));
/** …spread over this window; the other tickets' jobs are due hours later (they are scanned, not run). */
const WINDOW_S = Number(process.env.BENCH_SLA_WINDOW_S ?? 100);
const HALF_RESPONSE_MS = 15 * 60_000; // level 1: response 30 min, 50 % after 15 min

function ticketAt(no: number, createdAt: Date, bot: BotConfig): TicketDoc {
  const input = { system: 'his', level: 1 as const, title: `bench ${no}`, reporter: { userid: 'nurse01', name: '李护士' } };
  return { ...newTicketDoc(bot, no, input, createdAt), version: 1, pending: [] };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export async function slaBench(): Promise<BenchResult> {
  log.level = 'warn';
  const bot = loadBots(process.env.BOTS_DIR ?? 'bots').get('demo')!;
  const bots = new Map([[bot.id, bot]]);
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbedded();
  await connect(process.env.MONGODB_URI || embedded!.uri, `bench_sla_${Date.now()}`);
  await ensureTicketIndexes();
  const scheduler = createScheduler();
  let sent = 0;
  const notify: EscalationNotifier = {
    toUsers: async () => void sent++,
    toGroup: async () => void sent++,
  };
  defineEscalationJobs(scheduler, { bots, clock: systemClock, notify, events: new TicketEventBus() });

  // Tickets whose response 50 % falls in [base, base + window]; base leaves time to create all the jobs.
  const prepStarted = Date.now();
  const base = Date.now() + 20_000 + N * 2;
  const dueAt = (i: number) => (i < DUE ? base + (i * WINDOW_S * 1000) / DUE : base + 2 * 3600_000 + i * 1000);
  const docs = Array.from({ length: N }, (_, i) => ticketAt(i + 1, new Date(dueAt(i) - HALF_RESPONSE_MS), bot));
  for (let i = 0; i < N; i += 1000) await Ticket.collection.insertMany(docs.slice(i, i + 1000));
  // The jobs the start-up sweep would create (one per running target: response 50 %, resolve 50 %), written
  // with plain inserts: the DB is fresh, and an upsert per job is a collection scan on the embedded engine.
  for (const t of docs) {
    for (const target of TARGET_NAMES) {
      const next = nextPendingStep(bot, t, target);
      if (!next) continue;
      const data: EscalationJobData = { bot: bot.id, no: t.no, target, step: next.key, at: next.at.toISOString() };
      await scheduler.agenda.create(ESCALATION_JOB, data).schedule(next.at).save();
    }
  }
  const jobs = await scheduler.agenda.queryJobs({ name: ESCALATION_JOB, limit: 1 });
  const prepMs = Date.now() - prepStarted;
  if (Date.now() > base) process.stderr.write(`warning: preparing took ${prepMs} ms, past the first due instant\n`);

  const lags: number[] = [];
  const done = new Promise<void>((resolve) => {
    scheduler.agenda.on(`start:${ESCALATION_JOB}`, (job: Job) => {
      const d = job.attrs.data as EscalationJobData;
      if (d.target !== 'response' || d.step !== '50%') return;
      lags.push(Date.now() - Date.parse(d.at));
      if (lags.length === DUE) resolve();
    });
  });
  await scheduler.start();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, base - Date.now() + WINDOW_S * 1000 + 120_000);
  });
  await Promise.race([done, timeout]);
  clearTimeout(timer);
  await scheduler.stop();
  await disconnect();
  await embedded?.stop();

  lags.sort((a, b) => a - b);
  const p50 = quantile(lags, 0.5);
  const p99 = quantile(lags, 0.99);
  const note = [
    `${lags.length}/${DUE} reminders fired, due over ${WINDOW_S} s (${(DUE / WINDOW_S).toFixed(1)}/s)`,
    `lag p50 ${p50} ms, p99 ${p99} ms, max ${lags.at(-1)} ms (target p99 < 5000 ms: ${p99 < 5000 && lags.length === DUE ? 'PASS' : 'FAIL'})`,
    `${N} open tickets`,
    `${jobs.total} jobs for ${N} tickets prepared in ${prepMs} ms`,
    `${sent} notifications; ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'embedded memory engine'}; nproc=${availableParallelism()}`,
  ].join('; ');
  return { name: 'sla: scheduler lag (due → handler start)', runs: lags.length, medianUs: p50 * 1000, p99Us: p99 * 1000, note };
}

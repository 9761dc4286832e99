/**
 * Escalation jobs in Agenda: one job per (ticket, target, step), unique on exactly those, so re-scheduling
 * moves the job instead of adding one. Only the next pending step of each running target is scheduled;
 * when it has run, it schedules the step after it. Every ticket event re-syncs the ticket's jobs from the
 * ticket as stored (pause, resume, level change, transfer, met targets, end of the ticket), a start-up sweep
 * re-creates anything a crash lost, and the handler itself re-checks the ticket, so a stale job is harmless.
 *
 * Within a service every sync of one ticket takes its turn (`TicketJobSync`, a keyed chain per service) and reads
 * the ticket inside its turn: a sweep that listed a ticket before a claim can no longer write the claimed ticket's
 * old `response` step after the claim's own sync has removed it.
 */
import type { Job } from 'agenda';
import type { BotConfig } from '../config/bots.js';
import { KeyedChain } from '../jobs/keyed-chain.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { log } from '../log.js';
import { activeTickets, getTicket } from '../tickets/queries.js';
import type { TicketDoc } from '../tickets/types.js';
import type { TargetName } from './config.js';
import { type EscalationDeps, escalateTarget, nextPendingStep, TARGET_NAMES } from './escalation.js';

export const ESCALATION_JOB = 'sla:escalate';
export const RECONCILE_JOB = 'sla:reconcile';

export interface EscalationJobData {
  bot: string;
  no: number;
  target: TargetName;
  /** Step key, e.g. "50%" or "100%+2". */
  step: string;
  /** ISO instant the step is due at when scheduled (for lag measurements and operators). */
  at: string;
}

/** The periodic sweep re-checks tickets changed within this window (where a job update could have raced). */
const RECENT_MS = 30 * 60_000;

/**
 * Defines the step and sweep jobs on the service's Agenda. `sync` is the service's TicketJobSync (its ticket event
 * processor must use the same one, so their syncs take turns); one is made when omitted (benchmarks). Returns it.
 */
export function defineEscalationJobs(
  scheduler: Scheduler,
  deps: EscalationDeps,
  opts: { concurrency?: number; sync?: TicketJobSync } = {},
): TicketJobSync {
  const { agenda } = scheduler;
  const sync = opts.sync ?? createTicketJobSync(scheduler);
  agenda.define<EscalationJobData>(
    ESCALATION_JOB,
    async (job: Job<EscalationJobData>) => {
      const { bot, no, target, step } = job.attrs.data;
      try {
        const out = await escalateTarget(deps, { bot, no, target }, deps.clock.now());
        if (out.next?.key === step) {
          // Still this step (the clock is behind, or the deadline moved): the run's own save keeps this time.
          scheduler.retryLater(job, { notDueUntil: out.next.at });
          return;
        }
        // The successor, in this ticket's turn and from the ticket as stored then (a claim meanwhile has none).
        const config = deps.bots.get(bot);
        if (out.next && config) await sync.syncByNo(config, no, { insertOnly: true });
      } catch (err) {
        // A thrown one-time job stays in the collection with no next run: it would never run again, and its unique
        // key would keep the start-up sweep from re-creating the step. Run it again instead; the run is idempotent.
        log.warn({ bot, no, target, step, err: (err as Error).message }, 'sla escalation step failed, retrying');
        scheduler.retryLater(job, { failed: err as Error });
        return;
      }
      // Removed here, not by Agenda's removeOnComplete: that removal happens after the job's `complete` event,
      // and Agenda's drain() (graceful stop) checks for running jobs on that event, so it then waits out its timeout.
      await job.remove().catch((err: Error) => log.warn({ bot, no, target, step, err: err.message }, 'sla job not removed'));
    },
    // A bounded lock limit: locking is a scan on the embedded engine, so lock a few ahead rather than every due job.
    { concurrency: opts.concurrency ?? 20, lockLimit: 2 * (opts.concurrency ?? 20) },
  );
  agenda.define(RECONCILE_JOB, async (job: Job<{ recentOnly?: boolean }>) => {
    const since = job.attrs.data?.recentOnly ? new Date(deps.clock.now().getTime() - RECENT_MS) : undefined;
    const n = await sync.reconcileAll(deps.bots, since);
    log.info({ tickets: n, recentOnly: Boolean(since) }, 'sla jobs reconciled');
  });
  return sync;
}

/**
 * How a step job is written:
 * - `replace` (ticket events): the step's job is removed and written anew. A run of the old job that is in
 *   flight then fails to save its state (its document is gone) instead of overwriting the new schedule.
 * - `insertOnly` (a job scheduling its successor, the start-up sweep): an existing job is left alone, since
 *   whoever wrote it read the ticket no earlier than we did.
 */
export async function scheduleStep(scheduler: Scheduler, data: EscalationJobData, mode: 'replace' | 'insertOnly'): Promise<void> {
  if (mode === 'replace')
    await scheduler.agenda.cancel({ name: ESCALATION_JOB, data: { bot: data.bot, no: data.no, target: data.target, step: data.step } });
  await writeStep(scheduler, data, mode === 'insertOnly');
}

function writeStep(scheduler: Scheduler, data: EscalationJobData, insertOnly: boolean): Promise<unknown> {
  return scheduler.scheduleAt(ESCALATION_JOB, data, new Date(data.at), { unique: ['bot', 'no', 'target', 'step'], insertOnly });
}

/**
 * Brings a ticket's jobs in line with the ticket: the next pending step of each running target is scheduled at its
 * current instant. Replacing (ticket events): every escalation job of the ticket is removed first, in one delete
 * (each delete scans the job collection on the embedded engine: one per target made SLA syncs the largest share of
 * the database's work in a storm), so targets that stopped lose theirs and runs in flight cannot save a stale state.
 * `insertOnly` (a successor, the start-up sweep): only adds what is missing, leaving existing jobs alone.
 */
export async function syncTicketJobs(scheduler: Scheduler, bot: BotConfig, ticket: TicketDoc, insertOnly = false): Promise<void> {
  if (!insertOnly) await scheduler.agenda.cancel({ name: ESCALATION_JOB, data: { bot: bot.id, no: ticket.no } });
  for (const target of TARGET_NAMES) {
    const next = nextPendingStep(bot, ticket, target);
    if (next) await writeStep(scheduler, { bot: bot.id, no: ticket.no, target, step: next.key, at: next.at.toISOString() }, insertOnly);
  }
}

/** One service's syncs of SLA jobs with tickets; syncs of one ticket run one at a time (see the module comment). */
export interface TicketJobSync {
  /**
   * In the ticket's turn: re-reads it (the event's snapshot or a sweep's listing may be older than another change)
   * and brings its jobs in line. `insertOnly`: only adds a missing next step, leaving existing jobs alone.
   */
  syncByNo(bot: BotConfig, no: number, opts?: { insertOnly?: boolean }): Promise<void>;
  /**
   * Sweep over active tickets, each synced in its turn. At start-up (no `since`): every running target gets its next
   * step if missing, existing jobs untouched. Periodically (`since`): tickets changed recently are fully re-synced,
   * which repairs a reschedule that raced with another instance. Returns the number of tickets looked at.
   */
  reconcileAll(bots: Map<string, BotConfig>, since?: Date): Promise<number>;
}

/** The TicketJobSync of one service (its own chain of turns: two services in one process never wait on each other). */
export function createTicketJobSync(scheduler: Scheduler): TicketJobSync {
  const turns = new KeyedChain();
  const syncByNo: TicketJobSync['syncByNo'] = (bot, no, opts = {}) =>
    turns.run(`${bot.id}:${no}`, async () => {
      const ticket = await getTicket(bot.id, no);
      if (ticket) await syncTicketJobs(scheduler, bot, ticket, opts.insertOnly);
    });
  return {
    syncByNo,
    async reconcileAll(bots, since) {
      let n = 0;
      for await (const t of activeTickets([...bots.keys()], since)) {
        const bot = bots.get(t.bot);
        if (!bot) continue;
        await syncByNo(bot, t.no, { insertOnly: !since });
        n++;
      }
      return n;
    },
  };
}

/**
 * Escalation jobs in Agenda: one job per (ticket, target, step), unique on exactly those, so re-scheduling
 * moves the job instead of adding one. Only the next pending step of each running target is scheduled;
 * when it has run, it schedules the step after it. Every ticket event re-syncs the ticket's jobs from the
 * ticket as stored (pause, resume, level change, transfer, met targets, end of the ticket), a start-up sweep
 * re-creates anything a crash lost, and the handler itself re-checks the ticket, so a stale job is harmless.
 */
import type { Job } from 'agenda';
import type { BotConfig } from '../config/bots.js';
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

export function defineEscalationJobs(scheduler: Scheduler, deps: EscalationDeps, opts: { concurrency?: number } = {}): void {
  const { agenda } = scheduler;
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
        if (out.next) await scheduleStep(scheduler, { bot, no, target, step: out.next.key, at: out.next.at.toISOString() }, 'insertOnly');
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
    const n = await reconcileAll(scheduler, deps.bots, since);
    log.info({ tickets: n, recentOnly: Boolean(since) }, 'sla jobs reconciled');
  });
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
  await scheduler.scheduleAt(ESCALATION_JOB, data, new Date(data.at), {
    unique: ['bot', 'no', 'target', 'step'],
    insertOnly: mode === 'insertOnly',
  });
}

/** Removes every escalation job of a target (it stopped: met, paused, ticket finished). */
export async function cancelTarget(scheduler: Scheduler, bot: string, no: number, target: TargetName): Promise<number> {
  return scheduler.agenda.cancel({ name: ESCALATION_JOB, data: { bot, no, target } });
}

/**
 * Brings a ticket's jobs in line with the ticket: the next pending step of each running target is
 * (re)scheduled at its current instant; targets that stopped lose their jobs. Stale jobs of other steps
 * may stay: they re-check the ticket when they fire and then do nothing.
 */
export async function syncTicketJobs(scheduler: Scheduler, bot: BotConfig, ticket: TicketDoc, insertOnly = false): Promise<void> {
  for (const target of TARGET_NAMES) {
    const next = nextPendingStep(bot, ticket, target);
    const data = next && { bot: bot.id, no: ticket.no, target, step: next.key, at: next.at.toISOString() };
    if (data) await scheduleStep(scheduler, data, insertOnly ? 'insertOnly' : 'replace');
    else if (!insertOnly) await cancelTarget(scheduler, bot.id, ticket.no, target);
  }
}

/** Re-reads the ticket (the event's snapshot may be older than another instance's change) and syncs. */
export async function syncTicketByNo(scheduler: Scheduler, bot: BotConfig, no: number): Promise<void> {
  const ticket = await getTicket(bot.id, no);
  if (ticket) await syncTicketJobs(scheduler, bot, ticket);
}

/**
 * Sweep over active tickets. At start-up (no `since`): every running target gets its next step if missing,
 * existing jobs untouched. Periodically (`since`): tickets changed recently are fully re-synced, which
 * repairs a reschedule that raced with a running job.
 */
export async function reconcileAll(scheduler: Scheduler, bots: Map<string, BotConfig>, since?: Date): Promise<number> {
  let n = 0;
  for await (const t of activeTickets([...bots.keys()], since)) {
    const bot = bots.get(t.bot);
    if (!bot) continue;
    await syncTicketJobs(scheduler, bot, t, !since);
    n++;
  }
  return n;
}

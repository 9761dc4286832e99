/**
 * Agenda jobs after a resolution: one confirmation reminder and one auto-close. Each job is unique per
 * (bot, no, resolvedAt): a job left from an earlier resolution (reopened, then resolved again) finds a
 * different resolvedAt on the ticket and does nothing, and the status precondition makes every run idempotent.
 */
import type { Job } from 'agenda';
import type { BotConfig } from '../config/bots.js';
import type { Clock } from '../clock.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { log } from '../log.js';
import { autoCloseTicket } from './commands/auto-close-ticket.js';
import { remindConfirmation } from './commands/remind-confirmation.js';
import type { TicketEventBus, TicketEventProcessor } from './events.js';
import { Ticket } from './model.js';
import type { TicketDoc } from './types.js';

export const CONFIRM_REMINDER_JOB = 'ticket:confirm-reminder';
export const AUTO_CLOSE_JOB = 'ticket:auto-close';

export interface ResolutionJobData {
  bot: string;
  no: number;
  /** ISO instant of the resolution the job belongs to. */
  resolvedAt: string;
}

const HOUR = 3600_000;

export function defineTicketJobs(scheduler: Scheduler, bots: Map<string, BotConfig>, clock: Clock, events: TicketEventBus): void {
  const run = (kind: 'remind' | 'close') => async (job: Job<ResolutionJobData>) => {
    const { bot: botId, no, resolvedAt } = job.attrs.data;
    const bot = bots.get(botId);
    if (!bot) return;
    const hours = kind === 'remind' ? bot.tickets.confirmReminderHours : bot.tickets.autoCloseHours;
    const due = new Date(resolvedAt).getTime() + hours * HOUR;
    if (clock.now().getTime() < due) {
      // Not due by the service clock yet: look again then instead of acting early.
      scheduler.retryLater(job, { notDueUntil: new Date(due) });
      return;
    }
    const ctx = { bot, clock, events };
    try {
      const r = kind === 'remind' ? await remindConfirmation(ctx, { no, resolvedAt }) : await autoCloseTicket(ctx, { no, resolvedAt });
      log.info({ bot: botId, no, job: job.attrs.name, ok: r.ok, code: r.ok ? undefined : r.code }, 'ticket job ran');
    } catch (err) {
      // A failed one-off job would never run again (and the start-up sweep keeps existing jobs): retry it. The
      // status precondition makes a repeat harmless.
      log.warn({ bot: botId, no, job: job.attrs.name, err: (err as Error).message }, 'ticket job failed, retrying');
      scheduler.retryLater(job, { failed: err as Error });
    }
  };
  scheduler.agenda.define(CONFIRM_REMINDER_JOB, run('remind'));
  scheduler.agenda.define(AUTO_CLOSE_JOB, run('close'));
}

/** Schedules (or re-schedules) both jobs of a resolution; `insertOnly` leaves an existing schedule alone. */
export async function scheduleResolutionJobs(scheduler: Scheduler, bot: BotConfig, ticket: TicketDoc, insertOnly = false): Promise<void> {
  if (!ticket.resolvedAt) return;
  const resolvedAt = new Date(ticket.resolvedAt);
  const data: ResolutionJobData = { bot: bot.id, no: ticket.no, resolvedAt: resolvedAt.toISOString() };
  const jobs: Array<[string, number]> = [
    [CONFIRM_REMINDER_JOB, bot.tickets.confirmReminderHours],
    [AUTO_CLOSE_JOB, bot.tickets.autoCloseHours],
  ];
  for (const [name, hours] of jobs) {
    await scheduler.scheduleAt(name, data, new Date(resolvedAt.getTime() + hours * HOUR), {
      unique: ['bot', 'no', 'resolvedAt'],
      insertOnly,
    });
  }
}

/** Every resolution schedules its reminder and auto-close. */
export function scheduleOnResolve(scheduler: Scheduler): TicketEventProcessor {
  return {
    name: 'resolution-jobs',
    applicableEvents: ['resolved'],
    on: ({ bot, ticket }) => scheduleResolutionJobs(scheduler, bot, ticket),
  };
}

/** Start-up sweep: a resolution whose scheduling was lost in a crash gets its jobs (existing ones are kept). */
export async function ensureResolutionJobs(scheduler: Scheduler, bots: Map<string, BotConfig>): Promise<number> {
  const resolved = await Ticket.find({ bot: { $in: [...bots.keys()] }, status: 'resolved' }, { pending: 0 }).lean<TicketDoc[]>();
  for (const t of resolved) await scheduleResolutionJobs(scheduler, bots.get(t.bot)!, t, true);
  return resolved.length;
}

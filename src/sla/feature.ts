import { log } from '../log.js';
import { local } from '../time.js';
import { isYearCovered, officialDataUntilYear } from './calendar.js';
import type { Feature, ServiceContext } from '../service.js';
import { EVENT_TYPES, type EventType } from '../tickets/types.js';
import type { EscalationDeps, EscalationNotifier } from './escalation.js';
import { createTicketJobSync, defineEscalationJobs, RECONCILE_JOB } from './jobs.js';

/** Events that cannot move a deadline or stop a clock (and escalation's own). */
const QUIET: EventType[] = ['progress', 'reminded', 'breached', 'chased', 'noted'];

export interface SlaFeatureOptions {
  /** Defaults to the WeCom messenger of the running service. */
  notify?: EscalationNotifier;
  /** Parallel escalation jobs per instance (default 20). */
  concurrency?: number;
  /** How often recently changed tickets are re-synced (default every 10 minutes). */
  reconcileEvery?: string;
}

/** SLA escalation: Agenda jobs chasing every running target, kept in step with ticket events. */
export function createSlaFeature(ctx: ServiceContext, opts: SlaFeatureOptions = {}): Feature {
  const { scheduler } = ctx;
  const { agenda } = scheduler;
  // Looked up on use: the channel is another feature of the same service.
  const notify: EscalationNotifier = opts.notify ?? {
    toUsers: (...a) => ctx.registry.port('messenger').toUsers(...a),
    toGroup: (...a) => ctx.registry.port('messenger').toGroup(...a),
  };
  const deps: EscalationDeps = { bots: ctx.bots, clock: ctx.clock, notify, events: ctx.registry.ticketEvents };
  // One per service: ticket events, the sweep and the step jobs take turns per ticket through it.
  const sync = createTicketJobSync(scheduler);
  return {
    name: 'sla',
    provides: { slaJobs: sync },
    ticketProcessors: [
      {
        name: 'sla-escalation',
        applicableEvents: EVENT_TYPES.filter((t) => !QUIET.includes(t)),
        // A new ticket's engineer is pinged by the bot's notifier; escalation only keeps the jobs in step.
        on: ({ bot, ticket }) => sync.syncByNo(bot, ticket.no),
      },
    ],
    init() {
      defineEscalationJobs(scheduler, deps, { concurrency: opts.concurrency, sync });
    },
    async start() {
      warnUncoveredYears(ctx.clock.now());
      // The start-up sweep runs as a job: in the background, once per cluster start even with several instances.
      await agenda.now(RECONCILE_JOB, {});
      await agenda.every(opts.reconcileEvery ?? '10 minutes', RECONCILE_JOB, { recentOnly: true });
    },
  };
}

/** The calendar guesses (Monday–Friday) for years without official holiday data: say so in the log. */
function warnUncoveredYears(now: Date): void {
  const years = [...new Set([local(now).year(), local(now).add(30, 'day').year()])].filter((y) => !isYearCovered(y));
  if (years.length) {
    log.warn(
      { years, officialDataUntilYear },
      'sla calendar: no official holiday data (chinese-days) for these years; deadlines there assume Monday–Friday and are marked calendarUncertain — update chinese-days or set extraHolidays/extraWorkdays',
    );
  }
}

export const slaFeature = (ctx: ServiceContext): Feature => createSlaFeature(ctx);

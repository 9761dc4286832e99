import { log } from '../log.js';
import type { Feature, ServiceContext } from '../service.js';
import { repairPending } from './apply.js';
import { ticketRoutes } from './http/routes.js';
import { defineTicketJobs, ensureResolutionJobs, scheduleOnResolve } from './jobs.js';
import { ensureTicketIndexes } from './model.js';

export const TICKET_REPAIR_JOB = 'ticket:repair';

/** Tickets: model, lifecycle jobs, crash repair and the admin API. */
export function ticketsFeature(ctx: ServiceContext): Feature {
  const { agenda } = ctx.scheduler;
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'tickets',
    routers: [ticketRoutes({ bots: ctx.bots, adminToken: () => ctx.env.ADMIN_TOKEN, readerTokens: () => ctx.env.DASHBOARD_TOKENS ?? '' })],
    async init() {
      await ensureTicketIndexes();
      defineTicketJobs(agenda, ctx.bots, ctx.clock);
      agenda.define(TICKET_REPAIR_JOB, async () => {
        await repairPending(ctx.bots);
      });
      unsubscribe = scheduleOnResolve(agenda);
    },
    async start() {
      // Finish whatever a previous process left half-done before taking new work.
      const repaired = await repairPending(ctx.bots);
      const resolved = await ensureResolutionJobs(agenda, ctx.bots);
      // Often enough that a notification interrupted by a crash goes out within a minute (30 s grace + 15 s).
      await agenda.every('15 seconds', TICKET_REPAIR_JOB);
      log.info({ repaired, resolved }, 'tickets ready');
    },
    stop() {
      unsubscribe?.();
    },
  };
}

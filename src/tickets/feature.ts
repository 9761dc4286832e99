import { log } from '../log.js';
import type { Feature, ServiceContext } from '../service.js';
import { repairPending } from './apply.js';
import { ticketRoutes } from './http/routes.js';
import { defineTicketJobs, ensureResolutionJobs, scheduleOnResolve } from './jobs.js';
import { ensureTicketIndexes } from './model.js';

export const TICKET_REPAIR_JOB = 'ticket:repair';

/** Tickets: model, lifecycle jobs, crash repair and the admin API. */
export function ticketsFeature(ctx: ServiceContext): Feature {
  const { scheduler } = ctx;
  const events = ctx.registry.ticketEvents;
  return {
    name: 'tickets',
    routers: [ticketRoutes({ bots: ctx.bots, adminToken: () => ctx.env.ADMIN_TOKEN, readerTokens: () => ctx.env.DASHBOARD_TOKENS ?? '' })],
    ticketProcessors: [scheduleOnResolve(scheduler)],
    // The start-up repair runs in start(); this one catches what later crashes leave, often enough that an
    // interrupted notification goes out within a minute (30 s grace + 15 s).
    jobs: [{ name: TICKET_REPAIR_JOB, every: '15 seconds', run: async () => void (await repairPending(ctx.bots, events)) }],
    async init() {
      await ensureTicketIndexes();
      defineTicketJobs(scheduler, ctx.bots, ctx.clock, events);
    },
    async start() {
      // Finish whatever a previous process left half-done before taking new work.
      const repaired = await repairPending(ctx.bots, events);
      const resolved = await ensureResolutionJobs(scheduler, ctx.bots);
      log.info({ repaired, resolved }, 'tickets ready');
    },
  };
}

/** Inspections (巡检) as a feature: a minute tick that starts and chases due checklists, and the hook storing finished ones. */
import { findConversation } from '../bot/conversations.js';
import { firstStarts, ServiceMeta } from '../db/first-start.js';
import { log } from '../log.js';
import type { Feature, FeatureFactory, ServiceContext } from '../service.js';
import { Inspection } from './model.js';
import { completeInspection, type InspectionDeps, inspectionTick } from './run.js';

export const INSPECTIONS_TICK_JOB = 'inspections:tick';

/** The inspection runner's view of its service: the channel's messenger and the conversation engine, looked up on use. */
export function inspectionDepsFor(ctx: ServiceContext): InspectionDeps {
  return {
    bots: ctx.bots,
    clock: ctx.clock,
    events: ctx.registry.ticketEvents,
    get messenger() {
      return ctx.registry.port('messenger');
    },
    startChecklist: (input) => ctx.registry.port('conversations').startChecklist(input),
    async checklistActive(bot, userid, ref) {
      const conv = await findConversation({ bot, chat: 'single:app', userid });
      return !!conv && conv.context.ref === ref && conv.expiresAt.getTime() > ctx.clock.now().getTime();
    },
    itemsOf: (flow) => ctx.registry.port('conversations').flows.checklist(flow).items,
  };
}

/** One pass of the tick at the service's now: start what is due (not before the bot's first start), chase what is overdue. Never throws. */
export async function runInspectionsTick(ctx: ServiceContext): Promise<void> {
  try {
    const now = ctx.clock.now();
    await inspectionTick(inspectionDepsFor(ctx), now, await firstStarts(ctx.bots.keys(), now));
  } catch (e) {
    log.error({ err: (e as Error).message }, 'inspection tick failed');
  }
}

export const inspectionsFeature: FeatureFactory = (ctx): Feature => ({
  name: 'inspections',
  jobs: [{ name: INSPECTIONS_TICK_JOB, every: '1 minute', run: () => runInspectionsTick(ctx) }],
  checklistHooks: [
    async (result) => {
      if (result.ref && ctx.bots.has(result.bot)) await completeInspection(inspectionDepsFor(ctx), result);
    },
  ],
  async init() {
    await Promise.all([Inspection.createIndexes(), ServiceMeta.createIndexes()]);
    // Recorded before the first tick, so a first start never starts an inspection that fell due before it.
    await firstStarts(ctx.bots.keys(), ctx.clock.now());
  },
});

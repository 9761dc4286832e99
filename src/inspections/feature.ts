/** Inspections (巡检) as a feature: a minute tick that starts and chases due checklists, and the hook storing finished ones. */
import { findConversations } from '../bot/conversations.js';
import type { CommandHandler } from '../bot/commands/types.js';
import { inspectionResumed, inspectionResumedElsewhere, noOpenInspection } from '../bot/presenters/chat.js';
import { plain } from '../bot/presenters/content.js';
import { firstStarts, ServiceMeta } from '../db/first-start.js';
import { log } from '../log.js';
import type { Feature, FeatureFactory, ServiceContext } from '../service.js';
import { Inspection, type InspectionDoc } from './model.js';
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
      // Among the user's pending conversations in the app chat (a 解决 dialog may be in front of it).
      const now = ctx.clock.now().getTime();
      return (await findConversations({ bot, chat: 'single:app', userid })).some(
        (c) => c.context.ref === ref && c.expiresAt.getTime() > now,
      );
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

/**
 * 巡检: the sender's open inspection (the earliest due) back in front of them: its checklist's current item in the
 * app chat, where answers go (a group gets a pointer there); a checklist that ended unfinished is sent again with
 * the answers it had (issue #17).
 */
function resumeHandler(ctx: ServiceContext): CommandHandler {
  return async (tctx, msg) => {
    const open = await Inspection.find({ bot: tctx.bot.id, assignee: msg.from.userid, status: 'in_progress' })
      .sort({ dueAt: 1 })
      .limit(1)
      .lean<InspectionDoc[]>();
    const i = open[0];
    if (!i) return { reply: plain(noOpenInspection()) };
    const question = await ctx.registry.port('conversations').resumeChecklist({ bot: i.bot, userid: i.assignee, flow: i.flow, ref: i._id });
    const inApp = msg.channel === 'app' && msg.chatId === msg.from.userid;
    if (question && !inApp) {
      const key = `inspection:${i._id}:resume:${ctx.clock.now().getTime()}`;
      await ctx.registry
        .port('messenger')
        .toUsers(i.bot, [i.assignee], { type: 'text', text: inspectionResumed(i.name, i.period, question) }, { idempotencyKey: key });
    }
    return {
      reply: plain(inApp && question ? inspectionResumed(i.name, i.period, question) : inspectionResumedElsewhere(i.name, i.period)),
    };
  };
}

export const inspectionsFeature: FeatureFactory = (ctx): Feature => ({
  name: 'inspections',
  commands: { 巡检: resumeHandler(ctx) },
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

/** The inspection runner's view of the running service: messenger, conversation engine, flows. */
import { findConversation } from '../bot/conversations.js';
import { conversationsFor } from '../bot/feature.js';
import type { ServiceContext } from '../service.js';
import { messengerFor } from '../wecom/feature.js';
import type { InspectionDeps } from './run.js';

/** Resolved lazily: the engine and the WeCom feature register themselves while the service starts. */
export function inspectionDepsFor(ctx: ServiceContext): InspectionDeps {
  return {
    bots: ctx.bots,
    clock: ctx.clock,
    get messenger() {
      return messengerFor(ctx);
    },
    startChecklist: (input) => conversationsFor(ctx).startChecklist(input),
    async checklistActive(bot, userid, ref) {
      const conv = await findConversation({ bot, chat: 'single:app', userid });
      return !!conv && conv.context.ref === ref && conv.expiresAt.getTime() > ctx.clock.now().getTime();
    },
    itemsOf: (flow) => conversationsFor(ctx).flows.checklist(flow).items,
  };
}

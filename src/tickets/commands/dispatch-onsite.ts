import { applyChange } from '../apply.js';
import { firstRefusal, requireAssignee, requireStatus } from '../guards.js';
import { startOnsite } from '../sla.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface DispatchOnsiteInput {
  no: number;
  actor: Actor;
}

/** On-site needed: the on-site clock starts (the first dispatch of a ticket sets its on-site target). */
export function dispatchOnsite(ctx: TicketContext, input: DispatchOnsiteInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'dispatch',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => requireAssignee(bot, t, input.actor.userid, '派现场'),
        () => requireStatus(t, 'dispatch', '派现场'),
      );
      if (denied) return denied;
      const onsite = t.sla.onsite ?? startOnsite(bot, t.level, at);
      return {
        set: { status: 'onsite_dispatched', 'sla.onsite': onsite },
        events: [{ type: 'dispatched', dueAt: onsite.dueAt }],
      };
    },
  });
}

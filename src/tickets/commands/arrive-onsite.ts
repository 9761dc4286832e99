import { applyChange } from '../apply.js';
import { firstRefusal, requireAssignee, requireStatus, statusRefusal } from '../guards.js';
import { meet } from '../sla.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface ArriveOnsiteInput {
  no: number;
  actor: Actor;
}

/** The engineer is on site: meets the on-site target. */
export function arriveOnsite(ctx: TicketContext, input: ArriveOnsiteInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'arrive',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => requireAssignee(bot, t, input.actor.userid, '登记到场'),
        () => (t.status === 'claimed' ? statusRefusal(t, '到场', '派现场') : null),
        () => requireStatus(t, 'arrive', '登记到场'),
      );
      if (denied) return denied;
      const onsite = t.sla.onsite ? meet(bot, t.sla.onsite, at) : null;
      return {
        set: { status: 'onsite', 'sla.onsite': onsite },
        events: [{ type: 'arrived', onsiteMs: onsite?.elapsedMs ?? null }],
      };
    },
  });
}

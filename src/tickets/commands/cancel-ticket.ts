import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireLead, requireStatus, requireText } from '../guards.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface CancelTicketInput {
  no: number;
  actor: Actor;
  reason: string;
}

/** A lead withdraws a ticket (duplicate, not a fault, out of contract), with the reason kept. */
export function cancelTicket(ctx: TicketContext, input: CancelTicketInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'cancel',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => requireLead(bot, input.actor.userid, '取消工单'),
        () => requireStatus(t, 'cancel', '取消'),
        () => requireText(input.reason, 'reason_required', { say: 'cancel_reason_required', no: t.no }),
      );
      if (denied) return denied;
      return {
        set: { status: 'cancelled', closedAt: at, pause: null },
        events: [{ type: 'cancelled', reason: clip(input.reason, 500) }],
      };
    },
  });
}

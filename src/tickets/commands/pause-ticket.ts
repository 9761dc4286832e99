import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireAssignee, requireStatus, requireText } from '../guards.js';
import { pauseTargets, slaSet } from '../sla.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface PauseTicketInput {
  no: number;
  actor: Actor;
  reason: string;
}

/** Waiting on someone else (reason required): the unmet on-site and resolution clocks stop. */
export function pauseTicket(ctx: TicketContext, input: PauseTicketInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'pause',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => requireAssignee(bot, t, input.actor.userid, '挂起工单'),
        () => requireStatus(t, 'pause', '挂起'),
        () => requireText(input.reason, 'reason_required', { say: 'pause_reason_required', no: t.no }),
      );
      if (denied) return denied;
      const reason = clip(input.reason, 500);
      return {
        set: { status: 'paused', pause: { at, reason, from: t.status }, ...slaSet(pauseTargets(t.sla, at)) },
        events: [{ type: 'paused', reason, from: t.status }],
      };
    },
  });
}

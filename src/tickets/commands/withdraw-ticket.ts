import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireStatus } from '../guards.js';
import { type Actor, type CommandResult, refuse, type TicketContext } from '../types.js';

export interface WithdrawTicketInput {
  no: number;
  actor: Actor;
  /** Optional: "不用了", "已自己解决". */
  reason: string;
  /** The reporter says the fault went away by itself (现在又好了 不用来了): recorded as `recovered: true`. */
  recovered?: boolean;
}

/**
 * The reporter withdraws their own unfinished report ("撤销 16 不用了", or "取消 16" from the reporter): the
 * ticket is cancelled with `withdrawn: true` on the `cancelled` event, so the engineer is told and reports
 * leave it out like any cancelled ticket. Only the reporter who opened it may (others of the same fault
 * subscribed to it; their withdrawing would end everyone's ticket).
 */
export function withdrawTicket(ctx: TicketContext, input: WithdrawTicketInput): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    command: 'withdraw',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => (t.reporter.userid === input.actor.userid ? null : refuse('forbidden', { say: 'reporter_only', no: t.no, what: '撤销' })),
        () => requireStatus(t, 'withdraw', '撤销'),
      );
      if (denied) return denied;
      return {
        set: { status: 'cancelled', closedAt: at, pause: null },
        events: [
          {
            type: 'cancelled',
            reason: clip(input.reason || '报修人撤销', 500),
            withdrawn: true,
            ...(input.recovered ? { recovered: true } : {}),
          },
        ],
      };
    },
  });
}

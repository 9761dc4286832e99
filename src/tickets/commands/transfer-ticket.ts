import { applyChange } from '../apply.js';
import { clip, firstRefusal, isEngineer, personOf, requireAssignee, requireStatus } from '../guards.js';
import { type Actor, type CommandResult, refuse, type TicketContext } from '../types.js';

export interface TransferTicketInput {
  no: number;
  actor: Actor;
  /** userid of the engineer taking over. */
  to: string;
  reason?: string;
}

/** Hands the ticket to another engineer; the status (and every clock) stays as it is. */
export function transferTicket(ctx: TicketContext, input: TransferTicketInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'transfer',
    actor: input.actor.userid,
    build(t) {
      const denied = firstRefusal(
        () => requireAssignee(bot, t, input.actor.userid, '转派工单'),
        () => requireStatus(t, 'transfer', '转派'),
        () => (isEngineer(bot, input.to) ? null : refuse('not_engineer', { say: 'not_engineer', userid: input.to })),
        () => (t.assignee?.userid === input.to ? refuse('same_assignee', { say: 'same_assignee', no: t.no, name: t.assignee.name }) : null),
      );
      if (denied) return denied;
      const to = personOf(bot, input.to);
      return {
        set: { assignee: to },
        events: [{ type: 'transferred', from: t.assignee, to, reason: input.reason?.trim() ? clip(input.reason, 500) : null }],
      };
    },
  });
}

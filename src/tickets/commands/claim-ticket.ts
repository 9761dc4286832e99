import { applyChange } from '../apply.js';
import { allows } from '../lifecycle.js';
import { personOf, requireStaff } from '../guards.js';
import { meet } from '../sla.js';
import { type Actor, type CommandResult, refuse, type TicketContext } from '../types.js';

export interface ClaimTicketInput {
  no: number;
  actor: Actor;
}

/** First claim wins (version precondition); later ones are told who has it. Meets the response target. */
export function claimTicket(ctx: TicketContext, input: ClaimTicketInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'claim',
    actor: input.actor.userid,
    build(t, at) {
      const denied = requireStaff(bot, input.actor.userid, '接单');
      if (denied) return denied;
      if (!allows('claim', t.status)) {
        if (t.assignee?.userid === input.actor.userid) return refuse('already_yours', { say: 'already_yours', no: t.no });
        if (t.assignee && !['resolved', 'closed', 'cancelled'].includes(t.status))
          return refuse('already_claimed', { say: 'already_claimed', no: t.no, name: t.assignee.name });
        return refuse('bad_status', { say: 'claim_needless', no: t.no, status: t.status });
      }
      const assignee = personOf(bot, input.actor.userid, input.actor.name);
      const response = meet(bot, t.sla.response, at);
      return {
        set: { status: 'claimed', assignee, 'sla.response': response },
        events: [{ type: 'claimed', assignee, responseMs: response.elapsedMs ?? null }],
      };
    },
  });
}

import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireReporter, requireStatus } from '../guards.js';
import { type Actor, type CommandResult, refuse, type TicketContext } from '../types.js';

export interface ConfirmTicketInput {
  no: number;
  actor: Actor;
  /** 1–5, optional. */
  rating?: number | null;
  comment?: string | null;
}

/** The reporter confirms the fix (签字确认): closed, with an optional rating. */
export function confirmTicket(ctx: TicketContext, input: ConfirmTicketInput): Promise<CommandResult> {
  const { bot } = ctx;
  const rating = input.rating ?? null;
  return applyChange(ctx, {
    no: input.no,
    command: 'confirm',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => requireReporter(bot, t, input.actor.userid, '确认'),
        () => requireStatus(t, 'confirm', '确认'),
        () =>
          rating === null || (Number.isInteger(rating) && rating >= 1 && rating <= 5) ? null : refuse('bad_rating', { say: 'bad_rating' }),
      );
      if (denied) return denied;
      const comment = input.comment?.trim() ? clip(input.comment) : null;
      const confirmation = { by: input.actor.userid, at, rating, comment, auto: false };
      return {
        set: { status: 'closed', closedAt: at, confirmation },
        events: [
          { type: 'confirmed', rating, comment },
          { type: 'closed', auto: false },
        ],
      };
    },
  });
}

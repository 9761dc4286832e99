import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireStaff, requireStatus, requireText, statusRefusal } from '../guards.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface AddProgressInput {
  no: number;
  actor: Actor;
  text: string;
}

/** A progress note by any engineer or lead; subscribers are informed by the notifier. */
export function addProgress(ctx: TicketContext, input: AddProgressInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'progress',
    actor: input.actor.userid,
    build(t) {
      const denied = firstRefusal(
        () => requireStaff(bot, input.actor.userid, '更新进展'),
        () => requireText(input.text, 'text_required', { say: 'progress_required', no: t.no }),
        () => (t.status === 'open' ? statusRefusal(t, '更新进展', '接单') : null),
        () => requireStatus(t, 'progress', '更新进展'),
      );
      if (denied) return denied;
      return { events: [{ type: 'progress', kind: 'note', text: clip(input.text) }] };
    },
  });
}

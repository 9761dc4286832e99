import { applyChange } from '../apply.js';
import { clip, requireReporter } from '../guards.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface NoteTicketInput {
  no: number;
  actor: Actor;
  /** The reporter's words ("你们怎么回事 病人等着用血 到现在还没人管！！"), at most 500 characters kept. */
  text: string;
  /** The message it came from (`inbox:<id>`): a second call with the same source changes nothing. */
  source?: string;
}

/**
 * A reporter's note on their unfinished ticket (a complaint, a remark that is no new detail): a `noted` event,
 * shown on the ticket and told to the assignee; never put into a form field such as the contact (issue #17).
 */
export function noteTicket(ctx: TicketContext, input: NoteTicketInput): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    command: 'note',
    actor: input.actor.userid,
    build(t) {
      const denied = requireReporter(ctx.bot, t, input.actor.userid, '留言');
      if (denied) return denied;
      return { events: [{ type: 'noted', text: clip(input.text, 500), ...(input.source ? { source: input.source } : {}) }] };
    },
  });
}

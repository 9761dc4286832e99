import type { CommandResult, TicketContext } from '../../tickets/types.js';
import { noticesFor } from './notices.js';
import type { ChatReply, ParsedCommand } from './types.js';

/** Verbs that act on one ticket need its number. */
export function askForNumber(parsed: ParsedCommand, example = ''): ChatReply | null {
  if (parsed.no !== null) return null;
  return { reply: `请带上工单号，如「${parsed.verb} 12${example}」` };
}

/** A refusal becomes the polite answer; a change becomes the reply plus everyone else's notices. */
export function respond(ctx: TicketContext, result: CommandResult, ok: (r: Extract<CommandResult, { ok: true }>) => string): ChatReply {
  if (!result.ok) return { reply: result.message };
  const notify = result.events.flatMap((e) => noticesFor(ctx.bot, result.doc, e));
  return notify.length ? { reply: ok(result), notify } : { reply: ok(result) };
}

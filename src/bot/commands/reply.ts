import type { CommandResult, TicketContext } from '../../tickets/types.js';
import { askNumber } from '../presenters/commands.js';
import { type ChatContent, plain } from '../presenters/content.js';
import type { ChatReply, ParsedCommand } from './types.js';

/** Verbs that act on one ticket need its number. */
export function askForNumber(parsed: ParsedCommand, example = ''): ChatReply | null {
  if (parsed.no !== null) return null;
  return { reply: askNumber(parsed.verb, example) };
}

/**
 * A refusal becomes the polite answer, a change the sender's reply. Everyone else hears about the change from the
 * notifier, which gets the same ticket events (bot/notifier.ts), whatever path made the change.
 */
export function respond(
  _ctx: TicketContext,
  result: CommandResult,
  ok: (r: Extract<CommandResult, { ok: true }>) => ChatContent,
): ChatReply {
  return result.ok ? { reply: ok(result) } : { reply: plain(result.message) };
}

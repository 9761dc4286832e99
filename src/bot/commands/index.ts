/**
 * Chat command dispatch: one handler per verb. Tickets register theirs here; other modules add theirs
 * (值班, 日报, 月报) with registerCommand at start-up.
 */
import { log } from '../../log.js';
import type { TicketContext } from '../../tickets/types.js';
import { help } from './help.js';
import { incidentActionHandlers } from './incident-actions.js';
import { ticketActionHandlers } from './ticket-actions.js';
import { ticketQueryHandlers } from './ticket-queries.js';
import type { ChatCommandMessage, ChatReply, CommandHandler, ParsedCommand, Verb } from './types.js';

export type { ChatCommandMessage, ChatNotice, ChatReply, CommandHandler } from './types.js';
export { noticesFor } from './notices.js';

const handlers = new Map<Verb, CommandHandler>([
  ...(Object.entries(ticketActionHandlers) as Array<[Verb, CommandHandler]>),
  ...(Object.entries(ticketQueryHandlers) as Array<[Verb, CommandHandler]>),
  ...(Object.entries(incidentActionHandlers) as Array<[Verb, CommandHandler]>),
  ['帮助', help],
]);

/** Adds or replaces the handler of a verb (值班 by the roster, 日报/月报 by reports). */
export function registerCommand(verb: Verb, handler: CommandHandler): void {
  handlers.set(verb, handler);
}

export function commandHandler(verb: Verb): CommandHandler | undefined {
  return handlers.get(verb);
}

/** Runs a parsed chat command; never throws: a failure becomes a short apology. */
export async function handleCommand(ctx: TicketContext, msg: ChatCommandMessage, parsed: ParsedCommand): Promise<ChatReply> {
  const handler = handlers.get(parsed.verb);
  if (!handler) return { reply: `「${parsed.verb}」暂未开放，回复「帮助」查看可用命令` };
  try {
    return await handler(ctx, msg, parsed);
  } catch (e) {
    log.error({ bot: ctx.bot.id, verb: parsed.verb, no: parsed.no, err: (e as Error).message }, 'chat command failed');
    return { reply: '抱歉，处理出错了，请稍后再试' };
  }
}

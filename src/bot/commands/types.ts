import type { Channel, TicketContext } from '../../tickets/types.js';
import type { ParsedCommand, Verb } from '../grammar.js';
import type { ChatContent } from '../presenters/content.js';
import type { ChatNotice } from '../presenters/notices.js';

export type { ChatNotice };

/** Who sent a command, where. */
export interface ChatCommandMessage {
  /** Bot id (the same as ctx.bot.id). */
  bot: string;
  from: { userid: string; name?: string };
  chatId: string;
  channel: Channel;
  /** The raw message text: @mentions (stripped by the grammar) name the target of 转派. */
  text?: string;
}

export interface ChatReply {
  /** The answer for the sender's chat, typed (text or markdown), from src/bot/presenters. */
  reply: ChatContent;
}

export type CommandHandler = (ctx: TicketContext, msg: ChatCommandMessage, parsed: ParsedCommand) => Promise<ChatReply>;
export type { ParsedCommand, Verb };

import type { Channel, TicketContext } from '../../tickets/types.js';
import type { ParsedCommand, Verb } from '../grammar.js';

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

/** Someone other than the sender who should hear about it (delivered by the channel). */
export interface ChatNotice {
  userids: string[];
  text: string;
}

export interface ChatReply {
  /** Short Chinese markdown for the sender's chat. */
  reply: string;
}

export type CommandHandler = (ctx: TicketContext, msg: ChatCommandMessage, parsed: ParsedCommand) => Promise<ChatReply>;
export type { ParsedCommand, Verb };

/**
 * Chat command dispatch: one handler per verb, per service. Features contribute their verbs (`Feature.commands`:
 * the bot feature the ticket verbs, 帮助 and 值班, reports 日报/月报) and startService collects them here.
 */
import { log } from '../../log.js';
import type { TicketContext } from '../../tickets/types.js';
import { commandClosed, commandFailed } from '../presenters/commands.js';
import { help } from './help.js';
import { incidentActionHandlers } from './incident-actions.js';
import { ticketActionHandlers } from './ticket-actions.js';
import { ticketQueryHandlers } from './ticket-queries.js';
import type { ChatCommandMessage, ChatReply, CommandHandler, ParsedCommand, Verb } from './types.js';

export type { ChatCommandMessage, ChatNotice, ChatReply, CommandHandler } from './types.js';
export { noticesFor } from '../presenters/notices.js';

/** A set of verbs with their handlers, as a feature contributes them. */
export type CommandTable = Partial<Record<Verb, CommandHandler>>;

/** The ticket and incident verbs and 帮助 (the bot feature contributes them). */
export const ticketCommands: CommandTable = { ...ticketActionHandlers, ...ticketQueryHandlers, ...incidentActionHandlers, 帮助: help };

/** One service's chat commands. */
export class CommandRegistry {
  private readonly handlers = new Map<Verb, { feature: string; handler: CommandHandler }>();

  /** Adds a feature's verbs. Throws when a verb is already taken: two features must not answer one verb. */
  add(feature: string, table: CommandTable): void {
    for (const [verb, handler] of Object.entries(table) as Array<[Verb, CommandHandler | undefined]>) {
      if (!handler) continue;
      const taken = this.handlers.get(verb);
      if (taken) throw new Error(`chat command 「${verb}」 is contributed by both ${taken.feature} and ${feature}`);
      this.handlers.set(verb, { feature, handler });
    }
  }

  get(verb: Verb): CommandHandler | undefined {
    return this.handlers.get(verb)?.handler;
  }

  /** Runs a parsed chat command; never throws: a failure becomes a short apology. */
  async run(ctx: TicketContext, msg: ChatCommandMessage, parsed: ParsedCommand): Promise<ChatReply> {
    const handler = this.get(parsed.verb);
    if (!handler) return { reply: commandClosed(parsed.verb) };
    try {
      return await handler(ctx, msg, parsed);
    } catch (e) {
      log.error({ bot: ctx.bot.id, verb: parsed.verb, no: parsed.no, err: (e as Error).message }, 'chat command failed');
      return { reply: commandFailed() };
    }
  }
}

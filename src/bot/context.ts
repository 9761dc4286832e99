import type { Clock } from '../clock.js';
import type { ServiceRegistry } from '../service.js';
import type { BotConfig } from '../config/bots.js';
import type { Triage } from '../triage/engine.js';
import type { TicketContext } from '../tickets/types.js';
import type { InboundMessage, Messenger } from '../wecom/types.js';
import type { ConversationDoc } from './conversations.js';
import type { Flow, Flows } from './flows/types.js';
import type { ChatContent } from './presenters/content.js';

/** What the conversation engine's parts share. */
export interface EngineCtx {
  bots: Map<string, BotConfig>;
  flows: Flows;
  clock: Clock;
  messenger: Messenger;
  /** The service's chat commands, ticket-event processors and checklist hooks. */
  registry: ServiceRegistry;
  triage(bot: BotConfig): Triage;
  /** Storm lock tuning (tests shorten the follower's wait). */
  stormWaitMs?: number;
}

/** One inbound message being handled, with its bot. */
export interface Turn {
  bot: BotConfig;
  msg: InboundMessage;
  now: Date;
}

/**
 * Resolves people's names from the WeCom directory before sentences are built (presenters read them through
 * `personName`); bounded wait, never throws (src/people/directory.ts `warm`). Runs in processing, after the
 * callback was acknowledged. No-op in a service without the WeCom feature.
 */
export async function warmNames(
  ctx: { registry: ServiceRegistry },
  bot: BotConfig,
  userids: Iterable<string | null | undefined>,
): Promise<void> {
  await ctx.registry.find('directory')?.warm(bot, userids);
}

export function ticketCtx(ctx: EngineCtx, bot: BotConfig): TicketContext {
  return { bot, clock: ctx.clock, events: ctx.registry.ticketEvents };
}

export function idleMinutes(bot: BotConfig, flow: Flow | undefined): number {
  return flow?.idleMinutes ?? bot.conversation.idleMinutes;
}

/** The chat id tickets and command handlers record: the group, or the user for 1:1 chats. */
export function chatIdOf(msg: InboundMessage): string {
  return msg.chatId ?? msg.from.userid;
}

/** A turn's answer: a plain string is text; markdown comes typed from src/bot/presenters; null = say nothing. */
export type Answer = string | ChatContent | null;
export type ConversationHandler = (ctx: EngineCtx, turn: Turn, conv: ConversationDoc, text: string) => Promise<Answer>;

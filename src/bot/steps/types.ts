/**
 * The engine's chain of steps (Koa-middleware style): each step looks at one text message and either answers it
 * or calls `next()` to let the following step try. The chain, in order (see engine.ts):
 *
 *   resume → cancel → command → pending answer → follow-up → new report → chat
 *
 * A step answers with an `Answer` (text, typed content, or null for silence) and may read what an earlier step
 * found out (the pending conversation, a deferred question, the triage result, computed once).
 */
import type { TriageResult } from '../../triage/engine.js';
import type { Answer, EngineCtx, Turn } from '../context.js';
import type { ChatKey, ConversationDoc } from '../conversations.js';
import type { ParsedCommand } from '../grammar.js';

/** One text message going through the chain. */
export interface TextTurn extends Turn {
  /** The message text, trimmed. */
  text: string;
  /** Where the sender's conversations live (bot, chat, user). */
  key: ChatKey;
  /** The message read as a chat command, or null. */
  parsed: ParsedCommand | null;
  /** The sender's pending conversation here at the start of the turn (the most recently asked), or null. */
  conv: ConversationDoc | null;
  /** Ordering stamp taken at the start of the turn: a conversation touched after it asked something this turn. */
  since: number;
  /** Triage of the text, computed on first use. */
  triage(): TriageResult;
  /**
   * A pending report question the message did not answer (it does not fit the slot, or it is a new report): the
   * message is handled as a new one and the question stays pending; the resume step asks it again.
   */
  deferred: ConversationDoc | null;
}

export type Next = () => Promise<Answer>;
export type Step = (ctx: EngineCtx, turn: TextTurn, next: Next) => Promise<Answer>;

/** Composes steps into one handler; the end of the chain answers nothing. */
export function chain(steps: readonly Step[]): (ctx: EngineCtx, turn: TextTurn) => Promise<Answer> {
  return (ctx, turn) => {
    const run = (i: number): Promise<Answer> => (i < steps.length ? steps[i](ctx, turn, () => run(i + 1)) : Promise.resolve(null));
    return run(0);
  };
}

/**
 * The conversation engine: turns each inbound message into at most one reply. A text message goes through an
 * explicit chain of small steps (src/bot/steps): resume → cancel → command → pending answer → follow-up → new
 * report → chat; images go onto the ticket being reported, card clicks claim.
 */
import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import { supplementTicket } from '../tickets/commands/index.js';
import { getTicket, ticketsOf } from '../tickets/queries.js';
import { ACTIVE, type TicketDoc } from '../tickets/types.js';
import type { TriageResult } from '../triage/engine.js';
import type { InboundMessage } from '../wecom/types.js';
import { CLAIM_KEY, claimedCard, claimedNote } from './presenters/cards.js';
import { type Answer, chatIdOf, type EngineCtx, ticketCtx, type Turn, warmNames } from './context.js';
import {
  type ChatKey,
  type ConversationDoc,
  chatKeyOf,
  endConversation,
  expireOne,
  findConversations,
  findIdle,
  saveConversation,
  touchStamp,
} from './conversations.js';
import { startConfirm } from './dialogs.js';
import { parseCommand } from './grammar.js';
import { endText, isStale } from './pending.js';
import { GREETING_SINGLE, IMAGE_KEPT_FOR_REPORT, IMAGE_NEEDS_TEXT, imageAttached } from './presenters/chat.js';
import { addressed, contentText, joinContent, mapContent } from './presenters/content.js';
import { addressName, forGroup } from './presenters/people.js';
import { short } from './presenters/words.js';
import { cancelStep } from './steps/cancel.js';
import { chatStep } from './steps/chat.js';
import { commandStep } from './steps/command.js';
import { followUpStep } from './steps/follow-up.js';
import { newReportStep } from './steps/new-report.js';
import { pendingAnswerStep } from './steps/pending-answer.js';
import { resumeStep } from './steps/resume.js';
import { chain, type TextTurn } from './steps/types.js';

export type EngineDeps = EngineCtx;

export interface BotEngine {
  /** Every text/image message and non-card event, after the channel stored it. */
  onMessage(msg: InboundMessage): Promise<void>;
  /** A template-card button click (接单): the updated card, or null. */
  onCardEvent(msg: InboundMessage): Promise<object | null>;
  /** Cleanup job: ends idle conversations and tells each user once. Returns how many expired. */
  expireIdle(now?: Date): Promise<number>;
  /** The notifier's hook: ask the reporter of a resolved ticket to confirm. */
  askToConfirm(bot: BotConfig, ticket: TicketDoc): Promise<boolean>;
}

/** The chain every text message goes through, in order (see steps/types.ts). */
const TEXT_CHAIN = chain([resumeStep, cancelStep, commandStep, pendingAnswerStep, followUpStep, newReportStep, chatStep]);

export function createBotEngine(ctx: EngineCtx): BotEngine {
  async function onMessage(msg: InboundMessage): Promise<void> {
    const bot = ctx.bots.get(msg.bot);
    if (!bot || msg.type === 'stream') return;
    // Names before sentences: the reply addresses the sender by their WeCom name and a new ticket stores it.
    await warmNames(ctx, bot, [msg.from.userid]);
    const turn: Turn = { bot, msg, now: ctx.clock.now() };
    const since = touchStamp();
    const key = chatKeyOf(msg);
    const { conv, expiredNotes } = await pendingOf(key, turn.now);
    let answer: Answer;
    if (msg.type === 'event') answer = onEvent(turn);
    else if (msg.type === 'image') answer = await onImage(turn, conv);
    else answer = await onText({ ...turn, key, since, conv, text: msg.text.trim() });
    const joined = joinContent([...expiredNotes, answer]);
    if (!joined) return;
    // In a group the answer says whom it is for, and carries no patient identifiers (the whole group reads it);
    // a 1:1 chat needs neither.
    const content =
      msg.chatType === 'group'
        ? addressed(
            addressName(bot, msg.from),
            mapContent(joined, (s) => forGroup(bot, s)),
          )
        : joined;
    try {
      await ctx.messenger.reply(msg, content, { idempotencyKey: `reply:${msg.id}` });
    } catch (e) {
      // The work is done (maybe a ticket opened): a retry of the whole message would do it twice.
      log.error({ bot: bot.id, inboxId: msg.id, err: (e as Error).message }, 'reply could not be queued');
    }
  }

  function onEvent(turn: Turn): Answer {
    const name = turn.msg.event?.name;
    if (name === 'enter_chat' && turn.msg.chatType === 'single') return GREETING_SINGLE;
    return null;
  }

  /**
   * The user's pending conversation here (the most recently asked); the ones whose idle time ran out are ended
   * first, each telling the user once (the cleanup job may have).
   */
  async function pendingOf(key: ChatKey, now: Date): Promise<{ conv: ConversationDoc | null; expiredNotes: string[] }> {
    const expiredNotes: string[] = [];
    for (const c of await findConversations(key)) {
      if (c.expiresAt <= now) {
        if (await expireOne(c, now)) expiredNotes.push(await endText(ctx, c, 'expired'));
        continue;
      }
      // A question about a ticket that ended meanwhile is no longer asked: the message goes elsewhere.
      if (!(await isStale(key.bot, c))) return { conv: c, expiredNotes };
      await endConversation(c, 'done', now);
    }
    return { conv: null, expiredNotes };
  }

  function onText(base: Omit<TextTurn, 'parsed' | 'triage' | 'deferred'>): Promise<Answer> {
    if (!base.text) return Promise.resolve(null);
    let triaged: TriageResult | null = null;
    const turn: TextTurn = {
      ...base,
      parsed: parseCommand(base.text),
      deferred: null,
      triage: () => {
        triaged ??= ctx.triage(base.bot)(base.text);
        return triaged;
      },
    };
    return TEXT_CHAIN(ctx, turn);
  }

  /** A screenshot goes onto the ticket being reported or the sender's latest open ticket. */
  async function onImage(turn: Turn, conv: ConversationDoc | null): Promise<Answer> {
    const { msg, bot } = turn;
    const attachment = { kind: 'image' as const, ...(msg.imageUrl ? { url: msg.imageUrl } : {}), name: msg.msgId };
    let no = (conv?.context.no as number | null | undefined) ?? null;
    if (!no && conv?.flow === 'report') {
      const list = [...((conv.context.attachments as unknown[]) ?? []), attachment];
      await saveConversation(conv, { context: { ...conv.context, attachments: list } }, turn.now, bot.conversation.idleMinutes);
      return IMAGE_KEPT_FOR_REPORT;
    }
    if (!no) {
      const mine = await ticketsOf(bot.id, msg.from.userid, 5);
      no = mine.find((t) => ACTIVE.includes(t.status) && t.reporter.userid === msg.from.userid)?.no ?? null;
    }
    if (!no) return msg.chatType === 'single' ? IMAGE_NEEDS_TEXT : null;
    const r = await supplementTicket(ticketCtx(ctx, bot), { no, actor: msg.from, attachment });
    return r.ok ? imageAttached(no) : r.message;
  }

  async function onCardEvent(msg: InboundMessage): Promise<object | null> {
    const bot = ctx.bots.get(msg.bot);
    const m = CLAIM_KEY.exec(msg.event?.eventKey ?? '');
    if (!bot || !m) return null;
    const no = Number(m[1]);
    const r = await ctx.registry.commands.run(
      ticketCtx(ctx, bot),
      { bot: bot.id, from: msg.from, chatId: chatIdOf(msg), channel: msg.channel },
      { verb: '接单', no, rest: '' },
    );
    const t = await getTicket(bot.id, no);
    if (!t) return null;
    const note = t.assignee ? claimedNote(t.assignee.name) : short(contentText(r.reply).replace(/[*✅]/g, ''), 40);
    log.info({ bot: bot.id, no, claimed: Boolean(t.assignee) }, 'claim button');
    return claimedCard(bot, t, msg.event?.taskId ?? `tk_${bot.id}_${no}`, note);
  }

  async function expireIdle(now = ctx.clock.now()): Promise<number> {
    let count = 0;
    for (const conv of await findIdle(now)) {
      const expired = await expireOne(conv, now);
      if (!expired) continue;
      count++;
      const text = await endText(ctx, conv, 'expired');
      if (!text) continue;
      try {
        await ctx.messenger.toUsers(
          conv.bot,
          [conv.userid],
          { type: 'text', text },
          { idempotencyKey: `conversation:${conv._id}:expired:${conv.rev}` },
        );
      } catch (e) {
        log.error({ bot: conv.bot, err: (e as Error).message }, 'expiry notice could not be queued');
      }
    }
    if (count) log.info({ count }, 'idle conversations expired');
    return count;
  }

  return { onMessage, onCardEvent, expireIdle, askToConfirm: (bot, t) => startConfirm(ctx, bot, t) };
}

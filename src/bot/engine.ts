import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import { supplementTicket } from '../tickets/commands/index.js';
import { getTicket, ticketsOf } from '../tickets/queries.js';
import { ACTIVE, type TicketDoc } from '../tickets/types.js';
import type { TriageResult } from '../triage/engine.js';
import type { InboundMessage } from '../wecom/types.js';
import { claimedCard, CLAIM_KEY } from './presenters/cards.js';
import { continueChecklist } from './checklist.js';
import { type Answer, chatIdOf, type EngineCtx, ticketCtx, type Turn, warmNames } from './context.js';
import {
  type ConversationDoc,
  chatKeyOf,
  endConversation,
  expireOne,
  findConversation,
  findIdle,
  saveConversation,
} from './conversations.js';
import { answersDialog, continueDialog, dialogEndText, dialogText, startConfirm, runCommand, startResolve } from './dialogs.js';
import { readAnswer, slotOf } from './forms.js';
import { parseCommand, type ParsedCommand } from './grammar.js';
import { parseRepair } from './commands/ticket-actions.js';
import { continueReport, reportEndText, startReport } from './report.js';
import { fill, GREETING_GROUP, GREETING_SINGLE, THANKS } from './presenters/chat.js';
import { addressed, contentText, joinContent, mapContent } from './presenters/content.js';
import { addressName, forGroup } from './presenters/people.js';
import { short } from './presenters/words.js';

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

/** Words that end a pending conversation besides the 取消 command. */
const CANCEL_WORDS = new Set(['取消', '算了', '不用了', '不报了', '撤销']);
const THANKS_RE = /^(谢谢|多谢|感谢|辛苦了?|好的|收到|ok|嗯|👍)/i;

/**
 * The conversation engine: turns each inbound message into at most one reply. Order matters:
 * commands first, then the answer a pending question waits for (unless the message is clearly a new
 * report), then triage of a fresh message.
 */
/** A status question names a ticket ("#12", "12号单子") → 进度 12; otherwise the asker's own tickets (我的工单). */
function statusQuery(text: string): ParsedCommand {
  const m = /[#＃]\s*(\d{1,9})|(\d{1,9})\s*号/.exec(text.normalize('NFKC'));
  return m ? { verb: '进度', no: Number(m[1] ?? m[2]), rest: '' } : { verb: '我的工单', no: null, rest: '' };
}

export function createBotEngine(ctx: EngineCtx): BotEngine {
  async function onMessage(msg: InboundMessage): Promise<void> {
    const bot = ctx.bots.get(msg.bot);
    if (!bot || msg.type === 'stream') return;
    // Names before sentences: the reply addresses the sender by their WeCom name and a new ticket stores it.
    await warmNames(ctx, bot, [msg.from.userid]);
    const turn: Turn = { bot, msg, now: ctx.clock.now() };
    let conv = await findConversation(chatKeyOf(msg));
    let expiredNote = '';
    if (conv && conv.expiresAt <= turn.now) {
      // The user came back after the idle time: the old question is void; tell them once (the job may have).
      if (await expireOne(conv, turn.now)) expiredNote = await endText(conv, 'expired');
      conv = null;
    }
    let answer: Answer;
    if (msg.type === 'event') answer = onEvent(turn);
    else if (msg.type === 'image') answer = await onImage(turn, conv);
    else answer = await onText(turn, conv, msg.text.trim());
    const joined = joinContent([expiredNote, answer]);
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

  async function onText(turn: Turn, conv: ConversationDoc | null, text: string): Promise<Answer> {
    if (!text) return null;
    const parsed = parseCommand(text);
    if (conv && (CANCEL_WORDS.has(text.replace(/[。.!！\s]/g, '')) || (parsed?.verb === '取消' && parsed.no === null))) {
      return (await endConversation(conv, 'cancelled', turn.now)) ? endText(conv, 'cancelled') : null;
    }
    if (parsed) {
      if (conv && answersDialog(conv, parsed)) return continueDialog(ctx, turn, conv, dialogText(conv, parsed));
      return onCommand(turn, parsed);
    }
    const t = ctx.triage(turn.bot)(text);
    if (conv && !isNewReport(turn.bot, conv, t, text)) return continueConversation(turn, conv, text);
    if (t.intent === 'report' || t.intent === 'request') {
      const superseded = conv ? await supersede(turn, conv) : '';
      const reply = await startReport(ctx, turn, text, t);
      return [superseded, reply].filter(Boolean).join('\n');
    }
    // "上次报的那个修好了吗": answered from the tickets, never a new one (issue #15).
    if (t.intent === 'status') return runCommand(ctx, turn, statusQuery(text));
    return smallTalk(turn, text);
  }

  async function onCommand(turn: Turn, parsed: ParsedCommand): Promise<Answer> {
    if (parsed.verb === '解决' && parsed.no !== null) {
      const repair = parseRepair(parsed.rest);
      if (!repair.cause || !repair.action) return startResolve(ctx, turn, parsed);
    }
    return runCommand(ctx, turn, parsed);
  }

  function continueConversation(turn: Turn, conv: ConversationDoc, text: string): Promise<Answer> {
    const flow = ctx.flows.get(conv.flow);
    if (!flow) return Promise.resolve(null);
    if (flow.kind === 'checklist') return continueChecklist(ctx, turn, conv, text);
    if (conv.flow === 'report') return continueReport(ctx, turn, conv, text);
    return continueDialog(ctx, turn, conv, text);
  }

  /**
   * Is this message a new report rather than the answer to the pending question? Only when triage sees a
   * complete report (system, level, a fault) that does not fit the question: a different system, or a
   * question it cannot answer (a choice it matches none of, a place it names none of).
   */
  function isNewReport(bot: BotConfig, conv: ConversationDoc, t: TriageResult, text: string): boolean {
    if (ctx.flows.get(conv.flow)?.kind !== 'form') return false;
    if ((t.intent !== 'report' && t.intent !== 'request') || !t.system || !t.level || t.missing.includes('symptom')) return false;
    const flow = ctx.flows.form(conv.flow);
    const pending = conv.form.pending ? slotOf(flow, conv.form.pending) : null;
    const about = conv.form.values.system ?? (conv.context.system as string | undefined);
    if (about && t.system !== about) return true;
    if (!pending) return true;
    if (pending.name === 'system' && !about) return [...text].length > 12;
    if (pending.type === 'choice') return readAnswer(pending, text, bot).kind !== 'value';
    if (pending.extract?.length) return !pending.extract.some((re) => new RegExp(re, 'u').test(text.normalize('NFKC')));
    return false;
  }

  async function supersede(turn: Turn, conv: ConversationDoc): Promise<string> {
    if (!(await endConversation(conv, 'cancelled', turn.now))) return '';
    if (conv.flow === 'report' && conv.context.phase !== 'after') return '（上一条没说完的报修已作废，先处理这条。）';
    return '';
  }

  function smallTalk(turn: Turn, text: string): Answer {
    const thanks = THANKS_RE.test(text);
    if (turn.msg.chatType === 'group') return thanks ? null : GREETING_GROUP;
    return thanks ? THANKS : GREETING_SINGLE;
  }

  /** A screenshot goes onto the ticket being reported or the sender's latest open ticket. */
  async function onImage(turn: Turn, conv: ConversationDoc | null): Promise<Answer> {
    const { msg, bot } = turn;
    const attachment = { kind: 'image' as const, ...(msg.imageUrl ? { url: msg.imageUrl } : {}), name: msg.msgId };
    let no = (conv?.context.no as number | null | undefined) ?? null;
    if (!no && conv?.flow === 'report') {
      const list = [...((conv.context.attachments as unknown[]) ?? []), attachment];
      await saveConversation(conv, { context: { ...conv.context, attachments: list } }, turn.now, bot.conversation.idleMinutes);
      return '图片已收到，会随报修一起登记。';
    }
    if (!no) {
      const mine = await ticketsOf(bot.id, msg.from.userid, 5);
      no = mine.find((t) => ACTIVE.includes(t.status) && t.reporter.userid === msg.from.userid)?.no ?? null;
    }
    if (!no) return msg.chatType === 'single' ? '收到图片。请用文字描述一下遇到的问题，我来登记报修。' : null;
    const r = await supplementTicket(ticketCtx(ctx, bot), { no, actor: msg.from, attachment });
    return r.ok ? `图片已附到 #${no}。` : r.message;
  }

  async function endText(conv: ConversationDoc, kind: 'cancelled' | 'expired'): Promise<string> {
    const flow = ctx.flows.get(conv.flow);
    if (!flow) return '';
    if (flow.kind === 'checklist') return fill(flow.texts[kind], { title: flow.title });
    if (conv.flow === 'report') return reportEndText(flow, conv, kind);
    return dialogEndText(flow, conv, kind);
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
    const note = t.assignee ? `已由 ${t.assignee.name} 接单` : short(contentText(r.reply).replace(/[*✅]/g, ''), 40);
    log.info({ bot: bot.id, no, claimed: Boolean(t.assignee) }, 'claim button');
    return claimedCard(bot, t, msg.event?.taskId ?? `tk_${bot.id}_${no}`, note);
  }

  async function expireIdle(now = ctx.clock.now()): Promise<number> {
    let count = 0;
    for (const conv of await findIdle(now)) {
      const expired = await expireOne(conv, now);
      if (!expired) continue;
      count++;
      const text = await endText(conv, 'expired');
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

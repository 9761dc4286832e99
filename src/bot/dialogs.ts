/** The resolve and confirm conversations: they collect what a chat command needs, then run that command. */
import type { BotConfig } from '../config/bots.js';
import { roleOf } from '../roster/roster.js';
import { getTicket } from '../tickets/queries.js';
import { allows } from '../tickets/lifecycle.js';
import type { TicketDoc } from '../tickets/types.js';
import type { ParsedCommand } from './grammar.js';
import { type Answer, chatIdOf, type EngineCtx, idleMinutes, ticketCtx, type Turn } from './context.js';
import {
  type ConversationDoc,
  endConversation,
  findConversation,
  saveConversation,
  startConversation,
  keepAsking,
  laneOf,
} from './conversations.js';
import type { FormFlow } from './flows/types.js';
import { applyAnswer, emptyState, extractSlots, type FormState, markAsked, nextSlot, promptFor, slotOf } from './forms.js';
import { readConfirmation } from './answers.js';
import { fill } from './presenters/chat.js';
import { confirmNoLonger } from './presenters/commands.js';
import { recoveredClosed, recoveredKept } from './presenters/followups.js';
import { withdrawTicket } from '../tickets/commands/index.js';
import type { ChatContent } from './presenters/content.js';

/**
 * Runs a chat command as the turn's sender and returns the sender's answer; everyone else hears about the change
 * from the notifier, which gets the same ticket events (see notifier.ts).
 */
export async function runCommand(ctx: EngineCtx, turn: Turn, parsed: ParsedCommand): Promise<ChatContent> {
  const { msg, bot } = turn;
  const r = await ctx.registry.commands.run(
    ticketCtx(ctx, bot),
    { bot: bot.id, from: msg.from, chatId: chatIdOf(msg), channel: msg.channel, text: msg.text },
    parsed,
  );
  return r.reply;
}

/** Either the next question (conversation saved) or null when every required slot is filled. */
async function askNext(
  _ctx: EngineCtx,
  turn: Turn,
  conv: ConversationDoc | null,
  flow: FormFlow,
  state: FormState,
  no: number,
  lead = '',
): Promise<Answer | null> {
  const next = nextSlot(flow, flow.required, state);
  if (!next) return null;
  const asked = markAsked(state, next);
  if (!(await keepAsking(turn, conv, flow, { form: asked }, { no }))) return '';
  return [lead, fill(promptFor(next, turn.bot, false), { no })].filter(Boolean).join('\n');
}

/**
 * "解决 12" without the repair record: asks for cause and action instead of refusing. Only when the sender
 * could resolve the ticket now; otherwise the command itself gives the right answer.
 */
export async function startResolve(ctx: EngineCtx, turn: Turn, parsed: ParsedCommand): Promise<Answer> {
  const no = parsed.no as number;
  const t = await getTicket(turn.bot.id, no);
  const user = turn.msg.from.userid;
  const role = roleOf(turn.bot, user);
  // An unclaimed ticket nobody has may be claimed and resolved in one step by whoever fixed it.
  const unclaimed = t && allows('claim', t.status) && !t.assignee && role !== 'reporter';
  const mayResolve = t && (unclaimed || (allows('resolve', t.status) && (t.assignee?.userid === user || role === 'lead')));
  if (!mayResolve) return runCommand(ctx, turn, parsed);
  const flow = ctx.flows.form('resolve');
  const state = emptyState();
  Object.assign(state.values, extractSlots(flow, parsed.rest));
  const rest = parsed.rest.trim();
  if (rest && !state.values.cause && !state.values.action) state.values.action = rest; // "解决 12 重启了服务"
  return (await askNext(ctx, turn, null, flow, state, no)) ?? finishResolve(ctx, turn, no, state);
}

function finishResolve(ctx: EngineCtx, turn: Turn, no: number, state: FormState): Promise<ChatContent> {
  return runCommand(ctx, turn, { verb: '解决', no, rest: `原因:${state.values.cause} 处理:${state.values.action}` });
}

/** Starts the confirm conversation with the reporter in the app's 1:1 chat, unless they are busy with another one. */
export async function startConfirm(ctx: EngineCtx, bot: BotConfig, t: TicketDoc): Promise<boolean> {
  const key = { bot: bot.id, chat: 'single:app', userid: t.reporter.userid };
  const now = ctx.clock.now();
  const busy = await findConversation(key);
  if (busy && busy.expiresAt > now && !(busy.flow === 'confirm' && busy.context.no === t.no)) return false;
  const flow = ctx.flows.form('confirm');
  const outcome = slotOf(flow, 'outcome');
  await startConversation({
    key,
    lane: laneOf(flow.id, t.no),
    channel: 'app',
    chatType: 'single',
    flow: flow.id,
    form: markAsked(emptyState(), outcome),
    context: { no: t.no, system: t.system },
    now,
    idleMinutes: idleMinutes(bot, flow),
  });
  return true;
}

/** Answers to the resolve or confirm conversation. */
export async function continueDialog(ctx: EngineCtx, turn: Turn, conv: ConversationDoc, text: string): Promise<Answer> {
  const flow = ctx.flows.form(conv.flow);
  const no = conv.context.no as number;
  if (conv.flow === 'confirm') {
    // The ticket may have moved on since the question (another reporter reopened it, a lead closed it).
    const t = await getTicket(turn.bot.id, no);
    if (!t || !allows('confirm', t.status)) {
      if (!(await endConversation(conv, 'done', turn.now))) return null;
      return t ? confirmNoLonger(t) : null;
    }
    // A natural answer with a rating ("5分 谢谢刘工", "好了 谢谢 5分", "满意", "还行 3分 太慢了") settles it at once.
    const a = readConfirmation(text);
    const answersRating = conv.form.pending === 'rating' || a.outcome === 'confirmed';
    if (answersRating && a.outcome !== 'rejected' && a.rating !== null) {
      if (!(await endConversation(conv, 'done', turn.now))) return null;
      return runCommand(ctx, turn, { verb: '确认', no, rest: [a.rating, a.comment].filter(Boolean).join(' ') });
    }
  }
  const { state, outcome } = applyAnswer(flow, conv.form, text, turn.bot);
  if (outcome.kind === 'retry') {
    const asked = markAsked(state, outcome.slot);
    if (!(await saveConversation(conv, { form: asked }, turn.now, idleMinutes(turn.bot, flow)))) return null;
    return fill(promptFor(outcome.slot, turn.bot, true), { no });
  }
  const next = await askNext(ctx, turn, conv, flow, state, no);
  if (next !== null) return next || null;
  if (!(await endConversation(conv, 'done', turn.now))) return null;
  if (conv.flow === 'resolve') return finishResolve(ctx, turn, no, state);
  if (conv.flow === 'recovered') return finishRecovered(ctx, turn, no, state.values.outcome === 'close');
  if (state.values.outcome === 'rejected') return runCommand(ctx, turn, { verb: '未解决', no, rest: state.values.reason ?? '' });
  return runCommand(ctx, turn, { verb: '确认', no, rest: state.values.rating ?? '' });
}

/**
 * The answer to "#3 已恢复？回复 1 关闭，2 仍需处理" (src/bot/followups.ts): 1 closes the ticket as withdrawn by its
 * reporter with `recovered: true` (no repair record is invented); 2 leaves it with the engineer.
 */
async function finishRecovered(ctx: EngineCtx, turn: Turn, no: number, close: boolean): Promise<Answer> {
  if (!close) return recoveredKept(no);
  const r = await withdrawTicket(ticketCtx(ctx, turn.bot), { no, actor: turn.msg.from, reason: '报修人告知已恢复', recovered: true });
  return r.ok ? recoveredClosed(no) : r.message;
}

/** In a confirm conversation "确认", "确认 5" (a rating) and "未解决 …" are answers, not commands about other tickets. */
export function answersDialog(conv: ConversationDoc, parsed: ParsedCommand): boolean {
  if (conv.flow !== 'confirm') return false;
  if (parsed.verb !== '确认' && parsed.verb !== '未解决') return false;
  if (parsed.no === null || parsed.no === conv.context.no) return true;
  return parsed.verb === '确认' && parsed.no >= 1 && parsed.no <= 5 && parsed.rest === '';
}

/** The text a command that answers a dialog stands for: "确认 12 4" → "确认 4". */
export function dialogText(conv: ConversationDoc, parsed: ParsedCommand): string {
  const no = parsed.no === conv.context.no ? null : parsed.no;
  return [parsed.verb, no, parsed.rest].filter((x) => x !== null && x !== '').join(' ');
}

/**
 * What a resolve or confirm conversation says when it ends unanswered. A confirm question whose ticket is no
 * longer waiting (closed by a 确认 elsewhere, reopened, auto-closed) ends silently: never "还在等您确认" then.
 */
export async function dialogEndText(flow: FormFlow, conv: ConversationDoc, kind: 'cancelled' | 'expired'): Promise<string> {
  if (conv.flow === 'confirm' && conv.context.no) {
    const t = await getTicket(conv.bot, conv.context.no as number);
    if (!t || !allows('confirm', t.status)) return '';
  }
  return fill(flow.texts[kind], { no: conv.context.no ?? null, title: flow.title });
}

export { slotOf };

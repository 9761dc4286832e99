/**
 * What a pending conversation says about itself: the question it is waiting on (to resume it after another
 * dialog ended, or to ask it again after a message that did not answer it) and its end text (cancelled, expired).
 */
import { itemText } from './checklist.js';
import type { EngineCtx } from './context.js';
import type { ConversationDoc } from './conversations.js';
import { dialogEndText } from './dialogs.js';
import { promptFor, slotOf } from './forms.js';
import { CHECKLIST_NOTE_ASK, fill, resumeNote } from './presenters/chat.js';
import { reportEndText } from './report.js';
import type { BotConfig } from '../config/bots.js';
import { getTicket } from '../tickets/queries.js';

/** The question `conv` waits on now, as it was asked ("" when it waits on nothing). */
export function questionOf(ctx: EngineCtx, bot: BotConfig, conv: ConversationDoc): string {
  const flow = ctx.flows.get(conv.flow);
  if (!flow) return '';
  if (flow.kind === 'checklist') {
    const answers = (conv.context.answers as unknown[] | undefined) ?? [];
    if (conv.context.awaitingNote) return CHECKLIST_NOTE_ASK;
    return answers.length < flow.items.length ? itemText(flow, answers.length) : '';
  }
  if (!conv.form.pending) return '';
  return fill(promptFor(slotOf(flow, conv.form.pending), bot, false), { no: conv.context.no ?? null });
}

/** "继续「月度巡检」：（1/12）…": a pending conversation brought back after another one ended. */
export function resumeText(ctx: EngineCtx, bot: BotConfig, conv: ConversationDoc): string {
  const flow = ctx.flows.get(conv.flow);
  const question = questionOf(ctx, bot, conv);
  if (!flow || !question) return '';
  return resumeNote(flow.id === 'report' ? null : flow.title, conv.context.no ?? null, question);
}

/** What a conversation says when it ends unanswered (取消, or the idle time ran out). */
export async function endText(ctx: EngineCtx, conv: ConversationDoc, kind: 'cancelled' | 'expired'): Promise<string> {
  const flow = ctx.flows.get(conv.flow);
  if (!flow) return '';
  if (flow.kind === 'checklist') return fill(flow.texts[kind], { title: flow.title });
  if (conv.flow === 'report') return reportEndText(flow, conv, kind);
  return dialogEndText(flow, conv, kind);
}

/** Statuses after which nothing about a ticket is worth asking any more. */
const FINAL = new Set(['closed', 'cancelled', 'referred']);

/**
 * Is `conv` about a ticket that has ended meanwhile (the reporter closed it as recovered while its contact was being
 * asked, a lead cancelled it)? Such a question is ended quietly, never answered or resumed.
 */
export async function isStale(bot: string, conv: ConversationDoc): Promise<boolean> {
  const no = conv.context.no as number | null | undefined;
  // A confirm question answers for itself ("#12 已关闭，无需再确认", dialogs.ts confirmNoLonger).
  if (!no || conv.flow === 'confirm') return false;
  const t = await getTicket(bot, no);
  return !!t && FINAL.has(t.status);
}

/**
 * Step 4, pending answer: while the bot waits for an answer from this user in this chat (a report question,
 * the resolve dialog's cause or action, a confirmation, a checklist item, the self-recovered offer), the next
 * plain message is that answer; triage never takes it. Only a report form's question lets go of a message that
 * cannot be its answer (a contact that is no phone or extension, a choice it matches none of, a complete new
 * report of another system): that message goes on as a new one (follow-up, complaint, new report) and the
 * question stays pending (the resume step asks it again).
 */
import type { BotConfig } from '../../config/bots.js';
import { continueChecklist } from '../checklist.js';
import type { Answer, EngineCtx } from '../context.js';
import type { ConversationDoc } from '../conversations.js';
import { continueDialog, dialogText } from '../dialogs.js';
import { fitsSlot, slotOf } from '../forms.js';
import { continueReport } from '../report.js';
import type { Step, TextTurn } from './types.js';

export const pendingAnswerStep: Step = async (ctx, turn, next) => {
  const conv = turn.conv;
  if (!conv) return next();
  const flow = ctx.flows.get(conv.flow);
  if (!flow) return next();
  const text = turn.parsed ? dialogText(conv, turn.parsed) : turn.text;
  if (flow.kind === 'checklist') return continueChecklist(ctx, turn, conv, text);
  if (conv.flow !== 'report') return continueDialog(ctx, turn, conv, text);
  if (isNewReport(ctx, turn, conv) || !fitsPending(ctx, turn.bot, conv, text)) {
    turn.deferred = conv;
    return next();
  }
  return continueReport(ctx, turn, conv, text);
};

/** The report question asked again (re-ask count, then its fallback): for a message nothing else took. */
export function retryPending(ctx: EngineCtx, turn: TextTurn, conv: ConversationDoc): Promise<Answer> {
  return continueReport(ctx, turn, conv, turn.text);
}

/** Can `text` answer the report's pending question at all (a strict slot's pattern, a choice's options)? */
function fitsPending(ctx: EngineCtx, bot: BotConfig, conv: ConversationDoc, text: string): boolean {
  const pending = conv.form.pending;
  if (!pending) return true;
  const guess = (s: string) => ctx.triage(bot)(s).system;
  return fitsSlot(slotOf(ctx.flows.form(conv.flow), pending), text, bot, guess);
}

/**
 * Is this message a new report rather than the answer to the pending report question? Only when triage sees a
 * complete report (system, level, a fault) that does not fit the question: a different system, or a question it
 * cannot answer (a choice it matches none of, a place it names none of).
 */
function isNewReport(ctx: EngineCtx, turn: TextTurn, conv: ConversationDoc): boolean {
  const t = turn.triage();
  if ((t.intent !== 'report' && t.intent !== 'request') || !t.system || !t.level || t.missing.includes('symptom')) return false;
  const flow = ctx.flows.form(conv.flow);
  const pending = conv.form.pending ? slotOf(flow, conv.form.pending) : null;
  const about = conv.form.values.system ?? (conv.context.system as string | undefined);
  if (about && t.system !== about) return true;
  if (!pending) return true;
  if (pending.name === 'system' && !about) return [...turn.text].length > 12;
  if (pending.extract?.length) return !pending.extract.some((re) => new RegExp(re, 'u').test(turn.text.normalize('NFKC')));
  return false;
}

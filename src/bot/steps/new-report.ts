/**
 * Step 6, new report: a message triage calls a report or a request starts a report form (its own lane, so a
 * report form still waiting for an answer is kept and resumed afterwards, never voided); a status question
 * ("上次报的那个修好了吗") is answered from the tickets (进度 / 我的工单) and opens nothing (issue #15).
 */
import { runCommand } from '../dialogs.js';
import type { ParsedCommand } from '../grammar.js';
import { startReport } from '../report.js';
import type { Step } from './types.js';

/** A status question names a ticket ("#12", "12号单子") → 进度 12; otherwise the asker's own tickets (我的工单). */
function statusQuery(text: string): ParsedCommand {
  const m = /[#＃]\s*(\d{1,9})|(\d{1,9})\s*号/.exec(text.normalize('NFKC'));
  return m ? { verb: '进度', no: Number(m[1] ?? m[2]), rest: '' } : { verb: '我的工单', no: null, rest: '' };
}

export const newReportStep: Step = async (ctx, turn, next) => {
  const t = turn.triage();
  if (t.intent === 'report' || t.intent === 'request') return startReport(ctx, turn, turn.text, t);
  if (t.intent === 'status') return runCommand(ctx, turn, statusQuery(turn.text));
  return next();
};

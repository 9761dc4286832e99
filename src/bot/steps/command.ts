/**
 * Step 3, command: a chat command ("接单 12", "进度 5", "值班", "巡检") runs as the sender, even while a dialog is
 * pending (the dialog stays and is resumed). Exceptions: a command that answers the pending dialog ("确认 5" in a
 * confirm conversation) goes on to the pending-answer step, and "解决 12" without the repair record starts the
 * resolve dialog instead of being refused.
 */
import { parseRepair } from '../commands/ticket-actions.js';
import { answersDialog, runCommand, startResolve } from '../dialogs.js';
import { followUpStatus } from '../followups.js';
import { joinContent } from '../presenters/content.js';
import type { Step } from './types.js';

export const commandStep: Step = async (ctx, turn, next) => {
  const parsed = turn.parsed;
  if (!parsed) return next();
  if (turn.conv && answersDialog(turn.conv, parsed)) return next();
  if (parsed.verb === '解决' && parsed.no !== null) {
    const repair = parseRepair(parsed.rest);
    if (!repair.cause || !repair.action) return startResolve(ctx, turn, parsed);
  }
  const reply = await runCommand(ctx, turn, parsed);
  // "今天谁值班" from someone waiting on a ticket here: who is on duty, and how their own ticket stands.
  if (parsed.verb === '值班') return joinContent([reply, await followUpStatus(turn)]);
  return reply;
};

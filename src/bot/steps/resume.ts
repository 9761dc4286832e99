/**
 * Step 1, resume: runs the rest of the chain, then brings back a pending conversation the turn left waiting
 * without asking it: another dialog of the user ended (a 解决 dialog finished while a checklist waits: the next
 * `1` answers item 1/12 again), or the message did not answer the pending report question (it was handled as a
 * new message). Nothing is silently dropped; one question is asked at a time.
 */
import { type ConversationDoc, endConversation, findConversations } from '../conversations.js';
import { isStale, resumeText } from '../pending.js';
import { joinContent } from '../presenters/content.js';
import type { Step, TextTurn } from './types.js';

/**
 * The user's most recent pending conversation here that still makes sense: one about a ticket that has ended
 * meanwhile (the reporter closed it as recovered while its contact was being asked) is ended quietly instead.
 */
async function pendingTop(turn: TextTurn): Promise<ConversationDoc | null> {
  for (const conv of await findConversations(turn.key)) {
    if (conv.expiresAt <= turn.now) return null;
    if (!(await isStale(turn.bot.id, conv))) return conv;
    await endConversation(conv, 'done', turn.now);
  }
  return null;
}

export const resumeStep: Step = async (ctx, turn, next) => {
  const answer = await next();
  if (!turn.conv && !turn.deferred) return answer;
  const top = await pendingTop(turn);
  if (!top) return answer;
  // This turn asked something itself (the same or another conversation): that question is the one pending.
  if ((top.touched ?? 0) > turn.since) return answer;
  // The pending conversation was left alone (a command about something else): it is still on the screen.
  if (turn.conv && top._id.equals(turn.conv._id) && !turn.deferred) return answer;
  return joinContent([answer, resumeText(ctx, turn.bot, top)]);
};

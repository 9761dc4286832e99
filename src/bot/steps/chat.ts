/**
 * Step 7, chat: what is left. A pending report question the message did not fit is asked again (its re-ask count
 * and fallback apply); otherwise small talk: a one-line hint in a group, silence for thanks there, a friendly
 * answer in a 1:1 chat.
 */
import { GREETING_GROUP, GREETING_SINGLE, THANKS } from '../presenters/chat.js';
import { retryPending } from './pending-answer.js';
import type { Step } from './types.js';

const THANKS_RE = /^(谢谢|多谢|感谢|辛苦了?|好的|收到|ok|嗯|👍)/i;

export const chatStep: Step = async (ctx, turn) => {
  const deferred = turn.deferred;
  if (deferred) {
    turn.deferred = null;
    return retryPending(ctx, turn, deferred);
  }
  const thanks = THANKS_RE.test(turn.text);
  if (turn.msg.chatType === 'group') return thanks ? null : GREETING_GROUP;
  return thanks ? THANKS : GREETING_SINGLE;
};

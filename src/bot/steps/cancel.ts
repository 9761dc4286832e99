/**
 * Step 2, cancel: "取消" (or 算了/不用了/不报了/撤销 alone) ends the sender's pending conversation here, the most
 * recently asked one; the resume step then brings back any other one still waiting. Without a pending
 * conversation the words go on (取消 12 is a command).
 */
import { endConversation } from '../conversations.js';
import { endText } from '../pending.js';
import type { Step } from './types.js';

/** Words that end a pending conversation besides the 取消 command. */
const CANCEL_WORDS = new Set(['取消', '算了', '不用了', '不报了', '撤销']);

export const cancelStep: Step = async (ctx, turn, next) => {
  const { conv, parsed, text } = turn;
  if (!conv) return next();
  if (!CANCEL_WORDS.has(text.replace(/[。.!！\s]/g, '')) && !(parsed?.verb === '取消' && parsed.no === null)) return next();
  return (await endConversation(conv, 'cancelled', turn.now)) ? endText(ctx, conv, 'cancelled') : null;
};

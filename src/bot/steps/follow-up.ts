/**
 * Step 5, follow-up: a message from someone with an unfinished ticket here that carries no new fault ("好了吗",
 * "还没人来", a complaint, "现在又好了 不用来了") is about that ticket: status, chase, note or the close offer
 * (src/bot/followups.ts). Anything else goes on to the new-report step.
 */
import { handleFollowUp } from '../followups.js';
import type { Step } from './types.js';

export const followUpStep: Step = async (ctx, turn, next) => {
  const answer = await handleFollowUp(ctx, turn);
  return answer === undefined ? next() : answer;
};

import { isDuplicateKey, TicketCounter } from './model.js';

/**
 * Allocates the bot's next ticket number with one atomic $inc: unique under any concurrency and across
 * instances. A crash after allocation leaves a gap in the numbering, never a duplicate.
 */
export async function nextTicketNo(bot: string): Promise<number> {
  const _id = `tickets:${bot}`;
  for (let attempt = 0; ; attempt++) {
    try {
      // The pre-image is read atomically with the $inc on every engine (the embedded one re-reads a post-image).
      const before = await TicketCounter.findOneAndUpdate({ _id }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'before' }).lean();
      return (before?.seq ?? 0) + 1;
    } catch (e) {
      // Two first-ever upserts can race on the _id; the loser simply increments the winner's document.
      if (!isDuplicateKey(e) || attempt >= 3) throw e;
    }
  }
}

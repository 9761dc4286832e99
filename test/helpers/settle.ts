import type { Clock } from '../../src/clock.js';
import { InboxModel } from '../../src/wecom/inbox.js';
import { OutboxModel } from '../../src/wecom/outbox.js';

/**
 * Waits until everything the service received is processed (inbox empty) and everything due by the service clock
 * was sent (outbox); both loops are event-driven, this only polls for them. Throws after `timeoutMs` of real time,
 * naming what is still busy: a test must fail, not carry on with half of the traffic handled.
 */
export async function settleWecom(clock: Clock, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inbox = await InboxModel.countDocuments({ status: { $in: ['pending', 'processing'] } });
    const outbox = await OutboxModel.countDocuments({
      $or: [{ status: 'sending' }, { status: 'pending', nextAttemptAt: { $lte: clock.now() } }],
    });
    if (inbox === 0 && outbox === 0) return;
    if (Date.now() > deadline) throw new Error(`settle: still busy after ${timeoutMs} ms (inbox ${inbox}, outbox ${outbox})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

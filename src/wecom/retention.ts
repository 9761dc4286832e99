import type { Agenda } from 'agenda';
import type { Clock } from '../clock.js';
import { log } from '../log.js';
import { InboxModel } from './inbox.js';
import { OutboxModel } from './outbox.js';

export const PRUNE_JOB = 'wecom:prune';

/**
 * How long handled traffic is kept. TTL indexes never fire on the embedded engine, so a job deletes it. Inbox
 * entries carry message text (possibly patient details): keep them only as long as WeCom may still retry and an
 * operator may need to look; the ticket and its events are the record. Failed sends stay longer for operators.
 */
export interface RetentionPolicy {
  inboxDays: number;
  sentDays: number;
  failedDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { inboxDays: 7, sentDays: 30, failedDays: 90 };

const DAY = 86_400_000;

export async function pruneWecom(now: Date, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<{ inbox: number; outbox: number }> {
  const before = (days: number) => new Date(now.getTime() - days * DAY);
  const inbox = await InboxModel.deleteMany({
    status: { $in: ['done', 'ignored', 'failed'] },
    receivedAt: { $lt: before(policy.inboxDays) },
  });
  const sent = await OutboxModel.deleteMany({ status: 'sent', sentAt: { $lt: before(policy.sentDays) } });
  const failed = await OutboxModel.deleteMany({ status: 'failed', createdAt: { $lt: before(policy.failedDays) } });
  return { inbox: inbox.deletedCount ?? 0, outbox: (sent.deletedCount ?? 0) + (failed.deletedCount ?? 0) };
}

export function definePruneJob(agenda: Agenda, clock: Clock, policy: RetentionPolicy = DEFAULT_RETENTION): void {
  agenda.define(PRUNE_JOB, async () => {
    const removed = await pruneWecom(clock.now(), policy);
    log.info(removed, 'wecom traffic pruned');
  });
}

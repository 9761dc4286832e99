import type { Agenda } from 'agenda';
import mongoose from 'mongoose';
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
  /**
   * Conversations (src/bot/conversations.ts) hold what people typed into a form (patient, 身份证 …) and are
   * not the record (the ticket is): ended ones, and active ones abandoned for this long past their idle
   * expiry, are deleted after this many hours.
   */
  conversationHours: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { inboxDays: 7, sentDays: 30, failedDays: 90, conversationHours: 24 };

const DAY = 86_400_000;

/**
 * Deletes traffic past its retention. What a delete leaves on disk: the embedded H2 store keeps the bytes of
 * deleted documents in old file chunks until the embedded database next starts (it compacts the file offline
 * at every start, see db-server/src/Launcher.java); a real MongoDB reuses the space as WiredTiger sees fit.
 */
export async function pruneWecom(
  now: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Promise<{ inbox: number; outbox: number; conversations: number }> {
  const before = (days: number) => new Date(now.getTime() - days * DAY);
  const inbox = await InboxModel.deleteMany({
    status: { $in: ['done', 'ignored', 'failed'] },
    receivedAt: { $lt: before(policy.inboxDays) },
  });
  const sent = await OutboxModel.deleteMany({ status: 'sent', sentAt: { $lt: before(policy.sentDays) } });
  const failed = await OutboxModel.deleteMany({ status: 'failed', createdAt: { $lt: before(policy.failedDays) } });
  const cutoff = new Date(now.getTime() - policy.conversationHours * 3_600_000);
  // By collection name: the bot module owns the model; retention only needs the two date fields.
  const conversations = await mongoose.connection.collection('conversations').deleteMany({
    $or: [
      { status: { $ne: 'active' }, updatedAt: { $lt: cutoff } },
      { status: 'active', expiresAt: { $lt: cutoff } },
    ],
  });
  return {
    inbox: inbox.deletedCount ?? 0,
    outbox: (sent.deletedCount ?? 0) + (failed.deletedCount ?? 0),
    conversations: conversations.deletedCount ?? 0,
  };
}

export function definePruneJob(agenda: Agenda, clock: Clock, policy: RetentionPolicy = DEFAULT_RETENTION): void {
  agenda.define(PRUNE_JOB, async () => {
    const removed = await pruneWecom(clock.now(), policy);
    log.info(removed, 'wecom traffic pruned');
  });
}

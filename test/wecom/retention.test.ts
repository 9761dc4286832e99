import { describe, expect, it } from 'vitest';
import { InboxModel } from '../../src/wecom/inbox.js';
import { OutboxModel } from '../../src/wecom/outbox.js';
import { pruneWecom } from '../../src/wecom/retention.js';
import { useTestDb } from '../helpers/db.js';

useTestDb();

const NOW = new Date('2026-11-20T02:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

function inbox(key: string, status: string, receivedAt: Date) {
  return {
    bot: 'demo',
    channel: 'aibot',
    dedupeKey: key,
    msgId: key,
    type: 'text',
    chatType: 'group',
    from: { userid: 'nurse01' },
    text: '3床张某某 LIS 报告打不开',
    receivedAt,
    status,
  };
}
function outbox(key: string, status: string, createdAt: Date, sentAt: Date | null) {
  return { bot: 'demo', kind: 'webhook', payload: {}, status, nextAttemptAt: createdAt, createdAt, sentAt, idempotencyKey: key };
}

describe('traffic retention', () => {
  it('deletes handled messages past their retention and keeps everything still in play', async () => {
    await InboxModel.insertMany([
      inbox('old-done', 'done', daysAgo(8)),
      inbox('old-pending', 'pending', daysAgo(8)),
      inbox('recent-done', 'done', daysAgo(2)),
    ]);
    await OutboxModel.insertMany([
      outbox('old-sent', 'sent', daysAgo(40), daysAgo(40)),
      outbox('recent-sent', 'sent', daysAgo(10), daysAgo(10)),
      outbox('old-failed', 'failed', daysAgo(100), null),
      outbox('failed-kept', 'failed', daysAgo(40), null),
      outbox('old-pending', 'pending', daysAgo(40), null),
    ]);

    expect(await pruneWecom(NOW)).toEqual({ inbox: 1, outbox: 2 });
    // An unprocessed message is never dropped, however old: it still has to be handled.
    expect((await InboxModel.find().lean()).map((d) => d.dedupeKey).sort()).toEqual(['old-pending', 'recent-done']);
    expect((await OutboxModel.find().lean()).map((d) => d.idempotencyKey).sort()).toEqual(['failed-kept', 'old-pending', 'recent-sent']);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startEmbedded } from '../../src/db/embedded.js';
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

    expect(await pruneWecom(NOW)).toEqual({ inbox: 1, outbox: 2, conversations: 0 });
    // An unprocessed message is never dropped, however old: it still has to be handled.
    expect((await InboxModel.find().lean()).map((d) => d.dedupeKey).sort()).toEqual(['old-pending', 'recent-done']);
    expect((await OutboxModel.find().lean()).map((d) => d.idempotencyKey).sort()).toEqual(['failed-kept', 'old-pending', 'recent-sent']);
  });
});

describe('conversation retention', () => {
  const conv = (userid: string, status: string, updatedAt: Date, expiresAt: Date) => ({
    bot: 'demo',
    chat: 'wr_ward',
    userid,
    flow: 'report',
    status,
    form: { values: { location: '3床 患者王某 身份证110101199001011234' } },
    context: {},
    rev: 1,
    updatedAt,
    expiresAt,
  });
  it('deletes abandoned and ended conversations (they may hold patient details), keeps live ones', async () => {
    const hour = 3_600_000;
    const at = (h: number) => new Date(NOW.getTime() - h * hour);
    await mongoose.connection.collection('conversations').insertMany([
      conv('abandoned', 'active', at(30), at(29)), // nobody answered, the expiry job never ran (service down)
      conv('ended', 'done', at(25), at(25)),
      conv('expired-recently', 'expired', at(2), at(2)),
      conv('live', 'active', at(0.1), new Date(NOW.getTime() + 0.1 * hour)),
    ]);
    expect((await pruneWecom(NOW)).conversations).toBe(2);
    const left = await mongoose.connection.collection('conversations').find().toArray();
    expect(left.map((c) => c.userid).sort()).toEqual(['expired-recently', 'live']);
  });
});

describe('what a delete leaves in the embedded H2 file', () => {
  it('the text of deleted messages is still in the file until the embedded database restarts, then gone', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'h2-retention-')), 'weibao.mv');
    const marker = '患者赵某某身份证110101195001019999';
    const server = await startEmbedded({ file });
    const client = await MongoClient.connect(server.uri);
    const outbox = client.db('weibao').collection('outbox');
    await outbox.insertMany(Array.from({ length: 20 }, (_, i) => ({ status: 'sent', payload: { text: { content: `${marker} #${i}` } } })));
    await outbox.deleteMany({});
    // Documented: MVStore leaves the deleted bytes in old chunks of the open file.
    expect(readFileSync(file).includes(Buffer.from(marker))).toBe(true);
    await client.close();
    await server.stop();
    const again = await startEmbedded({ file });
    try {
      expect(readFileSync(file).includes(Buffer.from(marker))).toBe(false);
    } finally {
      await again.stop();
    }
  });
});

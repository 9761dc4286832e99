import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { WecomClient } from '../../src/wecom/client.js';
import { InboxModel } from '../../src/wecom/inbox.js';
import { OutboxMessenger } from '../../src/wecom/messenger.js';
import { Outbox, OutboxModel } from '../../src/wecom/outbox.js';
import { RateLimiter, RateModel } from '../../src/wecom/rate-limit.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { ticketTopic } from '../../src/wecom/types.js';
import { testDbName, useTestDb } from '../helpers/db.js';
import { startHarness, testBots } from './helpers.js';

const bots = testBots();

describe('outbox worker (one database, simulated WeCom, manual clock)', () => {
  useTestDb();
  const clock = new ManualClock('2026-11-16T09:00:00+08:00');
  const sim = new WecomSimulator({ bots: bots.values(), clock });
  let client: WecomClient;
  let outbox: Outbox;
  let messenger: OutboxMessenger;

  beforeAll(async () => {
    await Promise.all([OutboxModel.createIndexes(), RateModel.createIndexes(), InboxModel.createIndexes()]);
    const url = await sim.start();
    client = new WecomClient(url, clock, 300);
    outbox = new Outbox(bots, clock, client, new RateLimiter(clock), { busyDelayMs: 60_000 });
    messenger = new OutboxMessenger(bots, outbox, clock);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    sim.clear();
    await OutboxModel.deleteMany({});
    await RateModel.deleteMany({});
  });

  it('refreshes an access token that expires mid-run (42001) transparently', async () => {
    await messenger.toUsers('demo', ['zhangwei'], { type: 'text', text: '第一条' });
    await outbox.drain();
    sim.expireTokens();
    await messenger.toUsers('demo', ['zhangwei'], { type: 'text', text: '第二条' });
    await outbox.drain();
    const sends = sim.received('message/send');
    expect(sends.map((r) => r.errcode)).toEqual([0, 42001, 0]);
    expect(sim.delivered('message/send').map((r) => (r.body as { text: { content: string } }).text.content)).toEqual(['第一条', '第二条']);
    expect(sim.received('gettoken')).toHaveLength(2);
    const docs = await OutboxModel.find().lean();
    expect(docs.map((d) => [d.status, d.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
  });

  it('shares one gettoken among concurrent senders (single flight)', async () => {
    const c = new WecomClient(sim.url, clock, 1000);
    sim.clear();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => c.token('ww_demo_corp', 'demo-app-secret')));
    expect(new Set(tokens).size).toBe(1);
    expect(sim.received('gettoken')).toHaveLength(1);
  });

  it('a 45009 rate-limit answer delays the message and retries it later', async () => {
    sim.failNext('message/send', 45009);
    const [id] = await messenger.toUsers('demo', ['liuyang'], { type: 'text', text: '限流测试' });
    await outbox.drain();
    let doc = await OutboxModel.findById(id).lean();
    expect(doc).toMatchObject({ status: 'pending', attempts: 1 });
    expect(doc?.lastError).toContain('45009');
    expect(doc?.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 60_000);
    await outbox.drain(); // not due yet
    expect(sim.delivered('message/send')).toHaveLength(0);
    clock.advance(60_000);
    await outbox.drain();
    doc = await OutboxModel.findById(id).lean();
    expect(doc).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(sim.delivered('message/send')).toHaveLength(1);
  });

  it('a timeout is retried with backoff', async () => {
    sim.hangNext('message/send', 800);
    const [id] = await messenger.toUsers('demo', ['chenjing'], { type: 'markdown', markdown: '**超时测试**' });
    await outbox.drain();
    const doc = await OutboxModel.findById(id).lean();
    expect(doc).toMatchObject({ status: 'pending', attempts: 1 });
    // The error names the URL that failed (without the access_token query), so an operator sees where it went.
    expect(doc?.lastError).toBe(`network: timeout (POST ${sim.url}/cgi-bin/message/send)`);
    clock.advance(2_000);
    await outbox.drain();
    expect((await OutboxModel.findById(id).lean())?.status).toBe('sent');
  });

  it('a message that fails for good is visible with status failed and the error', async () => {
    sim.failNext('message/send', 60020, 1, 'not allow to access from your ip');
    const [id] = await messenger.toUsers('demo', ['zhaomin'], { type: 'text', text: 'x' });
    await outbox.drain();
    const doc = await OutboxModel.findById(id).lean();
    expect(doc?.status).toBe('failed');
    expect(doc?.lastError).toMatch(/60020.*IP/);
  });

  it("90 pings for one webhook go out at most 18 per minute (a margin below WeCom's 20), in order, without loss", async () => {
    for (let i = 0; i < 90; i++) await messenger.toGroup('demo', { type: 'text', text: `ping ${i}` });
    const start = clock.now().getTime();
    for (let minute = 1; minute <= 5; minute++) {
      await outbox.drain();
      expect(sim.delivered('webhook/send')).toHaveLength(18 * minute);
      await outbox.drain(); // nothing more in this window
      expect(sim.delivered('webhook/send')).toHaveLength(18 * minute);
      clock.advance(60_000);
    }
    const got = sim.delivered('webhook/send');
    expect(got.map((r) => (r.body as { text: { content: string } }).text.content)).toEqual(
      Array.from({ length: 90 }, (_, i) => `ping ${i}`),
    );
    // The simulator refuses (45009) anything over WeCom's 20/min; it never had to.
    expect(sim.received('webhook/send').every((r) => r.errcode === 0)).toBe(true);
    const times = got.map((r) => r.at.getTime());
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(18);
    expect(Math.max(...times) - start).toBe(4 * 60_000);
    expect(await OutboxModel.countDocuments({ status: 'sent' })).toBe(90);
  });

  it('a group post that hit 45009 holds back the later posts instead of being overtaken; other recipients go on', async () => {
    sim.failNext('webhook/send', 45009);
    for (const step of ['#7 新报修', '#7 已接单', '#7 进展：正在排查']) await messenger.toGroup('demo', { type: 'text', text: step });
    await messenger.toUsers('demo', ['liuyang'], { type: 'text', text: '私信不受影响' });
    await outbox.drain();
    expect(sim.delivered('webhook/send')).toHaveLength(0);
    expect(sim.delivered('message/send')).toHaveLength(1);
    clock.advance(60_000);
    await outbox.drain();
    const texts = sim.delivered('webhook/send').map((r) => (r.body as { text: { content: string } }).text.content);
    expect(texts).toEqual(['#7 新报修', '#7 已接单', '#7 进展：正在排查']);
  });

  it('a burst about one ticket waiting for the group robot goes out as one post; other tickets are not kept behind it', async () => {
    clock.advance(61_000); // a fresh minute for the group robot
    // The group robot's minute is used up (18 posts), so what follows waits in the outbox.
    for (let i = 0; i < 18; i++) await messenger.toGroup('demo', { type: 'text', text: `ping ${i}` });
    await outbox.drain();
    expect(sim.delivered('webhook/send')).toHaveLength(18);
    sim.clear();
    const t7 = ticketTopic('demo', 7);
    await messenger.toGroup('demo', { type: 'text', text: '新报修 #7 LIS报告打印不出来', mentions: ['liuyang'] }, { topic: t7 });
    await messenger.toGroup(
      'demo',
      { type: 'text', text: '新报修 #8 叫号屏黑屏', mentions: ['zhangwei'] },
      { topic: ticketTopic('demo', 8) },
    );
    await messenger.toGroup('demo', { type: 'markdown', markdown: '**#7 报修补充**：检验科 3 台电脑 <@liuyang>' }, { topic: t7 });
    await messenger.toGroup('demo', { type: 'text', text: '#7 响应即将超时', mentions: ['liuyang'] }, { topic: t7 });
    await outbox.drain();
    expect(sim.received('webhook/send')).toHaveLength(0);
    clock.advance(60_000);
    await outbox.drain();
    const posts = sim.delivered('webhook/send').map((r) => r.body);
    expect(posts).toEqual([
      {
        msgtype: 'markdown',
        markdown: {
          content: '新报修 #7 LIS报告打印不出来 <@liuyang>\n\n**#7 报修补充**：检验科 3 台电脑 <@liuyang>\n\n#7 响应即将超时 <@liuyang>',
        },
      },
      { msgtype: 'text', text: { content: '新报修 #8 叫号屏黑屏', mentioned_list: ['zhangwei'] } },
    ]);
    const docs = await OutboxModel.find({ topic: { $exists: true } })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    expect(docs.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(docs.map((d) => (d.mergedInto ? String(d.mergedInto) : null))).toEqual([null, null, String(docs[0]._id), String(docs[0]._id)]);
  });

  it('text posts about one ticket stay text (mentions joined); a merge never passes the byte limit, and other recipients are never merged', async () => {
    clock.advance(61_000);
    const t9 = ticketTopic('demo', 9);
    sim.failNext('webhook/send', 45009);
    await messenger.toGroup('demo', { type: 'text', text: '#9 新报修', mentions: ['chenjing'] }, { topic: t9 });
    await messenger.toGroup('demo', { type: 'text', text: '#9 请备岗协助', mentions: ['zhaomin'] }, { topic: t9 });
    await messenger.toGroup('demo', { type: 'text', text: `#9 ${'很长'.repeat(340)}` }, { topic: t9 });
    await messenger.toUsers('demo', ['chenjing'], { type: 'text', text: '#9 私信' });
    await outbox.drain();
    clock.advance(60_000);
    await outbox.drain();
    expect(sim.delivered('webhook/send').map((r) => r.body)).toEqual([
      { msgtype: 'text', text: { content: '#9 新报修\n\n#9 请备岗协助', mentioned_list: ['chenjing', 'zhaomin'] } },
      { msgtype: 'text', text: { content: `#9 ${'很长'.repeat(340)}` } },
    ]);
    expect(sim.delivered('message/send')).toHaveLength(1);
  });

  it('a coalesced post whose sender died mid-send goes out once with all its parts; a part whose post was sent is not sent again', async () => {
    const t10 = ticketTopic('demo', 10);
    const [head] = await messenger.toGroup('demo', { type: 'text', text: '#10 新报修' }, { topic: t10 });
    const [second] = await messenger.toGroup('demo', { type: 'text', text: '#10 报修补充' }, { topic: t10 });
    await messenger.toGroup('demo', { type: 'text', text: '#10 即将超时' }, { topic: t10 });
    // The dead sender had claimed the first two as one post; the third arrived afterwards.
    await OutboxModel.updateOne({ _id: head }, { $set: { status: 'sending', leaseUntil: clock.now() } });
    await OutboxModel.updateOne({ _id: second }, { $set: { status: 'sending', leaseUntil: clock.now(), mergedInto: head } });
    clock.advance(1_000);
    await outbox.drain();
    expect(sim.delivered('webhook/send').map((r) => (r.body as { text: { content: string } }).text.content)).toEqual([
      '#10 新报修\n\n#10 报修补充\n\n#10 即将超时',
    ]);
    expect(await OutboxModel.countDocuments({ topic: t10, status: 'sent' })).toBe(3);

    // Another crash between the head's sent mark and its partner's: the partner is marked, not posted again.
    sim.clear();
    const [h2] = await messenger.toGroup('demo', { type: 'text', text: '#11 新报修' }, { topic: ticketTopic('demo', 11) });
    const [p2] = await messenger.toGroup('demo', { type: 'text', text: '#11 报修补充' }, { topic: ticketTopic('demo', 11) });
    await OutboxModel.updateOne({ _id: h2 }, { $set: { status: 'sent', sentAt: clock.now() } });
    await OutboxModel.updateOne({ _id: p2 }, { $set: { status: 'sending', leaseUntil: clock.now(), mergedInto: h2 } });
    clock.advance(1_000);
    await outbox.drain();
    expect(sim.received('webhook/send')).toHaveLength(0);
    expect((await OutboxModel.findById(p2).lean())?.status).toBe('sent');
  });

  it('per user too: a failed message to one engineer is retried before the next one to that engineer', async () => {
    sim.hangNext('message/send', 800);
    await messenger.toUsers('demo', ['zhangwei'], { type: 'text', text: '#8 新报修' });
    await messenger.toUsers('demo', ['zhangwei'], { type: 'text', text: '#8 已被撤销' });
    await outbox.drain();
    expect(sim.delivered('message/send')).toHaveLength(0);
    clock.advance(2_000);
    await outbox.drain();
    const texts = sim.delivered('message/send').map((r) => (r.body as { text: { content: string } }).text.content);
    expect(texts).toEqual(['#8 新报修', '#8 已被撤销']);
  });

  it('a reply whose sent mark was lost in a crash is not sent again nor posted to the group', async () => {
    const msg = {
      id: String(
        (
          await InboxModel.create({
            bot: 'demo',
            channel: 'aibot',
            dedupeKey: 'lost-mark',
            msgId: 'lost-mark',
            type: 'text',
            chatType: 'group',
            chatId: 'wr_x',
            from: { userid: 'nurse9' },
            text: 'x',
            receivedAt: clock.now(),
            status: 'done',
          })
        )._id,
      ),
      bot: 'demo',
      channel: 'aibot' as const,
      msgId: 'lost-mark',
      type: 'text' as const,
      chatType: 'group' as const,
      chatId: 'wr_x',
      from: { userid: 'nurse9' },
      text: 'x',
      receivedAt: clock.now(),
      responseUrl: sim.newResponseUrl('demo'),
    };
    const [id] = await messenger.reply(msg, { type: 'text', text: '已登记 #9' });
    await outbox.drain();
    expect(sim.delivered('response_url')).toHaveLength(1);
    // The process died after WeCom answered and before the sent mark was written: the claim is left behind.
    await OutboxModel.updateOne({ _id: id }, { $set: { status: 'sending', sentAt: null, leaseUntil: clock.now() } });
    clock.advance(1_000);
    await outbox.drain();
    expect(sim.delivered('response_url')).toHaveLength(1);
    expect(sim.received('webhook/send')).toHaveLength(0);
    expect((await OutboxModel.findById(id).lean())?.status).toBe('sent');
    expect(await OutboxModel.countDocuments()).toBe(1);
  });

  it('an idempotency key enqueues a message once', async () => {
    const a = await messenger.toUsers(
      'demo',
      ['zhangwei'],
      { type: 'text', text: '工单 12 已接单' },
      { idempotencyKey: 'ticket:12:claimed:notify' },
    );
    const b = await messenger.toUsers(
      'demo',
      ['zhangwei'],
      { type: 'text', text: '工单 12 已接单' },
      { idempotencyKey: 'ticket:12:claimed:notify' },
    );
    expect(b).toEqual(a);
    await outbox.drain();
    expect(sim.delivered('message/send')).toHaveLength(1);
  });

  it('two workers on one database never send a message twice', async () => {
    const other = new Outbox(bots, clock, new WecomClient(sim.url, clock, 1000), new RateLimiter(clock));
    for (let i = 0; i < 30; i++) await messenger.toUsers('demo', [`user${i}`], { type: 'text', text: `m${i}` });
    await Promise.all([outbox.drain(), other.drain(), outbox.drain(), other.drain()]);
    const contents = sim.delivered('message/send').map((r) => (r.body as { text: { content: string } }).text.content);
    expect(contents).toHaveLength(30);
    expect(new Set(contents).size).toBe(30);
  });

  it('long messages are split at line boundaries within the UTF-8 byte limits', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `第${i}行：检验报告打印异常，请工程师尽快处理。`);
    const md = lines.join('\n');
    await messenger.toGroup('demo', { type: 'markdown', markdown: md });
    await messenger.toUsers('demo', ['liuyang'], { type: 'text', text: md });
    await outbox.drain();
    const webhookParts = sim.delivered('webhook/send').map((r) => (r.body as { markdown: { content: string } }).markdown.content);
    const appParts = sim.delivered('message/send').map((r) => (r.body as { text: { content: string } }).text.content);
    expect(webhookParts.length).toBeGreaterThan(1);
    expect(appParts.length).toBeGreaterThan(webhookParts.length);
    for (const p of webhookParts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(4096);
    for (const p of appParts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
    expect(webhookParts.join('\n')).toBe(md);
    expect(appParts.join('\n')).toBe(md);
  });
});

describe('restart', () => {
  it('messages left unsent by a stopped instance are sent after the next start', async () => {
    const dbName = testDbName();
    const first = await startHarness({ dbName });
    await first.feature.outbox.stop(); // the instance dies before its worker sent anything
    const ids = await first.feature.messenger.toUsers('demo', ['zhangwei', 'liuyang', 'chenjing'], { type: 'text', text: '重启前的消息' });
    // One was mid-send when the process died: its claim stays behind with a lease.
    await OutboxModel.updateOne({ _id: ids[0] }, { $set: { status: 'sending', leaseUntil: new Date(Date.now() - 1000) } });
    await first.stop();
    expect(first.sim.received('message/send')).toHaveLength(0);

    const second = await startHarness({ dbName });
    try {
      const got = await second.sim.waitFor((all) => all.filter((r) => r.kind === 'message/send' && r.errcode === 0).length === 3);
      const to = got.filter((r) => r.kind === 'message/send').map((r) => (r.body as { touser: string }).touser);
      expect(to.sort()).toEqual(['chenjing', 'liuyang', 'zhangwei']);
      await second.feature.outbox.drain();
      expect(await OutboxModel.countDocuments({ status: 'sent' })).toBe(3);
    } finally {
      await second.stop();
    }
  });
});

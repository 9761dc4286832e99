import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboxDoc, InboxModel, toMessage } from '../../src/wecom/inbox.js';
import type { InboundMessage } from '../../src/wecom/types.js';
import { startHarness, type Harness } from './helpers.js';

describe('inbound flow: persist, acknowledge, process once', () => {
  let h: Harness;
  const seen: InboundMessage[] = [];
  let failNext = 0;
  /** While set, processing waits for it: the test decides when a "slow" handler finishes. */
  let held: Promise<void> | null = null;
  let running = 0;
  let mostAtOnce = 0;
  beforeAll(async () => {
    h = await startHarness({
      async onMessage(msg, f) {
        if (failNext > 0) {
          failNext--;
          throw new Error('handler broke');
        }
        if (held) await held;
        if (msg.text.startsWith('接管')) {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          await new Promise((r) => setTimeout(r, 300));
          running--;
        }
        seen.push(msg);
        if (msg.type === 'text') await f.messenger.reply(msg, { type: 'text', text: `收到：${msg.text}` });
      },
      async onCardEvent(msg) {
        seen.push(msg);
        return { card_type: 'button_interaction', main_title: { title: '已由 张伟 接单' }, task_id: msg.event?.taskId };
      },
    });
  });
  afterAll(() => h.stop());
  const url = () => h.service.url;

  it('a group @mention arrives with the mention stripped, and is answered once through response_url', async () => {
    const r = await h.sim.sendAibotText({
      bot: 'demo',
      serviceUrl: url(),
      from: 'nurse01',
      chatId: 'wr_group1',
      text: '@维保助手\u2005LIS报告打印不出来，急',
    });
    expect(r.status).toBe(200);
    expect(r.reply).toBeNull();
    const all = await h.sim.waitFor((x) => x.some((q) => q.kind === 'response_url'));
    const sent = all.find((q) => q.kind === 'response_url');
    expect(sent?.body).toEqual({ msgtype: 'markdown', markdown: { content: '收到：LIS报告打印不出来，急' } });
    const msg = seen.at(-1);
    expect(msg).toMatchObject({
      bot: 'demo',
      channel: 'aibot',
      type: 'text',
      chatType: 'group',
      chatId: 'wr_group1',
      from: { userid: 'nurse01' },
    });
    expect(msg?.text).toBe('LIS报告打印不出来，急');
  });

  it('the same message delivered 3 times is processed once and answered once', async () => {
    h.sim.clear();
    const before = seen.length;
    const send = () =>
      h.sim.sendAibotText({
        bot: 'demo',
        serviceUrl: url(),
        from: 'nurse02',
        chatId: 'wr_group1',
        text: '@维保助手 PACS打不开',
        msgId: 'dup-msg-1',
      });
    const results = await Promise.all([send(), send(), send()]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.feature.inbox.idle();
    await h.feature.outbox.drain();
    expect(seen.length - before).toBe(1);
    expect(await InboxModel.countDocuments({ msgId: 'dup-msg-1' })).toBe(1);
    const replies = h.sim.received().filter((r) => r.kind === 'response_url' || r.kind === 'webhook/send' || r.kind === 'message/send');
    expect(replies).toHaveLength(1);
  });

  it('acknowledges within 1 s even when processing is slow', async () => {
    let finish!: () => void;
    held = new Promise((r) => {
      finish = r;
    });
    try {
      const t0 = performance.now();
      const r = await h.sim.sendAppText({ bot: 'demo', serviceUrl: url(), from: 'doctor01', text: '电子病历很慢' });
      expect(r.status).toBe(200);
      expect(performance.now() - t0).toBeLessThan(1000);
      // Acknowledged while its processing is still under way (held until now); the answer follows.
      expect(seen.some((m) => m.text === '电子病历很慢')).toBe(false);
      finish();
      await h.sim.waitFor((x) => x.some((q) => q.kind === 'message/send' && (q.body as { touser?: string })?.touser === 'doctor01'), {
        timeoutMs: 5000,
      });
    } finally {
      held = null;
      finish();
    }
  });

  it('a processing failure is retried from the inbox, not lost', async () => {
    failNext = 1;
    const r = await h.sim.sendAppText({
      bot: 'demo',
      serviceUrl: url(),
      from: 'clerk01',
      text: '挂号系统报错',
      msgId: '9223372036854775807',
    });
    expect(r.status).toBe(200);
    await h.feature.inbox.idle();
    const failed = await InboxModel.findOne({ msgId: '9223372036854775807' }).lean();
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, lastError: 'handler broke' });
    // Make the retry due now instead of waiting out the backoff.
    await InboxModel.updateOne({ _id: failed?._id }, { $set: { nextAttemptAt: new Date(0) } });
    await h.feature.inbox.sweep();
    const done = await InboxModel.findOne({ msgId: '9223372036854775807' }).lean();
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
    expect(seen.at(-1)?.msgId).toBe('9223372036854775807');
  });

  it('a smart-bot card click is answered passively with the updated card', async () => {
    const r = await h.sim.sendCardEvent({
      bot: 'demo',
      serviceUrl: url(),
      channel: 'aibot',
      from: 'zhangwei',
      chatId: 'wr_group1',
      eventKey: 'claim:12',
      taskId: 't12',
    });
    expect(r.status).toBe(200);
    expect(r.reply).toEqual({
      response_type: 'update_template_card',
      template_card: { card_type: 'button_interaction', main_title: { title: '已由 张伟 接单' }, task_id: 't12' },
    });
    expect(seen.at(-1)?.event).toMatchObject({ name: 'template_card_event', eventKey: 'claim:12', taskId: 't12' });
  });

  it('an app card click updates the card through message/update_template_card', async () => {
    h.sim.clear();
    const r = await h.sim.sendCardEvent({
      bot: 'demo',
      serviceUrl: url(),
      channel: 'app',
      from: 'zhangwei',
      eventKey: 'claim:13',
      taskId: 't13',
    });
    expect(r.status).toBe(200);
    const all = await h.sim.waitFor((x) => x.some((q) => q.kind === 'update_template_card' && q.errcode === 0));
    const upd = all.find((q) => q.kind === 'update_template_card')?.body as Record<string, unknown>;
    expect(upd.response_code).toMatch(/^simrc_/);
    expect(upd.template_card).toMatchObject({ main_title: { title: '已由 张伟 接单' } });
  });

  it('a stream refresh is answered as a finished stream and not handed to the bot', async () => {
    const before = seen.length;
    const r = await h.sim.sendAibot({
      bot: 'demo',
      serviceUrl: url(),
      payload: { msgid: 'stream-1', aibotid: 'a', chattype: 'single', from: { userid: 'u9' }, msgtype: 'stream', stream: { id: 'sid-1' } },
    });
    expect(r.status).toBe(200);
    expect(r.reply).toEqual({ msgtype: 'stream', stream: { id: 'sid-1', finish: true, content: '' } });
    expect(seen.length).toBe(before);
  });

  it('a second reply to the same smart-bot message does not reuse the single-use response_url', async () => {
    h.sim.clear();
    await h.sim.sendAibotText({ bot: 'demo', serviceUrl: url(), from: 'nurse03', chatId: 'wr_group2', text: '@维保助手 输血系统报错' });
    await h.sim.waitFor((x) => x.some((q) => q.kind === 'response_url'));
    const msg = seen.at(-1) as InboundMessage;
    await h.feature.messenger.reply(msg, { type: 'text', text: '工程师已接单' });
    const all = await h.sim.waitFor((x) => x.some((q) => q.kind === 'webhook/send'));
    expect(all.filter((q) => q.kind === 'response_url')).toHaveLength(1);
    expect(all.find((q) => q.kind === 'webhook/send')?.body).toEqual({
      msgtype: 'text',
      text: { content: '工程师已接单', mentioned_list: ['nurse03'] },
    });
  });

  it('when the response_url is refused, the reply falls back to the group webhook with a mention', async () => {
    h.sim.clear();
    h.sim.failNext('response_url', 60140, 1, 'response_code already used');
    await h.sim.sendAibotText({ bot: 'demo', serviceUrl: url(), from: 'nurse04', chatId: 'wr_group3', text: '@维保助手 叫号屏黑屏' });
    const all = await h.sim.waitFor((x) => x.some((q) => q.kind === 'webhook/send' && q.errcode === 0));
    expect(all.find((q) => q.kind === 'webhook/send')?.body).toEqual({
      msgtype: 'text',
      text: { content: '收到：叫号屏黑屏', mentioned_list: ['nurse04'] },
    });
  });

  it('messages a dead process left behind (claimed or not begun) are taken over together, not one at a time', async () => {
    const past = new Date(Date.now() - 60_000);
    const entry = (i: number, status: 'pending' | 'processing') => ({
      bot: 'demo',
      channel: 'app',
      dedupeKey: `dead-${i}`,
      msgId: `dead-${i}`,
      type: 'text',
      chatType: 'single',
      chatId: null,
      from: { userid: `ward${i}` },
      text: `接管 ${i}`,
      receivedAt: past,
      status,
      attempts: status === 'processing' ? 1 : 0,
      nextAttemptAt: status === 'pending' ? past : null,
      // The dead process's lease ran out 30 s ago.
      leaseUntil: status === 'processing' ? new Date(Date.now() - 30_000) : null,
    });
    await InboxModel.insertMany([entry(1, 'processing'), entry(2, 'processing'), entry(3, 'pending'), entry(4, 'pending')]);
    mostAtOnce = 0;
    await h.feature.inbox.sweep();
    await h.feature.inbox.idle();
    const after = await InboxModel.find({ msgId: /^dead-/ })
      .sort({ msgId: 1 })
      .lean();
    expect(after.map((e) => [e.msgId, e.status])).toEqual([
      ['dead-1', 'done'],
      ['dead-2', 'done'],
      ['dead-3', 'done'],
      ['dead-4', 'done'],
    ]);
    expect(seen.filter((m) => m.text.startsWith('接管'))).toHaveLength(4);
    expect(mostAtOnce).toBeGreaterThan(1);
  });

  it('a reply processed again after a crash takes its own response_url again (not a group post behind the rate limit)', async () => {
    h.sim.clear();
    const base = {
      bot: 'demo',
      channel: 'aibot',
      type: 'text',
      chatType: 'group',
      chatId: 'wr_group5',
      from: { userid: 'nurse05' },
      text: '心电图传不上去',
      receivedAt: new Date(),
      status: 'processing',
      // The first run took the URL for its reply, then the process died before the reply was stored.
      responseUrlUsed: true,
      responseUrlKey: 'reply:first-run',
    };
    const [taken] = await InboxModel.insertMany([
      { ...base, dedupeKey: 'crash-1', msgId: 'crash-1', responseUrl: h.sim.newResponseUrl('demo') },
    ]);
    const msg = toMessage(taken.toObject() as InboxDoc);
    await h.feature.messenger.reply(msg, { type: 'text', text: '已登记 #88' }, { idempotencyKey: 'reply:first-run' });
    await h.sim.waitFor((x) => x.some((q) => q.kind === 'response_url' && q.errcode === 0));
    // Another reply to the same message (another key) finds the URL used and goes to the group.
    await h.feature.messenger.reply(msg, { type: 'text', text: '工程师已接单' }, { idempotencyKey: 'reply:other' });
    const all = await h.sim.waitFor((x) => x.some((q) => q.kind === 'webhook/send' && q.errcode === 0));
    expect(all.filter((q) => q.kind === 'response_url').map((q) => q.body)).toEqual([
      { msgtype: 'markdown', markdown: { content: '已登记 #88' } },
    ]);
    expect(all.find((q) => q.kind === 'webhook/send')?.body).toEqual({
      msgtype: 'text',
      text: { content: '工程师已接单', mentioned_list: ['nurse05'] },
    });
  });

  it('GET URL checks for both channels answer the bare echo', async () => {
    for (const channel of ['aibot', 'app'] as const) {
      const r = await h.sim.verifyUrl({ bot: 'demo', serviceUrl: url(), channel });
      expect(r.status).toBe(200);
      expect(r.body).toBe(r.echo);
    }
  });
});

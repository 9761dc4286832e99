/**
 * The smart bot over WeCom's long connection (issue 14), through the simulator's WebSocket side against the whole
 * production service: the same inbox, engine and outbox as the callback URL, answers on the socket.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InboxModel } from '../../src/wecom/inbox.js';
import { OutboxModel } from '../../src/wecom/outbox.js';
import { type BotHarness, GROUP, noIn, startBotHarness } from '../bot/helpers.js';

const MIN = 60_000;

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness({ mode: 'longConnection' });
});
afterAll(() => h.stop());
// Each test starts after the storm window (30 min) and the idle conversations (10 min) of the previous one.
beforeEach(() => h.clock.advance(31 * MIN));

const respondFrames = () => h.sim.delivered('aibot_respond_msg');
const types = (t: { events: Array<{ type: string }> }) => t.events.map((e) => e.type);

describe('the ticket journey over the long connection', () => {
  it('report → card → 接单 → 解决 → 确认, answered on the socket with each frame’s req_id', async () => {
    const report = await h.say('nurse_a', '@维保助手 LIS报告打印不出来，急，检验科，分机8823');
    expect(report).toMatch(/^@nurse_a 已登记 #\d+/);
    const no = noIn(report);
    // The on-duty engineer got the card with its 接单 button (app message, as in callback mode).
    await h.settle();
    const card = h.dms('liuyang').find((m) => String((m.card?.main_title as { title?: string })?.title).startsWith(`#${no}`));
    expect(card?.card).toBeDefined();

    expect(await h.say('liuyang', `接单 ${no}`)).toContain(`已接单 **#${no}**`);
    const resolved = await h.say('liuyang', `解决 ${no} 原因:打印服务卡死 处理:重启打印服务`);
    expect(resolved).toContain(`**#${no}** 已解决`);
    expect(await h.say('nurse_a', `确认 ${no} 5`)).toContain(`**#${no}** 已关闭（评分 5 分）`);
    await h.settle();

    const t = await h.ticket(no);
    expect(t).toMatchObject({ status: 'closed', assignee: { userid: 'liuyang' }, confirmation: { by: 'nurse_a', rating: 5 } });
    expect(types(t)).toEqual(['created', 'claimed', 'resolved', 'confirmed', 'closed']);
    // Every answer went back on the socket, each to the req_id of the frame it answers; no response_url used.
    const frames = respondFrames().slice(-4);
    expect(new Set(frames.map((f) => f.query.req_id)).size).toBe(4);
    expect(h.sim.received('response_url')).toHaveLength(0);
    // The reporter heard about the claim in the app 1:1, once.
    expect(
      h.dms('nurse_a').filter((m) => m.text?.startsWith(`#${no} 检验系统(LIS) `) && m.text.includes('：刘洋（13800000002） 已接单')),
    ).toHaveLength(1);
  });

  it('someone opening a 1:1 chat with the bot gets the welcome on the socket (aibot_respond_welcome_msg)', async () => {
    const before = h.sim.delivered('aibot_respond_welcome_msg').length;
    h.sim.longConnection.push('demo', {
      msgid: 'enter-0001',
      create_time: Math.floor(h.clock.now().getTime() / 1000),
      aibotid: 'aibot_demo',
      chattype: 'single',
      from: { userid: 'nurse_w' },
      msgtype: 'event',
      event: { eventtype: 'enter_chat' },
    });
    await h.stored('enter-0001');
    await h.settle();
    const welcome = h.sim.delivered('aibot_respond_welcome_msg').slice(before);
    expect(welcome).toHaveLength(1);
    expect(welcome[0].body).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('我是维保助手') } });
  });

  it('a card button clicked in the group is answered with the updated card on the socket', async () => {
    const no = noIn(await h.say('nurse_b', 'HIS医生站开医嘱报错，心内科，分机6601'));
    await h.settle();
    const card = h.dms('zhangwei').find((m) => String((m.card?.main_title as { title?: string })?.title).startsWith(`#${no}`))?.card;
    const click = (from: string) =>
      h.sim.sendCardEvent({
        bot: 'demo',
        serviceUrl: h.url,
        channel: 'aibot',
        from,
        chatId: GROUP,
        eventKey: `claim:${no}`,
        taskId: String(card?.task_id),
      });
    const first = await click('zhangwei');
    expect(JSON.stringify(first.reply)).toContain('已由 张伟 接单');
    expect((await h.ticket(no)).status).toBe('claimed');
    const second = await click('zhaomin');
    expect(JSON.stringify(second.reply)).toContain('已由 张伟 接单');
    expect((await h.ticket(no)).assignee?.userid).toBe('zhangwei');
    expect(h.sim.delivered('aibot_respond_update_msg').length).toBeGreaterThanOrEqual(2);
  });
});

describe('duplicates, drops and refusals', () => {
  it('the same frame delivered twice opens one ticket and is answered once', async () => {
    const before = respondFrames().length;
    const body = {
      msgid: 'dup-msg-0001',
      aibotid: 'aibot_demo',
      chatid: GROUP,
      chattype: 'group',
      from: { userid: 'nurse_c' },
      msgtype: 'text',
      text: { content: '@维保助手 PACS影像调阅不了，放射科，分机3300' },
    };
    h.sim.longConnection.push('demo', body);
    h.sim.longConnection.push('demo', body);
    await h.stored('dup-msg-0001');
    await h.settle();
    expect(await InboxModel.countDocuments({ msgId: 'dup-msg-0001' })).toBe(1);
    const answers = respondFrames().slice(before);
    expect(answers).toHaveLength(1);
    const no = noIn(JSON.stringify(answers[0].body));
    const { items } = await h.tickets();
    expect(items.filter((t) => t.reporter.userid === 'nurse_c')).toHaveLength(1);
    expect(items.find((t) => t.no === no)).toBeDefined();
  });

  it('a connection dropped while an answer is in flight reconnects, and the stored message is still answered once', async () => {
    const subscribed = h.sim.longConnection.subscriptions('demo');
    // WeCom takes the answer frame but never acknowledges it; then the network drops.
    h.sim.hangNext('aibot_respond_msg', 60_000);
    const before = respondFrames().length;
    const hung = h.sim.received('aibot_respond_msg').length;
    const sent = h.sim.waitFor((all) => all.filter((r) => r.kind === 'aibot_respond_msg').length > hung);
    h.sim.longConnection.push('demo', {
      msgid: 'drop-msg-0001',
      aibotid: 'aibot_demo',
      chatid: GROUP,
      chattype: 'group',
      from: { userid: 'nurse_d' },
      msgtype: 'text',
      text: { content: '@维保助手 心电系统报告传不上去，心电图室，分机4500' },
    });
    await sent;
    expect(h.sim.longConnection.drop('demo')).toBe(true);
    await waitUntil(() => h.sim.longConnection.subscriptions('demo') > subscribed);
    // The outbox retries the unacknowledged frame after its backoff (on the service clock).
    h.clock.advance(10_000);
    await waitUntil(async () => respondFrames().length > before);
    await h.settle();
    const answers = respondFrames().slice(before);
    expect(answers).toHaveLength(1);
    expect(JSON.stringify(answers[0].body)).toMatch(/已登记 #\d+/);
    expect(await OutboxModel.countDocuments({ kind: 'aibot_ws', status: { $ne: 'sent' } })).toBe(0);
    const inbox = await InboxModel.findOne({ msgId: 'drop-msg-0001' }).lean();
    expect(inbox?.status).toBe('done');
  });

  it('a req_id WeCom refuses (846605) falls back to a proactive message in the same group', async () => {
    h.sim.failNext('aibot_respond_msg', 846605, 1, 'invalid req_id');
    const before = h.sim.delivered('aibot_send_msg').length;
    const text = '@维保助手 手麻系统登录不了，手术室，分机5500';
    await h.sim.sendAibotText({ bot: 'demo', serviceUrl: h.url, from: 'nurse_e', chatId: GROUP, text, msgId: 'refused-0001' });
    await h.stored('refused-0001');
    await h.settle();
    const sent = h.sim.delivered('aibot_send_msg').slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toMatchObject({ chatid: GROUP, msgtype: 'markdown' });
    expect(JSON.stringify(sent[0].body)).toMatch(/已登记 #\d+/);
  });
});

describe('order in one chat', () => {
  it('an answer held back (WeCom busy) holds back later answers to the same group; they leave in order', async () => {
    h.sim.failNext('aibot_respond_msg', -1, 1, 'system busy');
    const before = respondFrames().length;
    const first = '@维保助手 HIS收费处打不开，门诊收费处，分机1100';
    const second = '@维保助手 输血系统登录报错，输血科，分机7700';
    await h.sim.sendAibotText({ bot: 'demo', serviceUrl: h.url, from: 'nurse_h', chatId: GROUP, text: first, msgId: 'order-1' });
    await h.sim.waitFor((all) => all.some((r) => r.kind === 'aibot_respond_msg' && r.errcode === -1));
    await h.sim.sendAibotText({ bot: 'demo', serviceUrl: h.url, from: 'nurse_i', chatId: GROUP, text: second, msgId: 'order-2' });
    const waiting = { kind: 'aibot_ws', status: 'pending', 'payload.to': GROUP };
    await waitUntil(async () => (await OutboxModel.countDocuments(waiting)) === 2);
    await waitUntil(async () => (await InboxModel.countDocuments({ msgId: { $in: ['order-1', 'order-2'] }, status: 'done' })) === 2);
    // Nothing delivered yet: the first answer waits out its retry delay and the second waits behind it.
    expect(respondFrames().slice(before)).toHaveLength(0);
    h.clock.advance(5 * MIN);
    await waitUntil(() => respondFrames().length >= before + 2);
    const [a, b] = respondFrames()
      .slice(before)
      .map((r) => JSON.stringify(r.body));
    expect(a).toContain('HIS收费处打不开');
    expect(b).toContain('输血系统登录报错');
  });
});

/** Polls a condition the test cannot be told about by an event (bounded, fails loudly). */
async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Issue 5 acceptance through the real callback path: people write to the WeCom simulator (group @bot on the
 * smart bot, 1:1 in the app), the full production service answers through it, and the admin API shows the
 * ticket with its event log.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { calendarFor } from '../../src/sla/calendar.js';
import { local } from '../../src/time.js';
import { type BotHarness, noIn, startBotHarness } from '../bot/helpers.js';

/** The demo roster has 4 engineers; the claim race needs 10, so six more join a copy of the demo bot. */
const EXTRA = Array.from({ length: 6 }, (_, i) => ({ userid: `eng${i + 5}`, name: `工程师${i + 5}`, phone: `1380000010${i}`, skills: [] }));
const ENGINEERS = ['zhangwei', 'liuyang', 'chenjing', 'zhaomin', ...EXTRA.map((e) => e.userid)];

const MIN = 60_000;

/**
 * 08:05 on the first workday after the real today. Agenda fires jobs by the real time: with the clock in the
 * real past, a resolution's auto-close (72 h) would be due at once and race the reporter's confirmation.
 * Every test here stays inside that day's working hours, so the on-duty engineer is the one with the skill.
 */
function nextWorkdayMorning(bot: Parameters<typeof calendarFor>[0]): Date {
  const cal = calendarFor(bot);
  let day = local(new Date()).add(1, 'day').startOf('day');
  while (!cal.isWorkday(day.toDate())) day = day.add(1, 'day');
  return day.hour(8).minute(5).toDate();
}

let h: BotHarness;
beforeAll(async () => {
  const bots = loadBots('bots', {});
  const demo = structuredClone(bots.get('demo'));
  if (!demo) throw new Error('bots/demo.json missing');
  demo.roster.engineers.push(...EXTRA);
  bots.set('demo', demo);
  h = await startBotHarness({ bots, start: nextWorkdayMorning(demo) });
});
afterAll(() => h.stop());
// Each test starts after the storm window (30 min) of the previous one and its idle conversations (10 min).
beforeEach(() => h.clock.advance(31 * MIN));
const types = (t: { events: Array<{ type: string }> }) => t.events.map((e) => e.type);
/** Messages the app sent a user since `from` (an index into dms). */
const dmsSince = (userid: string, from: number) =>
  h
    .dms(userid)
    .slice(from)
    .map((m) => m.text ?? '');

async function report(from: string, text: string): Promise<number> {
  const reply = await h.say(from, text);
  expect(reply).toMatch(/^@\S+ 已登记 #\d+/);
  return noIn(reply);
}

describe('the whole life of a ticket', () => {
  it('report → 接单 → 进展 → 派现场 → 到场 → 解决 → 确认 5 → closed, with the log complete and ordered', async () => {
    const no = await report('nurse_a', 'LIS报告打印不出来，急，检验科，分机8823');
    const heard = h.dms('nurse_a').length;

    // 1:1 in the app: the engineer claims.
    const claimed = await h.sayApp('liuyang', `接单 ${no}`);
    expect(claimed.join()).toContain(`已接单 **#${no}**`);
    // In the group: progress, dispatch, arrival, resolution.
    expect(await h.say('liuyang', `进展 ${no} 正在排查打印服务`)).toContain(`已记录 **#${no}** 进展`);
    expect(await h.say('liuyang', `派现场 #${no}`)).toContain(`已派现场 **#${no}**`);
    h.clock.advance(25 * MIN);
    expect(await h.say('liuyang', `到场 ${no}号`)).toContain(`已登记到场 **#${no}**（用时 25 分钟）`);
    h.clock.advance(20 * MIN);
    const resolved = await h.say('liuyang', `解决 ${no} 原因:打印服务卡死 处理:重启打印服务并清理队列`);
    expect(resolved).toContain(`**#${no}** 已解决`);
    expect(resolved).toContain('已请报修人确认');

    const closing = await h.say('nurse_a', `确认 ${no} 5`);
    expect(closing).toContain(`**#${no}** 已关闭（评分 5 分）`);
    await h.settle();

    const t = await h.ticket(no);
    expect(t).toMatchObject({
      status: 'closed',
      assignee: { userid: 'liuyang', name: '刘洋' },
      repair: { cause: '打印服务卡死', action: '重启打印服务并清理队列', mode: 'onsite' },
      confirmation: { by: 'nurse_a', rating: 5, auto: false },
    });
    expect(types(t)).toEqual(['created', 'claimed', 'progress', 'dispatched', 'arrived', 'resolved', 'confirmed', 'closed']);
    expect(t.events.map((e) => e.actor)).toEqual(['nurse_a', 'liuyang', 'liuyang', 'liuyang', 'liuyang', 'liuyang', 'nurse_a', 'nurse_a']);
    const at = t.events.map((e) => Date.parse(e.at));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(t.sla.response.metAt).toBeTruthy();
    expect(t.sla.onsite?.metAt).toBeTruthy();
    expect(t.sla.resolve.metAt).toBeTruthy();
    expect(Date.parse(t.sla.onsite?.metAt ?? '') - Date.parse(t.events[3].at)).toBe(25 * MIN);

    // The reporter heard about the claim, the arrival, the resolution (once each) and saw the closing once.
    const told = dmsSince('nurse_a', heard);
    const count = (re: RegExp) => told.filter((m) => re.test(m)).length;
    expect(count(new RegExp(`^#${no} 检验系统\\(LIS\\) .*：刘洋（13800000002） 已接单，会在 `))).toBe(1);
    expect(count(new RegExp(`^#${no} .*：刘洋 已到现场`))).toBe(1);
    expect(count(new RegExp(`^#${no} .* 已处理好。`))).toBe(1);
    expect(count(/已关闭/) + (closing?.match(/已关闭/g)?.length ?? 0)).toBe(1);
    // The engineer hears that the reporter closed it.
    expect(h.dms('liuyang').filter((m) => m.text?.startsWith(`#${no} `) && m.text.includes(' 已确认关闭，评分 5 分'))).toHaveLength(1);
  });

  it('未解决 reopens to the same engineer (rejected + reopened), then resolve and confirm again', async () => {
    const no = await report('nurse_b', 'HIS医生站开医嘱报错，心内科，分机6601');
    await h.say('zhangwei', `接单 ${no}`);
    await h.say('zhangwei', `解决 ${no} 原因:缓存异常 处理:清理客户端缓存`);
    const again = await h.sayApp('nurse_b', `未解决 ${no} 还是报错`);
    expect(again.join()).toContain(`**#${no}** 已重新打开，张伟 会继续处理`);
    await h.settle();
    expect(h.dms('zhangwei').some((m) => m.text?.startsWith(`#${no} `) && m.text.includes(' 报修人反馈未解决：还是报错，已重新打开'))).toBe(
      true,
    );
    let t = await h.ticket(no);
    expect(t).toMatchObject({ status: 'claimed', assignee: { userid: 'zhangwei' }, repair: null });
    expect(t.sla.resolve.metAt).toBeNull();

    await h.say('zhangwei', `解决 ${no} 原因:医嘱模板字段缺失 处理:补齐模板字段`);
    expect((await h.sayApp('nurse_b', `确认 ${no} 4`)).join()).toContain('已关闭（评分 4 分）');
    t = await h.ticket(no);
    expect(t).toMatchObject({ status: 'closed', repair: { cause: '医嘱模板字段缺失' }, confirmation: { rating: 4 } });
    expect(types(t)).toEqual(['created', 'claimed', 'resolved', 'rejected', 'reopened', 'resolved', 'confirmed', 'closed']);
    expect(t.sla.resolve.metAt).toBeTruthy();
  });

  it('挂起 / 恢复: the resolution deadline moves by exactly the paused time', async () => {
    const no = await report('nurse_c', '急诊挂号打不开，病人在等，急诊，分机1200');
    await h.say('zhangwei', `接单 ${no}`);
    const before = await h.ticket(no);
    const paused = await h.say('zhangwei', `挂起 ${no} 等待厂家远程支持`);
    expect(paused).toContain(`**#${no}** 已挂起：等待厂家远程支持`);
    expect(paused).toContain(`恢复 ${no}`);
    expect(await h.say('zhangwei', `解决 ${no} 原因:a 处理:b`)).toContain(`请先「恢复 ${no}」`);
    expect((await h.say('nurse_c', `进度 ${no}`)) ?? '').toContain('挂起原因：等待厂家远程支持');

    h.clock.advance(95 * MIN);
    const resumed = await h.say('zhangwei', `恢复 ${no}`);
    expect(resumed).toContain(`**#${no}** 已恢复处理，解决时限顺延至`);
    const after = await h.ticket(no);
    expect(after.status).toBe('claimed');
    expect(after.pause).toBeNull();
    expect(Date.parse(after.sla.resolve.dueAt) - Date.parse(before.sla.resolve.dueAt)).toBe(95 * MIN);
    expect(after.sla.resolve.pausedMs).toBe(95 * MIN);
    expect(types(after).slice(-2)).toEqual(['paused', 'resumed']);
    expect(after.events.at(-1)).toMatchObject({ type: 'resumed', to: 'claimed', pausedMs: 95 * MIN });
    await h.settle();
    const told = h.dms('nurse_c').map((m) => m.text ?? '');
    expect(told.filter((m) => m.startsWith(`#${no} `) && m.includes(' 暂时挂起：等待厂家远程支持'))).toHaveLength(1);
    expect(told.filter((m) => m.startsWith(`#${no} `) && m.includes(' 已恢复处理'))).toHaveLength(1);
  });

  it('转派 @liuyang: the new engineer takes over, both engineers and the reporter are told', async () => {
    const no = await report('nurse_d', 'HIS收费处打不出发票，门诊收费处，分机3300');
    await h.say('zhangwei', `接单 ${no}`);
    const zBefore = h.dms('zhangwei').length;
    const reply = await h.say('zhangwei', `@维保助手 转派 ${no} @liuyang 发票打印机归刘洋负责`);
    expect(reply).toContain(`已将 **#${no}** 转派给 刘洋`);
    await h.settle();
    expect(h.dms('liuyang').filter((m) => m.text?.startsWith(`#${no} `) && m.text.includes(' 已转派给您（来自 张伟）'))).toHaveLength(1);
    expect(h.dms('nurse_d').filter((m) => m.text?.startsWith(`#${no} `) && m.text.includes(' 改由 刘洋（13800000002） 处理'))).toHaveLength(
      1,
    );
    expect(dmsSince('zhangwei', zBefore)).toEqual([]); // he was answered in the chat, not twice
    const t = await h.ticket(no);
    expect(t).toMatchObject({ status: 'claimed', assignee: { userid: 'liuyang', name: '刘洋' } });
    expect(t.events.at(-1)).toMatchObject({
      type: 'transferred',
      actor: 'zhangwei',
      from: { userid: 'zhangwei' },
      to: { userid: 'liuyang' },
      reason: '发票打印机归刘洋负责',
    });
    // The old engineer can no longer work it; the new one can.
    expect(await h.say('zhangwei', `挂起 ${no} 等厂家`)).toBe(`@张伟 #${no} 由 刘洋 负责，如需接手请让其「转派 ${no} @您」`);
    expect(await h.sayApp('liuyang', `派现场 ${no}`)).toEqual([expect.stringContaining(`已派现场 **#${no}**`)]);
  });

  it('a lead hands a ticket over: the engineer who had it is told too', async () => {
    const no = await report('nurse_m', '血透系统透析记录保存失败，血透室，分机3400');
    await h.say('chenjing', `接单 ${no}`);
    const reply = await h.sayApp('wanglei', `转派 ${no} zhaomin 陈静今天休假`);
    expect(reply.join()).toContain(`已将 **#${no}** 转派给 赵敏`);
    await h.settle();
    expect(h.dms('zhaomin').filter((m) => m.text?.startsWith(`#${no} `) && m.text.includes(' 已转派给您（来自 陈静）'))).toHaveLength(1);
    expect(h.dms('chenjing').filter((m) => m.text?.startsWith(`#${no} `) && m.text.includes(' 已由 王磊 转派给 赵敏'))).toHaveLength(1);
    expect(h.dms('nurse_m').filter((m) => m.text?.startsWith(`#${no} `) && m.text.includes(' 改由 赵敏（13800000004） 处理'))).toHaveLength(
      1,
    );
    expect((await h.ticket(no)).assignee).toEqual({ userid: 'zhaomin', name: '赵敏' });
  });
});

describe('details the reporter adds later', () => {
  it('answers after a level-1 ticket opened and a screenshot change the ticket, logged as progress with fields', async () => {
    const reply = await h.say('nurse_n', '全院都登不进去了！！');
    const no = noIn(reply);
    expect(reply).toContain('请问是哪个系统');
    expect(await h.say('nurse_n', '1')).toContain(`已补充到 #${no}`);
    await h.sim.sendApp({
      bot: 'demo',
      serviceUrl: h.url,
      fields: { FromUserName: 'nurse_n', CreateTime: 1, MsgType: 'image', PicUrl: 'https://example.invalid/s.png', MsgId: '900001' },
    });
    await h.settle();
    expect(h.dms('nurse_n').at(-1)?.text).toBe(`图片已附到 #${no}。`);
    const t = await h.ticket(no);
    expect(t).toMatchObject({ system: 'his', level: 1, attachments: [{ kind: 'image', url: 'https://example.invalid/s.png' }] });
    const added = t.events.filter((e) => e.type === 'progress');
    expect(added[0]).toMatchObject({ actor: 'nurse_n', fields: { system: 'his' } });
    expect(added.at(-1)).toMatchObject({ actor: 'nurse_n', fields: {}, attachment: { url: 'https://example.invalid/s.png' } });
  });
});

describe('who may do what', () => {
  it('a lead cancels with a reason; reporter and engineer hear it; the log ends with cancelled', async () => {
    const no = await report('nurse_e', 'EMR病历保存不了，内分泌科，分机5501');
    await h.say('zhangwei', `接单 ${no}`);
    expect(await h.say('wanglei', `取消 ${no}`)).toContain(`请说明取消原因：取消 ${no} <原因>`);
    const reply = await h.sayApp('wanglei', `取消 ${no} 重复报修，已在 #1 处理`);
    expect(reply.join()).toContain(`**#${no}** 已取消`);
    await h.settle();
    for (const u of ['nurse_e', 'zhangwei'])
      expect(h.dms(u).filter((m) => m.text?.startsWith(`#${no} `) && m.text.includes(' 已取消：重复报修'))).toHaveLength(1);
    const t = await h.ticket(no);
    expect(t.status).toBe('cancelled');
    expect(t.events.at(-1)).toMatchObject({ type: 'cancelled', actor: 'wanglei', reason: '重复报修，已在 #1 处理' });
  });

  it('a nurse cannot cancel and a reporter cannot claim: polite Chinese answers, the ticket unchanged', async () => {
    const no = await report('nurse_f', 'PACS影像调阅很慢，放射科，分机7700');
    const before = await h.ticket(no);
    expect(await h.say('nurse_g', `取消 ${no} 不想修了`)).toBe('@nurse_g 抱歉，只有负责人可以取消工单');
    expect((await h.sayApp('nurse_g', `取消 ${no} 好了`)).join()).toBe('抱歉，只有负责人可以取消工单');
    expect(await h.say('nurse_f', `接单 ${no}`)).toBe('@nurse_f 抱歉，只有工程师可以接单');
    expect((await h.sayApp('nurse_g', `接单 ${no}`)).join()).toBe('抱歉，只有工程师可以接单');
    expect(await h.say('nurse_f', `解决 ${no} 原因:x 处理:y`)).toContain('只有工程师');
    const after = await h.ticket(no);
    expect(after).toEqual(before);
  });

  it('illegal steps get a clear answer, not an error', async () => {
    const no = await report('nurse_h', 'LIS条码打印不出来，检验科，分机8824');
    expect(await h.say('liuyang', `到场 ${no}`)).toMatch(/待接单|尚未接单|不能/);
    expect(await h.say('liuyang', `进展 ${no} 看看`)).toContain(`请先「接单 ${no}」`);
    expect(await h.say('nurse_h', `确认 ${no} 5`)).toMatch(/不能/);
    expect(await h.say('liuyang', '接单 99999')).toBe('@刘洋 未找到工单 #99999');
    expect(await h.say('liuyang', '接单')).toContain('请带上工单号');
    expect(types(await h.ticket(no))).toEqual(['created']);
  });
});

describe('ten engineers press 接单 at the same moment', () => {
  it('exactly one claim and one claimed event; the other nine are told who has it', async () => {
    const no = await report('nurse_i', '病理系统切片登记报错，病理科，分机4400');
    const card = (ENGINEERS.flatMap((u) => h.dms(u)).find((m) =>
      String((m.card?.main_title as { title?: string })?.title).startsWith(`#${no}`),
    )?.card ?? {}) as { task_id?: string };
    expect(card.task_id).toBeTruthy();
    // Card buttons clicked in the group (answered in the callback) and in the app, all at once.
    const results = await Promise.all(
      ENGINEERS.map((u, i) =>
        h.sim.sendCardEvent({
          bot: 'demo',
          serviceUrl: h.url,
          channel: i % 2 ? 'app' : 'aibot',
          from: u,
          chatId: i % 2 ? undefined : 'wr_ward_group',
          eventKey: `claim:${no}`,
          taskId: String(card.task_id),
        }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    await h.settle();
    const t = await h.ticket(no);
    expect(t.status).toBe('claimed');
    expect(types(t).filter((x) => x === 'claimed')).toHaveLength(1);
    const winner = t.assignee?.name;
    expect(ENGINEERS).toContain(t.assignee?.userid);
    // Every group click is answered with the card showing who has it.
    for (const r of results.filter((_r, i) => i % 2 === 0)) expect(JSON.stringify(r.reply)).toContain(`已由 ${winner} 接单`);
    // Every app click gets its card updated to the same.
    const updates = h.sim
      .delivered('update_template_card')
      .map((r) => (r.body as { template_card: { task_id: string; sub_title_text: string } }).template_card)
      .filter((c) => c.task_id === card.task_id);
    expect(updates).toHaveLength(5);
    for (const c of updates) expect(c.sub_title_text).toBe(`已由 ${winner} 接单`);
    // The reporter hears about the claim once.
    expect(
      h
        .dms('nurse_i')
        .filter((m) => m.text?.startsWith(`#${no} `) && m.text.includes(`：${winner}（`) && m.text.includes(' 已接单，会在 ')),
    ).toHaveLength(1);
  });

  it('the same race by chat command: one 已接单, nine 已由 … 接单', async () => {
    const no = await report('nurse_j', '心电系统报告传不上去，心电图室，分机4500');
    const replies = await Promise.all(
      ENGINEERS.map(async (u) => {
        const before = h.sim.received('response_url').length;
        await h.sim.sendAibotText({ bot: 'demo', serviceUrl: h.url, from: u, chatId: 'wr_ward_group', text: `接单 ${no}` });
        return before;
      }),
    );
    expect(replies).toHaveLength(10);
    await h.settle();
    const answers = h.sim
      .received('response_url')
      .map((r) => (r.body as { markdown?: { content: string } }).markdown?.content ?? '')
      .filter((m) => m.includes(`#${no}`));
    const t = await h.ticket(no);
    expect(answers.filter((m) => m.includes(`已接单 **#${no}**`))).toHaveLength(1);
    expect(answers.filter((m) => m.endsWith(` #${no} 已由 ${t.assignee?.name} 接单`))).toHaveLength(9);
    expect(types(t)).toEqual(['created', 'claimed']);
  });
});

describe('questions anyone may ask', () => {
  it('进度, 我的工单, 待接单 and 帮助 answer sensibly, for reporters and engineers', async () => {
    const open = await report('nurse_k', '输血系统血袋扫码失败，输血科，分机4600');
    const mine = await report('nurse_k', '重症监护系统体征不刷新，ICU，分机4700');
    await h.say('chenjing', `接单 ${mine}`);

    const status = await h.say('nurse_k', `进度 #${mine}`);
    expect(status).toContain(`**#${mine}** `);
    expect(status).toContain('处理人：陈静');
    expect(status).toContain('解决时限：');
    const unclaimedStatus = (await h.sayApp('nurse_k', `进度 ${open}`)).join();
    expect(unclaimedStatus).toContain('处理人：待接单');
    expect(unclaimedStatus).toContain('响应时限：');

    const list = (await h.sayApp('nurse_k', '我的工单')).join();
    expect(list).toContain(`**#${open}**`);
    expect(list).toContain(`**#${mine}**`);
    expect(await h.say('chenjing', '我的工单')).toContain(`**#${mine}**`);
    expect(await h.say('eng9', '我的工单')).toBe('@工程师9 您目前没有未结的工单');

    const waiting = await h.say('zhaomin', '待接单');
    expect(waiting).toMatch(/^@赵敏 待接单 \d+ 单：/);
    expect(waiting).toContain(`**#${open}**`);
    expect(waiting).not.toContain(`**#${mine}**`);

    const nurseHelp = await h.say('nurse_k', '帮助');
    expect(nurseHelp).toContain('确认 12');
    expect(nurseHelp).not.toContain('接单 12');
    const engHelp = (await h.sayApp('zhangwei', '帮助')).join();
    expect(engHelp).toContain('接单 12');
    expect(engHelp).toContain('解决 12 原因');
    expect(await h.say('wanglei', '帮助')).toContain('取消 12 <原因>');
  });

  it('command answers in the app are sent as markdown (no raw **), plain questions as text', async () => {
    const no = await report('nurse_l', '排队叫号屏不显示，门诊大厅，分机4800');
    const before = h.dms('nurse_l').length;
    await h.sayApp('nurse_l', `进度 ${no}`);
    const [answer] = h.dms('nurse_l').slice(before);
    expect(answer).toMatchObject({ markdown: true });
    expect(answer.text).toContain(`**#${no}**`);
    const small = h.dms('nurse_l').length;
    await h.sayApp('nurse_l', '测试一下');
    expect(h.dms('nurse_l').slice(small)).toEqual([expect.objectContaining({ text: expect.stringContaining('直接描述') })]);
    expect(h.dms('nurse_l').at(-1)?.markdown).toBeUndefined();
  });
});

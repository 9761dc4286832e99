/**
 * Issue #17, part A, through the simulator against the whole service: follow-ups from a reporter with an open
 * ticket (status, chase, complaint, self-recovered close), form slots that validate their answers, dialogs that
 * own their answers, several pending dialogs per user and 巡检 resuming an inspection.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runInspectionsTick } from '../../src/inspections/feature.js';
import { Inspection } from '../../src/inspections/model.js';
import { InboxModel, type InboxDoc, toMessage } from '../../src/wecom/inbox.js';
import { type BotHarness, GROUP, noIn, startBotHarness } from '../bot/helpers.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.stop());
// Each test starts well after the previous one: no incident window, chase interval or idle conversation carries over.
beforeEach(() => h.clock.advance(3 * 3600_000));

const texts = (userid: string) => h.dmTexts(userid);
/** A HIS fault of one bed, one ward: its own 二级 ticket for 张伟 (working hours). */
const report = async (who: string, ward: string) => noIn(await h.say(who, `${ward}3床医嘱下不了，一直转圈圈，${ward}`));

describe('follow-ups from a reporter with an open ticket', () => {
  it('好了吗 / 怎么样了 / 什么时候能修好 get how the ticket stands in plain words, not the greeting', async () => {
    const no = await report('nurse_fa', '心内科');
    for (const text of ['好了吗', '怎么样了', '什么时候能修好？']) {
      const reply = await h.say('nurse_fa', text);
      expect(reply, text).not.toContain('需要报修请 @我');
      expect(reply, text).toContain(`#${no}（HIS·`);
      expect(reply, text).toMatch(/还在等工程师接单，已等 \d+ 分钟；\d\d:\d\d 前会有工程师联系您/);
    }
    await h.say('zhangwei', `接单 ${no}`);
    // Who has it, since when, by when.
    expect(await h.say('nurse_fa', '好了吗')).toMatch(
      new RegExp(`#${no}（HIS·.*）由 张伟 工程师\\S*处理中（\\d\\d:\\d\\d 接单），会在 .+ 前处理好。`),
    );
  });

  it('今天谁值班 from a reporter waiting on a ticket says who is on duty and how their ticket stands', async () => {
    const no = await report('nurse_fb', '肾内科');
    const reply = await h.say('nurse_fb', '今天谁值班');
    expect(reply).toContain('张伟');
    expect(reply).toContain(`#${no}（HIS·`);
  });

  it('a chase nudges the on-duty engineer with the wait; a second one within the interval reaches the backup and the leads once', async () => {
    const no = await report('nurse_fc', '消化科');
    h.clock.advance(52 * 60_000);
    const first = await h.say('nurse_fc', '还没人来');
    expect(first).toMatch(/已催 张伟 工程师\S*尽快处理/);
    expect(first).toContain(`#${no}（HIS·`);
    await h.settle();
    expect(texts('zhangwei').filter((t) => t.startsWith(`报修人在催 #${no} `))).toEqual([
      expect.stringContaining('已等 52 分钟。还没有人接单，请尽快「接单'),
    ]);
    const before = { zhaomin: texts('zhaomin').length, wanglei: texts('wanglei').length, xuli: texts('xuli').length };
    h.clock.advance(10 * 60_000);
    const second = await h.say('nurse_fc', `${no}号单怎么还没人接 病人都透了快一个小时了`);
    expect(second).toContain('并已告知备岗工程师和信息科负责人');
    // A third chase within the interval nudges the engineer again but does not page backup and leads twice.
    h.clock.advance(5 * 60_000);
    await h.say('nurse_fc', '快点 催一下');
    await h.settle();
    for (const who of ['zhaomin', 'wanglei', 'xuli'] as const) {
      const got = texts(who)
        .slice(before[who])
        .filter((t) => t.startsWith('报修人再次催办'));
      expect(got, who).toEqual([
        expect.stringMatching(
          new RegExp(`^报修人再次催办 #${no} .*已等 62 分钟，仍无人接单。可回复「进度 ${no}」查看，「转派 ${no} @工程师」改派。`),
        ),
      ]);
    }
    expect(texts('zhangwei').filter((t) => t.startsWith(`报修人在催 #${no} `))).toHaveLength(3);
    const t = await h.ticket(no);
    expect(t.events.filter((e) => e.type === 'chased')).toHaveLength(3);
    expect(t.status).toBe('open');
  });

  it('a chase or complaint handled again after a crash (same inbox message) is recorded and sent once', async () => {
    const no = await report('nurse_fi', '神经内科');
    h.clock.advance(20 * 60_000);
    await h.say('nurse_fi', '还没人来 你们怎么回事！！');
    await h.settle();
    const stored = await InboxModel.findOne({ text: { $regex: '^还没人来 你们怎么回事' }, 'from.userid': 'nurse_fi' }).lean<InboxDoc>();
    const engine = h.service.ctx.registry.port('conversations').engine;
    await engine.onMessage(toMessage(stored!));
    await h.settle();
    const t = await h.ticket(no);
    expect(t.events.filter((e) => e.type === 'chased')).toHaveLength(1);
    expect(t.events.filter((e) => e.type === 'noted')).toHaveLength(1);
    expect(texts('zhangwei').filter((m) => m.startsWith(`报修人在催 #${no} `))).toHaveLength(1);
  });

  it('once claimed, a chase goes to the assignee', async () => {
    const no = await report('nurse_fd', '呼吸科');
    await h.say('liuyang', `接单 ${no}`);
    await h.settle();
    const reply = await h.say('nurse_fd', '怎么还没到 等了半天了');
    expect(reply).toContain('已催 刘洋 工程师');
    await h.settle();
    expect(texts('liuyang').some((t) => t.startsWith(`报修人在催 #${no} `) && t.includes('请尽快处理并回复「进展'))).toBe(true);
  });

  it('a complaint while the contact is asked is kept as a reporter note, never stored as the contact; the question stays', async () => {
    const opened = await h.say('nurse_fe', '急诊挂号打不开，病人在等');
    const no = noIn(opened);
    expect(opened).toContain('方便留个电话或分机吗');
    const reply = await h.say('nurse_fe', '你们怎么回事 病人等着用血 到现在还没人管！！');
    expect(reply).toContain(`您的意见已记在 #${no} 上`);
    expect(reply).toContain('方便留个电话或分机吗'); // asked again, still pending
    let t = await h.ticket(no);
    expect(t.reporter.contact ?? null).toBeNull();
    expect(t.events.find((e) => e.type === 'noted')).toMatchObject({
      actor: 'nurse_fe',
      text: '你们怎么回事 病人等着用血 到现在还没人管！！',
    });
    // More words that are no phone or extension are not taken either.
    expect(await h.say('nurse_fe', '我要投诉 半天没人理')).toContain('您的意见已记在');
    expect(await h.say('nurse_fe', '分机 8823')).toContain(`已补充到 #${no}`);
    t = await h.ticket(no);
    expect(t.reporter.contact).toBe('8823');
    expect(t.events.filter((e) => e.type === 'noted')).toHaveLength(2);
  });

  it('现在又好了 不卡了 不用来了 offers to close; 1 closes it as the reporter said, with no repair record', async () => {
    const no = await report('nurse_ff', '眼科');
    const offer = await h.say('nurse_ff', '现在又好了 不卡了 不用来了');
    expect(offer).toBe(`@nurse_ff #${no} 已恢复？回复 1 关闭，2 仍需处理`);
    expect(await h.say('nurse_ff', '1')).toContain(`#${no} 已关闭（您告知已恢复）`);
    const t = await h.ticket(no);
    expect(t.status).toBe('cancelled');
    expect(t.repair).toBeNull();
    expect(t.events.at(-1)).toMatchObject({ type: 'cancelled', actor: 'nurse_ff', withdrawn: true, recovered: true });
    await h.settle();
    expect(texts('zhangwei').some((m) => m.startsWith(`#${no} `) && m.includes('报修人告知已恢复，已关闭'))).toBe(true);
  });

  it('a recovery said while the contact is asked closes the ticket, and the contact question is not asked again', async () => {
    const opened = await h.say('nurse_fj', '急诊挂号打不开，病人在等');
    expect(opened).toContain('方便留个电话或分机吗');
    const no = noIn(opened);
    expect(await h.say('nurse_fj', '现在又好了 不用来了')).toContain(`#${no} 已恢复？回复 1 关闭，2 仍需处理`);
    const closed = await h.say('nurse_fj', '1');
    expect(closed).toContain(`#${no} 已关闭`);
    expect(closed).not.toContain('电话');
    expect((await h.ticket(no)).status).toBe('cancelled');
    // The next plain message is not taken as a contact for the closed ticket.
    expect(await h.say('nurse_fj', '8823')).not.toContain(`已补充到 #${no}`);
  });

  it('恢复了 / 可以用了 offer the close too; 2 keeps the ticket with the engineer', async () => {
    const a = await report('nurse_fg', '骨科');
    expect(await h.say('nurse_fg', '恢复了')).toContain(`#${a} 已恢复？回复 1 关闭，2 仍需处理`);
    expect(await h.say('nurse_fg', '2')).toContain(`#${a} 继续处理`);
    expect((await h.ticket(a)).status).toBe('open');
    expect(await h.say('nurse_fg', '可以用了')).toContain(`#${a} 已恢复？`);
    expect(await h.say('nurse_fg', '关闭')).toContain('已关闭');
    expect((await h.ticket(a)).status).toBe('cancelled');
  });

  it('还没好 is no recovery, and a new fault of another system from the same reporter is a new report', async () => {
    const no = await report('nurse_fh', '儿科');
    expect(await h.say('nurse_fh', '还没好')).not.toContain('已恢复？');
    const before = (await h.tickets()).total;
    const other = await h.say('nurse_fh', 'LIS报告打印不出来，儿科');
    expect(other).toMatch(/已登记 #\d+（检验系统\(LIS\)/);
    expect(noIn(other)).not.toBe(no);
    expect((await h.tickets()).total).toBe(before + 1);
  });
});

describe('form slots validate their answers', () => {
  it('a place is a place: a greeting is asked again, an unseen department name is taken', async () => {
    const q = await h.say('nurse_ga', 'LIS报告打印不出来');
    expect(q).toContain('哪个科室');
    expect(await h.say('nurse_ga', '你好')).toContain('请回复科室或地点名称');
    const done = await h.say('nurse_ga', '老年病科');
    expect(done).toMatch(/已登记 #\d+（检验系统\(LIS\)/);
    expect((await h.ticket(noIn(done))).reporter.department).toBe('老年病科');
  });

  it('a follow-up while a place is asked is answered and the question stays', async () => {
    const no = await report('nurse_gb', '皮肤科');
    const q = await h.say('nurse_gb', 'LIS报告打印不出来');
    expect(q).toContain('哪个科室');
    const reply = await h.say('nurse_gb', `${no}号单怎么还没人接`);
    expect(reply).toContain(`#${no}（HIS·`);
    expect(reply).toContain('请问是哪个科室/地点？');
    expect(await h.say('nurse_gb', '皮肤科')).toMatch(/已登记 #\d+（检验系统\(LIS\)/);
  });
});

describe('dialogs own their answers', () => {
  it("the engineer's cause after 故障原因是什么？ is the cause, and the ticket gets resolved", async () => {
    const no = noIn(await h.say('nurse_ha', '病理报告发不出去，病理科'));
    await h.say('liuyang', `接单 ${no}`);
    const before = (await h.tickets()).total;
    expect(await h.say('liuyang', `解决 ${no}`)).toContain(`#${no} 的故障原因是什么？`);
    const q = await h.say('liuyang', '病理报告发送服务卡住');
    expect(q).toContain('做了什么处理');
    expect(q).not.toContain('科室');
    expect(await h.say('liuyang', '重启发送服务，补发积压报告')).toContain(`**#${no}** 已解决`);
    const t = await h.ticket(no);
    expect(t.status).toBe('resolved');
    expect(t.repair).toMatchObject({ cause: '病理报告发送服务卡住', action: '重启发送服务，补发积压报告' });
    expect((await h.tickets()).total).toBe(before);
  });

  it('a report-like answer to the action question is the action too', async () => {
    const no = noIn(await h.say('nurse_hb', 'HIS收费处打印发票报错，门诊收费处'));
    await h.say('zhangwei', `接单 ${no}`);
    await h.say('zhangwei', `解决 ${no}`);
    await h.say('zhangwei', '发票打印模板被覆盖');
    expect(await h.say('zhangwei', 'HIS打印模板恢复后门诊收费处可以正常打印')).toContain(`**#${no}** 已解决`);
    expect((await h.ticket(no)).repair?.action).toBe('HIS打印模板恢复后门诊收费处可以正常打印');
  });
});

/** Moves the clock to `iso`, runs the inspection tick, and returns what 张伟 was sent by it. */
async function inspectionsStartedAt(iso: string): Promise<string[]> {
  h.clock.set(iso);
  const seen = texts('zhangwei').length;
  await runInspectionsTick(h.service.ctx);
  await h.settle();
  return texts('zhangwei').slice(seen);
}

describe('several pending dialogs per user', () => {
  it('a checklist waiting in the app chat survives a 解决 dialog and resumes after it; 巡检 brings it back', async () => {
    expect((await inspectionsStartedAt('2026-12-01T09:00:00+08:00')).some((t) => t.includes('（1/12）数据库服务器错误日志检查'))).toBe(
      true,
    );
    const no = noIn(await h.say('nurse_ia', 'HIS门诊医生站开不了处方，门诊部'));
    await h.say('zhangwei', `接单 ${no}`);

    expect((await h.sayApp('zhangwei', `解决 ${no}`)).join()).toContain('故障原因是什么');
    // 巡检 while the 解决 dialog is in front: the checklist's item, and the next answer goes there.
    const resumed = (await h.sayApp('zhangwei', '巡检')).join();
    expect(resumed).toContain('HIS月度巡检（2026-12）');
    expect(resumed).toContain('（1/12）');
    expect((await h.sayApp('zhangwei', '1')).join()).toContain('（2/12）');
    // The 解决 dialog was kept underneath: it comes back once the checklist is done.
    const done = (await h.sayApp('zhangwei', '全部正常')).join();
    expect(done).toContain('已完成');
    expect(done).toContain(`#${no} 的故障原因是什么？`);
    expect((await h.sayApp('zhangwei', '门诊处方模块缓存失效')).join()).toContain('做了什么处理');
    expect((await h.sayApp('zhangwei', '清理缓存并重启应用')).join()).toContain(`#${no}** 已解决`);
    expect((await Inspection.findOne({ plan: 'monthly-his', period: '2026-12' }).lean())?.status).toBe('done');
  });

  it('a checklist item pending, a 解决 dialog run to the end: the next 1 answers the checklist', async () => {
    expect(
      (await inspectionsStartedAt('2027-01-01T09:00:00+08:00')).some(
        (t) => t.includes('开始「月度巡检（系统安全检查）」') && t.includes('（1/12）'),
      ),
    ).toBe(true);
    const no = noIn(await h.say('nurse_ib', 'HIS住院收费结算报错，住院收费处'));
    await h.say('zhangwei', `接单 ${no}`);
    await h.sayApp('zhangwei', `解决 ${no}`);
    await h.sayApp('zhangwei', '结算接口超时');
    const end = (await h.sayApp('zhangwei', '调整超时并重试结算')).join();
    expect(end).toContain(`#${no}** 已解决`);
    expect(end).toContain('（继续「月度巡检（系统安全检查）」）');
    expect(end).toContain('（1/12）');
    expect((await h.sayApp('zhangwei', '1')).join()).toContain('（2/12）');
    // 巡检 after the checklist went idle past its time: sent again with the answer it had.
    h.clock.advance(8 * 24 * 3600_000);
    const again = (await h.sayApp('zhangwei', '巡检')).join('\n');
    expect(again).toContain('已答 1 项，接着回答');
    expect(again).toContain('（2/12）');
  });

  it('a report form in a group is kept while the same user runs a command there', async () => {
    const q = await h.say('nurse_ic', 'LIS报告打印不出来');
    expect(q).toContain('哪个科室');
    expect(await h.say('nurse_ic', '我的工单')).not.toContain('哪个科室');
    expect(await h.say('nurse_ic', '检验科')).toMatch(/已登记 #\d+（检验系统\(LIS\)/);
  });

  it('巡检 with no open inspection says so', async () => {
    expect((await h.sayApp('chenjing', '巡检')).join()).toContain('没有进行中的巡检');
    expect(await h.say('chenjing', '巡检', GROUP)).toContain('没有进行中的巡检');
  });
});

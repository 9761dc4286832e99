/**
 * Issue 17, lead alerts: the leads (王磊, 徐丽) hear once about what needs their decision — a 一级 opened or raised,
 * an incident declared or grown, a 一级 paused, a resolution rejected, a low rating with its comment, a breach (with
 * what a lead can do: 进度, 转派; never 接单) and a late ticket finally claimed (also told to the group). Everything
 * through the simulator against the whole service, from the harness's Wednesday 10:00 (working hours: HIS goes to
 * 张伟, LIS to 刘洋, the backup is 赵敏).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { parseInstant } from '../../src/time.js';
import { type BotHarness, noIn, startBotHarness, webhookTexts } from '../bot/helpers.js';

let h: BotHarness;
beforeAll(async () => {
  const bots = loadBots('bots', {});
  // A smaller growth step than the demo's [10, 20, 50], so a handful of reports shows it.
  bots.get('demo')!.incidents.growthAlerts = [4, 8];
  h = await startBotHarness({ bots });
});
afterAll(() => h.stop());

const LEADS = ['wanglei', 'xuli'];
/** The alerts of one kind about one ticket a lead received ("【一级报修】#3"). */
const alerts = (lead: string, head: string, no: number) => h.dms(lead).filter((m) => m.text?.includes(`${head}#${no}`) ?? false);
/** Everything a lead received that names the ticket. */
const aboutTicket = (lead: string, no: number) => h.dms(lead).filter((m) => new RegExp(`#${no}(?!\\d)`).test(m.text ?? ''));

async function report(from: string, text: string): Promise<number> {
  const reply = await h.say(from, text);
  expect(reply).toMatch(/^@\S+ 已登记 #\d+/);
  await h.settle();
  return noIn(reply);
}

describe('lead alerts, once each', () => {
  let urgent: number;
  let raised: number;

  it('a 一级 report: each lead once, naming who was paged and what a lead can do (never 接单); a 二级 report tells no lead', async () => {
    urgent = await report('n_sf', '门诊收费处 HIS结算不了 窗口排了好多病人');
    expect((await h.ticket(urgent)).level).toBe(1);
    for (const lead of LEADS) {
      const got = alerts(lead, '【一级报修】', urgent);
      expect(got).toHaveLength(1);
      expect(got[0].text).toContain('已通知 张伟');
      expect(got[0].text).toContain(`「进度 ${urgent}」`);
      expect(got[0].text).toContain(`「转派 ${urgent} @赵敏」`);
      expect(got[0].text).not.toMatch(/(?<!待)接单/);
    }
    raised = await report('n_xn', '心内科 HIS 开医嘱报错，分机6601');
    expect((await h.ticket(raised)).level).toBe(2);
    for (const lead of LEADS) expect(aboutTicket(lead, raised)).toHaveLength(0);
  });

  it('改级 to 一级: each lead once with who and why; a lead who raised it is not told about their own change', async () => {
    expect(await h.say('zhangwei', `改级 ${raised} 1 影响全院门诊`)).toContain(`**#${raised}** 已改为一级`);
    await h.settle();
    for (const lead of LEADS) {
      const got = alerts(lead, '【升为一级】', raised);
      expect(got).toHaveLength(1);
      expect(got[0].text).toMatch(/张伟 从二级改为一级：影响全院门诊/);
    }
    const other = await report('n_ek', '儿科 HIS 护士站执行医嘱报错，分机6602');
    expect(await h.say('wanglei', `改级 ${other} 1 儿科抢救在等`)).toContain('已改为一级');
    await h.settle();
    expect(alerts('wanglei', '【升为一级】', other)).toHaveLength(0);
    expect(alerts('xuli', '【升为一级】', other)).toHaveLength(1);
    // Lowering is not an alert.
    await h.say('zhangwei', `改级 ${other} 2 已有替代流程`);
    await h.settle();
    for (const lead of LEADS) expect(aboutTicket(lead, other).filter((m) => /改为二级/.test(m.text ?? ''))).toHaveLength(0);
  });

  it('a 一级 paused: each lead once, with the reason; a 二级 paused tells no lead', async () => {
    await h.say('zhangwei', `接单 ${urgent}`);
    expect(await h.say('zhangwei', `挂起 ${urgent} 等待医保中心恢复接口`)).toContain('已挂起');
    await h.settle();
    for (const lead of LEADS) {
      const got = alerts(lead, '【一级挂起】', urgent);
      expect(got).toHaveLength(1);
      expect(got[0].text).toContain('原因：等待医保中心恢复接口');
      expect(got[0].text).not.toMatch(/(?<!待)接单/);
    }
    const minor = await report('n_gk', '骨科 HIS 打印腕带报错，分机6603');
    await h.say('zhangwei', `接单 ${minor}`);
    await h.say('zhangwei', `挂起 ${minor} 等待厂家远程`);
    await h.settle();
    for (const lead of LEADS) expect(alerts(lead, '【一级挂起】', minor)).toHaveLength(0);
  });

  it('a resolution rejected: each lead once with the reporter’s words; a rating of 2 with its comment: each lead once', async () => {
    await h.say('zhangwei', `解决 ${raised} 原因:医嘱模板缓存 处理:清缓存`);
    expect(await h.say('n_xn', `未解决 ${raised} 还是报错`)).toContain(`#${raised}`);
    await h.settle();
    for (const lead of LEADS) {
      const got = alerts(lead, '【解决后重新打开】', raised);
      expect(got).toHaveLength(1);
      expect(got[0].text).toContain('反馈未解决：还是报错');
    }
    await h.say('zhangwei', `解决 ${raised} 原因:医嘱模板损坏 处理:重建模板`);
    // The reporter answers the confirmation in the app chat in her own words.
    await h.sayApp('n_xn', '好了 但是太慢了 2分');
    const t = await h.ticket(raised);
    expect(t.status).toBe('closed');
    expect(t.confirmation).toMatchObject({ rating: 2, comment: expect.stringContaining('但是太慢了') });
    for (const lead of LEADS) {
      const got = alerts(lead, '【低评分】', raised);
      expect(got).toHaveLength(1);
      expect(got[0].text).toMatch(/评分 2 分：.*但是太慢了/);
    }
    // A good rating is nobody's alarm.
    const fine = await report('n_fk', '妇产科 HIS 打印费用清单报错，分机6604');
    await h.say('zhangwei', `解决 ${fine} 原因:模板 处理:修正`);
    await h.say('n_fk', `确认 ${fine} 5 谢谢`);
    await h.settle();
    for (const lead of LEADS) expect(alerts(lead, '【低评分】', fine)).toHaveLength(0);
  });

  it('a breach: leads are offered 转派/进度 (not 接单), the engineer and the group 接单; the backup is told though 75 % was jumped over; the late claim is told to the group and the leads once', async () => {
    h.clock.set(parseInstant('2026-11-18T13:00:00+08:00') as Date);
    const late = await report('n_pf', '皮肤科 HIS 开检查单报错，分机6605');
    expect((await h.ticket(late)).level).toBe(2);
    // One jump past the response deadline (1 h): the 50 % and 75 % steps never spoke on their own.
    h.clock.set(parseInstant('2026-11-18T14:01:00+08:00') as Date);
    await h.service.ctx.scheduler.runDue();
    const breachOf = (u: string) => h.dms(u).filter((m) => m.text?.includes('🔴 响应超时') && m.text.includes(`#${late} `));
    await h.sim.waitFor(() => [...LEADS, 'zhangwei', 'zhaomin'].every((u) => breachOf(u).length > 0), { timeoutMs: 15_000 });
    await h.settle();
    for (const lead of LEADS) {
      const [got, ...more] = breachOf(lead);
      expect(more).toHaveLength(0);
      expect(got.text).toContain(`「转派 ${late} @赵敏」`);
      expect(got.text).toContain(`「进度 ${late}」`);
      expect(got.text).not.toMatch(/(?<!待)接单/);
    }
    expect(breachOf('zhangwei')).toHaveLength(1);
    expect(breachOf('zhangwei')[0].text).toContain(`接单 ${late}`);
    expect(breachOf('zhaomin')).toHaveLength(1);
    const posts = () => webhookTexts(h.sim).filter((p) => p.includes(`#${late} `));
    expect(posts().filter((p) => p.includes('🔴 响应超时'))).toHaveLength(1);
    expect(posts().find((p) => p.includes('🔴 响应超时'))).toContain(`接单 ${late}`);

    h.clock.set(parseInstant('2026-11-18T14:10:00+08:00') as Date);
    await h.say('zhangwei', `接单 ${late}`);
    await h.settle();
    const claimedPosts = posts().filter((p) => p.includes('已接单，正在处理'));
    expect(claimedPosts).toHaveLength(1);
    expect(claimedPosts[0]).toMatch(/张伟 已接单，正在处理（响应超时 10 分钟）/);
    for (const lead of LEADS) {
      const got = alerts(lead, '【超时后接单】', late);
      expect(got).toHaveLength(1);
      expect(got[0].text).toContain('张伟 已接单（响应超时 10 分钟');
    }
    // A ticket claimed in time makes no such note.
    const onTime = await report('n_sj', '消化科 HIS 打印处方报错，分机6606');
    await h.say('zhangwei', `接单 ${onTime}`);
    await h.settle();
    expect(webhookTexts(h.sim).filter((p) => p.includes(`#${onTime} `) && p.includes('已接单，正在处理'))).toHaveLength(0);
  });

  it('an incident: declared once, grown past 4 reporters once, even when a report is split off and merged back', async () => {
    h.clock.set(parseInstant('2026-11-18T15:00:00+08:00') as Date);
    const first = await h.say('lab_a', 'LIS全部登不上了 整个检验科都进不去');
    const incident = noIn(first);
    await h.settle();
    const depts = ['急诊科', '儿科', '骨科', '眼科'];
    const linked: number[] = [];
    for (const [i, dept] of depts.entries()) {
      h.clock.advance(60_000);
      const reply = await h.say(`lab_${i}`, `${dept} LIS也登不进去了 大家都登不上`);
      expect(reply).toMatch(new RegExp(`已知悉，这是 LIS .*故障（#${incident}，`));
      linked.push(Number(/您的报修记为 #(\d+)/.exec(reply ?? '')![1]));
    }
    await h.settle();
    expect((await h.ticket(incident)).reporterCount).toBe(5);
    for (const lead of LEADS) {
      expect(alerts(lead, '【故障事件】', incident)).toHaveLength(1);
      const grown = alerts(lead, '【故障事件扩大】', incident);
      expect(grown).toHaveLength(1);
      expect(grown[0].text).toMatch(/报告人数已达 4 人/);
      expect(grown[0].text).not.toMatch(/(?<!待)接单/);
    }
    // Down to 4 and back to 5: the 4 was told already.
    await h.say('liuyang', `拆分 ${incident} ${linked[3]}`);
    await h.say('liuyang', `合并 ${linked[3]} 到 ${incident}`);
    await h.settle();
    expect((await h.ticket(incident)).reporterCount).toBe(5);
    for (const lead of LEADS) expect(alerts(lead, '【故障事件扩大】', incident)).toHaveLength(1);
  });
});

/**
 * Issue 17, outage scenario: reports keep their own records, and only evidence links them to an incident.
 * Everything goes through the simulator against the whole service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, noIn, startBotHarness, webhookTexts } from '../bot/helpers.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.stop());

const OUTAGE: Array<[string, string]> = [
  ['n_zy', 'HIS全部登不上了！！整个住院部都进不去'],
  ['n_jz', '急诊科 HIS也登不进去了，所有电脑都进不去'],
  ['n_ek', '儿科 his进不去了 大家都登不上'],
  ['n_gk', '骨科HIS登不上'],
  ['n_yk', '眼科 his 登录不了'],
];

const auth = { headers: { authorization: 'Bearer test-admin-token' } };
const cardsFor = (no: number) =>
  h.sim.delivered('message/send').filter((r) => r.body?.msgtype === 'template_card' && JSON.stringify(r.body).includes(`"claim:${no}"`));

describe('outage: one bed, one user and a different symptom stay apart; the outage is one incident', () => {
  let bed: number;
  let save: number;
  let password: number;
  let incident: number;
  const reports = new Map<string, number>();

  it('the one-bed report, the prescription-save error and the single-user password problem are separate tickets', async () => {
    expect(await h.say('n_xn', '3床病人医嘱下不了 一直转圈圈')).toMatch(/科室/);
    bed = noIn(await h.say('n_xn', '心内科'));
    h.clock.advance(60_000);
    save = noIn(await h.say('d_mz', '门诊医生站开不了处方，点保存就报错'));
    h.clock.advance(60_000);
    expect(await h.say('d_xh', 'his登布进去了 提示密码错吴 但是密码是对的啊')).toMatch(/科室/);
    password = noIn(await h.say('d_xh', '消化科'));
    expect(new Set([bed, save, password]).size).toBe(3);
    for (const no of [bed, save, password]) {
      const t = await h.ticket(no);
      expect(t.status).toBe('open');
      expect(t.parentNo).toBeNull();
      expect(cardsFor(no)).toHaveLength(1);
    }
  });

  it('whole-ward reports form one incident at 一级 with the right counts, one page, one lead alert, one group post', async () => {
    const groupBefore = webhookTexts(h.sim).length;
    for (const [user, text] of OUTAGE) {
      h.clock.advance(60_000);
      const reply = await h.say(user, text);
      // The first outage report declares the incident; the others join it.
      // Plain words for the reporter (issue #16): what, how wide, who is on it; no level, no 响应时限.
      if (incident === undefined) expect(reply).toMatch(/^@\S+ 已登记，这是 HIS 全院故障（#\d+），已通知 张伟 工程师，恢复后会通知您。/);
      else expect(reply).toMatch(/^@\S+ 已知悉，这是 HIS (全院|大面积)故障（#\d+，已有 \d+ (人|个科室)报告），已通知 张伟 工程师/);
      expect(reply).not.toMatch(/一级|紧急|响应时限|判定依据/);
      const m = /您的报修记为 #(\d+)/.exec(reply ?? '');
      expect(m).not.toBeNull();
      reports.set(user, Number(m![1]));
      incident ??= noIn(reply);
      expect(noIn(reply)).toBe(incident);
    }
    const inc = await h.ticket(incident);
    expect(inc.kind).toBe('incident');
    expect(inc.level).toBe(1);
    expect(inc.reporterCount).toBe(5);
    expect(new Set(inc.departments)).toEqual(new Set(['住院部', '急诊科', '儿科', '骨科', '眼科']));
    expect(inc.title).toMatch(/^HIS 多科室无法登录（5 人\/5 科室报告）$/);
    expect(inc.incident?.reports.map((r) => r.no).sort()).toEqual([...reports.values()].sort());
    // Each report keeps its own record: reporter, department, words, time.
    for (const [user, no] of reports) {
      const t = await h.ticket(no);
      expect(t.reporter.userid).toBe(user);
      expect(t.status).toBe('linked');
      expect(t.parentNo).toBe(incident);
      expect(cardsFor(no)).toHaveLength(0);
    }
    // The earlier separate tickets were not swept in.
    for (const no of [bed, save, password]) expect((await h.ticket(no)).parentNo).toBeNull();

    await h.settle();
    expect(cardsFor(incident)).toHaveLength(1); // the on-duty primary (张伟), once
    expect(h.dms('zhaomin').filter((m) => m.text?.includes(`#${incident}`))).toHaveLength(1); // the backup, once
    for (const lead of ['wanglei', 'xuli']) {
      const alerts = h.dms(lead).filter((m) => m.text?.includes(`【故障事件】#${incident}`));
      expect(alerts).toHaveLength(1);
      expect(alerts[0].text).not.toMatch(/接单/);
    }
    const posts = webhookTexts(h.sim).slice(groupBefore);
    expect(posts.filter((p) => p.includes(`#${incident}`))).toHaveLength(1);
    expect(posts.find((p) => p.includes(`#${incident}`))).toMatch(/HIS 故障已知悉.*张伟 处理中.*请勿重复报修/s);
  });

  it('a later one-bed report of the same system stays its own ticket and is told about the incident', async () => {
    h.clock.advance(60_000);
    const reply = await h.say('n_hx', '呼吸科 5床的医嘱HIS里打不开');
    expect(reply).toMatch(/^@\S+ 已登记 #\d+/);
    expect(reply).toContain(`同时 HIS 有 #${incident}`);
    expect((await h.ticket(noIn(reply))).parentNo).toBeNull();
  });

  it('拆分 detaches a report into its own ticket; 合并 links one', async () => {
    const gk = reports.get('n_gk')!;
    const reply = await h.say('zhangwei', `拆分 ${incident} ${gk}`);
    expect(reply).toContain(`已将 #${gk} 从 #${incident} 拆分`);
    const t = await h.ticket(gk);
    expect(t.status).toBe('open');
    expect(t.parentNo).toBeNull();
    expect((await h.ticket(incident)).reporterCount).toBe(4);
    await h.settle();
    expect(cardsFor(gk)).toHaveLength(1); // paged as a ticket of its own now

    expect(await h.say('n_gk', `拆分 ${incident} ${reports.get('n_ek')}`)).toMatch(/只有工程师/);
    const merged = await h.say('zhangwei', `合并 ${save} 到 ${incident}`);
    expect(merged).toContain(`已将 #${save} 并入故障事件 #${incident}`);
    expect((await h.ticket(save)).status).toBe('linked');
    const inc = await h.ticket(incident);
    expect(inc.reporterCount).toBe(5);
    expect(inc.title).toContain('5 人');
    await h.settle();
    expect(h.dms('d_mz').filter((m) => m.text?.includes(`已并入 #${incident}`))).toHaveLength(1);
  });

  it("each reporter's 我的工单 shows their own report with its incident", async () => {
    for (const user of ['n_zy', 'n_jz', 'n_ek', 'n_yk']) {
      const [list] = await h.sayApp(user, '我的工单');
      expect(list).toContain(`#${reports.get(user)}`);
      expect(list).toContain(`并入故障事件 #${incident}`);
      expect(list).not.toMatch(new RegExp(`\\*\\*#${incident}\\*\\*`));
    }
  });

  it('resolving the incident resolves every linked report and tells each reporter once', async () => {
    await h.say('zhangwei', `接单 ${incident}`);
    await h.say('zhangwei', `解决 ${incident} 原因:数据库连接池耗尽 处理:重启应用服务器`);
    await h.settle();
    const linked = [...['n_zy', 'n_jz', 'n_ek', 'n_yk'].map((u) => reports.get(u)!), save];
    for (const no of linked) {
      const t = await h.ticket(no);
      expect(t.status).toBe('resolved');
      expect(t.repair?.cause).toBe('数据库连接池耗尽');
    }
    for (const user of ['n_zy', 'n_jz', 'n_ek', 'n_yk', 'd_mz']) {
      expect(h.dms(user).filter((m) => m.text?.includes(' 已处理好。'))).toHaveLength(1);
    }
    expect((await h.ticket(incident)).status).toBe('closed');
    // The split-off report was not resolved with it.
    expect((await h.ticket(reports.get('n_gk')!)).status).toBe('open');
  });

  it('a linked reporter who says it is not fixed gets a ticket of their own; after closure, a new one from their report', async () => {
    const zy = reports.get('n_zy')!;
    const reopened = await h.say('n_zy', `未解决 ${zy} 还是登不上`);
    expect(reopened).toContain(`#${zy}`);
    expect(reopened).toContain('单独登记');
    const t = await h.ticket(zy);
    expect(t.status).toBe('open');
    expect(t.parentNo).toBeNull();

    const jz = reports.get('n_jz')!;
    await h.say('n_jz', `确认 ${jz} 5`);
    expect((await h.ticket(jz)).status).toBe('closed');
    const again = await h.say('n_jz', `未解决 ${jz} 又登不上了`);
    expect(again).toMatch(new RegExp(`#${jz} 已随 #${incident} 关闭，已按您的报修重新登记 \\*\\*#(\\d+)\\*\\*`));
    const fresh = await h.ticket(Number(/重新登记 \*\*#(\d+)/.exec(again!)![1]));
    expect(fresh.reporter.userid).toBe('n_jz');
    expect(fresh.system).toBe('his');
    expect(fresh.status).toBe('open');
  });

  it('after the incident, the next outage is a new incident', async () => {
    h.clock.advance(60_000);
    const reply = await h.say('n_zy2', 'HIS全部登不上了 整个病区都进不去');
    expect(reply).toMatch(/^@\S+ 已登记，这是 HIS 全院故障（#\d+）/);
    expect(noIn(reply)).not.toBe(incident);
  });

  it('reports count linked reports as merged, and the incident shows once in the SLA figures', async () => {
    const res = await fetch(`${h.url}/api/reports/sla?bot=demo&month=2026-11`, auth);
    const report = (await res.json()) as { totals: { tickets: number; merged: number } };
    const { items } = await h.tickets();
    const counted = items.filter((t) => t.parentNo === null && t.status !== 'cancelled');
    expect(report.totals.tickets).toBe(counted.length);
    expect(report.totals.merged).toBe(items.filter((t) => t.parentNo !== null).length);
  });
});

describe('incident by threshold', () => {
  it('reports not limited to one bed from 3 reporters in 2 departments within 15 minutes declare an incident', async () => {
    const first = await h.say('lab1', '检验科 LIS 报告打印不出来');
    h.clock.advance(2 * 60_000);
    const second = await h.say('lab2', '检验科 LIS 报告也打印不出来');
    expect(first).toMatch(/^@\S+ 已登记/);
    expect(second).toMatch(/^@\S+ 已登记/);
    h.clock.advance(2 * 60_000);
    const third = await h.say('er1', '急诊科 LIS报告打印不了');
    expect(third).toMatch(
      /^@\S+ 已登记，这是 LIS 大面积故障（#\d+，已有 2 个科室报告），已通知 刘洋 工程师，恢复后会通知您。（您的报修记为 #\d+）$/,
    );
    const inc = await h.ticket(noIn(third));
    expect(inc.kind).toBe('incident');
    expect(inc.level).toBe(1);
    expect(inc.reporterCount).toBe(3);
    for (const no of [noIn(first), noIn(second)]) expect((await h.ticket(no)).parentNo).toBe(inc.no);
    await h.settle();
    expect(h.dms('lab1').filter((m) => m.text?.includes(`已并入 #${inc.no}`))).toHaveLength(1);
  });

  it('reports of one symptom spread beyond the window do not', async () => {
    const a = await h.say('rad1', '放射科 PACS 图像调阅很慢');
    h.clock.advance(16 * 60_000);
    const b = await h.say('rad2', '急诊科 PACS 图像很慢');
    h.clock.advance(16 * 60_000);
    const c = await h.say('rad3', '骨科 PACS 图像很卡');
    for (const r of [a, b, c]) expect(r).toMatch(/^@\S+ 已登记/);
  });
});

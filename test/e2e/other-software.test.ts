/**
 * Issue 17, scope routing: a clinical or office system the contract's catalog does not name (手麻, 院感, OA, 营养膳食 …)
 * is "other software" — a real ticket to the on-duty engineer, with the reporter's name for it kept — never the
 * 信息科's hardware referral. A 一级 report never waits for the system answer. Through the simulator against the
 * whole service, on the harness's Wednesday 10:00 (working hours: other software is 陈静's, the backup 赵敏).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, noIn, startBotHarness } from '../bot/helpers.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.stop());

const cardsFor = (no: number) =>
  h.sim.delivered('message/send').filter((r) => r.body?.msgtype === 'template_card' && JSON.stringify(r.body).includes(`"claim:${no}"`));
const cardTo = (no: number) => cardsFor(no).map((r) => r.body?.touser);

describe('unknown clinical systems are other software', () => {
  it('手麻系统进不去 with surgery about to start: a 一级 ticket at once on other software, paged to the on-duty engineer, not the 信息科', async () => {
    const reply = await h.say('n_ss', '急！！！手麻系统进不去 手术马上要开始了 3号手术间');
    // Opened first, no system quiz before it.
    expect(reply).toMatch(/^@n_ss 已登记 #\d+（手麻系统（其他软件）·/);
    expect(reply).toContain('陈静 工程师');
    const t = await h.ticket(noIn(reply));
    expect(t).toMatchObject({ level: 1, system: 'software', systemLabel: '手麻系统', status: 'open', parentNo: null });
    expect(t.events.map((e) => e.type)).toEqual(['created']);
    await h.settle();
    expect(cardTo(t.no)).toEqual(['chenjing']);
    expect(h.dms('wanglei').filter((m) => m.text?.includes(`【转信息科】#${t.no}`))).toHaveLength(0);
    // A 一级: the leads hear it, named as the reporter named it.
    expect(h.dms('xuli').filter((m) => m.text?.includes(`【一级报修】#${t.no} 手麻系统（其他软件）`))).toHaveLength(1);
  });

  const OTHERS: Array<[string, string, string, string]> = [
    ['n_yg', '院感系统登不上了 上报不了', '感染管理科', '院感系统'],
    ['n_oa', 'OA登不上了 公文批不了', '医务科', 'OA'],
    ['n_ys', '营养膳食系统点不了餐 病人的饭订不了', '营养科', '营养膳食系统'],
  ];
  for (const [user, text, dept, label] of OTHERS) {
    it(`${text}: other software named ${label}, paged to the on-duty engineer`, async () => {
      let reply = await h.say(user, text);
      if (reply && /科室|地点/.test(reply)) reply = await h.say(user, dept);
      expect(reply).toMatch(new RegExp(`^@${user} 已登记 #\\d+（${label}（其他软件）·`));
      const t = await h.ticket(noIn(reply));
      expect(t).toMatchObject({ system: 'software', systemLabel: label, status: 'open' });
      await h.settle();
      expect(cardTo(t.no)).toEqual(['chenjing']);
    });
  }

  it('the system question offers 其他软件 and accepts a free name, which the ticket keeps', async () => {
    const q = await h.say('n_fq', '系统报错，保存不了');
    expect(q).toContain('请问是哪个系统');
    expect(q).toMatch(/\d+ 其他软件/);
    const next = await h.say('n_fq', '消毒供应追溯系统');
    expect(next).toContain('哪个科室');
    const reply = await h.say('n_fq', '消毒供应中心');
    const t = await h.ticket(noIn(reply));
    expect(t).toMatchObject({ system: 'software', systemLabel: '消毒供应追溯系统', status: 'open' });

    // Or by its number: other software without a name.
    const q2 = await h.say('n_fq2', '系统报错，保存不了');
    const option = /(\d+) 其他软件/.exec(q2 ?? '')![1];
    await h.say('n_fq2', option);
    const t2 = await h.ticket(noIn(await h.say('n_fq2', '供应室')));
    expect(t2.system).toBe('software');
    expect(t2.systemLabel).toBeNull();
  });

  it('a 一级 report with no system named opens at once to the on-duty engineer; the system named afterwards is patched in', async () => {
    const reply = await h.say('n_qj', '急诊抢救室登不上了 病人在等');
    expect(reply).toMatch(/^@n_qj 已登记 #\d+/);
    expect(reply).toContain('请问是哪个系统');
    const t = await h.ticket(noIn(reply));
    expect(t).toMatchObject({ level: 1, status: 'open', system: 'software' });
    await h.settle();
    expect(cardTo(t.no)).toEqual(['chenjing']);
    expect(h.dms('wanglei').filter((m) => m.text?.includes(`【转信息科】#${t.no}`))).toHaveLength(0);

    expect(await h.say('n_qj', '手麻')).toContain(`已补充到 #${t.no}`);
    expect(await h.ticket(t.no)).toMatchObject({ system: 'software', systemLabel: '手麻', status: 'open' });
  });

  it('printers, PCs and scanners stay referrals to the 信息科', async () => {
    for (const [user, text] of [
      ['n_r1', '护士站打印机卡纸了'],
      ['n_r2', '儿科护士站的电脑开不了机'],
      ['n_r3', '三楼护士站的扫码枪扫不出来'],
    ]) {
      let reply = await h.say(user, text);
      if (reply && /科室|地点/.test(reply) && !/信息科负责/.test(reply)) reply = await h.say(user, '儿科护士站');
      expect(reply).toMatch(new RegExp(`^@${user} \\S+属于信息科负责`));
      expect((await h.ticket(noIn(reply))).status).toBe('referred');
    }
  });
});

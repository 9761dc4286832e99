/** Issue 17, scope routing: printers, PCs, network and phones are the 信息科's, not the vendor's. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralsOf } from '../../src/tickets/queries.js';
import { type BotHarness, noIn, startBotHarness, webhookTexts } from '../bot/helpers.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.stop());

const auth = { headers: { authorization: 'Bearer test-admin-token' } };

async function answer(user: string, first: string): Promise<string> {
  let reply = await h.say(user, first);
  // The form may ask where; answer like a nurse would.
  if (reply && /科室|地点/.test(reply) && !/信息科负责/.test(reply)) reply = await h.say(user, '儿科护士站');
  return reply ?? '';
}

describe('out-of-scope reports are referrals to the 信息科', () => {
  it('a printer report is recorded, passed to 王磊 and the reporter is told plainly; no vendor page', async () => {
    const groupBefore = webhookTexts(h.sim).length;
    const reply = await answer('n_p1', '护士站打印机卡纸了');
    expect(reply).toMatch(/^@n_p1 打印机属于信息科负责，不在软件维保范围，已转 王磊（分机 8001）/);
    const t = await h.ticket(noIn(reply));
    expect(t.status).toBe('referred');
    expect(t.events.map((e) => e.type)).toEqual(['created', 'referred']);
    await h.settle();
    const toIt = h.dms('wanglei').filter((m) => m.text?.includes(`【转信息科】#${t.no}`));
    expect(toIt).toHaveLength(1);
    const cards = h.sim.delivered('message/send').filter((r) => JSON.stringify(r.body).includes(`"claim:${t.no}"`));
    expect(cards).toHaveLength(0);
    expect(
      webhookTexts(h.sim)
        .slice(groupBefore)
        .filter((p) => p.includes(`#${t.no}`)),
    ).toHaveLength(0);
  });

  it('a PC that does not start is a referral too', async () => {
    const reply = await answer('n_p2', '儿科护士站的电脑开不了机');
    expect(reply).toMatch(/^@n_p2 电脑属于信息科负责/);
    expect((await h.ticket(noIn(reply))).status).toBe('referred');
  });

  it('referrals are not in the vendor SLA figures, and the referral query lists them', async () => {
    const his = await h.say('n_p3', '急诊科 HIS 保存医嘱报错');
    expect(his).toMatch(/^@n_p3 已登记 #\d+/);
    const res = await fetch(`${h.url}/api/reports/sla?bot=demo&month=2026-11`, auth);
    const report = (await res.json()) as { totals: { tickets: number; referred: number }; bySystem: Record<string, number> };
    expect(report.totals.tickets).toBe(1);
    expect(report.totals.referred).toBe(2);
    expect(report.bySystem.other ?? 0).toBe(0);
    const listed = await referralsOf('demo', new Date('2026-11-01T00:00:00+08:00'), new Date('2026-12-01T00:00:00+08:00'));
    expect(listed.map((t) => t.title)).toEqual(['护士站打印机卡纸了', '儿科护士站的电脑开不了机']);
  });
});

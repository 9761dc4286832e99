import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, GROUP, noIn, startBotHarness } from './helpers.js';

const DEPARTMENTS = ['急诊科', '门诊药房', '检验科', '放射科', '儿科', '眼科', '骨科', '心内科', '呼吸科', '消化科'];

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.stop());

describe('outage storm', () => {
  it('20 reports of HIS down from 20 users within 2 minutes make 1 ticket with 20 subscribed reporters', async () => {
    // Sent back to back (each acknowledged at once, processed concurrently), 6 s apart on the clock.
    const sends = [];
    for (let i = 0; i < 20; i++) {
      sends.push(
        h.sim.sendAibotText({
          bot: 'demo',
          serviceUrl: h.url,
          from: `nurse${i}`,
          chatId: GROUP,
          text: `HIS登不进去了，${DEPARTMENTS[i % 10]}`,
        }),
      );
      h.clock.advance(6_000);
    }
    await Promise.all(sends);
    await h.sim.waitFor((all) => all.filter((r) => r.kind === 'response_url').length >= 20, { timeoutMs: 20_000 });
    await h.settle();

    const { items, total } = await h.tickets();
    expect(total).toBe(1);
    const t = await h.ticket(items[0].no);
    expect(t.reporterCount).toBe(20);
    const reporters = new Set([t.reporter.userid, ...t.subscribers.map((s) => s.userid)]);
    expect(reporters.size).toBe(20);
    expect(new Set(t.departments)).toEqual(new Set(DEPARTMENTS));
    expect(t.events.filter((e) => e.type === 'merged')).toHaveLength(19);

    const replies = h.sim.received('response_url').map((r) => (r.body as { markdown: { content: string } }).markdown.content);
    expect(replies.filter((r) => r.startsWith(`已登记 #${t.no}`))).toHaveLength(1);
    expect(replies.filter((r) => r.startsWith(`已合并到 #${t.no}`))).toHaveLength(19);
    expect(replies.every((r) => noIn(r) === t.no)).toBe(true);

    // Engineers are pinged once: one card, one group mention.
    // (Other cards, e.g. a due inspection, may go out too: count the ones offering to claim this ticket.)
    const cards = h.sim
      .delivered('message/send')
      .filter((r) => r.body?.msgtype === 'template_card' && JSON.stringify(r.body).includes(`"claim:${t.no}"`));
    expect(cards).toHaveLength(1);
    expect(h.sim.delivered('webhook/send')).toHaveLength(1);

    // Progress reaches every reporter once.
    await h.say('zhangwei', `接单 ${t.no}`);
    await h.settle();
    for (let i = 0; i < 20; i++) expect(h.dms(`nurse${i}`).filter((m) => m.text?.includes(`#${t.no} 已由 张伟 接单`))).toHaveLength(1);
  });

  it('after the storm ticket is resolved, the next report opens a new ticket', async () => {
    const first = (await h.tickets()).items[0].no;
    await h.say('zhangwei', `解决 ${first} 原因:数据库连接池耗尽 处理:重启应用服务器`);
    const reply = await h.say('nurse_late', 'HIS登不进去了，急诊科');
    expect(reply).toMatch(/^已登记 #\d+/);
    expect(noIn(reply)).not.toBe(first);
  });
});

/**
 * Issue 11, fault 5: one person floods the bot. The same report 50 times in a second opens one ticket (one
 * card, one group post) and every copy is answered with the ticket it is already recorded in; a stream of
 * different messages is cut at the per-minute budget with one notice; the shared group channel stays free for
 * everyone else's report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxModel } from '../../src/wecom/inbox.js';
import { FLOOD_NOTICE } from '../../src/wecom/flood.js';
import { type BotHarness, GROUP, noIn, startBotHarness } from '../bot/helpers.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.stop());

const replies = () => h.sim.delivered('response_url').map((r) => (r.body as { markdown?: { content?: string } }).markdown?.content ?? '');

describe('flood control', () => {
  it('the same report 50 times in a second: one ticket, one card, one group post, 49 pointers to it', async () => {
    const text = 'LIS报告打印不出来，急，检验科，分机8823';
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.sim.sendAibotText({
          bot: 'demo',
          serviceUrl: h.url,
          from: 'nurse_flood',
          chatId: GROUP,
          text: `@维保助手 ${text}`,
          msgId: `flood_${i}`,
        }),
      ),
    );
    // Someone else reports something unrelated right after.
    const other = await h.say('nurse_other', 'PACS看不了片子，放射科，分机8811，影响出报告');
    await h.settle();

    const mine = (await h.tickets()).items.filter((t) => t.reporter.userid === 'nurse_flood');
    expect(mine).toHaveLength(1);
    const no = mine[0].no;
    const answers = replies();
    expect(answers.filter((a) => a.startsWith(`@nurse_flood 已登记 #${no}`))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('已报过同样的问题') && a.includes(`#${no}`))).toHaveLength(49);

    const cards = h.sim
      .delivered('message/send')
      .filter(
        (r) => (r.body as { template_card?: { button_list?: { key: string }[] } }).template_card?.button_list?.[0]?.key === `claim:${no}`,
      );
    expect(cards).toHaveLength(1);
    const posts = h.sim.delivered('webhook/send').map((r) => (r.body as { markdown?: { content?: string } }).markdown?.content ?? '');
    expect(posts.filter((p) => p.includes(`#${no}【`))).toHaveLength(1);
    // The unrelated report's group post is not stuck behind a flood of copies: it went out in the same minute.
    const otherNo = noIn(other);
    expect(posts.filter((p) => p.includes(`#${otherNo}【`))).toHaveLength(1);
    expect(await InboxModel.countDocuments({ 'from.userid': 'nurse_flood', flood: 'repeat' })).toBe(49);
  });

  it('different messages faster than 8 a minute: the rest are not handled, the sender is told once', async () => {
    h.clock.advance(11 * 60_000); // past the repeat window of the test before
    const before = replies().length;
    for (let i = 0; i < 12; i++) {
      await h.sim.sendAibotText({ bot: 'demo', serviceUrl: h.url, from: 'nurse_chatty', chatId: GROUP, text: `@维保助手 你好 第${i}次` });
    }
    await h.settle();
    const got = replies().slice(before);
    expect(got.filter((a) => a === FLOOD_NOTICE)).toHaveLength(1);
    expect(got.filter((a) => a !== FLOOD_NOTICE)).toHaveLength(8);
    expect(await InboxModel.countDocuments({ 'from.userid': 'nurse_chatty', flood: 'throttled' })).toBe(4);
    // A minute later the sender is heard again.
    h.clock.advance(61_000);
    expect(await h.say('nurse_chatty', '你好')).not.toBe(FLOOD_NOTICE);
  });
});

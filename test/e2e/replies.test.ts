/**
 * Issue #16 through the WeCom simulator: every reply right for its reader (nurses, engineers, leads), and
 * commands as people actually type them. Reply text is asserted where the wording is the behaviour.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXPIRE_JOB } from '../../src/bot/feature.js';
import { type BotHarness, noIn, startBotHarness, webhookTexts } from '../bot/helpers.js';

const MIN = 60_000;
const ROSTER_USERIDS = ['zhangwei', 'liuyang', 'chenjing', 'zhaomin', 'wanglei', 'xuli'];
const ID_NUMBER = '110101198801011234';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  // Acceptance scans over everything this file made the bot send.
  const toReporters = h.sim
    .received()
    .filter((r) => r.kind === 'response_url' || String((r.body as { touser?: string })?.touser ?? '').startsWith('nurse'))
    .map((r) => JSON.stringify(r.body));
  await h.stop(); // also checks every message for U+FFFD (assertNoReplacementChar)
  const nurseDms = toReporters.filter((b) => b.includes('"touser":"nurse'));
  expect(nurseDms.filter((b) => b.includes('判定依据'))).toEqual([]);
  for (const u of ROSTER_USERIDS) expect(nurseDms.filter((b) => b.includes(u) && !b.includes(`"touser":"${u}"`))).toEqual([]);
  const group = [...webhookTexts(h.sim), ...h.sim.received('response_url').map((r) => JSON.stringify(r.body))];
  expect(group.filter((b) => b.includes(ID_NUMBER) || b.includes('13912345678') || b.includes('20231234'))).toEqual([]);
});
// Past the storm window (30 min) and idle conversations (10 min) of the previous test.
beforeEach(() => h.clock.advance(31 * MIN));

const lastDm = (userid: string) => h.dms(userid).at(-1)?.text ?? '';

describe('reporters', () => {
  it('the group answer mentions the reporter and says in plain words who is coming by when; no contract terms', async () => {
    const reply = await h.say('nurse_a', 'LIS报告打印不出来，急，检验科，分机8823');
    expect(reply).toMatch(
      /^@nurse_a 已登记 #\d+（检验系统\(LIS\)·LIS报告打印不出来，急，检验科，分机8…）。刘洋 工程师会在 \d\d:\d\d 前联系您。$/,
    );
    expect(reply).not.toMatch(/判定依据|响应时限|二级/);
  });

  it('group posts carry no patient identifiers, the ticket keeps the text, and an ID number is never the contact', async () => {
    const text = `LIS打印不出，病人王建国 住院号20231234 身份证${ID_NUMBER} 家属电话13912345678，检验科`;
    const reply = await h.say('nurse_b', text);
    const no = noIn(reply);
    expect(reply).toContain('病人王** 住院号***');
    expect(reply).not.toMatch(/1101011/); // masked before shortening: no first digits of the ID either
    const post = webhookTexts(h.sim).find((m) => m.includes(`#${no}`)) ?? '';
    expect(post).toContain('病人王** 住院号***');
    expect(post).not.toMatch(/王建国|20231234|110101198801011234|13912345678|判定依据/);
    const t = await h.ticket(no);
    expect(t.description).toContain('王建国 住院号20231234');
    expect(t.reporter.contact).toBe('13912345678');

    const onlyId = noIn(await h.say('nurse_c', `病理系统登记报错 患者身份证${ID_NUMBER} 病理科`));
    expect((await h.ticket(onlyId)).reporter.contact ?? null).toBeNull();
  });

  it('questions in a group say whom they are for', async () => {
    const q = await h.say('nurse_d', '系统报错，保存不了');
    expect(q).toMatch(/^@nurse_d 请问是哪个系统？/);
    expect(await h.say('nurse_d', '取消')).toBe('@nurse_d 好的，本次报修已取消。');
  });

  it.each([
    ['心内科二病区 电子病历保存不了', '心内科二病区'],
    ['急诊抢救室 HIS登不上去了', '急诊抢救室'],
    ['门诊二楼叫号屏不显示', '门诊二楼'],
    ['HIS医生站开医嘱报错，3号手术间', '3号手术间'],
    ['住院处 医保结算报错', '住院处'],
    ['心电室 心电报告传不上去', '心电室'],
    ['icu 重症系统很慢', 'icu'],
  ])('department capture keeps the whole place from the first message: %s', async (text, place) => {
    h.clock.advance(31 * MIN);
    const reply = await h.say('nurse_e', text);
    expect(reply).not.toContain('哪个科室');
    expect((await h.ticket(noIn(reply))).reporter.department).toBe(place);
    await h.say('nurse_e', '跳过'); // a level-1 report asks for a phone afterwards
  });

  it('三级/四级 reports ask department and contact once each, and both can be skipped', async () => {
    const reply = await h.say('nurse_f', '怎么申请HIS账号');
    const no = noIn(reply);
    expect(reply).toContain('@nurse_f 已登记');
    expect(reply).toContain('哪个科室');
    expect(await h.say('nurse_f', '跳过')).toContain('方便留个电话或分机吗');
    expect(await h.say('nurse_f', '跳过')).toContain(`#${no} 工程师会尽快处理`);
  });
});

describe('names from the WeCom directory', () => {
  it('a reporter the bot file does not know is addressed, carded and listed by their WeCom name, never their userid', async () => {
    // nurse04 is 陈晓燕 in the WeCom directory (user/get) and in no bot file.
    const reply = await h.say('nurse04', '心电系统报告传不上去，急诊科');
    expect(reply).toMatch(/^@陈晓燕 已登记 #\d+/);
    const no = noIn(reply);
    expect((await h.ticket(no)).reporter.name).toBe('陈晓燕');
    const card = h.sim.received('message/send').find((r) => JSON.stringify(r.body).includes(`"claim:${no}"`));
    expect(JSON.stringify(card?.body)).toContain('陈晓燕');
    const engineer = String(card?.body?.touser);
    expect(await h.say(engineer, `接单 ${no}`)).toContain('陈晓燕');
    const shown = h.sim
      .received()
      .filter((r) => ['message/send', 'response_url', 'webhook/send'].includes(r.kind))
      .map((r) => JSON.stringify(r.body).replace(/"touser":"[^"]*"/g, ''));
    expect(shown.filter((b) => b.includes('nurse04'))).toEqual([]);
  });

  it('a slow WeCom directory never holds a reply back: the answer goes out with what is known, the name follows', async () => {
    h.sim.setPerson({ userid: 'slow_nurse', name: '钱多多', department: [3] });
    const release = h.sim.holdNext('user/get');
    expect(await h.say('slow_nurse', '值班 lis')).toMatch(/^@slow_nurse /);
    // The answer went out while WeCom still had not answered the lookup (held; recorded once released).
    const lookup = () => h.sim.received('user/get').find((r) => r.query.userid === 'slow_nurse');
    expect(lookup()).toBeUndefined();
    release();
    await h.sim.waitFor(() => lookup() !== undefined);
    const answered = h.sim.received('response_url').find((r) => JSON.stringify(r.body).includes('@slow_nurse '));
    expect(answered!.seq).toBeLessThan(lookup()!.seq);
    // WeCom answers again: the next reply uses the name.
    expect(await h.say('slow_nurse', '值班 lis')).toMatch(/^@钱多多 /);
  });

  it("WeCom's name wins over the bot file's", async () => {
    // nurse03 is 孙悦 in bots/demo.json; WeCom knows her as 孙小悦.
    h.sim.setPerson({ userid: 'nurse03', name: '孙小悦', department: [4] });
    expect(await h.say('nurse03', '值班 lis')).toMatch(/^@孙小悦 /);
  });
});

describe('direct messages name the ticket', () => {
  it('the reporter hears "#N 系统 标题" with who and how to reach them; a transfer carries level, deadline, reporter, contact', async () => {
    const no = noIn(await h.say('nurse_g', 'PACS影像调阅很慢，放射科，分机 6612'));
    await h.say('chenjing', `接单 ${no}`);
    expect(lastDm('nurse_g')).toMatch(
      new RegExp(`^#${no} 影像系统\\(PACS\\) PACS影像调阅很慢.*：陈静（13800000003） 已接单，会在 \\d\\d-\\d\\d \\d\\d:\\d\\d 前处理好$`),
    );
    await h.say('chenjing', `转派 ${no} @zhaomin 交接`);
    // The backup also hears escalations of other tickets (those whose 75 % step the test clock jumped over).
    const handover =
      h
        .dms('zhaomin')
        .filter((m) => m.text?.includes('已转派给您'))
        .at(-1)?.text ?? '';
    expect(handover).toContain(`#${no} 影像系统(PACS)`);
    expect(handover).toContain('已转派给您（来自 陈静）');
    expect(handover).toMatch(/级别：二级\/严重，解决时限 \d\d-\d\d \d\d:\d\d/);
    expect(handover).toContain('报修：放射科 nurse_g 6612');
  });
});

describe('confirmation and rating', () => {
  async function resolvedTicket(reporter: string): Promise<number> {
    const no = noIn(await h.say(reporter, 'LIS条码打印不出来，检验科'));
    await h.say('liuyang', `接单 ${no}`);
    await h.say('liuyang', `解决 ${no} 原因:驱动更新 处理:回退驱动`);
    await h.settle();
    return no;
  }

  it.each([
    ['5分 谢谢刘工', 5, '谢谢刘工'],
    ['好了 谢谢 5分', 5, '好了 谢谢'],
    ['满意', 4, '满意'],
    ['还行 3分 太慢了', 3, '还行 太慢了'],
    ['非常满意 给5分 中午就修好了', 5, '非常满意 中午就修好了'],
  ])('a natural answer "%s" confirms with rating %i and keeps the comment', async (answer, rating, comment) => {
    h.clock.advance(31 * MIN);
    const no = await resolvedTicket('nurse_h');
    expect(lastDm('nurse_h')).toContain('问题解决了吗');
    expect((await h.sayApp('nurse_h', answer)).join()).toContain(`**#${no}** 已关闭（评分 ${rating} 分）`);
    const t = await h.ticket(no);
    expect(t.status).toBe('closed');
    expect(t.confirmation).toMatchObject({ rating, comment });
    expect(t.events.find((e) => e.type === 'confirmed')).toMatchObject({ rating, comment });
  });

  it('never "还在等您确认" for a ticket confirmed elsewhere', async () => {
    const no = await resolvedTicket('nurse_i');
    expect(await h.say('nurse_i', `确认 ${no} 5`)).toContain('已关闭');
    h.clock.advance(11 * MIN);
    await h.service.ctx.scheduler.agenda.now(EXPIRE_JOB);
    await h.settle();
    expect(h.dms('nurse_i').filter((m) => m.text?.includes('还在等您确认'))).toEqual([]);
  });

  it('a reporter is not asked to rate a ticket another reporter reopened', async () => {
    // Two reports of the same fault; the engineer merges the second into the first, so nurse_k follows #no.
    const no = noIn(await h.say('nurse_j', '心电系统打不开了，心电室'));
    const dup = noIn(await h.say('nurse_k', '心电系统打不开了，心电室'));
    expect(await h.say('liuyang', `合并 ${dup} 到 ${no}`)).toContain(`已将 #${dup} 作为重复报修合并到 #${no}`);
    expect((await h.ticket(no)).subscribers.map((s) => s.userid)).toContain('nurse_k');
    await h.say('liuyang', `接单 ${no}`);
    await h.say('liuyang', `解决 ${no} 原因:服务挂了 处理:重启服务`);
    await h.settle();
    expect(await h.say('nurse_k', `未解决 ${no} 还是打不开`)).toContain('已重新打开');
    const answer = (await h.sayApp('nurse_j', '5')).join();
    expect(answer).toContain(`#${no} 已重新打开`);
    expect(answer).not.toContain('评分');
    expect((await h.ticket(no)).status).toBe('claimed');
  });

  it.each([
    ['撤销', '不用了'],
    ['取消', '已经好了'],
  ])('the reporter withdraws their own report with "%s N …": closed as withdrawn, the engineer told', async (verb, why) => {
    h.clock.advance(31 * MIN);
    const no = noIn(await h.say('nurse_l', '输血系统血袋扫码失败，输血科'));
    await h.say('liuyang', `接单 ${no}`);
    expect(await h.say('nurse_l', `${verb} ${no} ${why}`)).toBe(`@nurse_l #${no} 已撤销，已告知 刘洋。如问题再出现，直接重新报修即可。`);
    const t = await h.ticket(no);
    expect(t.status).toBe('cancelled');
    expect(t.events.at(-1)).toMatchObject({ type: 'cancelled', withdrawn: true, reason: why });
    expect(lastDm('liuyang')).toBe(`#${no} 输血系统 输血系统血袋扫码失败，输血科 报修人已撤销：${why}，无需再处理`);
    expect(await h.say('nurse_m', `撤销 ${no}`)).toContain(`只有报修人可以撤销 #${no}`);
    expect(await h.say('nurse_l', `撤销 ${no}`)).toContain(`#${no} 已取消，不能撤销`);
  });
});

describe('engineers', () => {
  it.each([
    ['接{no}', '接单'],
    ['接单{no}', '接单'],
    ['{no}号接单', '接单'],
    ['接单 {wide}', '接单'],
  ])('"%s" claims', async (form) => {
    h.clock.advance(31 * MIN);
    const no = noIn(await h.say('nurse_n', '血透系统透析记录保存失败，血透室'));
    const wide = String(no).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const reply = await h.say('chenjing', form.replace('{no}', String(no)).replace('{wide}', wide));
    expect(reply).toContain(`已接单 **#${no}**`);
    expect(await h.say('chenjing', `进度 ＃${wide}`)).toContain(`**#${no}** 处理中`);
  });

  it('"9号到场" and "到场 9号" both register the arrival', async () => {
    const first = noIn(await h.say('nurse_o', '排队叫号屏不显示，门诊大厅'));
    await h.say('zhangwei', `接单 ${first}`);
    await h.say('zhangwei', `派现场 ${first}`);
    expect(await h.say('zhangwei', `${first}号到场`)).toContain(`已登记到场 **#${first}**`);
    h.clock.advance(31 * MIN);
    const second = noIn(await h.say('nurse_o', '排队叫号屏不显示，急诊大厅'));
    await h.say('zhangwei', `接单 ${second}`);
    await h.say('zhangwei', `派现场 ${second}`);
    expect(await h.say('zhangwei', `到场 ${second}号`)).toContain(`已登记到场 **#${second}**`);
  });

  it('an @ inside the text is not a mention: addresses stay in notes and in the repair record', async () => {
    const no = noIn(await h.say('nurse_p', '心电系统报告传不上去，心电室'));
    await h.say('liuyang', `接单 ${no}`);
    await h.say('liuyang', `进展 ${no} 已发邮件给厂商 support@vendor.com 等回复`);
    await h.say('liuyang', `@维保助手 解决 ${no} 原因:驱动不兼容 处理:按 vendor@ecg.cn 提供的补丁升级驱动`);
    const t = await h.ticket(no);
    expect(t.events.find((e) => e.type === 'progress')).toMatchObject({ text: '已发邮件给厂商 support@vendor.com 等回复' });
    expect(t.repair?.action).toBe('按 vendor@ecg.cn 提供的补丁升级驱动');
  });

  it('text is shortened by characters: an emoji near a limit is kept whole or left out, never U+FFFD', async () => {
    const title = `${'心'.repeat(39)}🖨️HIS医生站开医嘱报错，心内科`;
    const no = noIn(await h.say('nurse_q', title));
    const note = `${'进'.repeat(999)}😀`;
    await h.say('zhangwei', `接单 ${no}`);
    await h.say('zhangwei', `进展 ${no} ${note}`);
    const t = await h.ticket(no);
    expect(t.events.find((e) => e.type === 'progress')).toMatchObject({ text: note });
    const card = h.sim.received('message/send').find((r) => JSON.stringify(r.body).includes(`"claim:${no}"`));
    // The card's 40-character title stops before the printer emoji rather than splitting it from its U+FE0F.
    expect(JSON.stringify(card?.body)).toContain(`"desc":"${'心'.repeat(39)}…"`);
  });

  it('"解决 N <free text>" takes the text as the action and asks only for the cause', async () => {
    const no = noIn(await h.say('nurse_r', 'HIS收费处打不出发票，门诊收费处'));
    await h.say('zhangwei', `接单 ${no}`);
    const ask = await h.say('zhangwei', `解决 ${no} 重启了发票打印服务`);
    expect(ask).toContain(`#${no} 的故障原因是什么`);
    expect(ask).not.toContain('做了什么处理');
    expect(await h.say('zhangwei', '打印服务内存泄漏')).toContain(`**#${no}** 已解决`);
    expect((await h.ticket(no)).repair).toMatchObject({ cause: '打印服务内存泄漏', action: '重启了发票打印服务' });
  });

  it('an engineer resolving an unclaimed ticket claims and resolves in one step, both recorded', async () => {
    const no = noIn(await h.say('nurse_s', '病理系统切片登记报错，病理科'));
    const reply = await h.say('liuyang', `解决 ${no} 原因:字典缺项 处理:补录字典`);
    expect(reply).toContain(`**#${no}** 已接单并解决`);
    const t = await h.ticket(no);
    expect(t.events.map((e) => e.type).slice(-2)).toEqual(['claimed', 'resolved']);
    expect(t.assignee?.userid).toBe('liuyang');
  });

  it('"改系统 N pacs" corrects the system and re-routes to its on-duty engineer', async () => {
    const no = noIn(await h.say('nurse_t', '影像在HIS里调不出来，放射科'));
    expect((await h.ticket(no)).system).toBe('his');
    expect(await h.say('nurse_t', `改系统 ${no} pacs`)).toContain('只有工程师');
    const reply = await h.say('zhangwei', `改系统 ${no} pacs`);
    expect(reply).toContain(`**#${no}** 已改为影像系统(PACS)，已通知 陈静`);
    expect((await h.ticket(no)).system).toBe('pacs');
    await h.settle();
    expect(h.dms('chenjing').some((m) => JSON.stringify(m.card ?? {}).includes(`"claim:${no}"`))).toBe(true);
  });

  it('我的工单 and 待接单 list by level then deadline, with department, contact and reporter count; never closed ones', async () => {
    const l3 = noIn(await h.say('nurse_u', '病历模板显示不对，心内科'));
    await h.say('nurse_u', '分机 7001');
    const l2 = noIn(await h.say('nurse_u', '医保结算报错，住院处，分机 7002'));
    const l1 = noIn(await h.say('nurse_u', '急诊抢救室 HIS登不上去了'));
    await h.say('nurse_u', '跳过');
    const closed = noIn(await h.say('nurse_u', '血透系统透析记录保存失败，血透室'));
    await h.say('chenjing', `解决 ${closed} 原因:a 处理:b`);
    await h.say('nurse_u', `确认 ${closed} 5`);
    const mine = (await h.sayApp('nurse_u', '我的工单')).join('\n');
    const order = [l1, l2, l3].map((n) => mine.indexOf(`**#${n}**`));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    expect(mine).not.toContain(`**#${closed}**`);
    expect(mine).toContain('住院处 7002');
    expect(mine).toMatch(/响应 \d\d-\d\d \d\d:\d\d/);
    // 待接单 (other tests left unclaimed tickets too): levels never go back up the list; the rest is counted.
    const queue = (await h.sayApp('zhaomin', '待接单')).join('\n');
    const levels = [...queue.matchAll(/\*\*#\d+\*\* (.)级/g)].map((m) => '一二三四'.indexOf(m[1]));
    expect(levels.length).toBeGreaterThan(2);
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(queue).toContain(`**#${l1}**`);
    expect(queue).toMatch(/…另有 \d+ 单未列出/);
  });

  it('值班 finds a system by a part of its name; 今天谁值班 is understood', async () => {
    const byAlias = await h.say('nurse_v', '值班 lis');
    expect(byAlias).toMatch(/^@nurse_v 检验系统\(LIS\) 当前值班：刘洋，备岗 赵敏/);
    expect(await h.say('nurse_v', '值班 检验')).toBe(byAlias);
    const all = await h.say('nurse_v', '今天谁值班？');
    expect(all).toContain('当前值班：');
    expect(all).toContain('硬件/网络：信息科 王磊');
  });
});

describe('things a newcomer saw', () => {
  it('the group never sees a staff mobile: 值班 and 已转 show the name (and 分机 where the roster has one); the 1:1 chat shows the mobile', async () => {
    const group = await h.say('nurse_w', '值班 lis');
    expect(group).toMatch(/当前值班：刘洋，备岗 赵敏/);
    expect(group).not.toMatch(/1[3-9]\d{9}/);
    const all = await h.say('nurse_w', '今天谁值班');
    expect(all).toContain('硬件/网络：信息科 王磊（分机 8001）');
    expect(all).not.toMatch(/1[3-9]\d{9}/);
    expect((await h.sayApp('zhaomin', '值班 lis')).join()).toContain('刘洋（13800000002）');
  });

  it('a step taken within a minute says "不到 1 分钟", never "0 分钟"', async () => {
    const no = noIn(await h.say('nurse_x', '排队叫号屏不显示，门诊二楼'));
    await h.say('zhangwei', `接单 ${no}`);
    await h.say('zhangwei', `派现场 ${no}`);
    const arrived = await h.say('zhangwei', `到场 ${no}`);
    expect(arrived).toContain('（用时 不到 1 分钟）');
    const done = await h.say('zhangwei', `解决 ${no} 原因:网线松了,处理:重新插好`);
    expect(done).toContain('（用时 不到 1 分钟）');
    expect(`${arrived}${done}`).not.toContain('0 分钟');
    // Half-width comma and colon separate the arguments as the full-width ones do.
    expect((await h.ticket(no)).repair).toMatchObject({ cause: '网线松了', action: '重新插好' });
  });

  it.each([
    ['改级 {no},3,不影响业务', 3, '不影响业务'],
    ['改级 {no}：1，全科室出不了报告', 1, '全科室出不了报告'],
  ])('"%s" reads the level and the reason', async (form, level, reason) => {
    h.clock.advance(31 * MIN);
    const no = noIn(await h.say('nurse_y', '心电系统报告传不上去，心电室'));
    expect(await h.say('liuyang', form.replace('{no}', String(no)))).toContain(`**#${no}** 已改为`);
    const t = await h.ticket(no);
    expect(t.level).toBe(level);
    expect(t.events.find((e) => e.type === 'level_changed')).toMatchObject({ reason });
  });

  it("an engineer's 我的工单 shows the tickets paged to him that he has not claimed yet, as 待接单 with how to claim", async () => {
    h.clock.advance(31 * MIN);
    const no = noIn(await h.say('nurse_z', '病理系统切片登记报错，病理科'));
    const card = h.sim.received('message/send').find((r) => JSON.stringify(r.body).includes(`"claim:${no}"`));
    const paged = String(card?.body?.touser);
    const list = (await h.sayApp(paged, '我的工单')).join('\n');
    expect(list).toContain(`**#${no}**`);
    expect(list).toMatch(new RegExp(`\\*\\*#${no}\\*\\*[^\\n]*\\n　待接单 · 响应 [^\\n]*已派给您，回复「接单 ${no}」`));
    const other = ['zhangwei', 'liuyang', 'chenjing'].find((u) => u !== paged)!;
    expect((await h.sayApp(other, '我的工单')).join('\n')).not.toContain(`**#${no}**`);
    await h.say(paged, `接单 ${no}`);
    expect((await h.sayApp(paged, '我的工单')).join('\n')).not.toContain(`已派给您，回复「接单 ${no}」`);
  });
});

describe('leads', () => {
  it('月报 of a month with nothing resolved shows "—" through the app, not "0%（目标 80% ✅）"', async () => {
    const month = (await h.sayApp('wanglei', '月报 2026-10')).join('\n');
    expect(month).toContain('2026-10 月报');
    expect(month).toContain('—');
    expect(month).not.toMatch(/0%（目标/);
  });
});

describe('checklist answers', () => {
  it('the answer is the whole reply: a word inside a sentence is asked again; "2 磁盘空间不足" is 异常 with its note', async () => {
    await h.service.ctx.registry
      .port('conversations')
      .startChecklist({ bot: 'demo', userid: 'zhaomin', flow: 'inspection-monthly', ref: null });
    await h.settle();
    // The backup may hear escalations of other tickets meanwhile: look for the checklist, not at the last message.
    expect(h.dms('zhaomin').some((m) => m.text?.includes('（1/12）'))).toBe(true);
    const again = (await h.sayApp('zhaomin', '刚才重启过，现在已经能正常登录了')).join();
    expect(again).toContain('没看懂');
    expect(again).toContain('（1/12）');
    expect((await h.sayApp('zhaomin', '正常')).join()).toContain('（2/12）');
    expect((await h.sayApp('zhaomin', '2 磁盘空间不足')).join()).toContain('（3/12）');
    expect((await h.sayApp('zhaomin', '1')).join()).toContain('（4/12）');
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXPIRE_JOB } from '../../src/bot/feature.js';
import { type BotHarness, GROUP, noIn, startBotHarness, webhookTexts } from './helpers.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.stop());
// Each test starts well after the previous one: no storm window or idle conversation carries over.
beforeEach(() => h.clock.advance(2 * 3600_000));

describe('reporting a fault in the group', () => {
  it('a complete report in one line opens the ticket at once and tells who was notified', async () => {
    const reply = await h.say('nurse_a', 'LIS报告打印不出来，急，检验科，分机8823');
    // The reporter is addressed and told in plain words who is coming by when; no triage reason, no level terms.
    expect(reply).toMatch(/^@nurse_a 已登记 #\d+（检验系统\(LIS\)·LIS报告打印不出来/);
    expect(reply).toContain('刘洋 工程师会在 13:00 前联系您。'); // level 2: 1 h after 12:00; no mobile in the group
    expect(reply).not.toContain('判定依据');
    const t = await h.ticket(noIn(reply));
    expect(t).toMatchObject({
      level: 2,
      system: 'lis',
      status: 'open',
      reporter: { userid: 'nurse_a', department: '检验科', contact: '8823' },
    });
    // The on-duty engineer gets a card with the 接单 button, and the group a mention.
    const card = h.dms('liuyang').find((m) => m.card)?.card as { button_list: Array<{ text: string; key: string }> };
    expect(card.button_list).toEqual([expect.objectContaining({ text: '接单', key: `claim:${t.no}` })]);
    expect(webhookTexts(h.sim).some((m) => m.includes('<@liuyang>') && m.includes(`#${t.no}`))).toBe(true);
  });

  it('a report missing the system and the place asks two short questions, one at a time', async () => {
    const q1 = await h.say('nurse_b', '系统报错，保存不了');
    expect(q1).toContain('请问是哪个系统？');
    expect(q1).toMatch(/1 HIS {2}2 电子病历\(EMR\) {2}3 检验系统\(LIS\)/);
    const q2 = await h.say('nurse_b', '1');
    expect(q2).toContain('哪个科室');
    const done = await h.say('nurse_b', '门诊收费处');
    expect(done).toMatch(/^@nurse_b 已登记 #\d+（HIS·/);
    expect(done).toContain('张伟');
    const t = await h.ticket(noIn(done));
    expect(t).toMatchObject({ system: 'his', reporter: { department: '门诊收费处' }, title: '系统报错，保存不了' });
  });

  it('an answer that does not fit is asked again, then the fallback is used', async () => {
    await h.say('nurse_c', '系统报错，保存不了');
    expect(await h.say('nurse_c', '99')).toContain('没认出是哪个系统');
    const next = await h.say('nurse_c', '不知道啊');
    expect(next).toContain('先按现有信息登记');
    expect(next).toContain('哪个科室');
  });

  it('取消 ends the conversation: no ticket, and a later answer is not taken for it', async () => {
    const before = (await h.tickets()).total;
    await h.say('nurse_d', '系统报错，保存不了');
    expect(await h.say('nurse_d', '取消')).toBe('@nurse_d 好的，本次报修已取消。');
    const later = await h.say('nurse_d', '1');
    expect(later).not.toMatch(/已登记|科室/);
    expect((await h.tickets()).total).toBe(before);
  });

  it('a new report while a question is pending is handled, and the pending report is kept and asked again', async () => {
    await h.say('nurse_e', '系统报错，保存不了');
    const reply = await h.say('nurse_e', 'PACS影像全院调阅不了，放射科');
    expect(reply).not.toContain('作废');
    // 全院 is an outage signal: the report is recorded and declares an incident at 一级.
    expect(reply).toMatch(/已登记，这是 PACS 全院故障（#\d+），已通知 \S+ 工程师，恢复后会通知您。/);
    // The first report still waits for its system, and the next answer completes it.
    expect(reply).toMatch(/上一条报修还没说完）\n请问是哪个系统？/);
    expect(await h.say('nurse_e', '1')).toContain('哪个科室');
    const done = await h.say('nurse_e', '门诊收费处');
    expect(done).toMatch(/已登记 #\d+（HIS·系统报错，保存不了/);
  });

  it('level 1 never waits: the ticket opens first, missing details are asked afterwards and patched in', async () => {
    const reply = await h.say('nurse_f', '急诊挂号打不开，病人在等');
    expect(reply).toMatch(/^@nurse_f 已登记 #\d+（HIS·/);
    expect(reply).toContain('张伟 工程师会在 '); // 30 min
    expect(reply).toContain('方便留个电话或分机吗');
    const no = noIn(reply);
    expect((await h.ticket(no)).status).toBe('open');
    const done = await h.say('nurse_f', '分机 8823');
    expect(done).toContain(`已补充到 #${no}`);
    const t = await h.ticket(no);
    expect(t.reporter).toMatchObject({ department: '急诊', contact: '8823' });
    expect(t.events.at(-1)).toMatchObject({ type: 'progress', actor: 'nurse_f' });
  });

  it('level 1 without a system opens at once and the system answered later re-routes the ping', async () => {
    const reply = await h.say('nurse_g', '全院都登不进去了！！');
    expect(reply).toMatch(/^@nurse_g 已登记 #\d+（/);
    expect(reply).toContain('请问是哪个系统');
    const no = noIn(reply);
    await h.say('nurse_g', '1');
    expect((await h.ticket(no)).system).toBe('his');
    expect(h.dms('zhangwei').some((m) => (m.card?.main_title as { title: string } | undefined)?.title.startsWith(`#${no}`))).toBe(true);
  });

  it('small talk opens no ticket: a one-liner in the group, silence for thanks, a friendly answer 1:1', async () => {
    const before = (await h.tickets()).total;
    expect(await h.say('nurse_h', '你好')).toContain('需要报修请 @我');
    expect(await h.say('nurse_h', '谢谢')).toBeNull();
    expect((await h.sayApp('nurse_h', '测试一下')).join()).toContain('直接描述遇到的问题即可报修');
    expect((await h.tickets()).total).toBe(before);
  });
});

describe('several faults and status questions (issue #15)', () => {
  it('opens a ticket for each fault of one message, so the second is not silently dropped', async () => {
    const before = (await h.tickets()).total;
    const reply = await h.say('nurse_m', 'LIS打不开，另外叫号也没声音，检验科');
    expect(reply).toMatch(/^@nurse_m 已登记 #\d+（检验系统\(LIS\)·/);
    const also = /另外的排队叫号问题也已登记：#(\d+)（排队叫号·.*）。\S+ 工程师会在 /.exec(reply ?? ''); // no mobile in the group
    expect(also, reply ?? '').not.toBeNull();
    expect((await h.tickets()).total).toBe(before + 2);
    const first = await h.ticket(noIn(reply));
    const second = await h.ticket(Number(also![1]));
    expect(first).toMatchObject({ system: 'lis', level: 2, reporter: { userid: 'nurse_m', department: '检验科' } });
    expect(second).toMatchObject({ system: 'queue', level: 2, reporter: { userid: 'nurse_m', department: '检验科' } });
  });

  it('answers "修好了吗" with how the asker\'s ticket stands and opens nothing', async () => {
    const opened = await h.say('nurse_n', 'PACS看不了片子，放射科');
    const no = noIn(opened);
    const before = (await h.tickets()).total;
    const reply = await h.say('nurse_n', '上次报的那个修好了吗');
    expect(reply).toContain(`#${no}`);
    expect(reply).not.toContain('需要报修请 @我');
    expect((await h.tickets()).total).toBe(before);
    expect(await h.say('nurse_n', `${no}号单子什么时候能修好`)).toContain(`#${no}`);
  });
});

describe('idle conversations', () => {
  it('expire after idleMinutes through the cleanup job; the user is told once and a late answer opens nothing', async () => {
    const before = (await h.tickets()).total;
    await h.say('nurse_i', '系统报错，保存不了');
    h.clock.advance(11 * 60_000);
    await h.service.ctx.scheduler.agenda.now(EXPIRE_JOB);
    await h.sim.waitFor(() => h.dms('nurse_i').some((m) => m.text?.includes('已超时取消')));
    const late = await h.say('nurse_i', '1');
    expect(late).not.toMatch(/已登记|科室|超时/);
    // The job's run itself, awaited: a queued run would land in the next test, after its clock moved.
    await h.service.ctx.registry.port('conversations').engine.expireIdle();
    await h.settle();
    expect(h.dms('nurse_i').filter((m) => m.text?.includes('已超时取消'))).toHaveLength(1);
    expect((await h.tickets()).total).toBe(before);
  });

  it('a user back after the idle time (before the job ran) is told in the answer, once', async () => {
    await h.say('nurse_j', '系统报错，保存不了');
    h.clock.advance(11 * 60_000);
    const reply = await h.say('nurse_j', '1');
    expect(reply).toContain('已超时取消');
    await h.service.ctx.registry.port('conversations').engine.expireIdle();
    await h.settle();
    expect(h.dms('nurse_j').filter((m) => m.text?.includes('已超时取消'))).toHaveLength(0);
  });
});

describe('engineers', () => {
  it('claim via chat; the reporter hears who has it', async () => {
    const no = noIn(await h.say('nurse_k', '病历模板显示不对，心内科'));
    const reply = await h.say('zhangwei', `接单 ${no}`);
    expect(reply).toContain(`已接单 **#${no}**`);
    await h.settle();
    expect(
      h.dms('nurse_k').some((m) => m.text?.includes(`#${no} 电子病历(EMR) 病历模板显示不对，心内科：张伟（13800000001） 已接单`)),
    ).toBe(true);
    expect((await h.ticket(no)).assignee).toEqual({ userid: 'zhangwei', name: '张伟' });
  });

  it('claim via the card button: the card becomes "已由 张伟 接单"', async () => {
    const no = noIn(await h.say('nurse_l', 'HIS医生站开医嘱报错，心内科'));
    const card = h.dms('zhangwei').find((m) => (m.card?.main_title as { title: string } | undefined)?.title.startsWith(`#${no}`))?.card;
    expect(card).toBeDefined();
    await h.sim.sendCardEvent({
      bot: 'demo',
      serviceUrl: h.url,
      channel: 'app',
      from: 'zhangwei',
      eventKey: `claim:${no}`,
      taskId: String(card?.task_id),
    });
    await h.sim.waitFor((all) => all.some((r) => r.kind === 'update_template_card'));
    const update = h.sim.delivered('update_template_card').at(-1)?.body as { template_card: { sub_title_text: string } };
    expect(update.template_card.sub_title_text).toBe('已由 张伟 接单');
    expect((await h.ticket(no)).status).toBe('claimed');
    // A second click by someone else changes nothing and still shows who has it.
    const r = await h.sim.sendCardEvent({
      bot: 'demo',
      serviceUrl: h.url,
      channel: 'aibot',
      from: 'zhaomin',
      chatId: GROUP,
      eventKey: `claim:${no}`,
      taskId: String(card?.task_id),
    });
    expect(JSON.stringify(r.reply)).toContain('已由 张伟 接单');
    expect((await h.ticket(no)).assignee?.userid).toBe('zhangwei');
  });

  it('解决 without the repair record asks for it; the reporter confirms with a rating in the app chat', async () => {
    const no = noIn(await h.say('nurse_m', '检验科LIS条码打印不出来，检验科'));
    await h.say('liuyang', `接单 ${no}`);
    expect(await h.say('liuyang', `解决 ${no}`)).toContain(`#${no} 的故障原因是什么`);
    expect(await h.say('liuyang', '打印机驱动被更新')).toContain('做了什么处理');
    expect(await h.say('liuyang', '回退驱动并重新配置条码模板')).toContain(`**#${no}** 已解决`);
    await h.settle();
    const ask = h.dms('nurse_m').find((m) => m.text?.startsWith(`#${no} 检验系统(LIS) `) && m.text.includes(' 已处理好。'))?.text;
    expect(ask).toContain('原因：打印机驱动被更新');
    expect(ask).toContain('1 已解决  2 未解决');
    expect((await h.sayApp('nurse_m', '1')).join()).toContain('请为本次服务打分');
    await h.sayApp('nurse_m', '5');
    const t = await h.ticket(no);
    expect(t.status).toBe('closed');
    expect(t.confirmation).toMatchObject({ by: 'nurse_m', rating: 5 });
    expect(t.repair).toMatchObject({ cause: '打印机驱动被更新', action: '回退驱动并重新配置条码模板' });
  });
});

describe('checklists (inspections)', () => {
  it('walks the monthly inspection item by item and hands the answers to listeners', async () => {
    const results: Array<{ ref: string | null; answers: Array<{ item: string; value: string; note: string | null }> }> = [];
    const hooks = h.service.ctx.registry.checklistHooks;
    const hook = (r: (typeof results)[number]) => {
      results.push(r);
    };
    hooks.push(hook);
    await h.service.ctx.registry.port('conversations').startChecklist({
      bot: 'demo',
      userid: 'chenjing',
      flow: 'inspection-monthly',
      ref: 'monthly-his:2026-11',
    });
    await h.settle();
    expect(h.dms('chenjing').at(-1)?.text).toContain('（1/12）数据库服务器错误日志检查');
    expect((await h.sayApp('chenjing', '1')).join()).toContain('（2/12）');
    expect((await h.sayApp('chenjing', '2')).join()).toContain('请简单说明异常情况');
    expect((await h.sayApp('chenjing', '有两个定时任务失败')).join()).toContain('（3/12）mirror');
    expect((await h.sayApp('chenjing', '全部正常')).join()).toContain('11 项正常，1 项异常');
    hooks.splice(hooks.indexOf(hook), 1);
    expect(results).toHaveLength(1);
    expect(results[0].ref).toBe('monthly-his:2026-11');
    expect(results[0].answers[1]).toEqual({ item: 'system-tasks', value: 'issue', note: '有两个定时任务失败' });
  });
});

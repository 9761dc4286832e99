import { describe, expect, it } from 'vitest';
import { type ChatCommandMessage, type ChatNotice, CommandRegistry, ticketCommands } from '../../src/bot/commands/index.js';
import { createNotifier } from '../../src/bot/notifier.js';
import type { Messenger } from '../../src/wecom/types.js';
import { parseRepair, transferTarget } from '../../src/bot/commands/ticket-actions.js';
import { parseCommand } from '../../src/bot/grammar.js';
import { contentText, plain } from '../../src/bot/presenters/content.js';
import { ensureTicketIndexes } from '../../src/tickets/model.js';
import { listEvents } from '../../src/tickets/queries.js';
import { useTestDb } from '../helpers/db.js';
import { MIN, newTicket, nurse, testCtx } from './helpers.js';

useTestDb();
const ctx = testCtx();
const commands = new CommandRegistry();
commands.add('tickets', ticketCommands);

/** What the production notifier sends to people for the ticket events of the service (text messages, in order). */
const sent: Array<{ to: string; text: string }> = [];
const recording: Messenger = {
  reply: async () => [],
  toUsers: async (_bot, userids, content) => {
    for (const to of userids) if (content.type === 'text') sent.push({ to, text: content.text });
    return [];
  },
  toGroup: async () => [],
  toAppChat: async () => [],
  updateCard: async () => [],
  idle: async () => undefined,
};
ctx.events.add({ name: 'notifier', applicableEvents: 'all', on: createNotifier({ messenger: recording }) });

/** The sends of one command, one entry per text with everyone who got it. */
function grouped(from: number): ChatNotice[] {
  const out: ChatNotice[] = [];
  for (const s of sent.slice(from)) {
    const same = out.find((n) => n.text === s.text);
    if (same) same.userids.push(s.to);
    else out.push({ userids: [s.to], text: s.text });
  }
  return out;
}

async function say(userid: string, text: string, name?: string): Promise<{ reply: string; notify?: ChatNotice[] }> {
  const parsed = parseCommand(text);
  if (!parsed) throw new Error(`not a command: ${text}`);
  const msg: ChatCommandMessage = { bot: 'demo', from: { userid, name }, chatId: 'chat-1', channel: 'aibot', text };
  const before = sent.length;
  const { reply: typed } = await commands.run(ctx, msg, parsed);
  // The handler's typed answer, as the words the person reads (tests below compare words).
  const reply = contentText(typed);
  const notify = grouped(before);
  return notify.length ? { reply, notify } : { reply };
}

describe('chat commands', () => {
  it('claims with level words, system name and local deadline, and tells the reporter once', async () => {
    await ensureTicketIndexes();
    const t = await newTicket(ctx, { level: 1 });
    const r = await say('zhangwei', `@维保助手 接单 #${t.no}`);
    expect(r.reply).toContain(`#${t.no}`);
    expect(r.reply).toContain('一级/紧急｜检验系统(LIS)');
    expect(r.reply).toContain('解决时限：11-24 10:00'); // level 1: 24 h, local time
    expect(r.notify).toEqual([
      { userids: ['nurse_li'], text: `#${t.no} 检验系统(LIS) LIS报告打印不出来：张伟（13800000001） 已接单，会在 11-24 10:00 前处理好` },
    ]);
    const again = await say('liuyang', `接单 ${t.no}号`);
    expect(again).toEqual({ reply: `#${t.no} 已由 张伟 接单` });
    // The assignee claiming again is told in the one form of address (您), issue #16.
    expect(await say('zhangwei', `接单 ${t.no}`)).toEqual({ reply: `#${t.no} 已由您接单` });
    expect(await say('nurse_li', `接单 ${t.no}`)).toEqual({ reply: '抱歉，只有工程师可以接单' });
    expect(await say('zhangwei', '接单')).toEqual({ reply: '请带上工单号，如「接单 12」' });
  });

  it('works a ticket from chat to confirmation', async () => {
    const t = await newTicket(ctx);
    await say('zhangwei', `接单 ${t.no}`);
    expect((await say('zhangwei', `进展 ${t.no} 远程排查中`)).notify).toEqual([
      { userids: ['nurse_li'], text: `#${t.no} 检验系统(LIS) LIS报告打印不出来 进展：远程排查中` },
    ]);
    expect((await say('zhangwei', `派现场 ${t.no}`)).reply).toMatch(/请于 \d\d-\d\d \d\d:\d\d 前到场/);
    ctx.clock.advance(25 * MIN);
    expect((await say('zhangwei', `到场 ${t.no}`)).reply).toBe(`已登记到场 **#${t.no}**（用时 25 分钟）`);
    expect((await say('zhangwei', `解决 ${t.no} 原因:打印服务卡死`)).reply).toBe(
      `请补充处理：解决 ${t.no} 原因:<故障原因> 处理:<处理措施>`,
    );
    const solved = await say('zhangwei', `解决 ${t.no} 原因：打印服务卡死 处理：重启打印服务并清理队列`);
    expect(solved.reply).toContain('已解决');
    expect(solved.notify?.[0].userids).toEqual(['nurse_li']);
    expect(solved.notify?.[0].text).toContain(`确认 ${t.no}`);
    expect((await say('nurse_wang', `确认 ${t.no} 5`)).reply).toBe(`抱歉，只有报修人可以确认 #${t.no}`);
    const done = await say('nurse_li', `确认 #${t.no} 5 很快`);
    expect(done.reply).toBe(`感谢确认，**#${t.no}** 已关闭（评分 5 分）`);
    expect(done.notify).toEqual([{ userids: ['zhangwei'], text: `#${t.no} 检验系统(LIS) LIS报告打印不出来 已确认关闭，评分 5 分：很快` }]);
    const events = await listEvents('demo', t.no);
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'claimed',
      'progress',
      'dispatched',
      'arrived',
      'resolved',
      'confirmed',
      'closed',
    ]);
    expect(events.find((e) => e.type === 'resolved')).toMatchObject({
      repair: { cause: '打印服务卡死', action: '重启打印服务并清理队列' },
    });
    expect(events.find((e) => e.type === 'confirmed')).toMatchObject({ rating: 5, comment: '很快' });
  });

  it('transfers to an @mentioned engineer, pauses, resumes, relevels, rejects and cancels', async () => {
    const t = await newTicket(ctx);
    await say('zhangwei', `接单 ${t.no}`);
    expect((await say('zhangwei', `转派 ${t.no} @护士小李`)).reply).toBe('护士小李 不是本项目工程师，无法转派');
    const moved = await say('zhangwei', `@维保助手 转派 ${t.no} @刘洋 检验专长`);
    expect(moved.reply).toBe(`已将 **#${t.no}** 转派给 刘洋`);
    // The new engineer gets what they need to act: level, deadline, reporter and contact.
    const handover = moved.notify?.find((n) => n.userids.includes('liuyang'))?.text ?? '';
    expect(handover).toContain(`#${t.no} 检验系统(LIS) LIS报告打印不出来 已转派给您（来自 张伟）`);
    expect(handover).toMatch(/级别：二级\/严重，解决时限 \d\d-\d\d \d\d:\d\d/);
    expect(handover).toContain('报修：');
    expect((await say('liuyang', `挂起 ${t.no}`)).reply).toBe(`请说明挂起原因：挂起 ${t.no} <原因>`);
    expect((await say('liuyang', `挂起 ${t.no} 等厂商补丁`)).reply).toContain('已挂起：等厂商补丁');
    expect((await say('liuyang', `进度 ${t.no}`)).reply).toContain('挂起原因：等厂商补丁');
    expect((await say('liuyang', `恢复 ${t.no}`)).reply).toMatch(/已恢复处理，解决时限顺延至/);
    expect((await say('liuyang', `改级 ${t.no} 一级 全院检验停摆`)).reply).toContain('已改为一级/紧急');
    await say('liuyang', `解决 ${t.no} 原因:驱动 处理:重装`);
    const rejected = await say('nurse_li', `未解决 ${t.no} 还是不行`);
    expect(rejected.reply).toBe(`**#${t.no}** 已重新打开，刘洋 会继续处理`);
    expect(rejected.notify).toEqual([
      { userids: ['liuyang'], text: `#${t.no} 检验系统(LIS) LIS报告打印不出来 报修人反馈未解决：还是不行，已重新打开` },
    ]);
    expect((await say('visitor_x', `取消 ${t.no} 不用了`)).reply).toBe('抱歉，只有负责人可以取消工单');
    const cancelled = await say('wanglei', `取消 ${t.no} 重复报修`);
    expect(cancelled.reply).toBe(`**#${t.no}** 已取消`);
    expect(cancelled.notify).toEqual([
      { userids: ['nurse_li', 'liuyang'], text: `#${t.no} 检验系统(LIS) LIS报告打印不出来 已取消：重复报修` },
    ]);
  });

  it('answers 进度, 我的工单, 待接单 and 帮助', async () => {
    const t = await newTicket(ctx, { level: 3, title: '门诊挂号很慢', system: 'his', reporter: { userid: 'clerk_he', name: '何丽' } });
    const status = await say('clerk_he', `进度 ${t.no}`);
    expect(status.reply).toContain(`**#${t.no}** 待接单（三级/一般｜HIS）`);
    expect(status.reply).toContain('处理人：待接单');
    expect(status.reply).toMatch(/响应时限：\d\d-\d\d \d\d:\d\d/);
    expect((await say('clerk_he', '进度 99999')).reply).toBe('未找到工单 #99999');
    expect((await say('clerk_he', '我的工单')).reply).toContain(`**#${t.no}** 三级/一般｜HIS 门诊挂号很慢\n　待接单 · 响应 `);
    expect((await say('nobody', '我的工单')).reply).toBe('您目前没有未结的报修');
    const queue = await say('zhangwei', '待接单');
    expect(queue.reply).toMatch(/^待接单 \d+ 单：/);
    expect(queue.reply).toContain(`门诊挂号很慢`);
    expect((await say('clerk_he', '帮助')).reply).toContain('确认 12');
    expect((await say('zhangwei', '帮助')).reply).toContain('解决 12 原因:<…> 处理:<…>');
    expect((await say('wanglei', '帮助')).reply).toContain('取消 12 <原因>');
  });

  it('leaves 值班/日报/月报 to the features that contribute them, one feature per verb', async () => {
    expect((await say('zhangwei', '值班')).reply).toBe('「值班」暂未开放，回复「帮助」查看可用命令');
    commands.add('roster', { 值班: async () => ({ reply: plain('今日值班：张伟') }) });
    expect((await say('zhangwei', '值班')).reply).toBe('今日值班：张伟');
    expect(() => commands.add('other', { 值班: async () => ({ reply: plain('') }) })).toThrow(/值班.*roster and other/);
  });

  it('parses the repair record and the transfer target', () => {
    expect(parseRepair('原因:网线松动 处理:重新插好')).toEqual({ cause: '网线松动', action: '重新插好' });
    expect(parseRepair('处理：重启 原因：内存泄漏')).toEqual({ cause: '内存泄漏', action: '重启' });
    expect(parseRepair('措施:换打印机')).toEqual({ cause: '', action: '换打印机' });
    expect(transferTarget(ctx.bot, 'liuyang 交接')).toEqual({ to: 'liuyang', reason: '交接' });
    expect(transferTarget(ctx.bot, '', '@维保助手 转派 3 @陈静')).toEqual({ to: 'chenjing', reason: '' });
    expect(transferTarget(ctx.bot, '', '@维保助手 转派 3')).toEqual({ to: null, reason: '' });
    expect(nurse.userid).toBe('nurse_li');
  });
});

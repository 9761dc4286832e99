/** An inspection end to end through the WeCom simulator: due → checklist in chat → problem opens a ticket → lead report. */
import { assertNoReplacementChar, assertRightForReaders } from '../bot/helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type BotConfig, loadBots } from '../../src/config/bots.js';
import { botFeature } from '../../src/bot/feature.js';
import { Inspection } from '../../src/inspections/model.js';
import { inspectionsFeature, runInspectionsTick } from '../../src/inspections/feature.js';
import { reportsFeature } from '../../src/reports/feature.js';
import { slaReport } from '../../src/reports/service.js';
import type { Service } from '../../src/service.js';
import { ticketsFeature } from '../../src/tickets/feature.js';
import { Ticket } from '../../src/tickets/model.js';
import { wecomFeature } from '../../src/wecom/feature.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { startTestService } from '../helpers/service.js';
import { settleWecom } from '../helpers/settle.js';

let service: Service;
let sim: WecomSimulator;
let bot: BotConfig;
// Sunday 2026-11-01, a minute before the demo's monthly HIS inspection is due (day 1, 09:00).
const clock = new ManualClock('2026-11-01T08:59:00+08:00');

beforeAll(async () => {
  const bots = loadBots('bots', {});
  bot = bots.get('demo')!;
  // A second plan, due the next day, for the reminder and escalation path.
  bot.inspections.push({ ...bot.inspections[0], id: 'monthly-lis', name: 'LIS月度巡检', day: 2, assignee: 'liuyang', system: 'lis' });
  sim = new WecomSimulator({ bots: bots.values(), clock });
  const simUrl = await sim.start();
  service = await startTestService({
    bots,
    clock,
    features: [wecomFeature, botFeature, ticketsFeature, reportsFeature, inspectionsFeature],
    envOverrides: { WECOM_API_BASE: simUrl, WECOM_MAX_SKEW_S: '0' },
  });
});
afterAll(async () => {
  await service?.stop();
  await sim?.stop();
  if (sim) {
    assertNoReplacementChar(sim);
    assertRightForReaders(sim, [bot]);
  }
});

/** Everything processed: inbox empty, outbox delivered (event-driven loops; this only waits for them). */
const settle = (): Promise<void> => settleWecom(clock);

function dms(userid: string): string[] {
  return sim
    .delivered('message/send')
    .filter((r) => r.body?.touser === userid)
    .map((r) => {
      const b = r.body as { msgtype: string; text?: { content: string }; markdown?: { content: string }; template_card?: unknown };
      return b.text?.content ?? b.markdown?.content ?? JSON.stringify(b.template_card);
    });
}

async function tick(at?: string): Promise<void> {
  if (at) clock.set(at);
  await runInspectionsTick(service.ctx);
  await settle();
}

async function say(from: string, text: string): Promise<string[]> {
  const before = dms(from).length;
  await sim.sendAppText({ bot: 'demo', serviceUrl: service.url, from, text });
  await settle();
  return dms(from).slice(before);
}

describe('monthly inspection through chat', () => {
  it('is not started before it is due', async () => {
    await tick();
    expect(dms('zhangwei')).toEqual([]);
    expect(await Inspection.countDocuments({ plan: 'monthly-his' })).toBe(0);
  });

  it('at the due time the assignee gets a card and the first checklist item', async () => {
    await tick('2026-11-01T09:00:00+08:00');
    const got = dms('zhangwei');
    expect(got.some((m) => m.includes('HIS月度巡检（2026-11）'))).toBe(true);
    expect(got.some((m) => m.includes('（1/12）数据库服务器错误日志检查'))).toBe(true);
    const rec = await Inspection.findById('demo:monthly-his:2026-11').lean();
    expect(rec).toMatchObject({ status: 'in_progress', assignee: 'zhangwei' });
    // A second tick (or instance) starts nothing twice.
    const count = dms('zhangwei').length;
    await tick('2026-11-01T09:01:00+08:00');
    expect(dms('zhangwei')).toHaveLength(count);
  });

  it('is answered item by item; a problem opens a ticket and the leads get a short report', async () => {
    clock.set('2026-11-01T09:20:00+08:00');
    for (const answer of ['1', '1', '3', '1', '1', '1']) expect((await say('zhangwei', answer)).join('\n')).toMatch(/（\d+\/12）/);
    expect((await say('zhangwei', '2 D盘使用率 92%')).join('\n')).toContain('（8/12）一致性检查');
    const done = (await say('zhangwei', '全部正常')).join('\n');
    expect(done).toContain('10 项正常，1 项异常，1 项不适用');
    await settle();

    const rec = await Inspection.findById('demo:monthly-his:2026-11').lean();
    expect(rec?.status).toBe('done');
    expect(rec?.doneBy).toBe('zhangwei');
    const issue = rec!.items.find((i) => i.value === 'issue')!;
    expect(issue).toMatchObject({ item: 'disk-space', note: 'D盘使用率 92%', ticketNo: 1 });

    const ticket = await Ticket.findOne({ bot: 'demo', no: 1 }).lean();
    expect(ticket).toMatchObject({
      system: 'his',
      level: 3,
      status: 'open',
      title: '巡检发现：数据库服务器及FTP服务器磁盘空间查看：D盘使用率 92%',
    });
    expect(ticket?.reporter).toMatchObject({ userid: 'zhangwei', department: '巡检' });

    for (const lead of ['wanglei', 'xuli']) {
      const report = dms(lead).find((m) => m.startsWith('**巡检报告'));
      expect(report).toBe(
        [
          '**巡检报告：HIS月度巡检（2026-11）**',
          '执行 张伟 · 完成 11-01 09:20',
          '正常 10 · <font color="warning">异常 1</font> · 不适用 1',
          '- 数据库服务器及FTP服务器磁盘空间查看：D盘使用率 92% → 已开单 #1',
        ].join('\n'),
      );
    }
    expect(dms('zhangwei').some((m) => m.includes('巡检异常已开单：#1'))).toBe(true);
  });

  it('appears in the monthly report (planned, done, problems)', async () => {
    const report = await slaReport(bot, '2026-11', clock.now());
    const monthly = report.inspections!.items.find((i) => i.plan === 'monthly-his')!;
    expect(monthly).toMatchObject({ period: '2026-11', status: 'done', problems: 1, doneAt: '2026-11-01T09:20:00+08:00' });
    expect(report.inspections).toMatchObject({ planned: 2, done: 1, problems: 1, ticketsOpened: 1 });
    // The ticket the inspection opened is in the month's tickets.
    expect(report.totals.tickets).toBe(1);
  });
});

describe('a missed inspection', () => {
  it('is reminded after remindAfterHours and escalated to the leads after escalateAfterHours, once each', async () => {
    await tick('2026-11-02T09:00:00+08:00'); // the LIS inspection is due and starts
    expect(dms('liuyang').some((m) => m.includes('（1/12）'))).toBe(true);
    await tick('2026-11-03T08:59:00+08:00');
    expect(dms('liuyang').some((m) => m.startsWith('提醒'))).toBe(false);

    await tick('2026-11-03T09:00:00+08:00');
    const reminders = dms('liuyang').filter((m) => m.startsWith('提醒：LIS月度巡检'));
    expect(reminders).toHaveLength(1);
    // The 4-hour checklist conversation had expired, so the checklist was sent again.
    expect(reminders[0]).toContain('检查清单已重新发给您');
    expect(dms('liuyang').filter((m) => m.includes('（1/12）'))).toHaveLength(2);

    const leadsBefore = dms('wanglei').length;
    await tick('2026-11-04T09:00:00+08:00');
    await tick('2026-11-04T09:05:00+08:00');
    const escalations = dms('wanglei')
      .slice(leadsBefore)
      .filter((m) => m.includes('巡检逾期'));
    expect(escalations).toEqual([
      '**<font color="warning">巡检逾期</font>：LIS月度巡检（2026-11）**\n负责人 刘洋 · 应完成 11-02 09:00 · 已超过 48 小时未完成',
    ]);
    expect(dms('liuyang').filter((m) => m.startsWith('提醒'))).toHaveLength(1);
  });
});

describe('日报 and 月报 in chat', () => {
  it('a lead asks for 日报 and 月报 through the app; engineers and reporters are told the one role rule', async () => {
    clock.set('2026-11-04T10:00:00+08:00');
    const digest = (await say('wanglei', '日报')).join('\n');
    // On demand: headed with today's date, today so far, then yesterday.
    expect(digest).toContain('**维保日报 · 演示医院 · 11-04(周三)**\n> 今日截至 11-04 10:00 · 昨日 11-03 全天');
    expect(digest).toContain('- #1 三级 HIS · 待接单');
    const month = (await say('wanglei', '月报 2026-11')).join('\n');
    expect(month).toContain('**2026-11 月报 · 演示医院**');
    expect(month).toContain('巡检：计划 2 · 完成 1 · 发现问题 1');
    expect((await say('zhangwei', '月报 2026-11')).join('\n')).toBe('日报和月报仅对信息科负责人和项目经理开放。');
    expect((await say('u_nurse', '日报')).join('\n')).toBe('日报和月报仅对信息科负责人和项目经理开放。');
  });
});

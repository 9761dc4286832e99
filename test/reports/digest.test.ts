import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { BotConfig } from '../../src/config/bots.js';
import { contentText, plain } from '../../src/bot/presenters/content.js';
import { dailyDigestCommand, monthlyReportCommand, parseMonthArg } from '../../src/reports/commands.js';
import { APP_MARKDOWN_LIMIT, buildDigest } from '../../src/bot/presenters/digest.js';
import { dailyDigest } from '../../src/reports/service.js';
import { foldTimeline, type ReportEvent } from '../../src/reports/timeline.js';
import { LEVELS } from '../../src/tickets/types.js';
import type { ServiceContext } from '../../src/service.js';
import { ensureTicketIndexes } from '../../src/tickets/model.js';
import { AS_OF, DIGEST_AT, STEPS } from '../fixtures/reports-month-2026-10.js';
import { useTestDb } from '../helpers/db.js';
import { demoBot, FixtureDriver } from './drive.js';

useTestDb();

const golden = readFileSync(new URL('../fixtures/digest-2026-10-28.md', import.meta.url), 'utf8').trimEnd();
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
let bot: BotConfig;

beforeAll(async () => {
  await ensureTicketIndexes();
  bot = demoBot();
  // The whole month is in the log; the digest at 10-28 08:30 must only see what had happened by then.
  await new FixtureDriver(bot, STEPS).runUntil(AS_OF);
});

function ctxAt(at: string): ServiceContext {
  return { clock: new ManualClock(at), bots: new Map([[bot.id, bot]]) } as unknown as ServiceContext;
}

describe('daily digest', () => {
  it('for the fixture day equals the golden text and fits one app markdown message', async () => {
    const digest = await dailyDigest(bot, new Date(DIGEST_AT));
    expect(digest.markdown).toBe(golden);
    expect(digest.parts).toEqual([golden]);
    expect(bytes(golden)).toBeLessThanOrEqual(APP_MARKDOWN_LIMIT);
  });

  it('splits a long digest at section and line boundaries, every part within the byte limit', () => {
    const now = new Date('2026-10-28T08:30:00+08:00');
    const records = Array.from({ length: 60 }, (_, i) => {
      const no = i + 1;
      const at = new Date(now.getTime() - (i + 1) * 3_600_000);
      const events: ReportEvent[] = [
        {
          no,
          seq: 1,
          type: 'created',
          actor: 'u',
          at,
          bot: bot.id,
          level: LEVELS[i % 4] ?? 1,
          system: bot.systems[i % bot.systems.length].id,
          title: '',
          reporter: { userid: 'u', name: '某人', department: '检验科' },
          triageReason: null,
          channel: 'aibot',
        },
      ];
      if (i % 3 === 0)
        events.push({
          no,
          seq: 2,
          type: 'claimed',
          actor: 'zhangwei',
          at: new Date(at.getTime() + 600_000),
          bot: bot.id,
          assignee: { userid: 'zhangwei', name: '张伟' },
          responseMs: null,
        });
      return { timeline: foldTimeline({ no }, events), events };
    });
    const digest = buildDigest({
      bot,
      start: new Date('2026-10-27T00:00:00+08:00'),
      end: new Date('2026-10-28T00:00:00+08:00'),
      now,
      records,
    });
    expect(bytes(digest.markdown)).toBeGreaterThan(APP_MARKDOWN_LIMIT);
    expect(digest.parts.length).toBeGreaterThan(1);
    for (const p of digest.parts) expect(bytes(p)).toBeLessThanOrEqual(APP_MARKDOWN_LIMIT);
    expect(digest.parts[1]).toMatch(/^\*\*维保日报（续 2\/\d）\*\*/);
    // Nothing is lost or cut mid-line: every line of the whole text is in exactly one part.
    const lines = digest.markdown.split('\n').filter(Boolean);
    const partLines = digest.parts.flatMap((p) => p.split('\n')).filter((l) => l && !l.startsWith('**维保日报（续'));
    expect(partLines).toEqual(lines);
    expect(digest.markdown).toContain('- …另 ');
  });

  it('warns the leads when next year’s holidays are not in the calendar data yet', async () => {
    const digest = await dailyDigest(bot, new Date('2026-12-05T08:30:00+08:00'));
    expect(digest.markdown).toContain('2027 年法定节假日数据尚未收录');
    expect((await dailyDigest(bot, new Date(DIGEST_AT))).markdown).not.toContain('日历提示');
  });
});

describe('chat commands 日报 and 月报', () => {
  it('日报 gives a lead the digest and politely refuses others', async () => {
    const ctx = ctxAt(DIGEST_AT);
    const lead = await dailyDigestCommand(ctx, { bot, from: { userid: 'wanglei' } }, { verb: '日报', no: null, rest: '' });
    expect(lead.reply.type).toBe('markdown');
    // On demand it covers today so far and yesterday, headed with today's date.
    const lines = contentText(lead.reply).split('\n');
    expect(lines.slice(0, 2)).toEqual(['**维保日报 · 演示医院 · 10-28(周三)**', '> 今日截至 10-28 08:30 · 昨日 10-27 全天']);
    expect(lines).toContain('**今日新增 2 单**：一级 1 · 二级 1');
    expect(lines).toContain('**昨日新增 1 单**：一级 1');
    const engineer = await dailyDigestCommand(ctx, { bot, from: { userid: 'zhangwei' } }, { verb: '日报', no: null, rest: '' });
    expect(engineer.reply).toEqual(plain('日报和月报仅对信息科负责人和项目经理开放。'));
  });

  it('月报 2026-10 summarises the month for the leads', async () => {
    const ctx = ctxAt(AS_OF);
    const r = await monthlyReportCommand(ctx, { bot, from: { userid: 'wanglei' } }, { verb: '月报', no: null, rest: '2026-10' });
    expect(contentText(r.reply).split('\n')).toEqual([
      '**2026-10 月报 · 演示医院**（截至 11-01 09:00）',
      '工单 14 · 已解决 12 · 未解决 2 · 超时 5 项',
      '一级 3 单：响应 100% · 到场 50% · 解决 100%',
      '二级 5 单：响应 60% · 到场 100% · 解决 75%',
      '三级 5 单：响应 80% · 到场 100% · 解决 100%',
      '四级 1 单：响应 100% · 解决 100%',
      '二、三、四级 24h 内解决 55.6%（目标 80% ❌）· 72h 内 88.9%（目标 100% ❌）',
      '确认率 75% · 满意度 4 · 自动关闭 3',
      expect.stringMatching(/^巡检：计划 \d+ · 完成 \d+ · 发现问题 \d+$/),
      '完整记录：管理端导出 /api/reports/records.xlsx?bot=demo&month=2026-10',
    ]);
    expect(bytes(contentText(r.reply))).toBeLessThanOrEqual(APP_MARKDOWN_LIMIT);
  });

  it('月报 of a month with nothing resolved shows "—", not "0%（目标 80% ✅）"', async () => {
    const r = await monthlyReportCommand(ctxAt(AS_OF), { bot, from: { userid: 'wanglei' } }, { verb: '月报', no: null, rest: '2026-09' });
    const text = contentText(r.reply);
    expect(text).toContain('24h 内解决 —· 72h 内 —');
    expect(text).not.toContain('0%（目标');
  });

  it('月报 refuses reporters and explains a bad or future month', async () => {
    const ctx = ctxAt(AS_OF);
    const as = (userid: string, rest: string) => monthlyReportCommand(ctx, { bot, from: { userid } }, { verb: '月报', no: null, rest });
    // One role rule for 日报 and 月报 (README): leads only, engineers and reporters are told so.
    for (const who of ['u_lab1', 'liuyang'])
      expect((await as(who, '2026-10')).reply).toEqual(plain('日报和月报仅对信息科负责人和项目经理开放。'));
    expect((await as('wanglei', '2026-13')).reply).toEqual(plain('月份格式不对，例如：月报 2026-11'));
    expect(contentText((await as('wanglei', '2027-01')).reply)).toContain('还没开始');
  });

  it('reads months the way people write them', () => {
    const now = new Date('2026-11-21T10:00:00+08:00');
    expect(parseMonthArg('', now)).toBe('2026-11');
    expect(parseMonthArg('上月', now)).toBe('2026-10');
    expect(parseMonthArg('2026-9', now)).toBe('2026-09');
    expect(parseMonthArg('2026年10月', now)).toBe('2026-10');
    expect(parseMonthArg('12月', now)).toBe('2025-12');
    expect(parseMonthArg('10月', now)).toBe('2026-10');
    expect(parseMonthArg('13月', now)).toBeNull();
    expect(parseMonthArg('abc', now)).toBeNull();
  });
});

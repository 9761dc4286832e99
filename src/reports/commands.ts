/**
 * Chat commands 日报 and 月报 as plain functions; the chat command map registers them
 * (`(ctx, {bot, from}, parsed) → {reply}`).
 */
import type { ParsedCommand } from '../bot/grammar.js';
import type { BotConfig } from '../config/bots.js';
import { roleOf } from '../roster/roster.js';
import type { CommandHandler } from '../bot/commands/index.js';
import type { Clock } from '../clock.js';
import { local, toChatTime } from '../time.js';
import { LEVEL_NAME, pct } from './labels.js';
import { monthRange } from './month.js';
import { dailyDigest, slaReport } from './service.js';
import type { SlaReport } from './sla-report.js';

export interface ChatCommandInput {
  bot: BotConfig;
  from: { userid: string; name?: string };
}
export interface ChatCommandReply {
  /** Markdown for the person. */
  reply: string;
  /** The same text cut into parts that each fit an app markdown message (2048 bytes). */
  parts?: string[];
  format?: 'markdown' | 'text';
}
export type ChatCommandHandler = (ctx: { clock: Clock }, input: ChatCommandInput, parsed: ParsedCommand) => Promise<ChatCommandReply>;

/** 日报: the daily digest on demand, for the leads. */
export const dailyDigestCommand: ChatCommandHandler = async (ctx, { bot, from }) => {
  if (roleOf(bot, from.userid) !== 'lead') return { reply: '日报仅发给信息科负责人和项目经理。', format: 'text' };
  const digest = await dailyDigest(bot, ctx.clock.now());
  return { reply: digest.markdown, parts: digest.parts, format: 'markdown' };
};

/** "2026-11", "2026-1", "2026年11月", "11月" (the latest such month not in the future); "" → this month. */
export function parseMonthArg(text: string, now: Date): string | null {
  const s = text.trim().replace(/\s+/g, '');
  const today = local(now);
  if (!s || s === '本月') return today.format('YYYY-MM');
  if (s === '上月' || s === '上个月') return today.subtract(1, 'month').format('YYYY-MM');
  let m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(s);
  if (m) {
    const month = `${m[1]}-${m[2].padStart(2, '0')}`;
    return monthRange(month) ? month : null;
  }
  m = /^(\d{1,2})月$/.exec(s);
  if (m) {
    const n = Number(m[1]);
    if (n < 1 || n > 12) return null;
    const year = n > today.month() + 1 ? today.year() - 1 : today.year();
    return `${year}-${String(n).padStart(2, '0')}`;
  }
  return null;
}

/** 月报 YYYY-MM: the month's SLA summary, for engineers and leads. */
export const monthlyReportCommand: ChatCommandHandler = async (ctx, { bot, from }, parsed) => {
  if (roleOf(bot, from.userid) === 'reporter') return { reply: '月报仅对工程师和信息科开放。', format: 'text' };
  const now = ctx.clock.now();
  const month = parseMonthArg(parsed.rest, now);
  if (!month) return { reply: '月份格式不对，例如：月报 2026-11', format: 'text' };
  if (monthRange(month)!.start.getTime() > now.getTime())
    return { reply: `${month} 还没开始，换个月份试试，例如：月报 ${local(now).format('YYYY-MM')}`, format: 'text' };
  const report = await slaReport(bot, month, now);
  const text = summarize(bot, report, now);
  return { reply: text, parts: [text], format: 'markdown' };
};

const mark = (pass: boolean) => (pass ? '✅' : '❌');

/** The month in a dozen lines (fits one app markdown message). */
export function summarize(bot: BotConfig, r: SlaReport, now: Date): string {
  const t = r.totals;
  const lines = [
    `**${r.month} 月报 · ${bot.name}**（截至 ${toChatTime(now)}）`,
    `工单 ${t.tickets} · 已解决 ${t.resolved} · 未解决 ${t.open} · 超时 ${t.breaches} 项`,
  ];
  for (const b of r.byLevel) {
    if (!b.tickets) continue;
    const onsite = b.onsite.met + b.onsite.breached ? ` · 到场 ${pct(b.onsite.metRate)}` : '';
    lines.push(`${LEVEL_NAME[b.level]} ${b.tickets} 单：响应 ${pct(b.response.metRate)}${onsite} · 解决 ${pct(b.resolve.metRate)}`);
  }
  const a = r.aggregate;
  const levels = a.levels.map((l) => LEVEL_NAME[l].slice(0, 1)).join('、');
  lines.push(
    `${levels}级 24h 内解决 ${pct(a.within24h.rate)}（目标 ${pct(a.within24h.target)} ${mark(a.within24h.pass)}）· 72h 内 ${pct(a.within72h.rate)}（目标 ${pct(a.within72h.target)} ${mark(a.within72h.pass)}）`,
    `确认率 ${pct(t.confirmationRate)} · 满意度 ${t.satisfaction ?? '—'}${t.autoClosed ? ` · 自动关闭 ${t.autoClosed}` : ''}`,
  );
  if (r.inspections) lines.push(`巡检：计划 ${r.inspections.planned} · 完成 ${r.inspections.done} · 发现问题 ${r.inspections.problems}`);
  if (r.calendarUncertain) lines.push('⚠ 本月节假日数据未收录，工作日按周一至周五计算。');
  lines.push(`完整记录：管理端导出 /api/reports/records.xlsx?bot=${bot.id}&month=${r.month}`);
  return lines.join('\n');
}

/** The chat command map's signature (src/bot/commands): the bot comes with the ticket context. */
export const dailyDigestHandler: CommandHandler = (ctx, msg, parsed) => dailyDigestCommand(ctx, { bot: ctx.bot, from: msg.from }, parsed);
export const monthlyReportHandler: CommandHandler = (ctx, msg, parsed) =>
  monthlyReportCommand(ctx, { bot: ctx.bot, from: msg.from }, parsed);

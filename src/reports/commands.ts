/**
 * Chat commands 日报 and 月报 as plain functions; the chat command map registers them
 * (`(ctx, {bot, from}, parsed) → {reply}`).
 */
import type { ParsedCommand } from '../bot/grammar.js';
import type { BotConfig } from '../config/bots.js';
import { roleOf } from '../roster/roster.js';
import type { CommandHandler } from '../bot/commands/index.js';
import { respond } from '../bot/commands/reply.js';
import { personName } from '../roster/roster.js';
import { explainBreach } from '../tickets/commands/index.js';
import { Ticket } from '../tickets/model.js';
import type { TargetName } from '../tickets/types.js';
import type { Clock } from '../clock.js';
import { local, toChatTime } from '../time.js';
import { LEVEL_NAME, pct } from './labels.js';
import { monthRange } from './month.js';
import { dailyDigest, slaReport } from './service.js';
import { signMonth, signoffOf, withdrawSignoff } from './signoff.js';
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

/** "2026-11 原因…" → the month and the rest; the month may be written as 月报 accepts it. */
function monthAndRest(rest: string, now: Date): { month: string | null; rest: string } {
  const [first = '', ...more] = rest.trim().split(/\s+/);
  return { month: first ? parseMonthArg(first, now) : null, rest: more.join(' ').trim() };
}

/** 月报签收 YYYY-MM: a lead accepts the month's record (an auditable event shown on the record's cover). */
export const signMonthHandler: CommandHandler = async (ctx, msg, parsed) => {
  const { bot, clock } = ctx;
  if (roleOf(bot, msg.from.userid) !== 'lead') return { reply: '月报签收仅限信息科负责人和项目经理。' };
  const now = clock.now();
  const { month } = monthAndRest(parsed.rest, now);
  if (!month) return { reply: '请写明月份，例如：月报签收 2026-11' };
  const range = monthRange(month)!;
  if (range.end.getTime() > now.getTime()) return { reply: `${month} 尚未结束，月底后再签收。` };
  const result = await signMonth(ctx, { month, by: msg.from.userid, name: personName(bot, msg.from.userid) });
  if (!result.ok) {
    const s = result.state.signed!;
    return { reply: `${month} 维护记录已由 ${s.name} 于 ${toChatTime(s.at)} 签收；如需更正请先「月报撤回 ${month} 原因」。` };
  }
  return {
    reply: `✅ 已签收 ${month} 维护记录（${personName(bot, msg.from.userid)}，${toChatTime(now)}）。导出的记录将以此时为准；如需更正请先「月报撤回 ${month} 原因」。`,
  };
};

/** 月报撤回 YYYY-MM <reason>: a lead withdraws the month's sign-off so the record can be corrected. */
export const withdrawSignoffHandler: CommandHandler = async (ctx, msg, parsed) => {
  const { bot, clock } = ctx;
  if (roleOf(bot, msg.from.userid) !== 'lead') return { reply: '月报撤回仅限信息科负责人和项目经理。' };
  const { month, rest: reason } = monthAndRest(parsed.rest, clock.now());
  if (!month) return { reply: '请写明月份和原因，例如：月报撤回 2026-11 补录超时说明' };
  if (!reason) return { reply: `请写明撤回原因，例如：月报撤回 ${month} 补录超时说明` };
  const result = await withdrawSignoff(ctx, { month, by: msg.from.userid, name: personName(bot, msg.from.userid), reason });
  if (!result.ok) return { reply: `${month} 维护记录尚未签收，无需撤回。` };
  return { reply: `已撤回 ${month} 维护记录的签收（原因：${reason}）。更正后请重新「月报签收 ${month}」。` };
};

const TARGET_WORD: Record<string, TargetName> = { 响应: 'response', 到场: 'onsite', 解决: 'resolve' };

/** 超时说明 12 [响应|到场|解决] <原因>: the engineer's explanation of a breach, for the record's 超时明细. */
export const explainBreachHandler: CommandHandler = async (ctx, msg, parsed) => {
  if (parsed.no === null) return { reply: '请带上工单号，如「超时说明 12 等待厂家备件」' };
  const m = /^(响应|到场|解决)(?:超时)?[\s:：,，]*/.exec(parsed.rest);
  const target = m ? TARGET_WORD[m[1]] : undefined;
  const text = m ? parsed.rest.slice(m[0].length) : parsed.rest;
  const ticket = await Ticket.findOne({ bot: ctx.bot.id, no: parsed.no }, { createdAt: 1 }).lean<{ createdAt: Date }>();
  if (ticket) {
    const month = local(ticket.createdAt).format('YYYY-MM');
    const signed = (await signoffOf(ctx.bot.id, month)).signed;
    if (signed)
      return { reply: `#${parsed.no} 所在的 ${month} 维护记录已由 ${signed.name} 签收，需先「月报撤回 ${month} 原因」再补充说明。` };
  }
  return respond(ctx, await explainBreach(ctx, { no: parsed.no, actor: msg.from, text, target }), () => `已记录 #${parsed.no} 的超时说明`);
};

/** 月报 in chat: the month in a dozen lines (fits one app markdown message), and the command's refusals. */
import type { BotConfig } from '../../config/bots.js';
import type { SlaReport } from '../../reports/sla-report.js';
import { type ChatContent, markdown, plain } from './content.js';
import { at, LEVEL_NAME, pct } from './words.js';

const mark = (pass: boolean) => (pass ? '✅' : '❌');

/** "55.6%（目标 80% ❌）", or "—" alone when no ticket was decided yet (no verdict on an empty month). */
function againstTarget(a: { rate: number; target: number; pass: boolean; tickets: number }): string {
  return a.tickets === 0 ? '—' : `${pct(a.rate)}（目标 ${pct(a.target)} ${mark(a.pass)}）`;
}

/** The month's SLA summary; `now` is the "截至" instant. */
export function monthSummary(bot: BotConfig, r: SlaReport, now: Date): string {
  const t = r.totals;
  const lines = [
    `**${r.month} 月报 · ${bot.name}**（截至 ${at(now)}）`,
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
    `${levels}级 24h 内解决 ${againstTarget(a.within24h)}· 72h 内 ${againstTarget(a.within72h)}`,
    `确认率 ${pct(t.confirmationRate)} · 满意度 ${t.satisfaction ?? '—'}${t.autoClosed ? ` · 自动关闭 ${t.autoClosed}` : ''}`,
  );
  if (r.inspections) lines.push(`巡检：计划 ${r.inspections.planned} · 完成 ${r.inspections.done} · 发现问题 ${r.inspections.problems}`);
  if (r.calendarUncertain) lines.push('⚠ 本月节假日数据未收录，工作日按周一至周五计算。');
  lines.push(`完整记录：管理端导出 /api/reports/records.xlsx?bot=${bot.id}&month=${r.month}`);
  return lines.join('\n');
}

export const monthReport = (bot: BotConfig, r: SlaReport, now: Date): ChatContent => markdown(monthSummary(bot, r, now));
/** The one role rule of 日报 and 月报 (README "Using the bot in chat"): leads only. */
export const reportsForLeadsOnly = (): ChatContent => plain('日报和月报仅对信息科负责人和项目经理开放。');
export const badMonth = (): ChatContent => plain('月份格式不对，例如：月报 2026-11');
export const futureMonth = (month: string, now: string): ChatContent => plain(`${month} 还没开始，换个月份试试，例如：月报 ${now}`);

/**
 * The month's sign-off (月报签收 / 月报撤回) and breach explanations (超时说明): answers to leads and engineers about
 * the maintenance record. `at` values are chat times.
 */
export const signoff = {
  leadsOnly: (verb: '月报签收' | '月报撤回'): ChatContent => plain(`${verb}仅限信息科负责人和项目经理。`),
  askMonth: (): ChatContent => plain('请写明月份，例如：月报签收 2026-11'),
  notOver: (month: string): ChatContent => plain(`${month} 尚未结束，月底后再签收。`),
  already: (month: string, name: string, when: Date): ChatContent =>
    plain(`${month} 维护记录已由 ${name} 于 ${at(when)} 签收；如需更正请先「月报撤回 ${month} 原因」。`),
  signed: (month: string, name: string, when: Date): ChatContent =>
    plain(`✅ 已签收 ${month} 维护记录（${name}，${at(when)}）。导出的记录将以此时为准；如需更正请先「月报撤回 ${month} 原因」。`),
  askMonthAndReason: (): ChatContent => plain('请写明月份和原因，例如：月报撤回 2026-11 补录超时说明'),
  askReason: (month: string): ChatContent => plain(`请写明撤回原因，例如：月报撤回 ${month} 补录超时说明`),
  notSigned: (month: string): ChatContent => plain(`${month} 维护记录尚未签收，无需撤回。`),
  withdrawn: (month: string, reason: string): ChatContent =>
    plain(`已撤回 ${month} 维护记录的签收（原因：${reason}）。更正后请重新「月报签收 ${month}」。`),
};

export const breachExplanation = {
  askNumber: (): ChatContent => plain('请带上工单号，如「超时说明 12 等待厂家备件」'),
  monthSigned: (no: number, month: string, name: string): ChatContent =>
    plain(`#${no} 所在的 ${month} 维护记录已由 ${name} 签收，需先「月报撤回 ${month} 原因」再补充说明。`),
  recorded: (no: number): ChatContent => plain(`已记录 #${no} 的超时说明`),
};

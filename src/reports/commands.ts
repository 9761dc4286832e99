/**
 * Chat commands 日报 and 月报. One role rule for both, the same as README "Using the bot in chat": leads only
 * (the hospital's 信息科 head and the vendor's project manager, `roster.leads`).
 */
import type { ParsedCommand } from '../bot/grammar.js';
import type { CommandHandler } from '../bot/commands/index.js';
import type { ChatContent } from '../bot/presenters/content.js';
import { markdown } from '../bot/presenters/content.js';
import { badMonth, breachExplanation, futureMonth, monthReport, reportsForLeadsOnly, signoff } from '../bot/presenters/month-report.js';
import type { Clock } from '../clock.js';
import type { BotConfig } from '../config/bots.js';
import { respond } from '../bot/commands/reply.js';
import { personName, roleOf } from '../roster/roster.js';
import { explainBreach } from '../tickets/commands/index.js';
import { getTicket } from '../tickets/queries.js';
import type { TargetName } from '../tickets/types.js';
import { local } from '../time.js';
import { monthRange } from './month.js';
import { dailyDigest, slaReport } from './service.js';
import { signMonth, signoffOf, withdrawSignoff } from './signoff.js';

export interface ChatCommandInput {
  bot: BotConfig;
  from: { userid: string; name?: string };
}
export interface ChatCommandReply {
  /** The answer for the person (typed content from src/bot/presenters). */
  reply: ChatContent;
}
export type ChatCommandHandler = (ctx: { clock: Clock }, input: ChatCommandInput, parsed: ParsedCommand) => Promise<ChatCommandReply>;

/** Who may read 日报 and 月报 in chat. */
export function mayReadReports(bot: BotConfig, userid: string): boolean {
  return roleOf(bot, userid) === 'lead';
}

/** 日报: today so far and yesterday, headed with today's date. */
export const dailyDigestCommand: ChatCommandHandler = async (ctx, { bot, from }) => {
  if (!mayReadReports(bot, from.userid)) return { reply: reportsForLeadsOnly() };
  const digest = await dailyDigest(bot, ctx.clock.now(), undefined, true);
  return { reply: markdown(digest.markdown) };
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

/** 月报 YYYY-MM: the month's SLA summary. */
export const monthlyReportCommand: ChatCommandHandler = async (ctx, { bot, from }, parsed) => {
  if (!mayReadReports(bot, from.userid)) return { reply: reportsForLeadsOnly() };
  const now = ctx.clock.now();
  const month = parseMonthArg(parsed.rest, now);
  if (!month) return { reply: badMonth() };
  if (monthRange(month)!.start.getTime() > now.getTime()) return { reply: futureMonth(month, local(now).format('YYYY-MM')) };
  const report = await slaReport(bot, month, now);
  return { reply: monthReport(bot, report, now) };
};

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
  if (roleOf(bot, msg.from.userid) !== 'lead') return { reply: signoff.leadsOnly('月报签收') };
  const now = clock.now();
  const { month } = monthAndRest(parsed.rest, now);
  if (!month) return { reply: signoff.askMonth() };
  const range = monthRange(month)!;
  if (range.end.getTime() > now.getTime()) return { reply: signoff.notOver(month) };
  const result = await signMonth(ctx, { month, by: msg.from.userid, name: personName(bot, msg.from.userid) });
  if (!result.ok) {
    const s = result.state.signed!;
    return { reply: signoff.already(month, s.name, s.at) };
  }
  return { reply: signoff.signed(month, personName(bot, msg.from.userid), now) };
};

/** 月报撤回 YYYY-MM <reason>: a lead withdraws the month's sign-off so the record can be corrected. */
export const withdrawSignoffHandler: CommandHandler = async (ctx, msg, parsed) => {
  const { bot, clock } = ctx;
  if (roleOf(bot, msg.from.userid) !== 'lead') return { reply: signoff.leadsOnly('月报撤回') };
  const { month, rest: reason } = monthAndRest(parsed.rest, clock.now());
  if (!month) return { reply: signoff.askMonthAndReason() };
  if (!reason) return { reply: signoff.askReason(month) };
  const result = await withdrawSignoff(ctx, { month, by: msg.from.userid, name: personName(bot, msg.from.userid), reason });
  if (!result.ok) return { reply: signoff.notSigned(month) };
  return { reply: signoff.withdrawn(month, reason) };
};

const TARGET_WORD: Record<string, TargetName> = { 响应: 'response', 到场: 'onsite', 解决: 'resolve' };

/** 超时说明 12 [响应|到场|解决] <原因>: the engineer's explanation of a breach, for the record's 超时明细. */
export const explainBreachHandler: CommandHandler = async (ctx, msg, parsed) => {
  if (parsed.no === null) return { reply: breachExplanation.askNumber() };
  const m = /^(响应|到场|解决)(?:超时)?[\s:：,，]*/.exec(parsed.rest);
  const target = m ? TARGET_WORD[m[1]] : undefined;
  const text = m ? parsed.rest.slice(m[0].length) : parsed.rest;
  const ticket = await getTicket(ctx.bot.id, parsed.no);
  if (ticket) {
    const month = local(ticket.createdAt).format('YYYY-MM');
    const signed = (await signoffOf(ctx.bot.id, month)).signed;
    if (signed) return { reply: breachExplanation.monthSigned(parsed.no, month, signed.name) };
  }
  return respond(ctx, await explainBreach(ctx, { no: parsed.no, actor: msg.from, text, target }), () =>
    breachExplanation.recorded(parsed.no!),
  );
};

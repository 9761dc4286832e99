import type { BotConfig } from '../../config/bots.js';
import { levelWords, STATUS_WORDS, systemName } from '../../tickets/labels.js';
import type { TicketDoc } from '../../tickets/types.js';
import { toChatTime } from '../../time.js';

/** "#12" */
export const tag = (no: number) => `#${no}`;

/** "一级/紧急｜检验系统(LIS)" */
export function levelAndSystem(bot: BotConfig, t: Pick<TicketDoc, 'level' | 'system'>): string {
  return `${levelWords(t.level)}｜${systemName(bot, t.system)}`;
}

/** A local chat time ("11-21 14:30"), or "—". */
export function at(d: Date | string | null | undefined): string {
  return d ? toChatTime(d) : '—';
}

/** "35 分钟" / "2 小时 5 分钟" */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return `${min} 分钟`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h} 小时 ${min % 60} 分钟` : `${h} 小时`;
}

/** Titles come from chat: one line, bounded. */
export function short(text: string, max = 30): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** "#12 处理中 一级/紧急｜检验系统(LIS) LIS报告打印不出来" */
export function ticketLine(bot: BotConfig, t: TicketDoc): string {
  return `**${tag(t.no)}** ${STATUS_WORDS[t.status]} ${levelAndSystem(bot, t)} ${short(t.title)}`;
}

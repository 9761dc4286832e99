/**
 * The bot's one vocabulary: level, status, event, target and period words, the one duration format, times,
 * percentages and shortening. Every sentence, card, digest and workbook cell takes its words from here, so a
 * status reads the same in 进度, 我的工单, the digest and the record (issue #10 "one voice").
 */
import type { BotConfig } from '../../config/bots.js';
import type { Period, TargetName } from '../../sla/config.js';
import type { EventType, Level, TicketStatus } from '../../tickets/types.js';
import { toChatTime } from '../../time.js';

/** Level as people say it, after the contract (seed 001). */
export const LEVEL_WORDS: Record<Level, string> = { 1: '一级/紧急', 2: '二级/严重', 3: '三级/一般', 4: '四级/咨询' };
/** The short level name for tables and digests ("一级"). */
export const LEVEL_NAME: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };

/** One status word per status, for every reader (chat, digest, record, CSV). */
export const STATUS_WORDS: Record<TicketStatus, string> = {
  open: '待接单',
  claimed: '处理中',
  onsite_dispatched: '待到场',
  onsite: '已到场',
  paused: '已挂起',
  resolved: '待确认',
  closed: '已关闭',
  cancelled: '已取消',
  linked: '已并入故障事件',
  referred: '已转信息科',
};

/** The record's statuses: a ticket's status, or how it left the SLA figures (withdrawn, referred to 信息科). */
export const RECORD_STATUS_WORDS: Record<string, string> = { ...STATUS_WORDS, withdrawn: '已撤销', referred: '已转信息科' };

export const EVENT_WORDS: Record<EventType, string> = {
  created: '报修',
  claimed: '接单',
  dispatched: '派现场',
  arrived: '到场',
  progress: '进展',
  resolved: '解决',
  confirmed: '确认',
  rejected: '未解决',
  reopened: '重新打开',
  paused: '挂起',
  resumed: '恢复',
  transferred: '转派',
  level_changed: '改级',
  merged: '合并',
  reminded: '提醒',
  breached: '超时',
  cancelled: '取消',
  closed: '关闭',
  explained: '超时说明',
  unlinked: '拆分',
  referred: '转信息科',
  chased: '催办',
  noted: '报修人留言',
};

export const TARGET_WORDS: Record<TargetName, string> = { response: '响应', onsite: '到场', resolve: '解决' };
export const PERIOD_WORDS: Record<Period, string> = { work: '工作时间', off: '非工作时间', holiday: '节假日' };

/** "一级/紧急"; an unknown level reads "5级". */
export function levelWords(level: number): string {
  return LEVEL_WORDS[level as Level] ?? `${level}级`;
}

/** The system's display name from the bot file ("检验系统(LIS)"), else its id. */
export function systemName(bot: BotConfig, system: string): string {
  return bot.systems.find((s) => s.id === system)?.name ?? system;
}

/**
 * A ticket's system as shown: other software with the reporter's own name reads "手麻系统（其他软件）", every other
 * ticket its catalog name (issue #17).
 */
export function ticketSystem(bot: BotConfig, t: { system: string; systemLabel?: string | null }): string {
  const name = systemName(bot, t.system);
  return t.systemLabel ? `${t.systemLabel}（${name}）` : name;
}

/** Short system label for chat: "检验系统(LIS)" → "LIS"; a name without brackets stays whole. */
export function systemShort(bot: BotConfig, id: string): string {
  const name = systemName(bot, id);
  return /\(([^)]+)\)/.exec(name)?.[1] ?? name;
}

/** "#12" */
export const tag = (no: number): string => `#${no}`;

/** A local chat time ("11-21 14:30"), or "—" when there is none. */
export function at(d: Date | string | null | undefined): string {
  return d ? toChatTime(d) : '—';
}

/**
 * The one duration format, for a span in milliseconds: "不到 1 分钟", "35 分钟", "2 小时 5 分钟", "2 天 3 小时"
 * (whole minutes, rounded; anything under a minute, and a negative span, reads "不到 1 分钟", never "0 分钟").
 * Empty string for null/undefined so callers can leave the phrase out. `hoursOnly`: never in days (a span of
 * working time: a working day is not 24 h).
 */
export function duration(ms: number | null | undefined, opts: { hoursOnly?: boolean } = {}): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 60_000) return '不到 1 分钟';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} 分钟`;
  const h = Math.floor(min / 60);
  if (h < 24 || opts.hoursOnly) return min % 60 ? `${h} 小时 ${min % 60} 分钟` : `${h} 小时`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} 天 ${h % 24} 小时` : `${d} 天`;
}

/** "45%" for 0.45, "—" for null (nothing to measure). */
export function pct(x: number | null): string {
  return x === null ? '—' : `${Math.round(x * 1000) / 10}%`;
}

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * The longest start of `text` within `max` Unicode code points, cut between user-perceived characters
 * (graphemes): an emoji with its variation selector or skin tone, or a rare CJK character, is kept whole or
 * left out, never cut (no U+FFFD, no bare 🖨 without its U+FE0F).
 */
function takePoints(text: string, max: number): { head: string; cut: boolean } {
  let head = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const n = [...segment].length;
    if (used + n > max) return { head, cut: true };
    head += segment;
    used += n;
  }
  return { head, cut: false };
}

/**
 * At most `max` characters (code points, cut between graphemes), with "…" when shortened. Whitespace runs
 * become one space: titles come from chat.
 */
export function short(text: string, max = 30): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const { head, cut } = takePoints(one, max);
  return cut ? `${head}…` : one;
}

/** At most `max` code points (cut between graphemes), without an ellipsis (stored values: titles, notes). */
export function clipPoints(text: string, max: number): string {
  return takePoints(text, max).head;
}

/**
 * At most `maxBytes` UTF-8 bytes, cut between code points (WeCom limits some fields in bytes, e.g. a card's
 * button text and task_id). Adds no ellipsis.
 */
export function clipBytes(text: string, maxBytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (used + n > maxBytes) break;
    out += ch;
    used += n;
  }
  return out;
}

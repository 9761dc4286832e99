/**
 * The daily digest for the leads: yesterday's numbers and the state now, as WeCom markdown that fits the
 * app-message limit (2048 UTF-8 bytes), split at section boundaries when it does not.
 */
import type { BotConfig } from '../../config/bots.js';
import { mean } from '../../reports/stats.js';
import { type Outcome, outcomes } from '../../reports/targets.js';
import { counts, type ReportEvent, type Timeline } from '../../reports/timeline.js';
import { isEventOf } from '../../tickets/types.js';
import { calendarFor, officialDataUntilYear } from '../../sla/calendar.js';
import { local, toChatTime } from '../../time.js';
import { personName } from './people.js';
import { duration as age, LEVEL_NAME, RECORD_STATUS_WORDS as STATUS_NAME, systemShort, TARGET_WORDS as TARGET_NAME } from './words.js';

export const APP_MARKDOWN_LIMIT = 2048;
/** Targets due within this window are listed as about to break. */
export const DUE_SOON_MS = 4 * 3_600_000;
/** Longer lists are cut to this many lines with a "…另 N 单" tail. */
export const MAX_LINES = 8;
const WEEKDAY = ['日', '一', '二', '三', '四', '五', '六'];

export interface DigestInput {
  bot: BotConfig;
  /** The day reported on: [start, end) local. */
  start: Date;
  end: Date;
  now: Date;
  records: Array<{ timeline: Timeline; events: ReportEvent[] }>;
  /** 日报 asked in chat: headed with today's date, today so far first, then yesterday (default: the 08:30 digest). */
  onDemand?: boolean;
}

export interface Digest {
  /** The whole text (may exceed the limit). */
  markdown: string;
  /** What is sent: each part within `limit` bytes. */
  parts: string[];
}

const within = (at: Date | null, a: Date, b: Date): at is Date => !!at && at.getTime() >= a.getTime() && at.getTime() < b.getTime();
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const active = (t: Timeline): boolean => counts(t) && ['open', 'claimed', 'onsite_dispatched', 'onsite', 'paused'].includes(t.status);

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `- …另 ${lines.length - MAX_LINES} 单`];
}

function joinCounts(entries: Array<[string, number]>): string {
  return entries.map(([k, n]) => `${k} ${n}`).join(' · ');
}

/** New, resolved and confirmed tickets in [from, to), under "昨日" or "今日". */
function daySection(
  bot: BotConfig,
  rows: Array<{ timeline: Timeline; events: ReportEvent[] }>,
  from: Date,
  to: Date,
  word: string,
): string {
  const created = rows.filter((r) => within(r.timeline.createdAt, from, to));
  const byLevel = [1, 2, 3, 4].map((l) => [LEVEL_NAME[l], created.filter((r) => r.timeline.level === l).length] as [string, number]);
  const bySystem = new Map<string, number>();
  for (const r of created) bySystem.set(systemShort(bot, r.timeline.system), (bySystem.get(systemShort(bot, r.timeline.system)) ?? 0) + 1);
  const resolved = rows.filter((r) => within(r.timeline.resolvedAt, from, to));
  const confirmations = rows.flatMap((r) => r.events.filter(isEventOf('confirmed')).filter((e) => within(e.at, from, to)));
  const confirms = confirmations.length;
  const ratings = confirmations.flatMap((e) => (e.rating === null ? [] : [e.rating]));
  const avg = mean(ratings);
  return [
    `**${word}新增 ${created.length} 单**${created.length ? `：${joinCounts(byLevel.filter(([, n]) => n > 0))}` : ''}`,
    ...(bySystem.size ? [`系统：${joinCounts([...bySystem].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))}`] : []),
    `**${word}解决 ${resolved.length} 单** · 确认 ${confirms} 单 · 满意度 ${avg === null ? '—' : `${avg.toFixed(1)}（${ratings.length} 评）`}`,
  ].join('\n');
}

export function buildDigest(input: DigestInput, limit = APP_MARKDOWN_LIMIT): Digest {
  const { bot, start, end, now } = input;
  // Cancelled tickets and duplicates merged into another are not work anyone owes.
  const rows = input.records.filter((r) => counts(r.timeline)).map((r) => ({ ...r, o: outcomes(bot, r.timeline, now) }));
  const day = local(start);
  const today = local(end);
  const sections: string[] = [
    input.onDemand
      ? `**维保日报 · ${bot.name} · ${today.format('MM-DD')}(周${WEEKDAY[today.day()]})**\n> 今日截至 ${toChatTime(now)} · 昨日 ${day.format('MM-DD')} 全天`
      : `**维保日报 · ${bot.name} · ${day.format('MM-DD')}(周${WEEKDAY[day.day()]})**\n> 昨日 ${day.format('MM-DD')} 全天 · 现状截至 ${toChatTime(now)}`,
  ];
  // On demand during the day, today so far comes first: that is what the lead asking wants to know.
  if (input.onDemand) sections.push(daySection(bot, rows, end, now, '今日'));
  sections.push(daySection(bot, rows, start, end, '昨日'));

  const breached = rows
    .flatMap((r) =>
      Object.values(r.o)
        .filter((o): o is Outcome => !!o && o.state === 'breached' && within(o.breachedAt, start, now))
        .map((o) => ({ r, o })),
    )
    .sort((a, b) => a.o.breachedAt!.getTime() - b.o.breachedAt!.getTime() || a.r.timeline.no - b.r.timeline.no);
  if (breached.length) {
    sections.push(
      [
        `**<font color="warning">超时 ${breached.length} 项</font>**（昨日至今）`,
        ...capped(
          breached.map(
            ({ r, o }) => `- #${r.timeline.no} ${TARGET_NAME[o.target]}超时 · 时限 ${toChatTime(o.dueAt)} · ${who(bot, r.timeline)}`,
          ),
        ),
      ].join('\n'),
    );
  }

  const soon = rows
    .filter((r) => active(r.timeline))
    .flatMap((r) =>
      Object.values(r.o)
        .filter((o): o is Outcome => !!o && o.state === 'pending' && o.dueAt.getTime() - now.getTime() <= DUE_SOON_MS)
        .map((o) => ({ r, o })),
    )
    .sort((a, b) => a.o.dueAt.getTime() - b.o.dueAt.getTime() || a.r.timeline.no - b.r.timeline.no);
  if (soon.length) {
    sections.push(
      [
        `**4 小时内到期 ${soon.length} 项**`,
        ...capped(
          soon.map(({ r, o }) => `- #${r.timeline.no} ${TARGET_NAME[o.target]} ${toChatTime(o.dueAt)} 到期 · ${who(bot, r.timeline)}`),
        ),
      ].join('\n'),
    );
  }

  const open = rows
    .filter((r) => active(r.timeline))
    .sort(
      (a, b) =>
        a.timeline.level - b.timeline.level ||
        a.timeline.createdAt.getTime() - b.timeline.createdAt.getTime() ||
        a.timeline.no - b.timeline.no,
    );
  const unclaimed = open.filter((r) => r.timeline.status === 'open');
  if (unclaimed.length) {
    sections.push(
      [
        `**待接单 ${unclaimed.length} 单**`,
        ...capped(
          unclaimed.map(
            (r) => `- #${r.timeline.no} ${line(bot, r.timeline)} · 已等 ${age(now.getTime() - r.timeline.createdAt.getTime())}`,
          ),
        ),
      ].join('\n'),
    );
  }
  sections.push(
    open.length
      ? [
          `**未结 ${open.length} 单**（按级别，同级最早在前）`,
          ...capped(
            open.map(
              (r) =>
                `- #${r.timeline.no} ${line(bot, r.timeline)} · ${STATUS_NAME[r.timeline.status]}${r.timeline.assignee ? ` · ${who(bot, r.timeline)}` : ''} · ${age(now.getTime() - r.timeline.createdAt.getTime())}`,
            ),
          ),
        ].join('\n')
      : '**未结 0 单**',
  );

  const load = new Map<string, number>();
  for (const r of open) if (r.timeline.assignee) load.set(who(bot, r.timeline), (load.get(who(bot, r.timeline)) ?? 0) + 1);
  if (load.size) sections.push(`**工程师在手**：${joinCounts([...load].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))}`);

  const warning = calendarWarning(bot, now);
  if (warning) sections.push(warning);

  const markdown = sections.join('\n\n');
  return { markdown, parts: pack(sections, limit) };
}

function line(bot: BotConfig, t: Timeline): string {
  return `${LEVEL_NAME[t.level]} ${systemShort(bot, t.system)}`;
}

function who(bot: BotConfig, t: Timeline): string {
  return t.assignee ? personName(bot, t.assignee.userid) : '未接单';
}

/** The calendar is guessing now or within the next month (next year's holidays not published yet). */
export function calendarWarning(bot: BotConfig, now: Date): string | null {
  const cal = calendarFor(bot);
  const soon = new Date(now.getTime() + 31 * 86_400_000);
  if (!cal.isUncertain(now) && !cal.isUncertain(soon)) return null;
  const year = local(cal.isUncertain(now) ? now : soon).year();
  return `<font color="warning">⚠ 日历提示</font>：${year} 年法定节假日数据尚未收录（现有至 ${officialDataUntilYear} 年），按周一至周五计算，工作日时限可能不准；请补充 bots 配置 calendar.extraHolidays / extraWorkdays 或升级节假日数据。`;
}

/** Packs whole sections into parts within the byte limit; a part after the first says it continues. */
export function pack(sections: string[], limit: number): string[] {
  const whole = sections.join('\n\n');
  if (bytes(whole) <= limit) return [whole];
  const parts: string[][] = [[]];
  // Room for the "（续 n/m）" header on continuation parts.
  const room = limit - 40;
  for (const s of sections.flatMap((x) => (bytes(x) > room ? splitSection(x, room) : [x]))) {
    const cur = parts[parts.length - 1];
    if (cur.length && bytes([...cur, s].join('\n\n')) > room) parts.push([s]);
    else cur.push(s);
  }
  return parts.map((p, i) => (i === 0 ? p.join('\n\n') : [`**维保日报（续 ${i + 1}/${parts.length}）**`, ...p].join('\n\n')));
}

/** A section too long on its own is cut between lines. */
function splitSection(section: string, room: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const l of section.split('\n')) {
    const next = cur ? `${cur}\n${l}` : l;
    if (cur && bytes(next) > room) {
      out.push(cur);
      cur = l;
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out;
}

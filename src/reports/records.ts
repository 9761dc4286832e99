/** The maintenance record (维护记录): one row per ticket, shared by the xlsx sheet and the CSV export. */
import type { BotConfig } from '../config/bots.js';
import { fromBotFile, type PersonInfo } from '../people/directory.js';
import type { TargetName } from '../sla/config.js';
import { local } from '../time.js';
import { LEVEL_NAME, STATUS_NAME, systemName } from './labels.js';
import { type Outcome, outcomes } from './targets.js';
import { type ClosedHow, closedHow, counts, type HistoryEntry, type Timeline } from './timeline.js';

export interface RecordColumn {
  header: string;
  key: string;
  /** Excel column width in characters (exceljs omits a width of exactly 9, its default). */
  width: number;
  time?: boolean;
}

export const RECORD_COLUMNS: RecordColumn[] = [
  { header: '工单号', key: 'no', width: 8 },
  { header: '报修时间', key: 'createdAt', width: 17, time: true },
  { header: '接单时间', key: 'claimedAt', width: 17, time: true },
  { header: '到场时间', key: 'arrivedAt', width: 17, time: true },
  { header: '解决时间', key: 'resolvedAt', width: 17, time: true },
  { header: '确认时间', key: 'confirmedAt', width: 17, time: true },
  { header: '级别', key: 'level', width: 6 },
  { header: '系统', key: 'system', width: 16 },
  { header: '科室', key: 'department', width: 12 },
  { header: '报修人', key: 'reporter', width: 10 },
  { header: '工程师', key: 'engineer', width: 10 },
  { header: '故障原因', key: 'cause', width: 30 },
  { header: '处理措施', key: 'action', width: 30 },
  { header: '现场/远程', key: 'mode', width: 10 },
  { header: '响应达标', key: 'response', width: 10 },
  { header: '到场达标', key: 'onsite', width: 10 },
  { header: '解决达标', key: 'resolve', width: 10 },
  { header: '评分', key: 'rating', width: 6 },
  { header: '状态', key: 'status', width: 8 },
  { header: '关闭方式', key: 'closedBy', width: 12 },
  { header: '问题描述', key: 'title', width: 40 },
  { header: '报修人数', key: 'reporters', width: 8 },
  { header: '联系电话', key: 'mobile', width: 13 },
  { header: '处理经过', key: 'history', width: 50 },
  { header: '评价', key: 'comment', width: 24 },
  { header: '计入考核', key: 'counted', width: 14 },
];

export type RecordRow = Record<string, string | number | Date | null>;

const MET: Record<Outcome['state'], string> = { met: '达标', breached: '超时', pending: '进行中' };

function metCell(o: Outcome | null): string {
  return o ? MET[o.state] : '—';
}

const CLOSED_BY: Record<ClosedHow, string> = {
  confirmed: '报修人确认',
  auto_closed: '超时自动关闭',
  withdrawn: '报修人撤销',
  cancelled: '已取消',
  merged: '合并',
  referred: '转信息科',
};

function closedBy(t: Timeline): string {
  const how = closedHow(t);
  if (how === 'merged') return `合并到 #${t.mergedInto}`;
  return how ? CLOSED_BY[how] : '';
}

/** Why a row is left out of the SLA columns and figures, or "是". */
function countedCell(t: Timeline): string {
  if (counts(t)) return '是';
  const how = closedHow(t);
  return `否（${how === 'merged' ? `合并到 #${t.mergedInto}` : how ? CLOSED_BY[how] : '不计入'}）`;
}

const HISTORY_WORD: Record<HistoryEntry['kind'], string> = { resolved: '解决', rejected: '未解决', reopened: '重新处理' };

/** "11-02 10:00 张伟 解决：原因 …；处理 …" one line per step (rejected + reopened of one moment read as one). */
export function historyText(t: Timeline, name: (userid: string) => string): string {
  const lines: string[] = [];
  for (const h of t.history) {
    if (h.kind === 'reopened' && t.history.some((x) => x.kind === 'rejected' && x.at.getTime() === h.at.getTime())) continue;
    const when = local(h.at).format('MM-DD HH:mm');
    const detail = h.kind === 'resolved' ? `原因：${h.cause ?? '—'}；处理：${h.action ?? '—'}` : h.reason ? `原因：${h.reason}` : '';
    lines.push(`${when} ${name(h.by)} ${HISTORY_WORD[h.kind]}${detail ? `：${detail}` : ''}`);
  }
  return lines.join('\n');
}

/** Display name: the directory's (WeCom, then bot file), else the name the ticket was given, else the userid. */
function nameOf(people: Map<string, PersonInfo> | undefined, bot: BotConfig, userid: string, given?: string): string {
  const p = people?.get(userid) ?? fromBotFile(bot, userid);
  if (p && p.source !== 'unknown') return p.name;
  return given && given !== userid ? given : userid;
}

/**
 * One record row; times stay Date here (the xlsx writes date cells, the CSV local text). `people` (from the
 * directory) gives names, departments and mobiles; without it the bot file's names are used.
 */
export function recordRow(bot: BotConfig, t: Timeline, asOf: Date, people?: Map<string, PersonInfo>): RecordRow {
  const inSla = counts(t);
  const o: Record<TargetName, Outcome | null> = outcomes(bot, t, asOf);
  const sla = (x: Outcome | null) => (inSla ? metCell(x) : '不计入');
  const reporter = people?.get(t.reporter.userid) ?? fromBotFile(bot, t.reporter.userid);
  const name = (userid: string) => nameOf(people, bot, userid);
  return {
    no: t.no,
    createdAt: t.createdAt,
    claimedAt: t.claimedAt,
    arrivedAt: t.arrivedAt,
    resolvedAt: t.resolvedAt,
    confirmedAt: t.confirmedAt,
    level: LEVEL_NAME[t.level],
    system: systemName(bot, t.system),
    department: t.department ?? reporter?.department ?? '',
    reporter: nameOf(people, bot, t.reporter.userid, t.reporter.name),
    engineer: t.assignee ? nameOf(people, bot, t.assignee.userid, t.assignee.name) : '',
    cause: t.repair.cause,
    action: t.repair.action,
    mode: t.repair.mode === 'onsite' ? '现场' : t.repair.mode === 'remote' ? '远程' : t.dispatchedAt ? '现场' : '',
    response: sla(o.response),
    onsite: sla(o.onsite),
    resolve: sla(o.resolve),
    rating: t.rating,
    status: STATUS_NAME[t.status] ?? t.status,
    closedBy: closedBy(t),
    title: t.title,
    reporters: t.reporterCount,
    mobile: reporter?.mobile ?? '',
    history: historyText(t, name),
    comment: t.ratingComment ?? '',
    counted: countedCell(t),
  };
}

export const localText = (d: Date | null): string => (d ? local(d).format('YYYY-MM-DD HH:mm') : '');

/** A spreadsheet formula injection guard: cells starting with = + - @ are prefixed with a quote. */
export function safeText(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

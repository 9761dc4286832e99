/** The maintenance record (维护记录): one row per ticket, shared by the xlsx sheet and the CSV export. */
import type { BotConfig } from '../config/bots.js';
import { personName } from '../roster/roster.js';
import type { TargetName } from '../sla/config.js';
import { local } from '../time.js';
import { LEVEL_NAME, STATUS_NAME, systemName } from './labels.js';
import { type Outcome, outcomes } from './targets.js';
import type { Timeline } from './timeline.js';

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
];

export type RecordRow = Record<string, string | number | Date | null>;

const MET: Record<Outcome['state'], string> = { met: '达标', breached: '超时', pending: '进行中' };

function metCell(o: Outcome | null): string {
  return o ? MET[o.state] : '—';
}

function closedBy(t: Timeline): string {
  if (t.mergedInto !== null) return `合并到 #${t.mergedInto}`;
  if (t.status === 'cancelled') return '已取消';
  if (t.confirmedBy) return '报修人确认';
  if (t.autoClosed) return '超时自动关闭';
  return '';
}

/** One record row; times stay Date here (the xlsx writes date cells, the CSV local text). */
export function recordRow(bot: BotConfig, t: Timeline, asOf: Date): RecordRow {
  const o: Record<TargetName, Outcome | null> = outcomes(bot, t, asOf);
  return {
    no: t.no,
    createdAt: t.createdAt,
    claimedAt: t.claimedAt,
    arrivedAt: t.arrivedAt,
    resolvedAt: t.resolvedAt,
    confirmedAt: t.confirmedAt,
    level: LEVEL_NAME[t.level],
    system: systemName(bot, t.system),
    department: t.department ?? '',
    reporter: t.reporter.name,
    engineer: t.assignee ? personName(bot, t.assignee.userid) : '',
    cause: t.repair.cause,
    action: t.repair.action,
    mode: t.repair.mode === 'onsite' ? '现场' : t.repair.mode === 'remote' ? '远程' : t.dispatchedAt ? '现场' : '',
    response: metCell(o.response),
    onsite: metCell(o.onsite),
    resolve: metCell(o.resolve),
    rating: t.rating,
    status: STATUS_NAME[t.status] ?? t.status,
    closedBy: closedBy(t),
    title: t.title,
  };
}

export const localText = (d: Date | null): string => (d ? local(d).format('YYYY-MM-DD HH:mm') : '');

/** A spreadsheet formula injection guard: cells starting with = + - @ are prefixed with a quote. */
export function safeText(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

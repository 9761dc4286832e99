/** The ticket list as CSV for Excel: UTF-8 with BOM, Chinese headers, local times, formulas neutralised. */
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { BotConfig } from '../../config/bots.js';
import { log } from '../../log.js';
import { local } from '../../time.js';
import { levelWords, STATUS_WORDS, systemName } from '../labels.js';
import type { TicketDoc } from '../types.js';

type Column = [header: string, value: (t: TicketDoc, bot: BotConfig | undefined) => string | number | null | undefined];

const time = (d: Date | null | undefined) => (d ? local(d).format('YYYY-MM-DD HH:mm') : '');
const met = (t: { metAt: Date | null; dueAt: Date } | null | undefined) =>
  !t ? '' : t.metAt ? (new Date(t.metAt) <= new Date(t.dueAt) ? '达标' : '超时') : '';

export const CSV_COLUMNS: Column[] = [
  ['工单号', (t) => t.no],
  ['项目', (t, b) => b?.name ?? t.bot],
  ['级别', (t) => levelWords(t.level)],
  ['系统', (t, b) => (b ? systemName(b, t.system) : t.system)],
  ['状态', (t) => STATUS_WORDS[t.status] ?? t.status],
  ['故障描述', (t) => t.title],
  ['报修人', (t) => t.reporter?.name],
  ['科室', (t) => t.reporter?.department],
  ['报修人数', (t) => t.reporterCount ?? 1],
  ['报修时间', (t) => time(t.createdAt)],
  ['处理人', (t) => t.assignee?.name],
  ['响应时限', (t) => time(t.sla?.response?.dueAt)],
  ['响应时间', (t) => time(t.sla?.response?.metAt)],
  ['响应', (t) => met(t.sla?.response)],
  ['到场时限', (t) => time(t.sla?.onsite?.dueAt)],
  ['到场时间', (t) => time(t.sla?.onsite?.metAt)],
  ['到场', (t) => met(t.sla?.onsite)],
  ['解决时限', (t) => time(t.sla?.resolve?.dueAt)],
  ['解决时间', (t) => time(t.resolvedAt)],
  ['解决', (t) => met(t.sla?.resolve)],
  ['故障原因', (t) => t.repair?.cause],
  ['处理措施', (t) => t.repair?.action],
  ['处理方式', (t) => (t.repair ? (t.repair.mode === 'onsite' ? '现场' : '远程') : '')],
  ['确认人', (t) => (t.confirmation ? (t.confirmation.auto ? '系统自动关闭' : t.confirmation.by) : '')],
  ['确认时间', (t) => time(t.confirmation?.at)],
  ['评分', (t) => t.confirmation?.rating ?? ''],
  ['关闭时间', (t) => time(t.closedAt)],
  ['合并到', (t) => (t.parentNo ? `#${t.parentNo}` : '')],
];

export function csvRow(t: TicketDoc, bot: BotConfig | undefined): Array<string | number> {
  return CSV_COLUMNS.map(([, value]) => value(t, bot) ?? '');
}

/** Streams rows as they come from the cursor; the BOM lets Excel read the Chinese as UTF-8. */
export function ticketsCsv(docs: AsyncIterable<TicketDoc>, bots: Map<string, BotConfig>): Transform {
  const out = stringify({
    bom: true,
    header: true,
    columns: CSV_COLUMNS.map(([h]) => h),
    escape_formulas: true,
    record_delimiter: 'windows',
  });
  async function* rows() {
    for await (const t of docs) yield csvRow(t, bots.get(t.bot));
  }
  pipeline(Readable.from(rows()), out).catch((e: Error) => log.error({ err: e.message }, 'ticket csv export failed'));
  return out;
}

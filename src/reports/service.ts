/** Report entry points over the database: the monthly SLA report, the record workbook/CSV and the daily digest. */
import type { BotConfig } from '../config/bots.js';
import { inspectionSummary } from '../inspections/summary.js';
import { local } from '../time.js';
import { buildDigest, type Digest } from '../bot/presenters/digest.js';
import { loadCreatedBetween, loadForDigest } from './load.js';
import { monthRange } from './month.js';
import { buildSlaReport, type SlaReport } from './sla-report.js';
import type { Timeline } from './timeline.js';
import type { Directory } from '../people/directory.js';
import { buildPack, type RecordPack, userIdsOf } from './pack.js';
import { buildPdf } from './pdf.js';
import { signoffOf } from './signoff.js';
import { buildRecordsCsv, buildWorkbook } from './workbook.js';

export interface MonthData {
  report: SlaReport;
  timelines: Timeline[];
}

/** The month's report as of `asOf` (the clock's now): the contract's SlaReport plus the timelines behind it. */
export async function monthData(bot: BotConfig, month: string, asOf: Date): Promise<MonthData> {
  const range = monthRange(month);
  if (!range) throw new Error(`bad month ${month}`);
  const records = await loadCreatedBetween(bot.id, range.start, range.end, asOf);
  const timelines = records.map((r) => r.timeline);
  const inspections = await inspectionSummary(bot, range.start, range.end, asOf);
  const report = buildSlaReport({ bot, month, monthStart: range.start, timelines, asOf, inspections });
  return { report, timelines };
}

export async function slaReport(bot: BotConfig, month: string, asOf: Date): Promise<SlaReport> {
  return (await monthData(bot, month, asOf)).report;
}

/**
 * The month's acceptance pack at `now`: while a sign-off stands the record is taken as it stood at the
 * sign-off (a signed record does not change under the signer), otherwise as of now.
 */
export async function recordPack(bot: BotConfig, month: string, now: Date, directory: Directory): Promise<RecordPack> {
  const signoff = await signoffOf(bot.id, month, now);
  const asOf = signoff.signed ? signoff.signed.at : now;
  const { report, timelines } = await monthData(bot, month, asOf);
  const ids = userIdsOf(timelines);
  const people = await directory.people(bot, ids);
  return buildPack({ bot, month, report, timelines, people, asOf, generatedAt: now, signoff });
}

/** The same pack as PDF (see pdf.ts). */
export async function recordsPdf(bot: BotConfig, month: string, now: Date, directory: Directory): Promise<Buffer> {
  return buildPdf(await recordPack(bot, month, now, directory));
}

export async function recordsWorkbook(bot: BotConfig, month: string, now: Date, directory: Directory): Promise<Buffer> {
  return buildWorkbook(await recordPack(bot, month, now, directory));
}

/** The 维护记录 sheet as CSV, the same rows as the workbook's. */
export async function recordsCsv(bot: BotConfig, month: string, now: Date, directory: Directory): Promise<string> {
  return buildRecordsCsv((await recordPack(bot, month, now, directory)).rows);
}

/**
 * The digest at `now`: the previous local day and the state now; `onDemand` (日报 in chat) also covers today
 * so far and is headed with today's date.
 */
export async function dailyDigest(bot: BotConfig, now: Date, limit?: number, onDemand = false): Promise<Digest> {
  const end = local(now).startOf('day').toDate();
  const start = local(now).startOf('day').subtract(1, 'day').toDate();
  const records = await loadForDigest(bot.id, start, now);
  return buildDigest({ bot, start, end, now, records, onDemand }, limit);
}

/** The month before `now` ("YYYY-MM"), what 月报 means without an argument. */
export function previousMonth(now: Date): string {
  return local(now).startOf('month').subtract(1, 'month').format('YYYY-MM');
}

/**
 * The monthly acceptance pack (维护记录) as data, shared by the workbook and the PDF: title block, headline
 * figures against each contract target, the reconciliation of 工单总数 with the record's rows, one record line
 * per ticket with its full history, breaches with the engineer's explanation, referrals, the daily series of
 * the chart and the sign-off. Every figure comes from the SlaReport (itself re-derived from the event log).
 */
import type { BotConfig } from '../config/bots.js';
import { fromBotFile, type PersonInfo } from '../people/directory.js';
import type { Duration, Period, TargetName, TargetPolicy } from '../sla/config.js';
import { local, zoned } from '../time.js';
import { LEVEL_NAME, PERIOD_NAME, pct, systemName, TARGET_NAME } from './labels.js';
import { RECORD_COLUMNS, type RecordRow, recordRow } from './records.js';
import type { BreachEntry, SlaReport } from './sla-report.js';
import type { SignoffState } from './signoff.js';
import { outcomes, TARGETS } from './targets.js';
import { type ClosedHow, closedHow, counts, type Timeline } from './timeline.js';

export interface TitleBlock {
  /** "演示市第一人民医院 医院信息系统运维服务项目 维护记录（2026-11）": the cover heading and every page header. */
  title: string;
  hospital: string;
  project: string;
  contractNo: string;
  vendor: string;
  /** "2026-01-01 至 2026-12-31", or "" when the bot file has none. */
  servicePeriod: string;
  month: string;
  /** The instant the record stands at: now, or the standing sign-off's time. */
  asOf: Date;
  generatedAt: Date;
}

/** One headline figure against its contract target: result "—" when there is nothing to judge. */
export interface Headline {
  label: string;
  target: string;
  actual: string;
  result: '达标' | '未达标' | '—';
}

export interface Reconciliation {
  rows: number;
  /** 工单总数: the tickets counted in the vendor's figures. */
  counted: number;
  excluded: Record<Exclude<ClosedHow, 'confirmed' | 'auto_closed'>, number>;
  /** "工单总数 14 = 记录 18 行 − 已取消 1 − 撤销 1 − 合并重复报修 1 − 转信息科 1". */
  note: string;
}

export interface BreachLine extends BreachEntry {
  /** Minutes past the deadline: to the stop, or to the record's instant while still running. */
  overMin: number;
  explanation: string | null;
  explainedBy: string | null;
  explainedAt: Date | null;
}

export interface ReferralLine {
  no: number;
  createdAt: Date;
  referredAt: Date;
  system: string;
  department: string;
  reporter: string;
  to: string;
  title: string;
  status: string;
}

/** One day of the month for the chart: counted tickets created, and targets met / decided among them. */
export interface DayPoint {
  day: string;
  tickets: number;
  met: number;
  decided: number;
  /** met / decided, null when nothing was decided. */
  rate: number | null;
}

export interface RecordPack {
  bot: BotConfig;
  title: TitleBlock;
  report: SlaReport;
  headlines: Headline[];
  reconciliation: Reconciliation;
  rows: RecordRow[];
  breaches: BreachLine[];
  referrals: ReferralLine[];
  daily: DayPoint[];
  signoff: SignoffState;
}

const UNIT: Record<Duration['unit'], string> = { minutes: '分钟', hours: '小时', days: '天', workdays: '个工作日' };

/** "30分钟", "2个工作日", "8小时（工作时间）". */
export function durationText(d: Duration): string {
  const business = d.clock === 'business' && d.unit !== 'workdays' ? '（工作时间）' : '';
  return `${d.amount}${UNIT[d.unit]}${business}`;
}

/** The contract target in words; per period when the periods differ ("工作时间 1小时，非工作时间 2小时 …"). */
export function targetText(p: TargetPolicy): string {
  const base = durationText(p);
  const periods = (['work', 'off', 'holiday'] as Period[]).map((k) => [k, durationText(p.byPeriod?.[k] ?? p)] as const);
  if (periods.every(([, t]) => t === base)) return `≤ ${base}`;
  return periods.map(([k, t]) => `${PERIOD_NAME[k]} ≤ ${t}`).join('，');
}

function headlines(bot: BotConfig, r: SlaReport): Headline[] {
  const out: Headline[] = [];
  for (const b of r.byLevel) {
    for (const name of TARGETS) {
      const s = b[name];
      const decided = s.met + s.breached;
      out.push({
        label: `${LEVEL_NAME[b.level]}故障 ${TARGET_NAME[name]}`,
        target: targetText(bot.sla.levels[String(b.level) as '1'][name]),
        actual: decided
          ? `${s.met}/${decided} 达标（${pct(s.metRate)}）${s.pending ? `，进行中 ${s.pending}` : ''}`
          : s.pending
            ? `进行中 ${s.pending}`
            : '无',
        result: decided === 0 ? '—' : s.breached ? '未达标' : '达标',
      });
    }
  }
  const levels = r.aggregate.levels.map((l) => LEVEL_NAME[l]).join('、');
  for (const [label, a, hours] of [
    ['24小时内解决率', r.aggregate.within24h, 24],
    ['72小时内解决率', r.aggregate.within72h, 72],
  ] as const) {
    out.push({
      label: `${levels}故障 ${label}`,
      target: `≥ ${pct(a.target)}（${hours}小时内解决）`,
      actual: a.tickets ? `${a.within}/${a.tickets}（${pct(a.rate)}）` : '无',
      result: a.tickets === 0 ? '—' : a.pass ? '达标' : '未达标',
    });
  }
  const i = r.inspections;
  out.push({
    label: '巡检',
    target: '按计划完成',
    actual: i?.planned ? `完成 ${i.done}/${i.planned}${i.problems ? `，发现问题 ${i.problems}` : ''}` : '无计划',
    result: !i || i.planned === 0 ? '—' : i.done === i.planned ? '达标' : '未达标',
  });
  return out;
}

const EXCLUDED_NAME = { cancelled: '已取消', withdrawn: '报修人撤销', merged: '合并重复报修', referred: '转信息科' } as const;

function reconcile(timelines: Timeline[], counted: number): Reconciliation {
  const excluded = { cancelled: 0, withdrawn: 0, merged: 0, referred: 0 };
  for (const t of timelines) {
    const how = closedHow(t);
    if (how && how in excluded) excluded[how as keyof typeof excluded] += 1;
  }
  const parts = (Object.keys(excluded) as Array<keyof typeof excluded>).map((k) => `${EXCLUDED_NAME[k]} ${excluded[k]}`);
  const note = `工单总数 ${counted} = 记录 ${timelines.length} 行 − ${parts.join(' − ')}（以上不计入服务考核，见「计入考核」列）`;
  return { rows: timelines.length, counted, excluded, note };
}

function breachLines(r: SlaReport, timelines: Timeline[], asOf: Date): BreachLine[] {
  const byNo = new Map(timelines.map((t) => [t.no, t]));
  return r.breaches.map((b) => {
    const t = byNo.get(b.no);
    const said = t?.explanations.filter((e) => e.target === null || e.target === b.target).at(-1) ?? null;
    const end = b.stoppedAt ? new Date(b.stoppedAt) : asOf;
    return {
      ...b,
      overMin: Math.max(0, Math.round((end.getTime() - new Date(b.dueAt).getTime()) / 60_000)),
      explanation: said?.text ?? null,
      explainedBy: said?.by ?? null,
      explainedAt: said?.at ?? null,
    };
  });
}

function daily(bot: BotConfig, month: string, timelines: Timeline[], asOf: Date): DayPoint[] {
  const start = zoned(`${month}-01`);
  const points: DayPoint[] = Array.from({ length: start.daysInMonth() }, (_, i) => ({
    day: start.add(i, 'day').format('YYYY-MM-DD'),
    tickets: 0,
    met: 0,
    decided: 0,
    rate: null,
  }));
  for (const t of timelines.filter(counts)) {
    const p = points[local(t.createdAt).date() - 1];
    if (!p) continue;
    p.tickets += 1;
    for (const o of Object.values(outcomes(bot, t, asOf))) {
      if (!o || o.state === 'pending') continue;
      p.decided += 1;
      if (o.state === 'met') p.met += 1;
    }
  }
  for (const p of points) p.rate = p.decided ? p.met / p.decided : null;
  return points;
}

export interface PackInput {
  bot: BotConfig;
  month: string;
  report: SlaReport;
  timelines: Timeline[];
  /** Names, departments and mobiles of everyone the record mentions (see people/directory.ts). */
  people: Map<string, PersonInfo>;
  asOf: Date;
  generatedAt: Date;
  signoff: SignoffState;
}

/** Everyone a month's record names: reporters, engineers, explainers, signers. */
export function userIdsOf(timelines: Timeline[]): string[] {
  const ids = new Set<string>();
  for (const t of timelines) {
    ids.add(t.reporter.userid);
    if (t.assignee) ids.add(t.assignee.userid);
    for (const e of t.explanations) ids.add(e.by);
    for (const h of t.history) ids.add(h.by);
    if (t.referredTo) ids.add(t.referredTo);
  }
  ids.delete('system');
  return [...ids];
}

export function buildPack(input: PackInput): RecordPack {
  const { bot, month, report, people, asOf } = input;
  const rc = bot.record;
  const hospital = rc.hospital || bot.name;
  const title: TitleBlock = {
    title: `${hospital}${rc.project ? ` ${rc.project}` : ''} 维护记录（${month}）`,
    hospital,
    project: rc.project,
    contractNo: rc.contractNo,
    vendor: rc.vendor,
    servicePeriod: rc.serviceFrom && rc.serviceTo ? `${rc.serviceFrom} 至 ${rc.serviceTo}` : '',
    month,
    asOf,
    generatedAt: input.generatedAt,
  };
  const sorted = [...input.timelines].sort((a, b) => a.no - b.no);
  const name = (userid: string) => people.get(userid)?.name ?? fromBotFile(bot, userid)?.name ?? userid;
  return {
    bot,
    title,
    report,
    headlines: headlines(bot, report),
    reconciliation: reconcile(sorted, report.totals.tickets),
    rows: sorted.map((t) => recordRow(bot, t, asOf, people)),
    breaches: breachLines(report, sorted, asOf).map((b) => ({ ...b, explainedBy: b.explainedBy ? name(b.explainedBy) : null })),
    referrals: sorted
      .filter((t) => t.referredAt !== null)
      .map((t) => {
        const row = recordRow(bot, t, asOf, people);
        return {
          no: t.no,
          createdAt: t.createdAt,
          referredAt: t.referredAt!,
          system: systemName(bot, t.system),
          department: String(row.department ?? ''),
          reporter: String(row.reporter ?? ''),
          to: name(t.referredTo ?? bot.roster.itContact.userid),
          title: t.title,
          status: String(row.status ?? ''),
        };
      }),
    daily: daily(bot, month, sorted, asOf),
    signoff: input.signoff,
  };
}

/** The record columns in the order of the sheet (re-exported for the PDF). */
export { RECORD_COLUMNS };
export type { TargetName };

/**
 * The monthly SLA report (CONTRACTS.md "SlaReport"), a pure function of the month's ticket timelines.
 * Tickets belong to the month they were created in (local time); their state is taken as of `asOf`.
 */
import type { BotConfig } from '../config/bots.js';
import { calendarFor } from '../sla/calendar.js';
import type { Period, TargetName } from '../sla/config.js';
import type { Level } from '../tickets/types.js';
import { toIso } from '../time.js';
import { mean, median, minutes1, percentile, rate4 } from './stats.js';
import { type Outcome, outcomes, TARGETS } from './targets.js';
import { closedHow, counts, isResolved, type Timeline } from './timeline.js';

export interface Stat {
  met: number;
  breached: number;
  pending: number;
  metRate: number | null;
  medianMin: number | null;
  p90Min: number | null;
}
interface PeriodBlock {
  tickets: number;
  response: Stat;
  onsite: Stat;
  resolve: Stat;
}
export interface LevelBlock extends PeriodBlock {
  level: Level;
  byPeriod: Record<Period, PeriodBlock>;
}
export interface AggregateRate {
  rate: number;
  target: number;
  pass: boolean;
  /** Added: tickets whose outcome is decided (resolved, or past the window unresolved) and those within it. */
  tickets: number;
  within: number;
}
export interface BreachEntry {
  no: number;
  target: TargetName;
  dueAt: string;
  breachedAt: string;
  reason: string;
  /** Added for readers: level, system and whether the target has since been met. */
  level: Level;
  system: string;
  stoppedAt: string | null;
}
export interface InspectionSummary {
  planned: number;
  done: number;
  missed: number;
  inProgress: number;
  problems: number;
  ticketsOpened: number;
  items: Array<{ plan: string; name: string; period: string; dueAt: string; status: string; doneAt: string | null; problems: number }>;
}
export interface SlaReport {
  bot: string;
  month: string;
  calendarUncertain: boolean;
  totals: {
    tickets: number;
    resolved: number;
    closed: number;
    open: number;
    breaches: number;
    confirmationRate: number;
    satisfaction: number | null;
    confirmed: number;
    autoClosed: number;
    reopened: number;
    ratings: number;
    cancelled: number;
    merged: number;
    /** Added: withdrawn by the reporter (撤销) and referred to the 信息科 (转信息科); neither is in the figures. */
    withdrawn: number;
    referred: number;
  };
  byLevel: LevelBlock[];
  aggregate: { levels: number[]; within24h: AggregateRate; within72h: AggregateRate };
  breaches: BreachEntry[];
  bySystem: Record<string, number>;
  byDepartment: Record<string, number>;
  inspections?: InspectionSummary;
  asOf: string;
}

const PERIODS: readonly Period[] = ['work', 'off', 'holiday'];
const LEVELS: readonly Level[] = [1, 2, 3, 4];
const HOUR = 3_600_000;

export function statOf(list: Outcome[]): Stat {
  const met = list.filter((o) => o.state === 'met').length;
  const breached = list.filter((o) => o.state === 'breached').length;
  const stopped = list.filter((o) => o.stoppedAt !== null).map((o) => o.elapsedMs);
  const med = median(stopped);
  const p90 = percentile(stopped, 90);
  return {
    met,
    breached,
    pending: list.filter((o) => o.state === 'pending').length,
    metRate: met + breached ? rate4(met / (met + breached)) : null,
    medianMin: med === null ? null : minutes1(med),
    p90Min: p90 === null ? null : minutes1(p90),
  };
}

interface Row {
  t: Timeline;
  o: Record<TargetName, Outcome | null>;
}

function block(rows: Row[], period?: Period): PeriodBlock {
  const pick = (name: TargetName) =>
    rows.map((r) => r.o[name]).filter((o): o is Outcome => o !== null && (period === undefined || o.period === period));
  const created = period === undefined ? rows : rows.filter((r) => r.o.response?.period === period);
  return { tickets: created.length, response: statOf(pick('response')), onsite: statOf(pick('onsite')), resolve: statOf(pick('resolve')) };
}

/** Wall time to resolution minus paused time; null while unresolved. */
function resolutionWallMs(r: Row, asOf: Date): { ms: number; done: boolean } {
  const o = r.o.resolve!;
  const end = o.stoppedAt ?? asOf;
  return { ms: end.getTime() - o.startedAt.getTime() - o.pausedMs, done: o.stoppedAt !== null };
}

function aggregateRate(rows: Row[], asOf: Date, hours: number, target: number): AggregateRate {
  let decided = 0;
  let within = 0;
  for (const r of rows) {
    const { ms, done } = resolutionWallMs(r, asOf);
    if (done && ms <= hours * HOUR) within += 1;
    if (done || ms > hours * HOUR) decided += 1;
  }
  const rate = decided ? rate4(within / decided) : 0;
  return { rate, target, pass: decided === 0 || within / decided >= target, tickets: decided, within };
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export interface SlaReportInput {
  bot: BotConfig;
  month: string;
  monthStart: Date;
  /** Every ticket created in the month, folded from its events. */
  timelines: Timeline[];
  asOf: Date;
  inspections?: InspectionSummary;
}

export function buildSlaReport(input: SlaReportInput): SlaReport {
  const { bot, asOf } = input;
  const all = [...input.timelines].sort((a, b) => a.no - b.no);
  const rows: Row[] = all.filter(counts).map((t) => ({ t, o: outcomes(bot, t, asOf) }));
  const resolved = rows.filter((r) => isResolved(r.t));
  const confirmed = rows.filter((r) => r.t.confirmedBy !== null);
  const ratings = rows.map((r) => r.t.rating).filter((x): x is number => x !== null);
  const breaches = breachList(rows);
  const satisfaction = mean(ratings);
  const aggRows = rows.filter((r) => bot.sla.aggregate.levels.includes(r.t.level));
  return {
    bot: bot.id,
    month: input.month,
    calendarUncertain: calendarFor(bot).isUncertain(input.monthStart),
    totals: {
      tickets: rows.length,
      resolved: resolved.length,
      closed: rows.filter((r) => r.t.status === 'closed').length,
      open: rows.length - resolved.length,
      breaches: breaches.length,
      confirmationRate: resolved.length ? rate4(confirmed.length / resolved.length) : 0,
      satisfaction: satisfaction === null ? null : Math.round(satisfaction * 100) / 100,
      confirmed: confirmed.length,
      autoClosed: rows.filter((r) => r.t.autoClosed).length,
      reopened: rows.filter((r) => r.t.reopened > 0).length,
      ratings: ratings.length,
      cancelled: all.filter((t) => closedHow(t) === 'cancelled').length,
      merged: all.filter((t) => t.mergedInto !== null).length,
      withdrawn: all.filter((t) => closedHow(t) === 'withdrawn').length,
      referred: all.filter((t) => closedHow(t) === 'referred').length,
    },
    byLevel: LEVELS.map((level) => {
      const mine = rows.filter((r) => r.t.level === level);
      return {
        level,
        ...block(mine),
        byPeriod: Object.fromEntries(PERIODS.map((p) => [p, block(mine, p)])) as Record<Period, PeriodBlock>,
      };
    }),
    aggregate: {
      levels: [...bot.sla.aggregate.levels],
      within24h: aggregateRate(aggRows, asOf, 24, bot.sla.aggregate.within24h),
      within72h: aggregateRate(aggRows, asOf, 72, bot.sla.aggregate.within72h),
    },
    breaches,
    bySystem: tally(rows.map((r) => r.t.system)),
    byDepartment: tally(rows.map((r) => r.t.department ?? '未填写')),
    ...(input.inspections ? { inspections: input.inspections } : {}),
    asOf: toIso(asOf),
  };
}

function breachList(rows: Row[]): BreachEntry[] {
  const out: Array<BreachEntry & { sortAt: number }> = [];
  for (const r of rows) {
    for (const name of TARGETS) {
      const o = r.o[name];
      if (o?.state !== 'breached' || !o.breachedAt) continue;
      out.push({
        no: r.t.no,
        target: name,
        dueAt: toIso(o.dueAt),
        breachedAt: toIso(o.breachedAt),
        reason: o.reason ?? '',
        level: r.t.level,
        system: r.t.system,
        stoppedAt: toIso(o.stoppedAt),
        sortAt: o.breachedAt.getTime(),
      });
    }
  }
  return out.sort((a, b) => a.sortAt - b.sortAt || a.no - b.no).map(({ sortAt: _s, ...b }) => b);
}

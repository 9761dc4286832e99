import { createRequire } from 'node:module';
import type { Dayjs } from 'dayjs';
import { dayjs, local, zoned } from '../time.js';
import type { CalendarConfig, Period } from './config.js';

/** The official data shipped by `chinese-days`: date → "English,中文,days" for holidays and make-up working days (调休). */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}
const official = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
/** Years the official data covers: a year with no statutory holiday in it has not been published yet. */
const coveredYears = new Set(Object.keys(official.holidays).map((d) => Number(d.slice(0, 4))));

/** Latest year with official holiday data (the digest warns when "now" approaches its end). */
export const officialDataUntilYear = Math.max(...coveredYears);

/** Whether the official data covers a year (2004 up to officialDataUntilYear in chinese-days 1.5.7). */
export function isYearCovered(year: number): boolean {
  return coveredYears.has(year);
}

export interface DayInfo {
  date: string;
  workday: boolean;
  /** A statutory holiday (or a bot's extra holiday), as opposed to an ordinary weekend. */
  holiday: boolean;
  /** The year has no official data: weekdays were assumed. */
  uncertain: boolean;
}

export interface Calendar {
  readonly config: CalendarConfig;
  periodOf(at: Date): Period;
  isWorkday(date: Date | string): boolean;
  dayInfo(date: Date | string): DayInfo;
  /** Adds working time; a start outside working hours counts from the next working moment. */
  addBusinessMs(from: Date, ms: number): { at: Date; uncertain: boolean };
  /** Working time between two instants (negative when b is before a). */
  businessMsBetween(a: Date, b: Date): number;
  /** The calendar is guessing for this instant's year (no official data). */
  isUncertain(at: Date): boolean;
  /** The next instant after `at` at which periodOf changes. */
  nextPeriodChange(at: Date): Date;
  /** Length of one working day in ms (workEnd − workStart). */
  readonly workdayMs: number;
}

const MAX_DAYS = 3660;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function createCalendar(cfg: CalendarConfig): Calendar {
  const startMin = minutesOf(cfg.workStart);
  const endMin = minutesOf(cfg.workEnd);
  if (endMin <= startMin) throw new Error(`calendar: workEnd ${cfg.workEnd} must be after workStart ${cfg.workStart}`);
  const extraHolidays = new Set(cfg.extraHolidays ?? []);
  const extraWorkdays = new Set(cfg.extraWorkdays ?? []);
  for (const d of extraHolidays) {
    if (extraWorkdays.has(d)) throw new Error(`calendar: ${d} is both an extra holiday and an extra workday`);
  }
  const workdayMs = (endMin - startMin) * 60_000;

  const dateKey = (date: Date | string): string => (typeof date === 'string' ? date : local(date).format('YYYY-MM-DD'));

  const days = new Map<string, DayInfo>();
  function dayInfo(date: Date | string): DayInfo {
    const key = dateKey(date);
    let info = days.get(key);
    if (!info) {
      info = computeDayInfo(key);
      days.set(key, info);
    }
    return info;
  }

  function computeDayInfo(key: string): DayInfo {
    const year = Number(key.slice(0, 4));
    const uncertain = !coveredYears.has(year);
    if (extraHolidays.has(key)) return { date: key, workday: false, holiday: true, uncertain };
    if (extraWorkdays.has(key)) return { date: key, workday: true, holiday: false, uncertain };
    if (!uncertain) {
      if (official.workdays[key]) return { date: key, workday: true, holiday: false, uncertain };
      if (official.holidays[key]) return { date: key, workday: false, holiday: true, uncertain };
    }
    // The weekday of a calendar date, independent of any time zone.
    const weekday = dayjs.utc(key).day();
    return { date: key, workday: weekday >= 1 && weekday <= 5, holiday: false, uncertain };
  }

  const dayStart = (key: string): Dayjs => zoned(key);
  // Time-zone conversions are the slow part; a day's window and successor never change, so remember them.
  const windows = new Map<string, [number, number]>();
  const windowOf = (key: string): [number, number] => {
    let w = windows.get(key);
    if (!w) {
      const d = dayStart(key);
      w = [d.add(startMin, 'minute').valueOf(), d.add(endMin, 'minute').valueOf()];
      windows.set(key, w);
    }
    return w;
  };
  const successors = new Map<string, string>();
  const nextKey = (key: string): string => {
    let n = successors.get(key);
    if (!n) {
      n = dayStart(key).add(1, 'day').format('YYYY-MM-DD');
      successors.set(key, n);
    }
    return n;
  };

  function periodOf(at: Date): Period {
    const info = dayInfo(at);
    if (info.holiday) return 'holiday';
    if (!info.workday) return 'off';
    const [s, e] = windowOf(info.date);
    const t = at.getTime();
    return t >= s && t < e ? 'work' : 'off';
  }

  function addBusinessMs(from: Date, ms: number): { at: Date; uncertain: boolean } {
    if (ms < 0) throw new Error('addBusinessMs: ms must be ≥ 0');
    let remaining = ms;
    let key = dateKey(from);
    let uncertain = false;
    for (let i = 0; i < MAX_DAYS; i++, key = nextKey(key)) {
      const info = dayInfo(key);
      uncertain ||= info.uncertain;
      if (!info.workday) continue;
      const [s, e] = windowOf(key);
      const cursor = Math.max(from.getTime(), s);
      if (cursor >= e) continue;
      // `<=` keeps a deadline that lands exactly on workEnd on this day (18:00, not next morning).
      if (remaining <= e - cursor) return { at: new Date(cursor + remaining), uncertain };
      remaining -= e - cursor;
    }
    throw new Error(`addBusinessMs: no working time within ${MAX_DAYS} days`);
  }

  function businessMsBetween(a: Date, b: Date): number {
    if (b.getTime() < a.getTime()) return -businessMsBetween(b, a);
    let total = 0;
    const last = dateKey(b);
    for (let key = dateKey(a), i = 0; i < MAX_DAYS; key = nextKey(key), i++) {
      if (dayInfo(key).workday) {
        const [s, e] = windowOf(key);
        total += Math.max(0, Math.min(e, b.getTime()) - Math.max(s, a.getTime()));
      }
      if (key === last) return total;
    }
    throw new Error(`businessMsBetween: span longer than ${MAX_DAYS} days`);
  }

  function nextPeriodChange(at: Date): Date {
    const current = periodOf(at);
    let key = dateKey(at);
    for (let i = 0; i < MAX_DAYS; i++, key = nextKey(key)) {
      const [s, e] = windowOf(key);
      const midnight = dayStart(nextKey(key)).valueOf();
      for (const t of [s, e, midnight]) {
        if (t > at.getTime() && periodOf(new Date(t)) !== current) return new Date(t);
      }
    }
    throw new Error(`nextPeriodChange: no change within ${MAX_DAYS} days`);
  }

  return {
    config: cfg,
    workdayMs,
    periodOf,
    isWorkday: (date) => dayInfo(date).workday,
    dayInfo,
    addBusinessMs,
    businessMsBetween,
    isUncertain: (at) => !coveredYears.has(local(at).year()),
    nextPeriodChange,
  };
}

/** Where a loaded calendar configuration keeps the calendar built from it (per object: nothing process-wide). */
const BUILT = Symbol('calendar');

/** The calendar of a bot, built once per loaded configuration object and kept on it. */
export function calendarFor(bot: { calendar: CalendarConfig & { [BUILT]?: Calendar } }): Calendar {
  bot.calendar[BUILT] ??= createCalendar(bot.calendar);
  return bot.calendar[BUILT];
}

import { describe, expect, it } from 'vitest';
import { createCalendar, officialDataUntilYear } from '../../src/sla/calendar.js';
import { parseInstant, toIso } from '../../src/time.js';

const cal = createCalendar({ workStart: '08:00', workEnd: '18:00', extraHolidays: [], extraWorkdays: [] });
const at = (s: string) => parseInstant(s)!;
const H = 3600_000;

describe('working days from chinese-days (2026)', () => {
  it('Spring Festival 2026: 02-15..02-23 are holidays, Saturdays 02-14 and 02-28 are make-up working days', () => {
    for (const d of ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23']) {
      expect(cal.isWorkday(d), d).toBe(false);
      expect(cal.periodOf(at(`${d}T10:00`)), d).toBe('holiday');
    }
    expect(cal.isWorkday('2026-02-14')).toBe(true);
    expect(cal.isWorkday('2026-02-28')).toBe(true);
    expect(cal.periodOf(at('2026-02-14T10:00'))).toBe('work');
    expect(cal.isWorkday('2026-02-24')).toBe(true);
  });

  it('National Day 2026: 10-01..10-07 are holidays, Saturday 10-10 is a working day, Sunday 10-11 is not', () => {
    for (let d = 1; d <= 7; d++) expect(cal.periodOf(at(`2026-10-0${d}T09:00`))).toBe('holiday');
    expect(cal.periodOf(at('2026-10-10T09:00'))).toBe('work');
    expect(cal.periodOf(at('2026-10-10T19:00'))).toBe('off');
    expect(cal.periodOf(at('2026-10-11T09:00'))).toBe('off');
    expect(cal.periodOf(at('2026-10-08T09:00'))).toBe('work');
  });

  it('an ordinary weekend is off, not holiday; nights on working days are off', () => {
    expect(cal.periodOf(at('2026-11-21T10:00'))).toBe('off');
    expect(cal.periodOf(at('2026-11-20T07:59:59'))).toBe('off');
    expect(cal.periodOf(at('2026-11-20T08:00'))).toBe('work');
    expect(cal.periodOf(at('2026-11-20T17:59:59'))).toBe('work');
    expect(cal.periodOf(at('2026-11-20T18:00'))).toBe('off');
  });

  it('per-bot extra holidays and working days override the official data', () => {
    const c = createCalendar({ workStart: '08:00', workEnd: '18:00', extraHolidays: ['2026-11-20'], extraWorkdays: ['2026-11-21'] });
    expect(c.periodOf(at('2026-11-20T10:00'))).toBe('holiday');
    expect(c.periodOf(at('2026-11-21T10:00'))).toBe('work');
  });

  it('rejects a day listed both as extra holiday and extra working day, and inverted hours', () => {
    expect(() =>
      createCalendar({ workStart: '08:00', workEnd: '18:00', extraHolidays: ['2026-11-20'], extraWorkdays: ['2026-11-20'] }),
    ).toThrow(/both/);
    expect(() => createCalendar({ workStart: '18:00', workEnd: '08:00', extraHolidays: [], extraWorkdays: [] })).toThrow(/after/);
  });
});

describe('business time', () => {
  const add = (from: string, hours: number) => cal.addBusinessMs(at(from), hours * H);

  it('counts inside working hours and carries over to the next working morning', () => {
    expect(toIso(add('2026-11-20T09:00', 2).at)).toBe('2026-11-20T11:00:00+08:00');
    expect(toIso(add('2026-11-20T17:00', 2).at)).toBe('2026-11-23T09:00:00+08:00');
  });

  it('a deadline landing exactly at the end of the working day stays on that day', () => {
    expect(toIso(add('2026-11-20T08:00', 10).at)).toBe('2026-11-20T18:00:00+08:00');
    expect(toIso(add('2026-11-19T18:00', 10).at)).toBe('2026-11-20T18:00:00+08:00');
    expect(toIso(add('2026-11-20T20:00', 20).at)).toBe('2026-11-24T18:00:00+08:00');
  });

  it('a clock started outside working hours starts at the next working moment', () => {
    expect(toIso(add('2026-11-20T06:30', 1).at)).toBe('2026-11-20T09:00:00+08:00');
    expect(toIso(add('2026-11-21T10:00', 1).at)).toBe('2026-11-23T09:00:00+08:00');
    expect(toIso(add('2026-11-20T18:00', 0).at)).toBe('2026-11-23T08:00:00+08:00');
    expect(toIso(add('2026-11-20T12:00', 0).at)).toBe('2026-11-20T12:00:00+08:00');
  });

  it('skips the Spring Festival and counts its make-up Saturday', () => {
    // Fri 02-13 17:00 + 2 h: 1 h on Friday, then Saturday 02-14 is a make-up working day.
    expect(toIso(add('2026-02-13T17:00', 2).at)).toBe('2026-02-14T09:00:00+08:00');
    // Sat 02-14 17:00 + 2 h: 1 h, then the whole festival up to Mon 02-23 is skipped.
    expect(toIso(add('2026-02-14T17:00', 2).at)).toBe('2026-02-24T09:00:00+08:00');
  });

  it('skips National Day and works on Saturday 2026-10-10', () => {
    expect(toIso(add('2026-09-30T17:00', 1).at)).toBe('2026-09-30T18:00:00+08:00');
    expect(toIso(add('2026-09-30T17:00', 2).at)).toBe('2026-10-08T09:00:00+08:00');
    // Fri 10-09 17:00 + 2 working days (20 h): 1 h Fri, 10 h Sat 10-10, 9 h Mon 10-12.
    expect(toIso(add('2026-10-09T17:00', 20).at)).toBe('2026-10-12T17:00:00+08:00');
  });

  it('measures working time between instants, the inverse of adding it', () => {
    expect(cal.businessMsBetween(at('2026-11-20T17:00'), at('2026-11-23T09:00'))).toBe(2 * H);
    expect(cal.businessMsBetween(at('2026-09-30T00:00'), at('2026-10-11T00:00'))).toBe(40 * H);
    expect(cal.businessMsBetween(at('2026-11-23T09:00'), at('2026-11-20T17:00'))).toBe(-2 * H);
    const from = at('2026-02-13T11:17');
    const due = cal.addBusinessMs(from, 37 * H + 123).at;
    expect(cal.businessMsBetween(from, due)).toBe(37 * H + 123);
  });

  it('finds the next period change', () => {
    expect(toIso(cal.nextPeriodChange(at('2026-11-20T12:00')))).toBe('2026-11-20T18:00:00+08:00');
    expect(toIso(cal.nextPeriodChange(at('2026-11-20T19:00')))).toBe('2026-11-23T08:00:00+08:00');
    expect(toIso(cal.nextPeriodChange(at('2026-09-30T19:00')))).toBe('2026-10-01T00:00:00+08:00');
    expect(toIso(cal.nextPeriodChange(at('2026-10-03T12:00')))).toBe('2026-10-08T00:00:00+08:00');
  });
});

describe('a year the official data does not cover', () => {
  const year = officialDataUntilYear + 1;

  it('assumes Monday–Friday but marks every result uncertain', () => {
    expect(year).toBeGreaterThanOrEqual(2027);
    // 1 January is a statutory holiday in reality, but with no data it is counted as an ordinary weekday.
    const jan1 = at(`${year}-01-01T10:00`);
    expect(cal.isUncertain(jan1)).toBe(true);
    expect(cal.dayInfo(jan1).uncertain).toBe(true);
    const weekday = new Date(`${year}-01-01T00:00:00Z`).getUTCDay();
    expect(cal.periodOf(jan1)).toBe(weekday >= 1 && weekday <= 5 ? 'work' : 'off');
    expect(cal.isUncertain(at('2026-12-31T10:00'))).toBe(false);
  });

  it('flags a business deadline that crosses into the uncovered year', () => {
    const inside = cal.addBusinessMs(at('2026-12-31T09:00'), 2 * H);
    expect(inside.uncertain).toBe(false);
    const crossing = cal.addBusinessMs(at('2026-12-31T17:00'), 20 * H);
    expect(crossing.uncertain).toBe(true);
  });

  it('treats 2035 the same way', () => {
    expect(cal.isUncertain(at('2035-06-01T10:00'))).toBe(true);
    expect(cal.periodOf(at('2035-06-01T10:00'))).toBe('work'); // a Friday
    expect(cal.periodOf(at('2035-06-02T10:00'))).toBe('off');
  });
});

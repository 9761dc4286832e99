import { describe, expect, it } from 'vitest';
import type { InspectionPlan } from '../../src/reports/config.js';
import { occurrenceAt, occurrencesBetween } from '../../src/inspections/schedule.js';
import { toIso } from '../../src/time.js';

const plan = (every: InspectionPlan['every'], day: number, time = '09:00'): InspectionPlan => ({
  id: 'p',
  name: '巡检',
  flow: 'inspection-monthly',
  every,
  day,
  time,
  assignee: 'zhangwei',
  remindAfterHours: 24,
  escalateAfterHours: 48,
  system: 'other',
  ticketLevel: 3,
  ticketOnIssue: true,
});
const at = (s: string) => new Date(s);

describe('inspection schedule', () => {
  it('monthly: the plan day of the month, local time', () => {
    const o = occurrenceAt(plan('month', 1), at('2026-11-21T10:00:00+08:00'));
    expect(o.period).toBe('2026-11');
    expect(toIso(o.dueAt)).toBe('2026-11-01T09:00:00+08:00');
  });

  it('weekly: day 1 is Monday, the period is the week', () => {
    const o = occurrenceAt(plan('week', 3, '14:30'), at('2026-11-22T23:00:00+08:00')); // a Sunday
    expect(o.period).toBe('2026-W11-16');
    expect(toIso(o.dueAt)).toBe('2026-11-18T14:30:00+08:00');
  });

  it('quarterly: counted from the quarter’s first month', () => {
    const o = occurrenceAt(plan('quarter', 5), at('2026-12-31T23:59:00+08:00'));
    expect(o.period).toBe('2026-Q4');
    expect(toIso(o.dueAt)).toBe('2026-10-05T09:00:00+08:00');
  });

  it('lists what was planned in a month', () => {
    const start = at('2026-10-01T00:00:00+08:00');
    const end = at('2026-11-01T00:00:00+08:00');
    expect(occurrencesBetween(plan('month', 1), start, end).map((o) => o.period)).toEqual(['2026-10']);
    expect(occurrencesBetween(plan('week', 3), start, end).map((o) => toIso(o.dueAt).slice(0, 10))).toEqual([
      '2026-10-07',
      '2026-10-14',
      '2026-10-21',
      '2026-10-28',
    ]);
    expect(occurrencesBetween(plan('quarter', 1), start, end)).toHaveLength(1);
    expect(occurrencesBetween(plan('quarter', 1), end, at('2026-12-01T00:00:00+08:00'))).toHaveLength(0);
  });
});

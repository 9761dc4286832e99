/** When each plan's inspection is due: one occurrence per week, month or quarter, at `day` and `time` local. */
import type { InspectionPlan } from '../reports/config.js';
import { local, zoned } from '../time.js';

export interface Occurrence {
  /** "2026-10" (month), "2026-Q4" (quarter), "2026-W10-26" (the week's Monday). */
  period: string;
  dueAt: Date;
}

function at(date: string, time: string): Date {
  return zoned(`${date} ${time}`).toDate();
}

/** The occurrence of the period containing `now` (due before or after `now`). */
export function occurrenceAt(plan: InspectionPlan, now: Date): Occurrence {
  const d = local(now);
  switch (plan.every) {
    case 'week': {
      const monday = d.startOf('day').subtract((d.day() + 6) % 7, 'day');
      const day = monday.add(Math.min(plan.day, 7) - 1, 'day');
      return { period: `${monday.format('YYYY')}-W${monday.format('MM-DD')}`, dueAt: at(day.format('YYYY-MM-DD'), plan.time) };
    }
    case 'quarter': {
      const q = Math.floor(d.month() / 3);
      const first = d.startOf('year').add(q * 3, 'month');
      return { period: `${d.year()}-Q${q + 1}`, dueAt: at(first.add(plan.day - 1, 'day').format('YYYY-MM-DD'), plan.time) };
    }
    default: {
      const first = d.startOf('month');
      return { period: d.format('YYYY-MM'), dueAt: at(first.add(plan.day - 1, 'day').format('YYYY-MM-DD'), plan.time) };
    }
  }
}

/** Every occurrence due in [start, end) (the monthly report's "planned"). */
export function occurrencesBetween(plan: InspectionPlan, start: Date, end: Date): Occurrence[] {
  const out: Occurrence[] = [];
  const seen = new Set<string>();
  // Walk day by day: at most ~31 steps per month, and every kind of period is covered without special cases.
  for (let d = local(start).startOf('day'); d.valueOf() < end.getTime(); d = d.add(1, 'day')) {
    const o = occurrenceAt(plan, d.toDate());
    if (seen.has(o.period)) continue;
    seen.add(o.period);
    if (o.dueAt.getTime() >= start.getTime() && o.dueAt.getTime() < end.getTime()) out.push(o);
  }
  return out;
}

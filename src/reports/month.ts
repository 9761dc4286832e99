import { zoned } from '../time.js';

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Local month "YYYY-MM" → [start, end) instants; null when malformed. */
export function monthRange(month: string): { start: Date; end: Date } | null {
  if (!MONTH_PATTERN.test(month)) return null;
  const start = zoned(`${month}-01`);
  if (!start.isValid()) return null;
  return { start: start.toDate(), end: start.add(1, 'month').toDate() };
}

/** Local day "YYYY-MM-DD" → [start, end). */
export function dayRange(day: string): { start: Date; end: Date } {
  const start = zoned(day);
  return { start: start.toDate(), end: start.add(1, 'day').toDate() };
}

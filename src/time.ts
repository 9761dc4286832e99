import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every bot runs on China Standard Time; contracts and people speak local time. */
export const ZONE = 'Asia/Shanghai';

/** A local (Asia/Shanghai) dayjs for an instant. */
export function local(at: Date | string | number): Dayjs {
  return dayjs(at).tz(ZONE);
}

/** ISO-8601 with the +08:00 offset, the format of every instant in the API and the CLI. */
export function toIso(at: Date | string | number): string;
export function toIso(at: Date | string | number | null | undefined): string | null;
export function toIso(at: Date | string | number | null | undefined): string | null {
  if (at === null || at === undefined) return null;
  return local(at).format('YYYY-MM-DDTHH:mm:ssZ');
}

/** Short local time for chat: "11-21 14:30". */
export function toChatTime(at: Date | string | number): string {
  return local(at).format('MM-DD HH:mm');
}

/** Parses ISO-8601; a time without an offset is read as Asia/Shanghai local time. */
export function parseInstant(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const d = hasZone ? dayjs(text) : dayjs.tz(text, ZONE);
  return d.isValid() ? d.toDate() : null;
}

export { dayjs };

import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every bot runs on China Standard Time; contracts and people speak local time. */
export const ZONE = 'Asia/Shanghai';

/**
 * UTC+8 in minutes. Asia/Shanghai has kept it, without daylight saving, since 1991, so a fixed offset gives the
 * same local time as the IANA zone for every instant this service handles (test/foundation/time.test.ts compares
 * them) — without the Intl formatting and re-parsing dayjs's timezone plugin does on every call, which was about
 * a tenth of the CPU of processing a report (storm bench profile, 2026-11-30).
 */
const OFFSET_MIN = 8 * 60;
const OFFSET_MS = OFFSET_MIN * 60_000;

/**
 * dayjs's fixed-offset arithmetic runs through host-local dates, and goes wrong by an hour around the host's own
 * daylight-saving changes (measured: endOf('month') on a Europe/Berlin host). The service sets TZ=Asia/Shanghai,
 * so the fast path is the rule; a host zone with daylight saving falls back to the timezone plugin.
 */
let hostZoneSeen: string | undefined = '\0';
let hostWithoutDst = false;
function fastPath(): boolean {
  const tz = process.env.TZ;
  if (tz !== hostZoneSeen) {
    hostZoneSeen = tz;
    const year = new Date().getFullYear();
    const jan = new Date(year, 0, 1).getTimezoneOffset();
    hostWithoutDst = [3, 6, 9].every((month) => new Date(year, month, 1).getTimezoneOffset() === jan);
  }
  return hostWithoutDst;
}

/** A local (Asia/Shanghai) dayjs for an instant. */
export function local(at: Date | string | number): Dayjs {
  return fastPath() ? dayjs(at).utcOffset(OFFSET_MIN) : dayjs(at).tz(ZONE);
}

/**
 * A wall-clock time in Asia/Shanghai ("2026-11-30", "2026-11-30 08:00", "2026-11-30T08:00:00"; no offset in the
 * text) as a local dayjs; invalid text gives an invalid dayjs (check `isValid()`), as `dayjs.tz(text, ZONE)` does.
 */
export function zoned(text: string): Dayjs {
  if (!fastPath()) return dayjs.tz(text, ZONE);
  const wall = dayjs.utc(text);
  return wall.isValid() ? local(wall.valueOf() - OFFSET_MS) : wall;
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
  const d = hasZone ? dayjs(text) : zoned(text);
  return d.isValid() ? d.toDate() : null;
}

export { dayjs };

/**
 * Local time without the timezone plugin's per-call Intl work (src/time.ts): it must agree with the IANA zone
 * (dayjs's timezone plugin, the reference) on every instant and every operation the service uses, whatever time
 * zone the host runs in.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { afterEach, describe, expect, it } from 'vitest';
import { local, toIso, ZONE, zoned } from '../../src/time.js';

dayjs.extend(utc);
dayjs.extend(timezone);

const hostZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = hostZone;
});

/** Instants from 1995 to 2100, deterministic, including midnights and month ends in Shanghai. */
function instants(): number[] {
  const out: number[] = [];
  let x = 12345;
  const from = Date.UTC(1995, 0, 1);
  const span = Date.UTC(2100, 0, 1) - from;
  for (let i = 0; i < 400; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(from + Math.floor((x / 2 ** 31) * span));
  }
  // Shanghai midnight, the last millisecond of a month, a leap day.
  out.push(Date.UTC(2026, 10, 29, 16, 0, 0), Date.UTC(2026, 10, 30, 15, 59, 59, 999), Date.UTC(2028, 1, 28, 16, 30));
  return out;
}

const view = (d: dayjs.Dayjs) => [
  d.valueOf(),
  d.format('YYYY-MM-DD HH:mm:ss.SSS Z'),
  d.day(),
  d.hour(),
  d.startOf('day').valueOf(),
  d.startOf('month').valueOf(),
  d.endOf('month').valueOf(),
  d.add(1, 'day').format('YYYY-MM-DDTHH:mm:ssZ'),
  d.add(90, 'minute').valueOf(),
  d.subtract(1, 'month').format('YYYY-MM-DD'),
];

describe.each(['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin'])('host time zone %s', (host) => {
  it('local(instant) reads and computes like the Asia/Shanghai zone', () => {
    process.env.TZ = host;
    for (const t of instants()) expect(view(local(t)), new Date(t).toISOString()).toEqual(view(dayjs(t).tz(ZONE)));
    expect(toIso(Date.UTC(2026, 10, 30, 1, 2, 3))).toBe('2026-11-30T09:02:03+08:00');
  });

  it('zoned(wall clock) is the instant that wall clock shows in Asia/Shanghai', () => {
    process.env.TZ = host;
    const texts = ['2026-11-30', '2026-11-30 08:00', '2026-11-30T23:59:59', '2027-01-01 00:00', '2028-02-29 12:30', '1999-12-31'];
    for (const text of texts) expect(view(zoned(text)), text).toEqual(view(dayjs.tz(text, ZONE)));
    expect(zoned('2026-11-30 08:00').toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(zoned('not a date').isValid()).toBe(false);
  });
});

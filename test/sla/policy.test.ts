import { describe, expect, it } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import type { TargetName } from '../../src/sla/config.js';
import {
  elapsedMs,
  instantAtFraction,
  type Level,
  meetTarget,
  pauseTarget,
  recomputeForLevel,
  resumeTarget,
  startTarget,
} from '../../src/sla/policy.js';
import { parseInstant, toIso } from '../../src/time.js';

const bot = loadBots('bots', {}).get('demo')!;
const at = (s: string) => parseInstant(s)!;
const H = 3600_000;

// The demo contract, start instant → [level, target, expected dueAt, clock].
const table: Record<string, Array<[Level, TargetName, string, 'wall' | 'business']>> = {
  // Friday 10:00, working hours.
  'work 2026-11-20T10:00': [
    [1, 'response', '2026-11-20T10:30', 'wall'],
    [1, 'onsite', '2026-11-20T11:00', 'wall'],
    [1, 'resolve', '2026-11-21T10:00', 'wall'],
    [2, 'response', '2026-11-20T11:00', 'wall'],
    [2, 'onsite', '2026-11-20T12:00', 'wall'],
    [2, 'resolve', '2026-11-24T10:00', 'business'],
    [3, 'response', '2026-11-20T13:00', 'wall'],
    [3, 'onsite', '2026-11-23T10:00', 'business'],
    [3, 'resolve', '2026-11-23T10:00', 'wall'],
    [4, 'response', '2026-11-21T10:00', 'wall'],
    [4, 'onsite', '2026-11-24T10:00', 'business'],
    [4, 'resolve', '2026-12-05T10:00', 'wall'],
  ],
  // Saturday 10:00, an ordinary weekend.
  'off 2026-11-21T10:00': [
    [1, 'response', '2026-11-21T10:30', 'wall'],
    [1, 'onsite', '2026-11-21T12:00', 'wall'],
    [1, 'resolve', '2026-11-22T10:00', 'wall'],
    [2, 'response', '2026-11-21T11:00', 'wall'],
    [2, 'onsite', '2026-11-21T14:00', 'wall'],
    [2, 'resolve', '2026-11-24T18:00', 'business'],
    [3, 'response', '2026-11-21T13:00', 'wall'],
    [3, 'onsite', '2026-11-23T18:00', 'business'],
    [3, 'resolve', '2026-11-24T10:00', 'wall'],
    [4, 'response', '2026-11-22T10:00', 'wall'],
    [4, 'onsite', '2026-11-24T18:00', 'business'],
    [4, 'resolve', '2026-12-06T10:00', 'wall'],
  ],
  // National Day, Friday 10-02 10:00; the next working days are Thu 10-08 and Fri 10-09.
  'holiday 2026-10-02T10:00': [
    [1, 'response', '2026-10-02T10:30', 'wall'],
    [1, 'onsite', '2026-10-02T12:00', 'wall'],
    [1, 'resolve', '2026-10-03T10:00', 'wall'],
    [2, 'response', '2026-10-02T11:00', 'wall'],
    [2, 'onsite', '2026-10-02T14:00', 'wall'],
    [2, 'resolve', '2026-10-09T18:00', 'business'],
    [3, 'response', '2026-10-02T13:00', 'wall'],
    [3, 'onsite', '2026-10-08T18:00', 'business'],
    [3, 'resolve', '2026-10-05T10:00', 'wall'],
    [4, 'response', '2026-10-03T10:00', 'wall'],
    [4, 'onsite', '2026-10-09T18:00', 'business'],
    [4, 'resolve', '2026-10-17T10:00', 'wall'],
  ],
};

describe('demo policy: every level, target and period', () => {
  for (const [label, rows] of Object.entries(table)) {
    const [period, start] = label.split(' ');
    for (const [level, name, due, clock] of rows) {
      it(`${period}: level ${level} ${name} due ${due} (${clock})`, () => {
        const t = startTarget(bot, level, name, at(start));
        expect(t.period).toBe(period);
        expect(t.clock).toBe(clock);
        expect(toIso(t.dueAt)).toBe(toIso(at(due)));
        expect(toIso(t.startedAt)).toBe(toIso(at(start)));
        expect(t).toMatchObject({ pausedMs: 0, metAt: null, breachedAt: null, calendarUncertain: false });
      });
    }
  }

  it('the night before a holiday is "off": on-site gets the off-hours variant', () => {
    const t = startTarget(bot, 1, 'onsite', at('2026-09-30T22:00'));
    expect(t.period).toBe('off');
    expect(toIso(t.dueAt)).toBe('2026-10-01T00:00:00+08:00');
  });

  it('a business deadline crossing into a year without official data is flagged', () => {
    const t = startTarget(bot, 2, 'resolve', at('2026-12-31T17:00'));
    expect(t.calendarUncertain).toBe(true);
    expect(startTarget(bot, 2, 'response', at('2026-12-31T17:00')).calendarUncertain).toBe(false);
  });
});

describe('pause and resume', () => {
  it('moves a wall-clock resolve deadline by exactly the paused time', () => {
    const t0 = startTarget(bot, 1, 'resolve', at('2026-11-20T10:00'));
    const paused = pauseTarget(t0, at('2026-11-20T12:00'));
    expect(elapsedMs(bot, paused, at('2026-11-20T14:00'))).toBe(2 * H);
    const t1 = resumeTarget(bot, paused, at('2026-11-20T12:00'), at('2026-11-20T15:30'));
    expect(t1.dueAt.getTime() - t0.dueAt.getTime()).toBe(3.5 * H);
    expect(t1.pausedMs).toBe(3.5 * H);
    expect(t1.pausedAt).toBeNull();
    expect(elapsedMs(bot, t1, at('2026-11-20T16:30'))).toBe(3 * H);
  });

  it('a business clock gets back the working time it lost while paused', () => {
    const t0 = startTarget(bot, 2, 'resolve', at('2026-11-20T10:00')); // due Tue 11-24 10:00
    // Paused Fri 17:00 → Mon 09:00: 64 h of wall time, 2 h of it working time.
    const t1 = resumeTarget(bot, pauseTarget(t0, at('2026-11-20T17:00')), at('2026-11-20T17:00'), at('2026-11-23T09:00'));
    expect(toIso(t1.dueAt)).toBe('2026-11-24T12:00:00+08:00');
    expect(t1.pausedMs).toBe(64 * H);
    expect(elapsedMs(bot, t1, at('2026-11-23T10:00'))).toBe(8 * H);
    expect(elapsedMs(bot, t1, t1.dueAt)).toBe(20 * H);
  });

  it('two pauses add up', () => {
    const t0 = startTarget(bot, 3, 'resolve', at('2026-11-20T10:00'));
    const t1 = resumeTarget(bot, t0, at('2026-11-20T11:00'), at('2026-11-20T11:20'));
    const t2 = resumeTarget(bot, t1, at('2026-11-21T11:00'), at('2026-11-21T12:00'));
    expect(t2.dueAt.getTime() - t0.dueAt.getTime()).toBe(80 * 60_000);
    expect(t2.pausedMs).toBe(80 * 60_000);
  });
});

describe('level change', () => {
  it('keeps the start and recomputes the deadline with the new level (and its clock)', () => {
    const t3 = startTarget(bot, 3, 'resolve', at('2026-11-20T10:00'));
    const t1 = recomputeForLevel(bot, t3, 1, 'resolve');
    expect(toIso(t1.startedAt)).toBe('2026-11-20T10:00:00+08:00');
    expect(toIso(t1.dueAt)).toBe('2026-11-21T10:00:00+08:00');
    const t2 = recomputeForLevel(bot, t3, 2, 'resolve');
    expect(t2.clock).toBe('business');
    expect(toIso(t2.dueAt)).toBe('2026-11-24T10:00:00+08:00');
    const r = recomputeForLevel(bot, startTarget(bot, 4, 'response', at('2026-11-20T10:00')), 1, 'response');
    expect(toIso(r.dueAt)).toBe('2026-11-20T10:30:00+08:00');
  });

  it('keeps the period the clock started in, and the paused time', () => {
    const off = startTarget(bot, 2, 'onsite', at('2026-11-21T10:00'));
    expect(toIso(recomputeForLevel(bot, off, 1, 'onsite').dueAt)).toBe('2026-11-21T12:00:00+08:00');
    const paused = resumeTarget(
      bot,
      startTarget(bot, 1, 'resolve', at('2026-11-20T10:00')),
      at('2026-11-20T12:00'),
      at('2026-11-20T13:00'),
    );
    expect(toIso(recomputeForLevel(bot, paused, 3, 'resolve').dueAt)).toBe('2026-11-23T11:00:00+08:00');
    // Wall → business: the hour paused on Friday was working time.
    expect(toIso(recomputeForLevel(bot, paused, 2, 'resolve').dueAt)).toBe('2026-11-24T11:00:00+08:00');
  });

  it('a breach against the old deadline is dropped when the new deadline is later', () => {
    const t = { ...startTarget(bot, 1, 'resolve', at('2026-11-20T10:00')), breachedAt: at('2026-11-21T10:00') };
    expect(recomputeForLevel(bot, t, 4, 'resolve').breachedAt).toBeNull();
    const tighter = recomputeForLevel(bot, { ...t, breachedAt: at('2026-11-22T10:00') }, 1, 'resolve');
    expect(tighter.breachedAt).toEqual(at('2026-11-22T10:00'));
  });
});

describe('elapsed time and escalation instants', () => {
  it('records the elapsed time on the target clock when met', () => {
    const wall = meetTarget(bot, startTarget(bot, 1, 'response', at('2026-11-20T10:00')), at('2026-11-20T10:12'));
    expect(wall.elapsedMs).toBe(12 * 60_000);
    expect(toIso(wall.metAt)).toBe('2026-11-20T10:12:00+08:00');
    // Business: Friday 17:00 → Monday 09:00 is two working hours.
    const biz = meetTarget(bot, startTarget(bot, 2, 'resolve', at('2026-11-20T17:00')), at('2026-11-23T09:00'));
    expect(biz.elapsedMs).toBe(2 * H);
    // Elapsed stops at the met instant.
    expect(elapsedMs(bot, biz, at('2026-11-30T09:00'))).toBe(2 * H);
  });

  it('places 50 % and 75 % on the target clock', () => {
    const wall = startTarget(bot, 1, 'response', at('2026-11-20T10:00'));
    expect(toIso(instantAtFraction(bot, wall, 0.5))).toBe('2026-11-20T10:15:00+08:00');
    expect(toIso(instantAtFraction(bot, wall, 0.75))).toBe('2026-11-20T10:22:30+08:00');
    expect(instantAtFraction(bot, wall, 1)).toEqual(wall.dueAt);
    const biz = startTarget(bot, 2, 'resolve', at('2026-11-20T10:00'));
    expect(toIso(instantAtFraction(bot, biz, 0.5))).toBe('2026-11-23T10:00:00+08:00');
    const resumed = resumeTarget(bot, wall, at('2026-11-20T10:05'), at('2026-11-20T10:25'));
    expect(toIso(instantAtFraction(bot, resumed, 0.5))).toBe('2026-11-20T10:35:00+08:00');
  });
});

/**
 * SLA outcome of each target, re-derived from a timeline and the bot's policy:
 * start/stop instants from the events, the duration from the policy of the (final) level and the period at
 * the start, paused time excluded on the target's own clock. The stored targets on the ticket are not read,
 * so the figures can be checked against the event log alone.
 */
import type { BotConfig } from '../config/bots.js';
import { duration } from '../bot/presenters/words.js';
import { type Calendar, calendarFor } from '../sla/calendar.js';
import type { Clock, Period, TargetName } from '../sla/config.js';
import { durationFor, durationMs } from '../sla/policy.js';
import type { Interval, Timeline } from './timeline.js';

export const TARGETS: readonly TargetName[] = ['response', 'onsite', 'resolve'];
/** Pauses stop these clocks (the response clock stops at the claim, before any pause is possible). */
const PAUSABLE = new Set<TargetName>(['onsite', 'resolve']);

export type OutcomeState = 'met' | 'breached' | 'pending';

export interface Outcome {
  target: TargetName;
  state: OutcomeState;
  startedAt: Date;
  stoppedAt: Date | null;
  dueAt: Date;
  period: Period;
  clock: Clock;
  /** The promised duration on the clock. */
  allowedMs: number;
  /** Time spent so far (stoppedAt, else asOf), on the clock, paused time excluded. */
  elapsedMs: number;
  /** Wall time spent paused inside the target. */
  pausedMs: number;
  /** When the breach happened: the recorded breach event, else the deadline. */
  breachedAt: Date | null;
  reason: string | null;
}

function span(t: Timeline, name: TargetName): { start: Date; stop: Date | null } | null {
  switch (name) {
    case 'response':
      return { start: t.createdAt, stop: t.claimedAt };
    case 'onsite':
      return t.dispatchedAt ? { start: t.dispatchedAt, stop: t.arrivedAt } : null;
    case 'resolve':
      return { start: t.createdAt, stop: t.resolvedAt };
  }
}

/** Parts of the pauses inside [a, b). */
function clip(pauses: Interval[], a: Date, b: Date): Array<[Date, Date]> {
  const out: Array<[Date, Date]> = [];
  for (const p of pauses) {
    const from = Math.max(p.from.getTime(), a.getTime());
    const to = Math.min((p.to ?? b).getTime(), b.getTime());
    if (to > from) out.push([new Date(from), new Date(to)]);
  }
  return out;
}

function onClock(cal: Calendar, clock: Clock, a: Date, b: Date): number {
  if (b.getTime() <= a.getTime()) return 0;
  return clock === 'wall' ? b.getTime() - a.getTime() : cal.businessMsBetween(a, b);
}

/** The outcome of one target as of `asOf`; null when the target never started (no on-site visit). */
export function outcomeOf(bot: BotConfig, t: Timeline, name: TargetName, asOf: Date): Outcome | null {
  const s = span(t, name);
  if (!s) return null;
  const cal = calendarFor(bot);
  const period = cal.periodOf(s.start);
  const duration = durationFor(bot, t.level, name, period);
  const allowedMs = durationMs(duration, cal);
  const clock = duration.clock;
  const end = s.stop && s.stop.getTime() <= asOf.getTime() ? s.stop : asOf;
  const stoppedAt = end === s.stop ? s.stop : null;
  const paused = PAUSABLE.has(name) ? clip(t.pauses, s.start, end) : [];
  const pausedOnClock = paused.reduce((sum, [a, b]) => sum + onClock(cal, clock, a, b), 0);
  const pausedMs = paused.reduce((sum, [a, b]) => sum + (b.getTime() - a.getTime()), 0);
  const elapsedMs = Math.max(0, onClock(cal, clock, s.start, end) - pausedOnClock);
  const dueAt =
    clock === 'wall' ? new Date(s.start.getTime() + allowedMs + pausedMs) : cal.addBusinessMs(s.start, allowedMs + pausedOnClock).at;
  const late = elapsedMs > allowedMs;
  const state: OutcomeState = late ? 'breached' : stoppedAt ? 'met' : 'pending';
  const mark = t.breaches.find((b) => b.target === name);
  return {
    target: name,
    state,
    startedAt: s.start,
    stoppedAt,
    dueAt,
    period,
    clock,
    allowedMs,
    elapsedMs,
    pausedMs,
    breachedAt: late ? (mark?.at ?? dueAt) : null,
    reason: late ? (mark?.reason ?? breachReason(name, stoppedAt !== null, elapsedMs, allowedMs, clock)) : null,
  };
}

const VERB: Record<TargetName, [string, string]> = {
  response: ['响应', '接单'],
  onsite: ['到场', '到场'],
  resolve: ['解决', '解决'],
};

/** "响应用时 1 小时 30 分钟，时限 1 小时" / "截至统计时仍未接单，时限 3 小时" / "…（按工作时间计）". */
export function breachReason(name: TargetName, stopped: boolean, elapsedMs: number, allowedMs: number, clock: Clock): string {
  const business = clock === 'business';
  const limit = `时限 ${formatDuration(allowedMs, business)}${business ? '（按工作时间计）' : ''}`;
  return stopped ? `${VERB[name][0]}用时 ${formatDuration(elapsedMs, business)}，${limit}` : `截至统计时仍未${VERB[name][1]}，${limit}`;
}

/** The one duration format (bot/presenters/words.ts); working time is never shown in days (a working day is not 24 h). */
function formatDuration(ms: number, hoursOnly = false): string {
  return duration(ms, { hoursOnly });
}

export function outcomes(bot: BotConfig, t: Timeline, asOf: Date): Record<TargetName, Outcome | null> {
  return {
    response: outcomeOf(bot, t, 'response', asOf),
    onsite: outcomeOf(bot, t, 'onsite', asOf),
    resolve: outcomeOf(bot, t, 'resolve', asOf),
  };
}

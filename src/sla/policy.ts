import type { BotConfig } from '../config/bots.js';
import { type Calendar, calendarFor } from './calendar.js';
import type { Clock, Duration, EscalationStep, Period, TargetName } from './config.js';

export type Level = 1 | 2 | 3 | 4;

/** One SLA target of a ticket, as stored (Dates) on the ticket. */
export interface Target {
  startedAt: Date;
  dueAt: Date;
  /** Period at the moment the clock started; chose the duration. */
  period: Period;
  clock: Clock;
  /** Wall time spent paused so far. */
  pausedMs: number;
  metAt: Date | null;
  breachedAt: Date | null;
  /** Elapsed time (on the target's clock, paused time excluded) when met. */
  elapsedMs?: number | null;
  /** The deadline relies on a year without official holiday data. */
  calendarUncertain?: boolean;
  /** The promised duration on the target's clock (business ms for `business`); escalation fractions and elapsed time use it. */
  durationMs: number;
  /** Set while the target is paused (the ticket is 挂起). */
  pausedAt?: Date | null;
  /** Working time inside the pauses so far (a level change may switch the clock to `business`). */
  pausedBusinessMs?: number;
  /** Escalation steps already carried out (keys of planSteps), so a step never fires twice. */
  escalated?: string[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The duration that applies to a level/target/period: a per-period variant, else the target's default. */
export function durationFor(bot: BotConfig, level: Level, name: TargetName, period: Period): Duration {
  const policy = bot.sla.levels[String(level) as '1' | '2' | '3' | '4'][name];
  return policy.byPeriod?.[period] ?? policy;
}

/** A duration in ms on its own clock: business days count as whole working days of working time. */
export function durationMs(d: Duration, cal: Calendar): number {
  switch (d.unit) {
    case 'minutes':
      return d.amount * MINUTE;
    case 'hours':
      return d.amount * HOUR;
    case 'days':
      return d.amount * (d.clock === 'business' ? cal.workdayMs : DAY);
    case 'workdays':
      return d.amount * cal.workdayMs;
  }
}

/** Where a clock of `ms` on `clock` started at `from` runs out. */
function deadline(cal: Calendar, clock: Clock, from: Date, ms: number): { at: Date; uncertain: boolean } {
  if (clock === 'wall') return { at: new Date(from.getTime() + ms), uncertain: false };
  return cal.addBusinessMs(from, ms);
}

/** Starts a target's clock at `at`; the period at that moment picks the per-period variant. */
export function startTarget(bot: BotConfig, level: Level, name: TargetName, at: Date): Target {
  const cal = calendarFor(bot);
  const period = cal.periodOf(at);
  const d = durationFor(bot, level, name, period);
  const ms = durationMs(d, cal);
  const due = deadline(cal, d.clock, at, ms);
  return {
    startedAt: at,
    dueAt: due.at,
    period,
    clock: d.clock,
    pausedMs: 0,
    metAt: null,
    breachedAt: null,
    elapsedMs: null,
    calendarUncertain: due.uncertain || cal.isUncertain(at),
    durationMs: ms,
    pausedAt: null,
    pausedBusinessMs: 0,
  };
}

/** Marks a target paused (the deadline is frozen until resumeTarget). */
export function pauseTarget(target: Target, at: Date): Target {
  if (target.metAt || target.pausedAt) return target;
  return { ...target, pausedAt: at };
}

/** Resumes after a pause: the deadline moves by exactly the paused time (working time for a business clock). */
export function resumeTarget(bot: BotConfig, target: Target, pausedAt: Date, resumedAt: Date): Target {
  const cal = calendarFor(bot);
  const pausedWall = Math.max(0, resumedAt.getTime() - pausedAt.getTime());
  const resumed = {
    ...target,
    pausedAt: null,
    pausedMs: target.pausedMs + pausedWall,
    pausedBusinessMs: (target.pausedBusinessMs ?? 0) + Math.max(0, cal.businessMsBetween(pausedAt, resumedAt)),
  };
  if (target.metAt) return resumed;
  if (target.clock === 'wall') return { ...resumed, dueAt: new Date(target.dueAt.getTime() + pausedWall) };
  // Working time that was left when the pause began is what is left now.
  const remaining = Math.max(0, cal.businessMsBetween(pausedAt, target.dueAt));
  const due = cal.addBusinessMs(resumedAt, remaining);
  return { ...resumed, dueAt: due.at, calendarUncertain: Boolean(target.calendarUncertain) || due.uncertain };
}

/**
 * The level changed: same start, same period, the new level's duration (and clock). Time already spent
 * paused keeps extending the deadline. A breach recorded against the old deadline stands only if the new
 * deadline is no later.
 */
export function recomputeForLevel(bot: BotConfig, target: Target, newLevel: Level, name: TargetName): Target {
  const cal = calendarFor(bot);
  const d = durationFor(bot, newLevel, name, target.period);
  const ms = durationMs(d, cal);
  const changed = { ...target, clock: d.clock, durationMs: ms };
  const due = deadline(cal, d.clock, target.startedAt, ms + pausedOnClock(changed));
  const breachedAt = target.breachedAt && due.at.getTime() <= target.breachedAt.getTime() ? target.breachedAt : null;
  const next: Target = { ...changed, dueAt: due.at, breachedAt, calendarUncertain: Boolean(target.calendarUncertain) || due.uncertain };
  return { ...next, escalated: keptSteps(bot, target, next) };
}

/** A step done for the old deadline stays done unless the new level moved it later (it will be due again). */
function keptSteps(bot: BotConfig, before: Target, after: Target): string[] {
  if (!before.escalated?.length) return before.escalated ?? [];
  const old = new Map(planSteps(bot, before).map((s) => [s.key, s.at.getTime()]));
  const now = new Map(planSteps(bot, after).map((s) => [s.key, s.at.getTime()]));
  return before.escalated.filter((key) => (now.get(key) ?? 0) <= (old.get(key) ?? 0));
}

/** Paused time already behind us, on the target's own clock. */
function pausedOnClock(target: Target): number {
  return target.clock === 'wall' ? target.pausedMs : (target.pausedBusinessMs ?? 0);
}

/**
 * Time spent on the target at `at`, on its clock, paused time excluded. Derived from the deadline
 * (which already absorbed every pause): elapsed = duration − time left until dueAt.
 */
export function elapsedMs(bot: BotConfig, target: Target, at: Date): number {
  const until = target.metAt ?? target.pausedAt ?? at;
  const end = until.getTime() < at.getTime() ? until : at;
  if (end.getTime() <= target.startedAt.getTime()) return 0;
  const left = target.clock === 'wall' ? target.dueAt.getTime() - end.getTime() : calendarFor(bot).businessMsBetween(end, target.dueAt);
  return Math.max(0, target.durationMs - left);
}

/** Stops the clock: records when and how long it took. */
export function meetTarget(bot: BotConfig, target: Target, at: Date): Target {
  if (target.metAt) return target;
  return { ...target, metAt: at, elapsedMs: elapsedMs(bot, target, at), pausedAt: null };
}

/** The instant at which `fraction` of the target's duration will have elapsed (1 = dueAt), given the pauses so far. */
export function instantAtFraction(bot: BotConfig, target: Target, fraction: number): Date {
  if (fraction >= 1) return target.dueAt;
  const ms = Math.round(target.durationMs * fraction) + pausedOnClock(target);
  return deadline(calendarFor(bot), target.clock, target.startedAt, ms).at;
}

export type Recipient = EscalationStep['notify'][number];

/** One escalation moment of a target: a configured step, or a repeat after the breach. */
export interface PlannedStep {
  /** Stable id: "50%", "75%", "100%", then "100%+1" … for the repeats. */
  key: string;
  at: Date;
  notify: Recipient[];
  breach: boolean;
  /** 0 for a configured step, k for the k-th repeat. */
  repeat: number;
}

/** Every escalation moment of a target, in time order, from the bot's escalation chain. */
export function planSteps(bot: BotConfig, target: Target): PlannedStep[] {
  const steps = [...bot.escalation.steps].sort((a, b) => a.at - b.at);
  const planned: PlannedStep[] = steps.map((s) => ({
    key: `${Math.round(s.at * 100)}%`,
    at: instantAtFraction(bot, target, s.at),
    notify: s.notify,
    breach: Boolean(s.breach),
    repeat: 0,
  }));
  // Repeats follow the breach step (or the last step when none records a breach), on the wall clock.
  const anchor = [...planned].reverse().find((p) => p.breach) ?? planned[planned.length - 1];
  const every = bot.escalation.repeatEveryMin * 60_000;
  for (let k = 1; anchor && k <= bot.escalation.repeatTimes; k++) {
    planned.push({
      key: `${anchor.key}+${k}`,
      at: new Date(anchor.at.getTime() + k * every),
      notify: anchor.notify,
      breach: false,
      repeat: k,
    });
  }
  return planned;
}

import type { BotConfig } from '../config/bots.js';
import { knownName } from '../people/names.js';
import type { Period } from '../sla/config.js';
import { calendarFor } from '../sla/calendar.js';
import { zoned } from '../time.js';
import type { Engineer, Override, Rotation } from './config.js';

export type Role = 'engineer' | 'lead' | 'reporter';

export interface OnDuty {
  primary: string;
  backup: string;
  /** The next moment the answer changes (period boundary, hand-over, override edge). */
  until: Date;
}

/** How far ahead `until` looks for a change; a roster that never changes reports this horizon. */
const HORIZON_MS = 60 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Engineers covering a system in working time, in file order ("*" covers everything). */
export function engineersFor(bot: BotConfig, system: string): Engineer[] {
  return bot.roster.engineers.filter((e) => e.skills.includes(system) || e.skills.includes('*'));
}

/** Leads first: a lead may also do what an engineer does. */
export function roleOf(bot: BotConfig, userid: string): Role {
  if (bot.roster.leads.some((p) => p.userid === userid)) return 'lead';
  if (bot.roster.engineers.some((p) => p.userid === userid)) return 'engineer';
  return 'reporter';
}

/**
 * A person's display name: the WeCom directory's when this service has resolved it (people/names.ts, filled by
 * `Directory.warm` before a message or ticket event is handled), else the bot file's (`directory.people`, then
 * the roster), else the userid itself (nobody knows a better name).
 */
export function personName(bot: BotConfig, userid: string): string {
  const known = knownName(bot, userid);
  if (known) return known;
  const { engineers, leads, itContact } = bot.roster;
  return (
    bot.directory?.people.find((p) => p.userid === userid)?.name ??
    [...engineers, ...leads, itContact].find((p) => p.userid === userid)?.name ??
    userid
  );
}

/** The parsed anchor, memoised on the rotation object itself (per loaded bot file: nothing process-wide). */
const ANCHOR_MS = Symbol('anchorMs');
function anchorOf(r: Rotation & { [ANCHOR_MS]?: number }): number {
  r[ANCHOR_MS] ??= zoned(r.anchor).valueOf();
  return r[ANCHOR_MS];
}

/** Index of the shift containing `t` (negative before the anchor). Asia/Shanghai has no DST, so a day is 24 h. */
function shiftIndex(r: Rotation, t: number): number {
  return Math.floor((t - anchorOf(r)) / (r.shiftDays * DAY_MS));
}

function rotationUser(r: Rotation, t: number): string {
  const n = r.users.length;
  return r.users[((shiftIndex(r, t) % n) + n) % n];
}

function activeOverride(bot: BotConfig, system: string, t: number): Override | undefined {
  return bot.roster.overrides.find((o) => Date.parse(o.from) <= t && t < Date.parse(o.to) && (!o.systems || o.systems.includes(system)));
}

/** The working-time owner of a system: first engineer with the skill; `other` goes to the hospital's 信息科. */
function defaultOwner(bot: BotConfig, system: string): string {
  if (system === 'other') return bot.roster.itContact.userid;
  return engineersFor(bot, system)[0]?.userid ?? bot.roster.backup;
}

function primaryAt(bot: BotConfig, system: string, t: number, period: Period): string {
  const override = activeOverride(bot, system, t);
  if (override) return override.user;
  // Hardware and network (`other`) are the hospital 信息科's, around the clock: the vendor's rotation does not cover them.
  if (system === 'other') return defaultOwner(bot, system);
  const rotation = bot.roster.rotations.find((r) => r.periods.includes(period));
  if (rotation) return rotationUser(rotation, t);
  return defaultOwner(bot, system);
}

function backupFor(bot: BotConfig, system: string, primary: string): string {
  if (bot.roster.backup !== primary) return bot.roster.backup;
  const other = [...engineersFor(bot, system), ...bot.roster.engineers].find((e) => e.userid !== primary);
  return other?.userid ?? primary;
}

function answerAt(bot: BotConfig, system: string, t: number): { primary: string; backup: string } {
  const period = calendarFor(bot).periodOf(new Date(t));
  const primary = primaryAt(bot, system, t, period);
  return { primary, backup: backupFor(bot, system, primary) };
}

/** Instants after `t` where the roster's inputs can change: period boundary, next hand-over, override edges. */
function nextCandidate(bot: BotConfig, t: number): number {
  const candidates = [calendarFor(bot).nextPeriodChange(new Date(t)).getTime()];
  for (const r of bot.roster.rotations) {
    candidates.push(anchorOf(r) + (shiftIndex(r, t) + 1) * r.shiftDays * DAY_MS);
  }
  for (const o of bot.roster.overrides) {
    for (const edge of [Date.parse(o.from), Date.parse(o.to)]) if (edge > t) candidates.push(edge);
  }
  return Math.min(...candidates);
}

/** Who answers for `system` at `at`: override > rotation layer for the period > working-time default. */
export function whoIsOnDuty(bot: BotConfig, system: string, at: Date): OnDuty {
  const start = at.getTime();
  const now = answerAt(bot, system, start);
  let t = start;
  while (t - start < HORIZON_MS) {
    t = nextCandidate(bot, t);
    const next = answerAt(bot, system, t);
    if (next.primary !== now.primary || next.backup !== now.backup) return { ...now, until: new Date(t) };
  }
  return { ...now, until: new Date(start + HORIZON_MS) };
}

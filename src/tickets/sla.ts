/** The ticket side of the SLA module: which targets a lifecycle step starts, stops, pauses or moves. */
import type { BotConfig } from '../config/bots.js';
import { meetTarget, pauseTarget, recomputeForLevel, resumeTarget, startTarget, type Target } from '../sla/policy.js';
import { ACTIVE, type Level, type SlaTargets, type TargetName, type TicketDoc } from './types.js';

/** A target whose clock is running: the ticket is active and not paused, the target started and is unmet. */
export function runningTarget(ticket: TicketDoc, name: TargetName): Target | null {
  const t = ticket.sla?.[name];
  if (!t || t.metAt || t.pausedAt) return null;
  if (!ACTIVE.includes(ticket.status) || ticket.status === 'paused') return null;
  return t;
}

/** A new ticket: the response and resolution clocks start; on-site starts only when dispatched. */
export function initialTargets(bot: BotConfig, level: Level, at: Date): SlaTargets {
  return { response: startTarget(bot, level, 'response', at), onsite: null, resolve: startTarget(bot, level, 'resolve', at) };
}

export function startOnsite(bot: BotConfig, level: Level, at: Date): Target {
  return startTarget(bot, level, 'onsite', at);
}

export function meet(bot: BotConfig, target: Target, at: Date): Target {
  return meetTarget(bot, target, at);
}

/** Targets still running while work waits on someone else: the unmet on-site and resolution clocks. */
const PAUSABLE: TargetName[] = ['onsite', 'resolve'];

export function pauseTargets(sla: SlaTargets, at: Date): Partial<SlaTargets> {
  const out: Partial<SlaTargets> = {};
  for (const name of PAUSABLE) {
    const t = sla[name];
    if (t && !t.metAt) out[name] = pauseTarget(t, at);
  }
  return out;
}

/** Moves each paused deadline by the paused time. */
export function resumeTargets(bot: BotConfig, sla: SlaTargets, at: Date): Partial<SlaTargets> {
  const out: Partial<SlaTargets> = {};
  for (const name of PAUSABLE) {
    const t = sla[name];
    if (t?.pausedAt) out[name] = resumeTarget(bot, t, new Date(t.pausedAt), at);
  }
  return out;
}

/** A level change re-derives every target's deadline from its original start. */
export function retargetForLevel(bot: BotConfig, sla: SlaTargets, level: Level): SlaTargets {
  return {
    response: recomputeForLevel(bot, sla.response, level, 'response'),
    onsite: sla.onsite ? recomputeForLevel(bot, sla.onsite, level, 'onsite') : null,
    resolve: recomputeForLevel(bot, sla.resolve, level, 'resolve'),
  };
}

/** `$set` entries for the targets that changed. */
export function slaSet(changed: Partial<SlaTargets>): Record<string, Target | null> {
  return Object.fromEntries(Object.entries(changed).map(([k, v]) => [`sla.${k}`, v ?? null]));
}

/** Drives fixture steps through the real ticket commands with a ManualClock (the event log is production's). */
import { TicketEventBus } from '../../src/tickets/events.js';
import { ManualClock } from '../../src/clock.js';
import type { BotConfig } from '../../src/config/bots.js';
import { loadBots } from '../../src/config/bots.js';
import {
  arriveOnsite,
  autoCloseTicket,
  cancelTicket,
  changeLevel,
  claimTicket,
  confirmTicket,
  createTicket,
  dispatchOnsite,
  mergeIntoTicket,
  pauseTicket,
  recordBreach,
  rejectResolution,
  resolveTicket,
  resumeTicket,
  transferTicket,
} from '../../src/tickets/commands/index.js';
import type { CommandResult } from '../../src/tickets/types.js';
import { parseInstant } from '../../src/time.js';
import type { Step } from '../fixtures/reports-month-2026-10.js';

export function demoBot(): BotConfig {
  return loadBots('bots', {}).get('demo')!;
}

export const instant = (text: string): Date => parseInstant(text.replace(' ', 'T'))!;

/** Steps in time order (stable: same-minute steps keep their listed order). */
export function inTimeOrder(steps: Step[]): Step[] {
  return steps
    .map((s, i) => ({ s, i, t: instant(s.at).getTime() }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.s);
}

export class FixtureDriver {
  readonly clock = new ManualClock('2026-10-01T00:00:00+08:00');
  /** Reporter of each ticket (confirm / reject act as them). */
  private reporters = new Map<number, { userid: string; name: string }>();
  private queue: Step[];

  constructor(
    readonly bot: BotConfig,
    steps: Step[],
  ) {
    this.queue = inTimeOrder(steps);
  }

  /** Runs every step at or before `until` (all when omitted), then leaves the clock at `until`. */
  async runUntil(until?: string): Promise<void> {
    const limit = until ? new Date(until).getTime() : Number.POSITIVE_INFINITY;
    while (this.queue.length && instant(this.queue[0].at).getTime() <= limit) {
      const step = this.queue.shift()!;
      this.clock.set(instant(step.at));
      const result = await this.run(step);
      if (!result.ok) throw new Error(`fixture step ${step.op} #${step.no} at ${step.at} refused: ${result.code} ${result.message}`);
      if (step.op === 'create' && result.ticket.no !== step.no) throw new Error(`fixture: expected #${step.no}, got #${result.ticket.no}`);
    }
    if (until) this.clock.set(until);
  }

  private run(step: Step): Promise<CommandResult> {
    const ctx = { bot: this.bot, clock: this.clock, events: new TicketEventBus() };
    const actor = (userid: string) => ({ userid });
    switch (step.op) {
      case 'create':
        this.reporters.set(step.no, step.reporter);
        return createTicket(ctx, { system: step.system, level: step.level, title: step.title, reporter: step.reporter });
      case 'claim':
        return claimTicket(ctx, { no: step.no, actor: actor(step.by) });
      case 'dispatch':
        return dispatchOnsite(ctx, { no: step.no, actor: actor(step.by) });
      case 'arrive':
        return arriveOnsite(ctx, { no: step.no, actor: actor(step.by) });
      case 'resume':
        return resumeTicket(ctx, { no: step.no, actor: actor(step.by) });
      case 'resolve':
        return resolveTicket(ctx, { no: step.no, actor: actor(step.by), cause: step.cause, action: step.action, mode: step.mode });
      case 'confirm':
        return confirmTicket(ctx, { no: step.no, actor: this.reporters.get(step.no)!, rating: step.rating ?? null });
      case 'reject':
        return rejectResolution(ctx, { no: step.no, actor: this.reporters.get(step.no)!, reason: step.reason });
      case 'pause':
        return pauseTicket(ctx, { no: step.no, actor: actor(step.by), reason: step.reason });
      case 'transfer':
        return transferTicket(ctx, { no: step.no, actor: actor(step.by), to: step.to });
      case 'breach':
        return recordBreach(ctx, { no: step.no, target: step.target });
      case 'autoClose':
        return autoCloseTicket(ctx, { no: step.no });
      case 'cancel':
        return cancelTicket(ctx, { no: step.no, actor: actor(step.by), reason: step.reason });
      case 'level':
        return changeLevel(ctx, { no: step.no, actor: actor(step.by), level: step.level, reason: step.reason });
      case 'merge':
        return mergeIntoTicket(ctx, { no: step.no, reporter: this.reporters.get(step.child)!, childNo: step.child });
    }
  }
}

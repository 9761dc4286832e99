/** Role and status checks shared by the commands; each returns a polite refusal or null. */
import type { BotConfig } from '../config/bots.js';
import { personName, roleOf } from '../roster/roster.js';
import { clipPoints } from '../bot/presenters/words.js';
import type { RefusalSay } from '../bot/presenters/refusals.js';
import { allows, type TicketCommand } from './lifecycle.js';
import { type PersonRef, type Refusal, type RefusalCode, refuse, type TicketDoc, type TicketStatus } from './types.js';

export { roleOf };

export function personOf(bot: BotConfig, userid: string, name?: string): PersonRef {
  const known = personName(bot, userid);
  return { userid, name: known !== userid ? known : name || userid };
}

export function isEngineer(bot: BotConfig, userid: string): boolean {
  return bot.roster.engineers.some((e) => e.userid === userid);
}

/** Engineers and leads (leads may do what engineers do). */
export function requireStaff(bot: BotConfig, userid: string, what: string): Refusal | null {
  return roleOf(bot, userid) === 'reporter' ? refuse('forbidden', { say: 'staff_only', what }) : null;
}

export function requireLead(bot: BotConfig, userid: string, what: string): Refusal | null {
  return roleOf(bot, userid) === 'lead' ? null : refuse('forbidden', { say: 'lead_only', what });
}

/** The assignee works the ticket; a lead may step in. */
export function requireAssignee(bot: BotConfig, t: TicketDoc, userid: string, what: string): Refusal | null {
  const staff = requireStaff(bot, userid, what);
  if (staff) return staff;
  if (roleOf(bot, userid) === 'lead' || t.assignee?.userid === userid) return null;
  if (!t.assignee) return refuse('not_claimed', { say: 'not_claimed', no: t.no });
  return refuse('not_assignee', { say: 'not_assignee', no: t.no, name: t.assignee.name });
}

/** The reporter (or anyone who reported the same fault) confirms; a lead may confirm for them. */
export function requireReporter(bot: BotConfig, t: TicketDoc, userid: string, what: string): Refusal | null {
  if (roleOf(bot, userid) === 'lead') return null;
  if (t.reporter.userid === userid || t.subscribers.some((s) => s.userid === userid)) return null;
  return refuse('forbidden', { say: 'reporter_only', no: t.no, what });
}

/**
 * Refuses when the lifecycle table (lifecycle.ts) does not let `command` change the ticket now, or when the ticket
 * is outside `narrower` statuses of that row: "#5 已关闭，不能挂起". `what` names the action and may carry a hint.
 */
export function requireStatus(t: TicketDoc, command: TicketCommand, what: string, narrower?: readonly TicketStatus[]): Refusal | null {
  if (allows(command, t.status) && (!narrower || narrower.includes(t.status))) return null;
  return statusRefusal(t, what);
}

/** "#5 已关闭，不能<what>[，请先「<first> 5」]": the refusal for a status the action does not apply to. */
export function statusRefusal(t: TicketDoc, what: string, first?: string): Refusal {
  return refuse('bad_status', { say: 'status', no: t.no, status: t.status, what, first });
}

/**
 * A job scheduled for one resolution finds the ticket resolved again since (reopened, then resolved anew): it does
 * nothing (`stale`), the later resolution's own jobs will. `resolvedAt` omitted = any resolution.
 */
export function requireSameResolution(t: TicketDoc, resolvedAt: Date | string | undefined): Refusal | null {
  if (!resolvedAt || t.resolvedAt?.getTime() === new Date(resolvedAt).getTime()) return null;
  return refuse('stale', { say: 'stale', no: t.no });
}

/** Refuses with `say` when `text` is missing or blank. */
export function requireText(text: string | undefined | null, code: RefusalCode, say: RefusalSay): Refusal | null {
  return text?.trim() ? null : refuse(code, say);
}

/**
 * Keeps stored free text bounded (a chat message is at most 2048 bytes anyway): at most `max` code points, cut
 * between characters, so an emoji at the limit is kept or dropped whole, never cut into U+FFFD.
 */
export function clip(text: string, max = 1000): string {
  return clipPoints(text.trim(), max);
}

/** The first refusal among checks run in order. */
export function firstRefusal(...checks: Array<() => Refusal | null>): Refusal | null {
  for (const c of checks) {
    const r = c();
    if (r) return r;
  }
  return null;
}

/**
 * Escalation: what to do when a step of a running SLA target comes due. Everything is re-derived from the
 * ticket as stored at that moment, so a late, repeated or stale job does the right thing or nothing:
 * - a target that is met, paused or on a finished ticket does nothing;
 * - steps already carried out are listed on the target (`escalated`), written with the ticket's version
 *   precondition together with a `reminded` event, so a step is recorded once;
 * - notifications go through the outbox with an idempotency key per (ticket, target, step, instant), sent
 *   before the step is recorded, so a crash in between re-sends into the same key (deduplicated);
 * - when several steps are overdue at once (downtime, a tighter level) only the latest one speaks.
 */
import type { BotConfig } from '../config/bots.js';
import type { Clock } from '../clock.js';
import { log } from '../log.js';
import { whoIsOnDuty } from '../roster/roster.js';
import { recordBreach } from '../tickets/commands/record-breach.js';
import { recordEscalation } from '../tickets/commands/record-escalation.js';
import type { TicketEventBus } from '../tickets/events.js';
import { getTicket } from '../tickets/queries.js';
import { runningTarget } from '../tickets/sla.js';
import type { TicketDoc } from '../tickets/types.js';
import { type OutboundContent, ticketTopic } from '../wecom/types.js';
import type { TargetName } from './config.js';
import { escalationNotice, withMentions } from '../bot/presenters/escalation.js';
import { groupContent } from '../bot/presenters/people.js';
import { type PlannedStep, planSteps, type Recipient, type Target } from './policy.js';

/** The sending side escalation needs; the WeCom Messenger satisfies it. */
export interface EscalationNotifier {
  toUsers(bot: string, userids: string[], content: OutboundContent, opts?: { idempotencyKey?: string }): Promise<unknown>;
  toGroup(bot: string, content: OutboundContent, opts?: { idempotencyKey?: string; topic?: string }): Promise<unknown>;
}

export interface EscalationDeps {
  bots: Map<string, BotConfig>;
  clock: Clock;
  notify: EscalationNotifier;
  /** The service's ticket-event processors (escalation steps and breaches are ticket changes). */
  events: TicketEventBus;
}

export const TARGET_NAMES: readonly TargetName[] = ['response', 'onsite', 'resolve'];

export interface TargetKey {
  bot: string;
  no: number;
  target: TargetName;
}

export interface EscalationOutcome {
  /** The step that spoke, if any. */
  fired: PlannedStep | null;
  /** Steps recorded as done by this run (the fired one and any it superseded). */
  done: string[];
  breached: boolean;
  /** The next pending step of the target, if the target keeps running. */
  next: PlannedStep | null;
}

const NOTHING: EscalationOutcome = { fired: null, done: [], breached: false, next: null };

/** The first step of a running target not yet carried out (possibly already due). */
export function nextPendingStep(bot: BotConfig, ticket: TicketDoc, name: TargetName): PlannedStep | null {
  const t = runningTarget(ticket, name);
  if (!t) return null;
  const done = new Set(t.escalated ?? []);
  return planSteps(bot, t).find((s) => !done.has(s.key)) ?? null;
}

/** Carries out whatever is due for one target at `now`, once. */
export async function escalateTarget(deps: EscalationDeps, key: TargetKey, now: Date): Promise<EscalationOutcome> {
  const bot = deps.bots.get(key.bot);
  if (!bot) return NOTHING;
  const ticket = await getTicket(key.bot, key.no);
  if (!ticket) return NOTHING;
  const target = runningTarget(ticket, key.target);
  if (!target) return NOTHING;
  const done = new Set(target.escalated ?? []);
  const plan = planSteps(bot, target);
  const due = plan.filter((s) => !done.has(s.key) && s.at.getTime() <= now.getTime());
  const next = plan.find((s) => !done.has(s.key) && s.at.getTime() > now.getTime()) ?? null;
  if (due.length === 0) return { ...NOTHING, next };

  const step = due[due.length - 1];
  const ctx = { bot, clock: deps.clock, events: deps.events };
  let breached = false;
  if (due.some((s) => s.breach) && !target.breachedAt) {
    const r = await recordBreach(ctx, { no: key.no, target: key.target });
    breached = r.ok;
  }
  const sent = await notifyStep(deps, bot, ticket, key.target, target, step, due, now);
  const keys = due.map((s) => s.key);
  const recorded = await recordEscalation(ctx, { no: key.no, target: key.target, steps: keys, to: sent.users, group: sent.group });
  log.info(
    { bot: key.bot, no: key.no, target: key.target, step: step.key, recipients: sent.users.length, recorded: recorded.ok, breached },
    'sla escalation step',
  );
  return { fired: step, done: keys, breached, next };
}

/** Who a step's recipients are right now: the assignee (or the on-duty primary while unclaimed), backup, leads. */
export function resolveRecipients(bot: BotConfig, ticket: TicketDoc, notify: Recipient[], now: Date): { users: string[]; group: boolean } {
  const duty = whoIsOnDuty(bot, ticket.system, now);
  const users: string[] = [];
  for (const r of notify) {
    if (r === 'assignee') users.push(ticket.assignee?.userid ?? duty.primary);
    else if (r === 'primary') users.push(duty.primary);
    else if (r === 'backup') users.push(duty.backup);
    else if (r === 'leads') users.push(...bot.roster.leads.map((l) => l.userid));
  }
  return { users: [...new Set(users)], group: notify.includes('group') };
}

/**
 * Sends the step that speaks. Its recipients are those of every step due now, not only its own: when a jump of
 * the clock, downtime or a tighter level makes the 75 % and the breach step due together, the backup (75 %) is
 * still told, once, with the breach text. Leads get their own wording (actions they can take: 进度, 转派; never 接单).
 */
async function notifyStep(
  deps: EscalationDeps,
  bot: BotConfig,
  ticket: TicketDoc,
  name: TargetName,
  target: Target,
  step: PlannedStep,
  due: PlannedStep[],
  now: Date,
): Promise<{ users: string[]; group: boolean }> {
  const { users, group } = resolveRecipients(bot, ticket, [...new Set(due.flatMap((s) => s.notify))], now);
  const moment = { ticket, name, target, step };
  const content = escalationNotice(bot, moment, now);
  const idem = `sla:${bot.id}:${ticket.no}:${name}:${step.key}:${step.at.getTime()}`;
  // A lead who is also the one being chased (the assignee, the on-duty primary) gets the engineer's text.
  const chased = new Set([ticket.assignee?.userid ?? whoIsOnDuty(bot, ticket.system, now).primary]);
  const leads = new Set(bot.roster.leads.map((l) => l.userid).filter((u) => !chased.has(u)));
  const staff = users.filter((u) => !leads.has(u));
  const toLeads = users.filter((u) => leads.has(u));
  let sentToGroup = false;
  if (staff.length) await deps.notify.toUsers(bot.id, staff, content, { idempotencyKey: `${idem}:users` });
  if (toLeads.length)
    await deps.notify.toUsers(bot.id, toLeads, escalationNotice(bot, moment, now, 'lead'), { idempotencyKey: `${idem}:leads` });
  if (group) sentToGroup = await toGroupSafely(deps, bot, withMentions(content, [...chased]), `${idem}:group`, ticket.no);
  return { users, group: sentToGroup };
}

/** A bot without a group webhook still escalates to people; the group part is skipped and logged. */
async function toGroupSafely(
  deps: EscalationDeps,
  bot: BotConfig,
  content: OutboundContent,
  idempotencyKey: string,
  no: number,
): Promise<boolean> {
  if (!bot.wecom.webhookKey) {
    log.warn({ bot: bot.id, no }, 'sla: no group webhook configured, group notice skipped');
    return false;
  }
  await deps.notify.toGroup(bot.id, groupContent(bot, content), { idempotencyKey, topic: ticketTopic(bot.id, no) });
  return true;
}

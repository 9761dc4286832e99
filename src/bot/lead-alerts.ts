/**
 * Lead alerts (issue #17): app messages to the leads (`roster.leads`) when something needs their attention, as
 * data — a table of ticket event → alert, in the spirit of Grafana OnCall's alert routes. Each row names the event
 * type it listens to, when it applies, and optionally a key that makes it once per something other than the event
 * (an incident's growth threshold). The SLA breach itself is sent by escalation (src/sla/escalation.ts, the bot
 * file's `escalation.steps` with `leads`), in the leads' own wording.
 *
 * Exactly once: ticket events are delivered at least once (the repair sweep re-delivers after a crash), so every
 * message goes through the outbox with a key derived from the event (`lead:<bot>:<no>:<seq>:<kind>:<lead>`, or the
 * row's own key), which the outbox stores uniquely; a re-delivered event enqueues nothing new.
 */
import type { BotConfig } from '../config/bots.js';
import { whoIsOnDuty } from '../roster/roster.js';
import type { TicketEventNotice, TicketEventProcessor } from '../tickets/events.js';
import type { EventType, TicketDoc, TicketEventRecord } from '../tickets/types.js';
import { type Messenger, type OutboundContent, ticketTopic } from '../wecom/types.js';
import { firstResponder } from './notifier.js';
import { claimedAfterBreachGroupNote, type LeadAlertKind, leadAlertText } from './presenters/lead-alerts.js';
import { groupContent } from './presenters/people.js';

/** One row of the table: on `on` events for which `when` holds, the leads get `kind`. */
export interface LeadAlertRule {
  kind: LeadAlertKind;
  on: EventType;
  /** Whether the event calls for the alert; a number = the threshold it crossed (incident growth). */
  when(bot: BotConfig, t: TicketDoc, e: TicketEventRecord): boolean | number;
  /** Also a note to the group (webhook), once per event: its content (a presenter). */
  group?(bot: BotConfig, t: TicketDoc, now: Date): OutboundContent;
}

/** A report that stands for itself: not an incident, not linked to one, not passed to the 信息科. */
const ownTicket = (t: TicketDoc) => t.kind !== 'incident' && t.parentNo == null && t.status !== 'linked' && t.status !== 'referred';

/**
 * The largest of `incidents.growthAlerts` an incident's reporter count has reached, when a newly counted reporter
 * joins. Keyed by that threshold, so each is sent once however the count moves (拆分, re-delivered events read
 * the ticket as it is now).
 */
export function grownPast(bot: BotConfig, t: TicketDoc, e: TicketEventRecord): number | false {
  if (t.kind !== 'incident' || e.type !== 'merged' || !('counted' in e) || !e.counted) return false;
  const reached = bot.incidents.growthAlerts.filter((n) => n <= t.reporterCount);
  return reached.length ? Math.max(...reached) : false;
}

/** The table: event → lead alert. */
export const LEAD_ALERTS: readonly LeadAlertRule[] = [
  { kind: 'level1_opened', on: 'created', when: (_b, t) => t.level === 1 && ownTicket(t) },
  { kind: 'incident_declared', on: 'created', when: (_b, t) => t.kind === 'incident' },
  { kind: 'raised_to_level1', on: 'level_changed', when: (_b, _t, e) => e.type === 'level_changed' && e.to === 1 && e.from !== 1 },
  { kind: 'incident_grown', on: 'merged', when: grownPast },
  { kind: 'level1_paused', on: 'paused', when: (_b, t) => t.level === 1 },
  // 未解决 after a resolution: the ticket is reopened (or, for a report of an incident, becomes its own ticket).
  { kind: 'reopened', on: 'rejected', when: () => true },
  { kind: 'low_rating', on: 'confirmed', when: (_b, _t, e) => e.type === 'confirmed' && typeof e.rating === 'number' && e.rating <= 2 },
  {
    kind: 'claimed_after_breach',
    on: 'claimed',
    when: (_b, t) => Boolean(t.sla?.response?.breachedAt),
    group: claimedAfterBreachGroupNote,
  },
];

export interface LeadAlertDeps {
  /** Read on each send: the channel is another feature of the service. */
  readonly messenger: Messenger;
}

/**
 * The processor that sends the table's alerts. A lead who caused the event (a lead's own 改级) is not told about
 * it. Keys: per event and lead, or per incident growth threshold and lead (a count that falls with 拆分 and rises
 * again does not alert twice).
 */
export function createLeadAlertProcessor(deps: LeadAlertDeps, rules: readonly LeadAlertRule[] = LEAD_ALERTS): TicketEventProcessor {
  const types = [...new Set(rules.map((r) => r.on))];
  async function on({ bot, ticket: t, event: e }: TicketEventNotice): Promise<void> {
    for (const rule of rules) {
      if (rule.on !== e.type) continue;
      const hit = rule.when(bot, t, e);
      if (hit === false) continue;
      const threshold = typeof hit === 'number' ? hit : undefined;
      const primary = t.kind === 'incident' ? whoIsOnDuty(bot, t.system, t.createdAt).primary : firstResponder(bot, t.system, t.createdAt);
      const text = leadAlertText(rule.kind, { bot, ticket: t, event: e, primary, threshold });
      const base =
        threshold !== undefined ? `lead:${bot.id}:${t.no}:${rule.kind}:${threshold}` : `lead:${bot.id}:${t.no}:${e.seq}:${rule.kind}`;
      for (const lead of bot.roster.leads.map((l) => l.userid)) {
        if (lead === e.actor) continue;
        await deps.messenger.toUsers(bot.id, [lead], { type: 'text', text }, { idempotencyKey: `${base}:${lead}` });
      }
      if (rule.group && bot.wecom.webhookKey)
        await deps.messenger.toGroup(bot.id, groupContent(bot, rule.group(bot, t, e.at)), {
          idempotencyKey: `${base}:group`,
          topic: ticketTopic(bot.id, t.no),
        });
    }
  }
  return { name: 'lead-alerts', applicableEvents: types, on };
}

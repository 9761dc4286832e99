import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import type { Directory } from '../people/directory.js';
import { whoIsOnDuty } from '../roster/roster.js';
import type { TicketEventNotice } from '../tickets/events.js';
import type { TicketDoc, TicketEventRecord } from '../tickets/types.js';
import { type Messenger, type OutboundContent, ticketTopic } from '../wecom/types.js';
import { claimCard, taskIdOf } from './presenters/cards.js';
import { newTicketGroupNote } from './presenters/escalation.js';
import { noticesFor, resolvedAsk } from './presenters/notices.js';
import {
  incidentBackupPage,
  incidentGroupPost,
  linkedNotice,
  referralNotice,
  splitHeadline,
  supplementedHeadline,
} from './presenters/incidents.js';
import { groupContent } from './presenters/people.js';

/**
 * Who is pinged for a new ticket: the on-duty primary for the system; `other` (hardware, network, printers)
 * is outside the vendor's contract and goes to the hospital's 信息科 contact.
 */
export function firstResponder(bot: BotConfig, system: string, at: Date): string {
  if (system === 'other') return bot.roster.itContact.userid;
  return whoIsOnDuty(bot, system, at).primary;
}

export interface NotifierDeps {
  /** Read on each send: the channel is another feature of the service. */
  readonly messenger: Messenger;
  /** Asks the reporter to confirm a resolution (starts the confirm conversation); false if not possible now. */
  askToConfirm?(bot: BotConfig, ticket: TicketDoc): Promise<boolean>;
  /** People's names (the WeCom feature's directory); absent = the bot file's names. */
  readonly directory?: Directory;
}

/** Outbox key: one message per (ticket, event, recipient), however often the event is delivered. */
const keyOf = (e: TicketEventRecord, to: string) => `ticket:${e.bot}:${e.no}:${e.seq}:${to}`;

/**
 * Turns committed ticket events into messages, for every path that changes a ticket (chat, card button,
 * flows, jobs): the new ticket to whoever must act (card + group mention), and each step to the reporter,
 * everyone who reported the same fault and the assignee, once each (texts from presenters/notices.ts).
 */
export function createNotifier(deps: NotifierDeps) {
  async function send(bot: BotConfig, e: TicketEventRecord, to: string[], content: OutboundContent): Promise<void> {
    for (const u of to) await deps.messenger.toUsers(bot.id, [u], content, { idempotencyKey: keyOf(e, u) });
  }

  async function pingResponder(bot: BotConfig, t: TicketDoc, e: TicketEventRecord, headline?: string): Promise<void> {
    const to = firstResponder(bot, t.system, t.createdAt);
    const card = claimCard(bot, t, taskIdOf(bot.id, t.no, e.seq));
    await deps.messenger.toUsers(bot.id, [to], { type: 'card', card }, { idempotencyKey: keyOf(e, to) });
    if (!bot.wecom.webhookKey) return;
    await deps.messenger.toGroup(bot.id, groupContent(bot, newTicketGroupNote(bot, t, to, headline)), {
      idempotencyKey: keyOf(e, 'group'),
      topic: ticketTopic(bot.id, t.no),
    });
  }

  /**
   * A declared incident: the on-duty primary gets the claim card, the backup a page (with the count of reporters and
   * departments), and the group one post asking not to report again; the leads' alert is in lead-alerts.ts.
   */
  async function pageIncident(bot: BotConfig, t: TicketDoc, e: TicketEventRecord): Promise<void> {
    const duty = whoIsOnDuty(bot, t.system, t.createdAt);
    const card = claimCard(bot, t, taskIdOf(bot.id, t.no, e.seq));
    await deps.messenger.toUsers(bot.id, [duty.primary], { type: 'card', card }, { idempotencyKey: keyOf(e, duty.primary) });
    if (duty.backup && duty.backup !== duty.primary) {
      await send(bot, e, [duty.backup], { type: 'text', text: incidentBackupPage(bot, t, duty.primary) });
    }
    // The leads' alert is a row of the lead-alert table (lead-alerts.ts).
    if (!bot.wecom.webhookKey) return;
    const md = incidentGroupPost(bot, t, duty.primary);
    await deps.messenger.toGroup(bot.id, groupContent(bot, { type: 'markdown', markdown: md }), {
      idempotencyKey: keyOf(e, 'group'),
      topic: ticketTopic(bot.id, t.no),
    });
  }

  async function onEvent({ bot, ticket: t, event: e }: TicketEventNotice): Promise<void> {
    const incident = t.kind === 'incident';
    // Everyone these messages may name or address, resolved once before any sentence is built.
    await deps.directory?.warm(bot, [t.reporter.userid, t.assignee?.userid, e.actor, ...(t.subscribers ?? []).map((s) => s.userid)]);
    switch (e.type) {
      case 'created':
        if (incident) await pageIncident(bot, t, e);
        else if (t.parentNo == null && t.status !== 'referred') await pingResponder(bot, t, e);
        return;
      case 'referred': {
        // Out of the vendor's scope: the 信息科 contact gets the report as a plain message (not a vendor claim card).
        const to = e.to.userid || bot.roster.itContact.userid;
        await send(bot, e, [to], { type: 'text', text: referralNotice(bot, t) });
        return;
      }
      case 'unlinked':
        // 拆分 (or a linked reporter saying it is not fixed): the report is a ticket of its own now.
        if ('from' in e && t.status === 'open') await pingResponder(bot, t, e, splitHeadline(e.from));
        return;
      case 'merged':
        // The incident side is silent (engineers were paged once); a report linked afterwards tells its reporter.
        if ('into' in e && !incident) {
          const text = linkedNotice(t, e.into);
          await send(
            bot,
            e,
            [t.reporter.userid].filter((u) => u !== e.actor),
            { type: 'text', text },
          );
        }
        return;
      case 'progress': {
        if (e.kind === 'note') break;
        if (e.fields.system && t.status === 'open') {
          await pingResponder(bot, t, e, supplementedHeadline(bot, e.fields.system));
          return;
        }
        return; // the reporter's own additions: engineers see them on the ticket
      }
      case 'resolved':
        // Each linked report is resolved with the incident and tells its own reporter (incidents.ts).
        if (incident) return;
        return onResolved(bot, t, e);
      case 'closed':
        if (incident) return;
        break;
      case 'cancelled':
        if (t.parentNo != null) return; // merged duplicates leave quietly: the parent tells the story
        break;
    }
    for (const n of noticesFor(bot, t, e)) await send(bot, e, n.userids, { type: 'text', text: n.text });
  }

  async function onResolved(bot: BotConfig, t: TicketDoc, e: TicketEventRecord): Promise<void> {
    const asked = deps.askToConfirm ? await deps.askToConfirm(bot, t) : false;
    await deps.messenger.toUsers(
      bot.id,
      [t.reporter.userid],
      { type: 'text', text: resolvedAsk(bot, t, asked) },
      { idempotencyKey: keyOf(e, t.reporter.userid) },
    );
    for (const n of noticesFor(bot, t, e)) {
      const others = n.userids.filter((u) => u !== t.reporter.userid);
      await send(bot, e, others, { type: 'text', text: n.text });
    }
  }

  return async (notice: TicketEventNotice): Promise<void> => {
    try {
      await onEvent(notice);
    } catch (err) {
      log.error({ bot: notice.bot.id, no: notice.ticket.no, seq: notice.event.seq, err: (err as Error).message }, 'notify failed');
      throw err;
    }
  };
}

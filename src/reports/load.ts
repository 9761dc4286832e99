/** Reads tickets and their events through the ticket read API (tickets/queries.ts) and folds them into timelines. */
import { activeOrChangedSince, eventsOfTickets, ticketsCreatedBetween } from '../tickets/queries.js';
import type { TicketDoc } from '../tickets/types.js';
import { foldTimeline, type ReportEvent, type Timeline } from './timeline.js';

/** A ticket with its full event log: the log plus events still in the ticket's outbox (see tickets/apply.ts). */
export interface TicketRecord {
  ticket: TicketDoc;
  events: ReportEvent[];
  timeline: Timeline;
}

/** Tickets with their events; events after `asOf` are left out, so a past instant reads as it was then. */
export async function recordsFor(bot: string, tickets: TicketDoc[], asOf?: Date): Promise<TicketRecord[]> {
  const events = await eventsOfTickets(bot, tickets, asOf);
  return tickets
    .sort((a, b) => a.no - b.no)
    .map((ticket) => {
      const all = events.get(ticket.no) ?? [];
      return { ticket, events: all, timeline: foldTimeline(ticket, all) };
    });
}

/** Tickets created in [start, end), as of `asOf`. */
export async function loadCreatedBetween(bot: string, start: Date, end: Date, asOf?: Date): Promise<TicketRecord[]> {
  const tickets = await ticketsCreatedBetween(bot, start, end);
  return recordsFor(
    bot,
    tickets.filter((t) => !asOf || t.createdAt.getTime() <= asOf.getTime()),
    asOf,
  );
}

/**
 * What the digest at `now` needs: every ticket created before now that is still active, or changed since
 * `start` (created, resolved, closed, breached …). Events after `now` are ignored.
 */
export async function loadForDigest(bot: string, start: Date, now: Date): Promise<TicketRecord[]> {
  return recordsFor(bot, await activeOrChangedSince(bot, start, now), now);
}

/** Reads tickets and their events from the database and folds them into timelines. */
import { Ticket, TicketEvent } from '../tickets/model.js';
import { ACTIVE, type TicketDoc, type TicketEventRecord } from '../tickets/types.js';
import { foldTimeline, type ReportEvent, type Timeline } from './timeline.js';

/** A ticket with its full event log: the log plus events still in the ticket's outbox (see tickets/apply.ts). */
export interface TicketRecord {
  ticket: TicketDoc;
  events: ReportEvent[];
  timeline: Timeline;
}

const BATCH = 500;

async function eventsFor(bot: string, nos: number[]): Promise<Map<number, ReportEvent[]>> {
  const byNo = new Map<number, ReportEvent[]>();
  for (let i = 0; i < nos.length; i += BATCH) {
    const chunk = nos.slice(i, i + BATCH);
    const rows = await TicketEvent.find({ bot, no: { $in: chunk } }).lean<TicketEventRecord[]>();
    for (const e of rows) {
      const list = byNo.get(e.no) ?? [];
      list.push(e as ReportEvent);
      byNo.set(e.no, list);
    }
  }
  return byNo;
}

function withPending(ticket: TicketDoc, logged: ReportEvent[]): ReportEvent[] {
  const seen = new Set(logged.map((e) => e.seq));
  const pending = (ticket.pending ?? []).filter((e) => !seen.has(e.seq)).map(({ writtenAt: _w, ...e }) => e as ReportEvent);
  return [...logged, ...pending];
}

/** Tickets with their events; events after `asOf` are left out, so a past instant reads as it was then. */
export async function recordsFor(bot: string, tickets: TicketDoc[], asOf?: Date): Promise<TicketRecord[]> {
  const events = await eventsFor(
    bot,
    tickets.map((t) => t.no),
  );
  return tickets
    .sort((a, b) => a.no - b.no)
    .map((ticket) => {
      const all = withPending(ticket, events.get(ticket.no) ?? []).filter((e) => !asOf || e.at.getTime() <= asOf.getTime());
      return { ticket, events: all, timeline: foldTimeline(ticket, all) };
    });
}

/** Tickets created in [start, end), as of `asOf`. */
export async function loadCreatedBetween(bot: string, start: Date, end: Date, asOf?: Date): Promise<TicketRecord[]> {
  const tickets = await Ticket.find({ bot, createdAt: { $gte: start, $lt: end } }).lean<TicketDoc[]>();
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
  const tickets = await Ticket.find({
    bot,
    createdAt: { $lte: now },
    $or: [{ status: { $in: [...ACTIVE] } }, { updatedAt: { $gte: start } }],
  }).lean<TicketDoc[]>();
  return recordsFor(bot, tickets, now);
}

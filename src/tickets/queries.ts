import type { QueryFilter } from 'mongoose';
import { Ticket, TicketEvent } from './model.js';
import { presentTicketWithEvents, type TicketWithEvents } from './presenter.js';
import {
  ACTIVE,
  type Level,
  type StoredTicketEvent,
  type TicketDoc,
  type TicketEventRecord,
  type TicketStatus,
  upgradeEvent,
} from './types.js';

export async function getTicket(bot: string, no: number): Promise<TicketDoc | null> {
  return Ticket.findOne({ bot, no }).lean<TicketDoc>();
}

/** The ticket a message opened (`source`, e.g. `inbox:<id>`), if any. */
export async function ticketOpenedBy(source: string): Promise<TicketDoc | null> {
  return Ticket.findOne({ source }).lean<TicketDoc>();
}

/**
 * Active tickets of the given bots, streamed (SLA reconciliation); with `since`, only those changed since then.
 */
export async function* activeTickets(bots: readonly string[], since?: Date): AsyncGenerator<TicketDoc> {
  const query: QueryFilter<TicketDoc> = { bot: { $in: [...bots] }, status: { $in: [...ACTIVE] } };
  if (since) query.updatedAt = { $gte: since };
  yield* Ticket.find(query, { pending: 0 }).lean<TicketDoc>().cursor();
}

/** The log in order, including events of a change whose copy to the log is still in flight (see apply.ts). */
export async function listEvents(bot: string, no: number, ticket?: TicketDoc | null): Promise<TicketEventRecord[]> {
  const [logged, doc] = await Promise.all([
    TicketEvent.find({ bot, no }, { _id: 0 }).sort({ seq: 1 }).lean<StoredTicketEvent[]>(),
    ticket === undefined ? getTicket(bot, no) : Promise.resolve(ticket),
  ]);
  return withPending(doc, logged);
}

/**
 * A ticket's log: the stored events plus those still in its outbox (committed with the ticket, not yet copied to
 * the log, see apply.ts), each once, in seq order, in today's shapes (upgradeEvent).
 */
export function withPending(ticket: Pick<TicketDoc, 'pending'> | null, logged: readonly StoredTicketEvent[]): TicketEventRecord[] {
  const seen = new Set(logged.map((e) => e.seq));
  const pending = (ticket?.pending ?? []).filter((e) => !seen.has(e.seq));
  return [...logged, ...pending].map(upgradeEvent).sort((a, b) => a.seq - b.seq);
}

const EVENT_BATCH = 500;

/**
 * The logs of many tickets of one bot at once (reports): each ticket's events with its pending ones merged, in seq
 * order, keyed by ticket number; `asOf` leaves out events after that instant, so a past moment reads as it was.
 */
export async function eventsOfTickets(bot: string, tickets: readonly TicketDoc[], asOf?: Date): Promise<Map<number, TicketEventRecord[]>> {
  const logged = new Map<number, StoredTicketEvent[]>();
  const nos = tickets.map((t) => t.no);
  for (let i = 0; i < nos.length; i += EVENT_BATCH) {
    const rows = await TicketEvent.find({ bot, no: { $in: nos.slice(i, i + EVENT_BATCH) } }, { _id: 0 }).lean<StoredTicketEvent[]>();
    for (const e of rows) logged.set(e.no, [...(logged.get(e.no) ?? []), e]);
  }
  const out = new Map<number, TicketEventRecord[]>();
  for (const t of tickets) {
    const all = withPending(t, logged.get(t.no) ?? []);
    out.set(t.no, asOf ? all.filter((e) => e.at.getTime() <= asOf.getTime()) : all);
  }
  return out;
}

/** Tickets of a bot created in [from, to) (a month or any period), outbox included for eventsOfTickets. */
export function ticketsCreatedBetween(bot: string, from: Date, to: Date): Promise<TicketDoc[]> {
  return Ticket.find({ bot, createdAt: { $gte: from, $lt: to } }).lean<TicketDoc[]>();
}

/** Tickets created by `now` that are still active or changed since `since` (what a digest at `now` looks at). */
export function activeOrChangedSince(bot: string, since: Date, now: Date): Promise<TicketDoc[]> {
  return Ticket.find({
    bot,
    createdAt: { $lte: now },
    $or: [{ status: { $in: [...ACTIVE] } }, { updatedAt: { $gte: since } }],
  }).lean<TicketDoc[]>();
}

export async function getTicketWithEvents(bot: string, no: number): Promise<TicketWithEvents | null> {
  const ticket = await getTicket(bot, no);
  if (!ticket) return null;
  return presentTicketWithEvents(ticket, await listEvents(bot, no, ticket));
}

export interface TicketFilter {
  bot?: string;
  status?: TicketStatus[];
  level?: Level[];
  system?: string[];
  /** createdAt ≥ from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
  /** Text in title, description, reporter name or department; a number also matches the ticket number. */
  q?: string;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function filterQuery(f: TicketFilter): QueryFilter<TicketDoc> {
  const q: Record<string, unknown> = {};
  if (f.bot) q.bot = f.bot;
  if (f.status?.length) q.status = { $in: f.status };
  if (f.level?.length) q.level = { $in: f.level };
  if (f.system?.length) q.system = { $in: f.system };
  if (f.from || f.to) q.createdAt = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
  const text = f.q?.trim();
  if (text) {
    const re = { $regex: escapeRegex(text), $options: 'i' };
    const or: Record<string, unknown>[] = [{ title: re }, { description: re }, { 'reporter.name': re }, { 'reporter.department': re }];
    const num = /^[#＃]?(\d{1,9})号?$/.exec(text);
    if (num) or.push({ no: Number(num[1]) });
    q.$or = or;
  }
  return q as QueryFilter<TicketDoc>;
}

/** A page of tickets, newest first. */
export async function findTickets(f: TicketFilter, page: number, limit: number): Promise<{ items: TicketDoc[]; total: number }> {
  const query = filterQuery(f);
  const [items, total] = await Promise.all([
    Ticket.find(query, { pending: 0 })
      .sort({ createdAt: -1, bot: 1, no: -1 })
      .skip((page - 1) * limit)
      .limit(limit)
      .lean<TicketDoc[]>(),
    Ticket.countDocuments(query),
  ]);
  return { items, total };
}

/** Every matching ticket in number order, streamed (exports). */
export function ticketCursor(f: TicketFilter) {
  return Ticket.find(filterQuery(f), { pending: 0 }).sort({ bot: 1, no: 1 }).lean<TicketDoc>().cursor();
}

/**
 * The filter for the tickets a person reported, subscribed to or is assigned. An incident is listed to whoever
 * works it; its reporters see their own linked reports instead.
 */
function ticketsOfPerson(bot: string, userid: string): Record<string, unknown> {
  return {
    bot,
    $or: [
      { 'reporter.userid': userid, kind: { $ne: 'incident' } },
      { 'assignee.userid': userid },
      { 'subscribers.userid': userid, kind: { $ne: 'incident' } },
    ],
  };
}

/** Tickets a person reported, subscribed to or is assigned, unfinished first. */
export async function ticketsOf(bot: string, userid: string, limit = 10): Promise<TicketDoc[]> {
  const mine = ticketsOfPerson(bot, userid);
  const active = await Ticket.find({ ...mine, status: { $in: [...ACTIVE, 'resolved', 'linked'] } }, { pending: 0 })
    .sort({ no: -1 })
    .limit(limit)
    .lean<TicketDoc[]>();
  if (active.length >= limit) return active;
  const done = await Ticket.find({ ...mine, status: { $in: ['closed', 'cancelled', 'referred'] } }, { pending: 0 })
    .sort({ no: -1 })
    .limit(limit - active.length)
    .lean<TicketDoc[]>();
  return [...active, ...done];
}

/** Unclaimed tickets, most urgent (lowest level number) first, then the earliest response deadline. */
export async function unclaimedTickets(bot: string, limit = 20): Promise<{ items: TicketDoc[]; total: number }> {
  const query: QueryFilter<TicketDoc> = { bot, status: 'open' };
  const [items, total] = await Promise.all([
    Ticket.find(query, { pending: 0 }).sort({ level: 1, 'sla.response.dueAt': 1, no: 1 }).limit(limit).lean<TicketDoc[]>(),
    Ticket.countDocuments(query),
  ]);
  return { items, total };
}

/**
 * Reports passed to the hospital's 信息科 (status `referred`, out of the vendor's scope) created in [from, to), oldest
 * first: what the 转信息科 sheet lists and the vendor's figures leave out.
 */
export async function referralsOf(bot: string, from: Date, to: Date): Promise<TicketDoc[]> {
  return Ticket.find({ bot, status: 'referred', createdAt: { $gte: from, $lt: to } }, { pending: 0 })
    .sort({ createdAt: 1 })
    .lean<TicketDoc[]>();
}

/** The deadline a ticket is working against now: response while open, on-site while dispatched, else resolve. */
export function runningDueAt(t: TicketDoc): Date | null {
  if (t.status === 'open') return t.sla.response.dueAt;
  if (t.status === 'onsite_dispatched' && t.sla.onsite) return t.sla.onsite.dueAt;
  if (t.status === 'resolved' || t.status === 'paused') return null;
  return t.sla.resolve.dueAt;
}

/** Level first (一级 before 四级), then the running deadline (none last), then the number. */
export function byLevelThenDeadline(a: TicketDoc, b: TicketDoc): number {
  const due = (t: TicketDoc) => runningDueAt(t)?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return a.level - b.level || due(a) - due(b) || a.no - b.no;
}

/**
 * 我的工单: the unfinished tickets (open … resolved, never closed or cancelled) a person reported, subscribed
 * to or is assigned, by level then running deadline; `total` counts them all, `items` holds at most `limit`.
 */
export async function unfinishedTicketsOf(bot: string, userid: string, limit = 10): Promise<{ items: TicketDoc[]; total: number }> {
  const mine = ticketsOfPerson(bot, userid);
  const all = await Ticket.find({ ...mine, status: { $in: [...ACTIVE, 'resolved', 'linked'] } }, { pending: 0 }).lean<TicketDoc[]>();
  all.sort(byLevelThenDeadline);
  return { items: all.slice(0, limit), total: all.length };
}

/**
 * The one place every ticket change goes through.
 *
 * The engine has no transactions, so a change is ONE atomic findOneAndUpdate on the ticket that carries its
 * own events in `ticket.pending` (an outbox inside the document), guarded by the expected status and the
 * ticket's `version`. Only then are the events copied into `ticket_events`, listeners called, and the
 * pending entries pulled. Event `seq` = the ticket's version after the change, and (bot, no, seq) is unique,
 * so copying twice is harmless. A crash between the steps leaves the events in `pending`; readers merge
 * them (see queries.ts) and `repairPending` finishes the copy and the delivery later. The ticket is
 * therefore always the commit point, and the log can never hold an event whose change did not happen.
 */
import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import type { TicketEventBus } from './events.js';
import { allowedFrom, type TicketCommand } from './lifecycle.js';
import { isDuplicateKey, Ticket, TicketEvent } from './model.js';
import { presentTicket } from './presenter.js';
import {
  type CommandResult,
  type PendingEvent,
  type Refusal,
  refuse,
  type TicketContext,
  type TicketDoc,
  type TicketEventPayload,
  type TicketEventRecord,
  type TicketStatus,
  upgradeEvent,
} from './types.js';

/** An event as a command describes it (type and payload); bot, no, seq, actor and at are filled in here. */
export type EventDraft = TicketEventPayload;

/**
 * The update a command wants, built from the current ticket: `$set` paths (dotted paths allowed) and `push`
 * (path → ONE element appended to that array), so the state after the change is computed exactly from the
 * state it was checked against (see afterChange).
 */
export interface Change {
  set?: Record<string, unknown>;
  push?: Record<string, unknown>;
  events: EventDraft[];
}

export interface ApplyOptions {
  no: number;
  /** Which command this is: its row of the lifecycle table (lifecycle.ts) is part of the atomic precondition. */
  command: TicketCommand;
  /** Narrows the table's statuses for this call (e.g. automatic incident links take unclaimed reports only). */
  from?: readonly TicketStatus[];
  /** "system" for jobs. */
  actor: string;
  /** Checks roles and input against the current ticket and returns the change, or a polite refusal. */
  build(ticket: TicketDoc, at: Date): Change | Refusal;
}

/** Attempts before giving up under contention (each lost race re-reads and re-checks). */
const MAX_ATTEMPTS = 20;
/** Pending events younger than this belong to a change still in flight in some process. */
export const PENDING_GRACE_MS = 30_000;

export async function applyChange(ctx: TicketContext, opts: ApplyOptions): Promise<CommandResult> {
  const bot = ctx.bot.id;
  const table = allowedFrom(opts.command);
  const from = opts.from ? opts.from.filter((s) => table.includes(s)) : table;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const ticket = await Ticket.findOne({ bot, no: opts.no }).lean<TicketDoc>();
    if (!ticket) return refuse('not_found', { say: 'not_found', no: opts.no });
    const at = ctx.clock.now();
    const change = opts.build(ticket, at);
    if ('ok' in change) return change;
    if (!from.includes(ticket.status)) return refuse('bad_status', { say: 'not_allowed_now', no: opts.no });
    const events = stamp(ticket, change.events, opts.actor, at);
    const update = toUpdate(change, events, at, ticket.version);
    const won = await Ticket.updateOne({ bot, no: opts.no, version: ticket.version, status: { $in: from } }, update);
    if (won.modifiedCount !== 1) continue; // someone else changed it first: re-read and decide again
    const after = afterChange(ticket, update.$set, change.push);
    await publish(ctx, after, events);
    return { ok: true, ticket: presentTicket(after), event: events[0], events, doc: after };
  }
  log.warn({ bot, no: opts.no }, 'ticket change gave up under contention');
  return refuse('busy', { say: 'busy', no: opts.no });
}

function stamp(ticket: TicketDoc, drafts: EventDraft[], actor: string, at: Date): TicketEventRecord[] {
  return drafts.map((d, i) => ({ ...d, bot: ticket.bot, no: ticket.no, seq: ticket.version + i + 1, actor, at }));
}

function toUpdate(change: Change, events: TicketEventRecord[], at: Date, version: number) {
  const writtenAt = new Date();
  return {
    $set: { ...change.set, updatedAt: at, version: version + events.length },
    $push: { ...change.push, pending: { $each: events.map((e) => ({ ...e, writtenAt })) } },
  };
}

/**
 * The ticket right after the change: the checked state plus the `$set`. Computed rather than read back,
 * because the embedded engine's findOneAndUpdate returns a post-image read after the write (not atomic), and
 * a read-back could show a later change; the version precondition guarantees this is exactly what was stored.
 */
export function afterChange(ticket: TicketDoc, set: Record<string, unknown>, push: Record<string, unknown> = {}): TicketDoc {
  const { _id, ...rest } = ticket as TicketDoc & { _id?: unknown };
  const out = { ...structuredClone({ ...rest, pending: [] }), ...(_id ? { _id } : {}) } as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(set)) {
    const [node, key] = parentOf(out, path);
    node[key] = structuredClone(value);
  }
  for (const [path, value] of Object.entries(push)) {
    const [node, key] = parentOf(out, path);
    node[key] = [...((node[key] as unknown[] | undefined) ?? []), structuredClone(value)];
  }
  return out as unknown as TicketDoc;
}

/** The object holding a dotted path's last key (created on the way, as MongoDB does). */
function parentOf(root: Record<string, unknown>, path: string): [Record<string, unknown>, string] {
  const keys = path.split('.');
  let node = root;
  for (const k of keys.slice(0, -1)) {
    if (!node[k] || typeof node[k] !== 'object') node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  return [node, keys[keys.length - 1]];
}

/** Inserts a new ticket together with its `created` event (same outbox scheme as changes). */
export async function insertTicket(
  ctx: TicketContext,
  doc: Omit<TicketDoc, 'pending' | 'version'>,
  created: TicketEventRecord,
  /** Events of the same insert after `created` (seq 2, 3 …), e.g. a referral decided before the ticket existed. */
  more: TicketEventRecord[] = [],
): Promise<TicketDoc> {
  const events = [created, ...more];
  const writtenAt = new Date();
  const full: TicketDoc = { ...doc, version: events.length, pending: events.map((e) => ({ ...e, writtenAt })) };
  await Ticket.collection.insertOne({ ...full });
  await publish(ctx, full, events);
  return { ...full, pending: [] };
}

/** Copies committed events to the log (idempotent), tells listeners, then clears them from the outbox. */
export async function publish(
  ctx: { bot: BotConfig; events: TicketEventBus },
  ticket: TicketDoc,
  events: ReadonlyArray<TicketEventRecord | PendingEvent>,
): Promise<void> {
  const clean = events.map(upgradeEvent);
  try {
    await TicketEvent.collection.insertMany(
      clean.map((e) => ({ ...e })),
      { ordered: false },
    );
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  // Undelivered events stay pending: the repair sweep re-delivers them (processors are idempotent).
  if (!(await ctx.events.emit(ctx.bot, ticket, clean))) return;
  await Ticket.updateOne({ bot: ticket.bot, no: ticket.no }, { $pull: { pending: { seq: { $in: clean.map((e) => e.seq) } } } });
}

/**
 * Finishes changes interrupted by a crash: events still pending after the grace period are copied to the
 * log and delivered to listeners. Runs at start-up and from a periodic job; safe on several instances.
 */
export async function repairPending(bots: Map<string, BotConfig>, events: TicketEventBus, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - PENDING_GRACE_MS);
  const stale = await Ticket.find({ 'pending.writtenAt': { $lt: cutoff } }).lean<TicketDoc[]>();
  let repaired = 0;
  for (const ticket of stale) {
    const bot = bots.get(ticket.bot);
    if (!bot) continue;
    const due = ticket.pending.filter((e) => new Date(e.writtenAt) < cutoff).sort((a, b) => a.seq - b.seq);
    await publish({ bot, events }, ticket, due);
    repaired += due.length;
    log.warn({ bot: ticket.bot, no: ticket.no, events: due.length }, 'ticket events repaired after an interrupted change');
  }
  return repaired;
}

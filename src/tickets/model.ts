import mongoose, { Schema } from 'mongoose';
import type { TicketDoc, TicketEventRecord } from './types.js';

const person = new Schema({ userid: String, name: String }, { _id: false });

const ticketSchema = new Schema<TicketDoc>(
  {
    kind: { type: String, default: 'report' },
    incident: { type: Schema.Types.Mixed, default: null },
    bot: { type: String, required: true },
    no: { type: Number, required: true },
    system: { type: String, required: true },
    systemLabel: { type: String },
    level: { type: Number, required: true, min: 1, max: 4 },
    triageReason: { type: String, default: null },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    reporter: { _id: false, userid: String, name: String, department: String, contact: String },
    chat: { type: new Schema({ chatId: String, channel: String }, { _id: false }), default: null },
    subscribers: { type: [person], default: [] },
    reporterCount: { type: Number, default: 1 },
    departments: { type: [String], default: [] },
    status: { type: String, required: true },
    assignee: { type: person, default: null },
    attachments: { type: [Schema.Types.Mixed] as never, default: [] },
    // Targets are owned by the SLA module: stored as given.
    sla: { type: Schema.Types.Mixed, required: true },
    repair: { type: Schema.Types.Mixed, default: null },
    confirmation: { type: Schema.Types.Mixed, default: null },
    parentNo: { type: Number, default: null },
    children: { type: [Number], default: [] },
    pause: { type: Schema.Types.Mixed, default: null },
    confirmRemindedAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    // Business time from the service clock, not Mongoose's wall-clock timestamps.
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
    pending: { type: [Schema.Types.Mixed] as never, default: [] },
    source: { type: String },
  },
  { collection: 'tickets', versionKey: false, minimize: false },
);
ticketSchema.index({ bot: 1, no: 1 }, { unique: true });
ticketSchema.index({ bot: 1, status: 1, createdAt: -1 });
ticketSchema.index({ bot: 1, 'assignee.userid': 1, status: 1 });
ticketSchema.index({ bot: 1, 'reporter.userid': 1, status: 1 });
// One ticket per source message: re-running a stored message after a crash finds the ticket it opened.
ticketSchema.index({ source: 1 }, { unique: true, sparse: true });
// An incident's linked reports (resolved with it).
ticketSchema.index({ bot: 1, parentNo: 1, status: 1 });
// The repair sweep looks for outbox entries left by an interrupted change (normally none).
ticketSchema.index({ 'pending.writtenAt': 1 });

const eventSchema = new Schema<TicketEventRecord>(
  {
    bot: { type: String, required: true },
    no: { type: Number, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    actor: { type: String, required: true },
    at: { type: Date, required: true },
  },
  // The payload differs per event type and is kept as written.
  { collection: 'ticket_events', versionKey: false, strict: false },
);
// A retry of the same change writes the same (bot, no, seq): the log cannot get a duplicate.
eventSchema.index({ bot: 1, no: 1, seq: 1 }, { unique: true });
eventSchema.index({ bot: 1, type: 1, at: 1 });

const counterSchema = new Schema<{ _id: string; seq: number }>({ _id: String, seq: Number }, { collection: 'counters', versionKey: false });

export const Ticket = (mongoose.models.Ticket as mongoose.Model<TicketDoc>) ?? mongoose.model<TicketDoc>('Ticket', ticketSchema);
export const TicketEvent =
  (mongoose.models.TicketEvent as mongoose.Model<TicketEventRecord>) ?? mongoose.model<TicketEventRecord>('TicketEvent', eventSchema);
// `counters` may be shared with other modules: ticket sequences use the _id "tickets:<bot>".
export const TicketCounter =
  (mongoose.models.TicketCounter as mongoose.Model<{ _id: string; seq: number }>) ??
  mongoose.model<{ _id: string; seq: number }>('TicketCounter', counterSchema);

/** Creates the indexes the invariants rely on (unique numbers, unique event seq) before any write. */
export async function ensureTicketIndexes(): Promise<void> {
  await Promise.all([Ticket.createIndexes(), TicketEvent.createIndexes()]);
}

export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
  if (e?.code === 11000) return true;
  return Array.isArray(e?.writeErrors) && e.writeErrors.length > 0 && e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
}

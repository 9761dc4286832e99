/**
 * Sign-off of a month's maintenance record in chat (`月报签收 2026-11` by a lead), and its withdrawal
 * (`月报撤回 2026-11 <reason>`) before a correction. The contracts pay on a record "经双方确认" (seeds 001, 004).
 *
 * One document per bot and month (`record_signoffs`) holds the current state and the append-only list of
 * sign-off events; each change is one atomic update guarded by the state, so two leads signing at once
 * produce one sign-off and a retry cannot add a second event. While a month is signed its record is exported
 * as it stood at the sign-off (later events do not silently change a signed record) and breach explanations
 * for its tickets are refused until the sign-off is withdrawn.
 */
import mongoose, { Schema } from 'mongoose';
import type { Clock } from '../clock.js';
import type { BotConfig } from '../config/bots.js';
import { isDuplicateKey } from '../tickets/model.js';

/** One auditable step: who signed or withdrew, when, and why (withdrawals). */
export interface SignoffEvent {
  type: 'signed' | 'withdrawn';
  by: string;
  name: string;
  at: Date;
  reason: string | null;
}

interface SignoffDoc {
  /** "<bot>:<YYYY-MM>". */
  _id: string;
  bot: string;
  month: string;
  status: 'signed' | 'open';
  events: SignoffEvent[];
}

const eventSchema = new Schema<SignoffEvent>(
  { type: String, by: String, name: String, at: Date, reason: { type: String, default: null } },
  { _id: false },
);
const signoffSchema = new Schema<SignoffDoc>(
  { _id: String, bot: String, month: String, status: String, events: [eventSchema] },
  { collection: 'record_signoffs', versionKey: false },
);
export const RecordSignoff =
  (mongoose.models.RecordSignoff as mongoose.Model<SignoffDoc>) ?? mongoose.model<SignoffDoc>('RecordSignoff', signoffSchema);

/** A month's sign-off state: the standing sign-off (null when none) and every event in order. */
export interface SignoffState {
  signed: SignoffEvent | null;
  events: SignoffEvent[];
}

export type SignoffResult = { ok: true; state: SignoffState } | { ok: false; code: 'already_signed' | 'not_signed'; state: SignoffState };

const key = (bot: string, month: string) => `${bot}:${month}`;

function stateOf(doc: SignoffDoc | null): SignoffState {
  const events = (doc?.events ?? []).map((e) => ({ ...e, reason: e.reason ?? null }));
  return { signed: doc?.status === 'signed' ? (events.filter((e) => e.type === 'signed').at(-1) ?? null) : null, events };
}

/** The month's sign-off as of `asOf` (events after it ignored), or as stored now. */
export async function signoffOf(bot: string, month: string, asOf?: Date): Promise<SignoffState> {
  const doc = await RecordSignoff.findById(key(bot, month)).lean<SignoffDoc>();
  if (!asOf || !doc) return stateOf(doc);
  const events = doc.events.filter((e) => new Date(e.at).getTime() <= asOf.getTime());
  return stateOf({ ...doc, events, status: events.at(-1)?.type === 'signed' ? 'signed' : 'open' });
}

/** Records the lead's acceptance of the month; refused (`already_signed`) while a sign-off stands. */
export async function signMonth(
  ctx: { bot: BotConfig; clock: Clock },
  input: { month: string; by: string; name: string },
): Promise<SignoffResult> {
  const event: SignoffEvent = { type: 'signed', by: input.by, name: input.name, at: ctx.clock.now(), reason: null };
  const id = key(ctx.bot.id, input.month);
  try {
    const doc = await RecordSignoff.findOneAndUpdate(
      { _id: id, status: { $ne: 'signed' } },
      { $set: { status: 'signed', bot: ctx.bot.id, month: input.month }, $push: { events: event } },
      { upsert: true, returnDocument: 'after' },
    ).lean<SignoffDoc>();
    return { ok: true, state: stateOf(doc) };
  } catch (e) {
    // The guarded upsert collides with the existing signed document: somebody signed already.
    if (isDuplicateKey(e)) return { ok: false, code: 'already_signed', state: await signoffOf(ctx.bot.id, input.month) };
    throw e;
  }
}

/** Withdraws the standing sign-off with a reason (needed before the month's record may change). */
export async function withdrawSignoff(
  ctx: { bot: BotConfig; clock: Clock },
  input: { month: string; by: string; name: string; reason: string },
): Promise<SignoffResult> {
  const event: SignoffEvent = { type: 'withdrawn', by: input.by, name: input.name, at: ctx.clock.now(), reason: input.reason };
  const doc = await RecordSignoff.findOneAndUpdate(
    { _id: key(ctx.bot.id, input.month), status: 'signed' },
    { $set: { status: 'open' }, $push: { events: event } },
    { returnDocument: 'after' },
  ).lean<SignoffDoc>();
  if (!doc) return { ok: false, code: 'not_signed', state: await signoffOf(ctx.bot.id, input.month) };
  return { ok: true, state: stateOf(doc) };
}

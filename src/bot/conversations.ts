import mongoose, { Schema } from 'mongoose';
import type { FormState } from './forms.js';
import { idleMinutes, type Turn } from './context.js';
import type { Flow } from './flows/types.js';

export type ConversationStatus = 'active' | 'done' | 'cancelled' | 'expired';

/**
 * Where a conversation happens: a (bot, chat, user). Several conversations of one user may wait in one chat at
 * once, each in its own `lane` (a checklist, a 解决 dialog, two report forms): the most recently asked one is
 * answered first, and the others resume when it ends (issue #17: nothing silently discards a pending dialog).
 */
export interface ChatKey {
  bot: string;
  /** The group chat id; 1:1 chats have none and are keyed by channel ("single:app"). */
  chat: string;
  userid: string;
}

/** Report-flow context: what triage said and where the ticket stands. */
export interface ConversationContext {
  /** The reporter's first message (kept for the ticket's description, never logged). */
  text?: string;
  level?: number | null;
  reason?: string | null;
  /** The ticket this conversation belongs to (report after-phase, resolve, confirm). */
  no?: number | null;
  /** Report: before the ticket opens, or patching it afterwards. */
  phase?: 'before' | 'after';
  /** Checklist: the caller's reference (e.g. the inspection id) and the answers so far. */
  ref?: string | null;
  answers?: Array<{ item: string; value: string; note: string | null }>;
  [more: string]: unknown;
}

export interface ConversationDoc extends ChatKey {
  _id: mongoose.Types.ObjectId;
  /**
   * Which of the user's conversations in this chat this is, e.g. "report:<inbox id>", "resolve:17",
   * "inspection-monthly:<inspection id>" (see laneOf). Absent on documents written before lanes existed.
   */
  lane?: string;
  /**
   * Ordering stamp of the last question asked (ms since the epoch of the machine, made strictly increasing in
   * this process): which pending conversation a plain message answers. Not the service clock, which tests hold
   * still between messages.
   */
  touched?: number;
  channel: 'aibot' | 'app';
  chatType: 'group' | 'single';
  flow: string;
  status: ConversationStatus;
  form: FormState;
  context: ConversationContext;
  startedAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  /** Optimistic concurrency: every update requires the revision it read. */
  rev: number;
}

const conversationSchema = new Schema(
  {
    bot: { type: String, required: true },
    chat: { type: String, required: true },
    userid: { type: String, required: true },
    channel: { type: String, required: true },
    chatType: { type: String, required: true },
    flow: { type: String, required: true },
    status: { type: String, required: true },
    form: { type: Schema.Types.Mixed, default: {} },
    context: { type: Schema.Types.Mixed, default: {} },
    startedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    rev: { type: Number, required: true, default: 0 },
    lane: { type: String },
    touched: { type: Number },
  },
  { collection: 'conversations', versionKey: false, minimize: false },
);
// One document per lane: two first messages of the same dialog at once upsert the same document.
conversationSchema.index({ bot: 1, chat: 1, userid: 1, lane: 1 }, { unique: true });
// The cleanup job's query; a TTL index would be pointless on the embedded engine (it never expires).
conversationSchema.index({ status: 1, expiresAt: 1 });

export const Conversation =
  (mongoose.models.Conversation as mongoose.Model<ConversationDoc>) ?? mongoose.model<ConversationDoc>('Conversation', conversationSchema);

export function chatKeyOf(msg: { bot: string; channel: string; chatId: string | null; from: { userid: string } }): ChatKey {
  return { bot: msg.bot, chat: msg.chatId ?? `single:${msg.channel}`, userid: msg.from.userid };
}

/** The index of the one-conversation-per-chat era; dropped at start so lanes can coexist. */
const OLD_UNIQUE_INDEX = 'bot_1_chat_1_userid_1';

/** Creates the indexes and drops the pre-lane unique index where an older database still has it. */
export async function ensureConversationIndexes(): Promise<void> {
  try {
    await Conversation.collection.dropIndex(OLD_UNIQUE_INDEX);
  } catch {
    // Not there (a new database, or already dropped): nothing to do.
  }
  await Conversation.createIndexes();
}

let lastTouch = 0;
/** A strictly increasing ordering stamp for `touched` (see ConversationDoc.touched). */
export function touchStamp(): number {
  lastTouch = Math.max(Date.now(), lastTouch + 1);
  return lastTouch;
}

/**
 * The lane of a conversation: the flow and what it is about (a ticket number, a checklist's reference), or the
 * message that started it (a report form before its ticket exists), so dialogs of different kinds, and two
 * reports, never replace one another.
 */
export function laneOf(flow: string, about: string | number | null | undefined): string {
  return about === null || about === undefined || about === '' ? flow : `${flow}:${about}`;
}

export interface StartInput {
  key: ChatKey;
  /** See laneOf; default: the flow id alone. */
  lane?: string;
  channel: 'aibot' | 'app';
  chatType: 'group' | 'single';
  flow: string;
  form: FormState;
  context: ConversationContext;
  now: Date;
  idleMinutes: number;
}

/** Starts (or replaces) the conversation of this user in this chat's lane; the user's other lanes are kept. */
export async function startConversation(input: StartInput): Promise<ConversationDoc> {
  const { key, now } = input;
  const lane = input.lane ?? input.flow;
  const set = {
    touched: touchStamp(),
    channel: input.channel,
    chatType: input.chatType,
    flow: input.flow,
    status: 'active',
    form: input.form,
    context: input.context,
    startedAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + input.idleMinutes * 60_000),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await Conversation.findOneAndUpdate(
        { ...key, lane },
        { $set: set, $inc: { rev: 1 } },
        { upsert: true, returnDocument: 'after' },
      ).lean<ConversationDoc>();
      return doc!;
    } catch (e) {
      // Two first messages at once: both upserts race for the unique key; the loser updates the winner's document.
      if ((e as { code?: number }).code !== 11000 || attempt > 2) throw e;
    }
  }
}

/**
 * The user's pending conversation in this chat that a plain message answers: the most recently asked active one
 * (an idle one past its time is still returned; see expireOne).
 */
export async function findConversation(key: ChatKey): Promise<ConversationDoc | null> {
  return (await findConversations(key))[0] ?? null;
}

/** Every active conversation of the user in this chat, most recently asked first. */
export async function findConversations(key: ChatKey): Promise<ConversationDoc[]> {
  const all = await Conversation.find({ ...key, status: 'active' }).lean<ConversationDoc[]>();
  return all.sort((a, b) => (b.touched ?? b.updatedAt.getTime()) - (a.touched ?? a.updatedAt.getTime()));
}

/** The conversation of one lane, whatever its status (a checklist to resume keeps its answers after expiry). */
export async function findLane(key: ChatKey, lane: string): Promise<ConversationDoc | null> {
  return Conversation.findOne({ ...key, lane }).lean<ConversationDoc>();
}

/** Saves the next state if nobody else changed the conversation since it was read. */
export async function saveConversation(
  doc: ConversationDoc,
  patch: { form?: FormState; context?: ConversationContext; flow?: string },
  now: Date,
  idleMinutes: number,
): Promise<ConversationDoc | null> {
  const set: Record<string, unknown> = {
    updatedAt: now,
    expiresAt: new Date(now.getTime() + idleMinutes * 60_000),
    touched: touchStamp(),
  };
  if (patch.form) set.form = patch.form;
  if (patch.context) set.context = patch.context;
  if (patch.flow) set.flow = patch.flow;
  return Conversation.findOneAndUpdate(
    { _id: doc._id, rev: doc.rev, status: 'active' },
    { $set: set, $inc: { rev: 1 } },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
}

/** Brings a pending conversation to the front (the one a plain message answers) and renews its idle time. */
export async function touchConversation(doc: ConversationDoc, now: Date, idleMinutes: number): Promise<boolean> {
  const res = await Conversation.updateOne(
    { _id: doc._id, status: 'active' },
    { $set: { touched: touchStamp(), updatedAt: now, expiresAt: new Date(now.getTime() + idleMinutes * 60_000) }, $inc: { rev: 1 } },
  );
  return res.modifiedCount === 1;
}

/** Ends a conversation (done or cancelled); false if it was no longer active. */
export async function endConversation(doc: ConversationDoc, status: 'done' | 'cancelled', now: Date): Promise<boolean> {
  const res = await Conversation.updateOne({ _id: doc._id, status: 'active' }, { $set: { status, updatedAt: now }, $inc: { rev: 1 } });
  return res.modifiedCount === 1;
}

/**
 * Marks one idle conversation expired. Exactly one caller wins (the cleanup job or the user's next message),
 * and only the winner tells the user, so the notice goes out once.
 */
export async function expireOne(doc: Pick<ConversationDoc, '_id'>, now: Date): Promise<ConversationDoc | null> {
  return Conversation.findOneAndUpdate(
    { _id: doc._id, status: 'active', expiresAt: { $lte: now } },
    { $set: { status: 'expired', updatedAt: now }, $inc: { rev: 1 } },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
}

/** Active conversations whose idle time ran out, oldest first. */
export async function findIdle(now: Date, limit = 200): Promise<ConversationDoc[]> {
  return Conversation.find({ status: 'active', expiresAt: { $lte: now } })
    .sort({ expiresAt: 1 })
    .limit(limit)
    .lean<ConversationDoc[]>();
}

/**
 * Stores the form state after asking a question: patches the turn's conversation (false when another message of the
 * same user moved it on first, so that one answers) or starts one with `startContext`.
 */
export async function keepAsking(
  turn: Turn,
  conv: ConversationDoc | null,
  flow: Flow,
  patch: { form: FormState; context?: ConversationContext },
  startContext: ConversationContext,
): Promise<boolean> {
  const minutes = idleMinutes(turn.bot, flow);
  if (conv) return (await saveConversation(conv, patch, turn.now, minutes)) !== null;
  await startConversation({
    key: chatKeyOf(turn.msg),
    // A ticket's dialog is about the ticket; a report before its ticket is about the message that started it.
    lane: laneOf(flow.id, startContext.no ?? turn.msg.id),
    channel: turn.msg.channel,
    chatType: turn.msg.chatType,
    flow: flow.id,
    form: patch.form,
    context: startContext,
    now: turn.now,
    idleMinutes: minutes,
  });
  return true;
}

import mongoose, { Schema } from 'mongoose';
import type { FormState } from './forms.js';
import { idleMinutes, type Turn } from './context.js';
import type { Flow } from './flows/types.js';

export type ConversationStatus = 'active' | 'done' | 'cancelled' | 'expired';

/** Where a conversation happens: one per (bot, chat, user). */
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
  },
  { collection: 'conversations', versionKey: false, minimize: false },
);
conversationSchema.index({ bot: 1, chat: 1, userid: 1 }, { unique: true });
// The cleanup job's query; a TTL index would be pointless on the embedded engine (it never expires).
conversationSchema.index({ status: 1, expiresAt: 1 });

export const Conversation =
  (mongoose.models.Conversation as mongoose.Model<ConversationDoc>) ?? mongoose.model<ConversationDoc>('Conversation', conversationSchema);

export function chatKeyOf(msg: { bot: string; channel: string; chatId: string | null; from: { userid: string } }): ChatKey {
  return { bot: msg.bot, chat: msg.chatId ?? `single:${msg.channel}`, userid: msg.from.userid };
}

export interface StartInput {
  key: ChatKey;
  channel: 'aibot' | 'app';
  chatType: 'group' | 'single';
  flow: string;
  form: FormState;
  context: ConversationContext;
  now: Date;
  idleMinutes: number;
}

/** Starts (or replaces) the conversation of this user in this chat. */
export async function startConversation(input: StartInput): Promise<ConversationDoc> {
  const { key, now } = input;
  const set = {
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
        key,
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

/** The user's conversation in this chat if it is still active; an idle one past its time is not (see expire). */
export async function findConversation(key: ChatKey): Promise<ConversationDoc | null> {
  return Conversation.findOne({ ...key, status: 'active' }).lean<ConversationDoc>();
}

/** Saves the next state if nobody else changed the conversation since it was read. */
export async function saveConversation(
  doc: ConversationDoc,
  patch: { form?: FormState; context?: ConversationContext; flow?: string },
  now: Date,
  idleMinutes: number,
): Promise<ConversationDoc | null> {
  const set: Record<string, unknown> = { updatedAt: now, expiresAt: new Date(now.getTime() + idleMinutes * 60_000) };
  if (patch.form) set.form = patch.form;
  if (patch.context) set.context = patch.context;
  if (patch.flow) set.flow = patch.flow;
  return Conversation.findOneAndUpdate(
    { _id: doc._id, rev: doc.rev, status: 'active' },
    { $set: set, $inc: { rev: 1 } },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
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

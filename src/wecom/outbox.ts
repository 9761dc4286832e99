import { backoffDelay, OUTBOX_BACKOFF } from '../jobs/backoff.js';
import mongoose, { Schema, type Types } from 'mongoose';
import type { BotConfig } from '../config/bots.js';
import type { Clock } from '../clock.js';
import { whileDatabaseAway } from '../db/while-down.js';
import { log } from '../log.js';
import { type WecomClient, WecomApiError } from './client.js';
import type { RateLimiter, RateRule } from './rate-limit.js';
import { LIMITS } from './split.js';

/**
 * WeCom message/send `duplicate_check_interval` in seconds (WeCom: default 1800, at most 14 400). Five minutes covers
 * a resend after a crash (lease 30 s plus a restart) while an identical reminder sent later is still shown.
 */
const DUPLICATE_CHECK_S = 300;

export type OutboxKind = 'app' | 'appchat' | 'webhook' | 'update_card' | 'response_url' | 'aibot_ws';

/**
 * The smart bot's long connections, as the outbox needs them: `aibot_ws` items (payload = SocketPayload) are sent
 * on the socket, only by the instance whose socket for that bot is up; elsewhere they wait in the outbox.
 */
export interface SocketSender {
  connectedBots(): string[];
  send(bot: string, payload: Record<string, unknown>): Promise<unknown>;
}
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** One API call's worth of message, stored before it is sent. */
export interface OutboxItem {
  kind: OutboxKind;
  payload: Record<string, unknown>;
  /** response_url only. */
  url?: string;
  /** Rate-limit bucket, e.g. `webhook:<key>` or `app:<corp>:<agent>:<userid>`. */
  rateKey?: string;
  /** Sent instead when this item fails for good (response_url used up or expired). */
  fallback?: Omit<OutboxItem, 'fallback'>;
  /**
   * What a group post is about (e.g. `ticket:demo:12`): posts with the same topic still waiting for the group
   * robot when the first of them is sent go out with it as one post (see Outbox.coalesce).
   */
  topic?: string;
}

/**
 * Who receives an item, for per-recipient order: the group robot of a bot, one user of an app, one app group
 * chat. Items to the same recipient go out strictly in the order they were stored; a card update or a
 * single-use response_url has no queue of its own (null).
 */
export function recipientOf(bot: string, item: Pick<OutboxItem, 'kind' | 'payload' | 'rateKey'>): string | null {
  switch (item.kind) {
    case 'webhook':
    case 'app':
      return item.rateKey ?? `${item.kind}:${bot}:${String(item.payload.touser ?? '')}`;
    case 'appchat':
      return `appchat:${bot}:${String(item.payload.chatid ?? '')}`;
    case 'aibot_ws': {
      // Long connection: answers and proactive sends to one chat share its queue; a card update has none.
      const to = item.payload.to ?? (item.payload.body as { chatid?: unknown } | undefined)?.chatid;
      return typeof to === 'string' && to ? `aibot:${bot}:${to}` : null;
    }
    default:
      return null;
  }
}

export interface OutboxDoc extends OutboxItem {
  _id: Types.ObjectId;
  bot: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  idempotencyKey?: string;
  group?: string;
  /** See recipientOf; absent on items stored before per-recipient order existed. */
  recipient?: string | null;
  /** Claimed again after a sender died mid-send: the first attempt may have been delivered. */
  uncertain?: boolean;
  /** This group post travels inside another one's send (same topic, coalesced); set while that send is open. */
  mergedInto?: Types.ObjectId | null;
  part: number;
  createdAt: Date;
  sentAt: Date | null;
}

const outboxSchema = new Schema<OutboxDoc>(
  {
    bot: { type: String, required: true },
    kind: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    url: String,
    rateKey: String,
    fallback: Schema.Types.Mixed,
    status: { type: String, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    idempotencyKey: { type: String },
    group: String,
    recipient: { type: String, default: null },
    uncertain: Boolean,
    topic: String,
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    part: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { collection: 'outbox', versionKey: false, minimize: false },
);
outboxSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });
outboxSchema.index({ status: 1, nextAttemptAt: 1 });
outboxSchema.index({ group: 1 });
outboxSchema.index({ recipient: 1, status: 1, createdAt: 1 });

export const OutboxModel = mongoose.models.outbox ?? mongoose.model<OutboxDoc>('outbox', outboxSchema);

/**
 * WeCom's published limits are 20/min per group robot and 30/min per app recipient. We stay a margin below
 * them: WeCom counts by its own receipt time, which differs from ours by network delay and clock skew, so a
 * limiter at exactly 20 met 45009 at window edges.
 */
export const RATE_RULES: Record<string, RateRule> = {
  webhook: { limit: 18, windowMs: 60_000 },
  app: { limit: 27, windowMs: 60_000 },
};

/** Longest wait (ms) of the sender for acknowledgements before each message. */
const YIELD_MAX_MS = 200;

/** Most group posts one send carries (besides the WeCom byte limit of the merged text). */
const MAX_MERGED = 20;

/** response_url answer when it was used before (single use). */
const RESPONSE_URL_USED = 60140;

export interface OutboxOptions {
  pollMs?: number;
  maxAttempts?: number;
  leaseMs?: number;
  /** Delay after a rate-limit answer (45009 …). */
  busyDelayMs?: number;
  /** Long connections of this instance (absent: `aibot_ws` items are never claimed here). */
  socket?: SocketSender;
  /** True while callbacks are being acknowledged: the sender waits for them (bounded, see yieldToAcknowledgements). */
  yieldTo?: () => boolean;
  /** Messages sent at the same time by this instance (default 4), to different recipients. */
  workers?: number;
}

/**
 * The durable outbox and its worker. Every instance runs a worker; a message is claimed with one atomic
 * findOneAndUpdate (status precondition), so several instances never send it twice. A claim whose lease
 * runs out (process died mid-send) is picked up again.
 */
export class Outbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Not started yet, or stopped: enqueue only stores, the worker sends after start. */
  private stopped = true;
  private halted = false;
  private orphansCheckedAt = Number.NEGATIVE_INFINITY;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly busyDelayMs: number;
  private readonly socket: SocketSender | undefined;
  private readonly yieldTo: (() => boolean) | undefined;
  private readonly workers: number;

  constructor(
    private readonly bots: Map<string, BotConfig>,
    private readonly clock: Clock,
    private readonly client: WecomClient,
    private readonly limiter: RateLimiter,
    opts: OutboxOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.maxAttempts = opts.maxAttempts ?? 12;
    // Longer than one WeCom call with its timeout; short enough that a died sender's message goes within a minute.
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.busyDelayMs = opts.busyDelayMs ?? 60_000;
    this.socket = opts.socket;
    this.yieldTo = opts.yieldTo;
    this.workers = opts.workers ?? 4;
  }

  /** Stores the items (in order); with an idempotency key a repeat returns the first call's ids. */
  async enqueue(bot: string, items: OutboxItem[], idempotencyKey?: string): Promise<string[]> {
    if (items.length === 0) return [];
    const now = this.clock.now();
    const docs = items.map((it, part) => ({
      ...it,
      bot,
      part,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      recipient: recipientOf(bot, it),
      ...(idempotencyKey ? { idempotencyKey: part === 0 ? idempotencyKey : `${idempotencyKey}#${part}`, group: idempotencyKey } : {}),
    }));
    // One insert for all parts: a retry after an error finds part 0 by its key and returns what is stored.
    const insert = async (): Promise<string[]> => {
      try {
        const stored = await OutboxModel.insertMany(docs, { ordered: true });
        return stored.map((d) => String(d._id));
      } catch (e) {
        if (idempotencyKey && (e as { code?: number }).code === 11000) {
          const existing = await OutboxModel.find({ group: idempotencyKey }, { _id: 1 }).sort({ part: 1 }).lean();
          return existing.map((d) => String(d._id));
        }
        throw e;
      }
    };
    // The database restarting (its child died) is over in seconds: a keyed message waits for it rather than
    // being lost after the work it reports on was done (a reporter would never hear "已登记"). Without a key a
    // retry could store it twice.
    const ids = idempotencyKey ? await whileDatabaseAway(insert, { what: 'outbox enqueue' }) : await insert();
    this.kick();
    return ids;
  }

  start(): void {
    this.stopped = false;
    this.halted = false;
    const tick = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(tick, this.pollMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs the send loop now (coalesced with a loop already running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Several senders: a send is mostly waiting (database round trips, WeCom's answer), and one recipient held
    // back by its rate limit must not slow the others. Per-recipient order holds across them (claim/queueHeads).
    const worker = async () => {
      do {
        this.again = false;
        await this.sendDue();
      } while (this.again && !this.stopped);
    };
    this.running = Promise.all(Array.from({ length: this.workers }, worker))
      .then(() => undefined)
      .catch((e: unknown) => {
        log.error({ err: (e as Error).message }, 'outbox loop failed');
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Resolves when the send loop has stopped: nothing of this instance is being sent (see Messenger.idle). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Sends everything that is due now and resolves when nothing due is left (tests call this). */
  async drain(): Promise<void> {
    await this.idle();
    await this.sendDue();
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      if (this.halted) return;
      await this.yieldToAcknowledgements();
      const doc = await this.claim();
      if (!doc) return;
      await this.deliver(doc);
    }
  }

  /**
   * Acknowledgements first: each send costs several database round trips, which in a storm delay the callbacks'
   * inserts (WeCom retries anything not answered within 5 s). While callbacks are being stored the sender waits,
   * 10 ms at a time and at most YIELD_MAX_MS per message, so it still sends a few messages a second in a storm.
   */
  private async yieldToAcknowledgements(): Promise<void> {
    if (!this.yieldTo) return;
    const start = Date.now();
    while (this.yieldTo() && Date.now() - start < YIELD_MAX_MS && !this.halted) await new Promise((r) => setTimeout(r, 10));
  }

  /** Long-connection items only where their bot's socket is up: they wait for the holder, never fail here. */
  private sendable(): Record<string, unknown> {
    const connected = this.socket?.connectedBots() ?? [];
    return connected.length
      ? { $or: [{ kind: { $ne: 'aibot_ws' } }, { kind: 'aibot_ws', bot: { $in: connected } }] }
      : { kind: { $ne: 'aibot_ws' } };
  }

  /**
   * Claims the oldest due item whose recipient has nothing older still waiting: a message held back (45009,
   * a network error, the rate limiter) holds back everything after it to the same recipient, so "claimed" can
   * never overtake "progress". Other recipients are not held up.
   */
  private async claim(): Promise<OutboxDoc | null> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const sendable = this.sendable();
    // A sender that died mid-send left its claim behind; its lease has run out. It is the oldest of its
    // recipient's queue, so it goes first. (Looked for once per poll, not before every send.)
    if (now.getTime() - this.orphansCheckedAt >= this.pollMs) {
      await this.settleStrayPartners(now);
      const orphan = await OutboxModel.findOneAndUpdate(
        { status: 'sending', leaseUntil: { $lt: now }, mergedInto: null, ...sendable },
        { $set: { leaseUntil: lease, uncertain: true } },
        { sort: { createdAt: 1, _id: 1 }, returnDocument: 'after' },
      ).lean<OutboxDoc>();
      if (orphan) return orphan;
      this.orphansCheckedAt = now.getTime();
    }
    const blocked = new Set<string>();
    for (let round = 0; round < 10; round++) {
      const due = await OutboxModel.find(
        { status: 'pending', nextAttemptAt: { $lte: now }, ...sendable, ...(blocked.size ? { recipient: { $nin: [...blocked] } } : {}) },
        { _id: 1, recipient: 1, createdAt: 1 },
      )
        .sort({ createdAt: 1, _id: 1 })
        .limit(20)
        .lean<Pick<OutboxDoc, '_id' | 'recipient' | 'createdAt'>[]>();
      if (due.length === 0) return null;
      const heads = await this.queueHeads(due.map((d) => d.recipient).filter((r): r is string => !!r && !blocked.has(r)));
      for (const d of due) {
        if (d.recipient && (blocked.has(d.recipient) || !heads.get(d.recipient)?.equals(d._id))) {
          blocked.add(d.recipient);
          continue;
        }
        const claimed = await OutboxModel.findOneAndUpdate(
          { _id: d._id, status: 'pending' },
          { $set: { status: 'sending', leaseUntil: lease } },
          { returnDocument: 'after' },
        ).lean<OutboxDoc>();
        if (claimed) return claimed;
        // Taken by another sender: it is now being sent, so the rest of this recipient's queue waits behind it.
        if (d.recipient) blocked.add(d.recipient);
      }
    }
    return null;
  }

  /**
   * The oldest unsent item (waiting or being sent) of each recipient: only that one may be sent next. One query
   * for the whole batch of candidates — the embedded engine scans the collection for each query, whatever the
   * indexes (measured: 18 ms per 20 000 documents), so one look per candidate was most of the sender's cost.
   */
  private async queueHeads(recipients: string[]): Promise<Map<string, Types.ObjectId>> {
    const heads = new Map<string, Types.ObjectId>();
    if (recipients.length === 0) return heads;
    const unsent = await OutboxModel.find(
      { recipient: { $in: [...new Set(recipients)] }, status: { $in: ['pending', 'sending'] } },
      { _id: 1, recipient: 1 },
    )
      .sort({ createdAt: 1, _id: 1 })
      .lean<Pick<OutboxDoc, '_id' | 'recipient'>[]>();
    for (const u of unsent) if (u.recipient && !heads.has(u.recipient)) heads.set(u.recipient, u._id);
    return heads;
  }

  private async deliver(doc: OutboxDoc): Promise<void> {
    const bot = this.bots.get(doc.bot);
    if (!bot) return this.fail(doc, `unknown bot ${doc.bot}`);
    if (doc.rateKey) {
      const rule = RATE_RULES[doc.rateKey.split(':')[0]];
      const wait = rule ? await this.limiter.take(doc.rateKey, rule) : 0;
      if (wait > 0) {
        // Queue behind the limit: not an attempt, nothing is dropped.
        await this.release(doc, { nextAttemptAt: new Date(this.clock.now().getTime() + wait) });
        return;
      }
    }
    const merged = doc.kind === 'webhook' && doc.topic && doc.recipient ? await this.coalesce(doc) : null;
    try {
      await this.call(bot, merged ? { ...doc, payload: merged.payload } : doc);
    } catch (e) {
      // The partners wait again in their own places; the next send of the first one gathers them again.
      if (merged) await this.releasePartners(merged.ids);
      return this.afterFailedSend(doc, e);
    }
    // WeCom has it: the mark must not be lost to a database restart, or the message would go out again
    // after the lease (a group post has no duplicate check).
    const sentAt = this.clock.now();
    await whileDatabaseAway(
      async () => {
        if (merged)
          await OutboxModel.updateMany(
            { _id: { $in: merged.ids }, status: 'sending' },
            { $set: { status: 'sent', sentAt, leaseUntil: null, lastError: null }, $inc: { attempts: 1 } },
          );
        await OutboxModel.updateOne(
          { _id: doc._id, status: 'sending' },
          { $set: { status: 'sent', sentAt, leaseUntil: null, lastError: null }, $inc: { attempts: 1 } },
        );
      },
      { what: 'outbox sent mark' },
    );
    log.info(
      { outboxId: String(doc._id), bot: doc.bot, kind: doc.kind, part: doc.part, ...(merged ? { merged: merged.ids.length } : {}) },
      'wecom message sent',
    );
  }

  /**
   * A burst about one ticket becomes one group post: the group robot is shared by every ticket at 18 posts a
   * minute, so posts about the same topic that are still waiting when the first of them goes out are taken
   * with it (in their order, as long as the merged text stays within WeCom's byte limit and MAX_MERGED), and
   * other tickets' posts are not kept waiting behind them. Partners are claimed (`mergedInto`) before the send;
   * a head claimed again after a crash (uncertain) takes back the partners its first attempt held.
   * Returns the merged payload and the partners' ids, or null when there is nothing to merge.
   */
  private async coalesce(head: OutboxDoc): Promise<{ payload: Record<string, unknown>; ids: Types.ObjectId[] } | null> {
    const lease = new Date(this.clock.now().getTime() + this.leaseMs);
    let payload = head.payload;
    const ids: Types.ObjectId[] = [];
    if (head.uncertain) {
      const held = await OutboxModel.find({ mergedInto: head._id, status: 'sending' }).sort({ createdAt: 1, _id: 1 }).lean<OutboxDoc[]>();
      for (const p of held) {
        const next = mergePosts(payload, p.payload);
        if (!next) {
          await this.releasePartners([p._id]);
          continue;
        }
        await OutboxModel.updateOne({ _id: p._id, status: 'sending' }, { $set: { leaseUntil: lease } });
        payload = next;
        ids.push(p._id);
      }
    }
    const waiting = await OutboxModel.find({
      recipient: head.recipient,
      topic: head.topic,
      status: 'pending',
      $or: [{ createdAt: { $gt: head.createdAt } }, { createdAt: head.createdAt, _id: { $gt: head._id } }],
    })
      .sort({ createdAt: 1, _id: 1 })
      .limit(MAX_MERGED)
      .lean<OutboxDoc[]>();
    for (const p of waiting) {
      if (ids.length >= MAX_MERGED) break;
      const next = mergePosts(payload, p.payload);
      if (!next) break;
      const taken = await OutboxModel.updateOne(
        { _id: p._id, status: 'pending' },
        { $set: { status: 'sending', leaseUntil: lease, mergedInto: head._id } },
      );
      // Someone else has it (another instance): stop here, so the later ones keep their order behind it.
      if (taken.modifiedCount !== 1) break;
      payload = next;
      ids.push(p._id);
    }
    return ids.length ? { payload, ids } : null;
  }

  private async releasePartners(ids: Types.ObjectId[]): Promise<void> {
    await OutboxModel.updateMany(
      { _id: { $in: ids }, status: 'sending' },
      { $set: { status: 'pending', leaseUntil: null, mergedInto: null } },
    );
  }

  /**
   * Partners of a coalesced send whose sender died between marks: sent with their head if it was sent, back in
   * the queue if it was not; left alone while the head itself is still being sent (its next attempt takes them).
   */
  private async settleStrayPartners(now: Date): Promise<void> {
    const strays = await OutboxModel.find(
      { status: 'sending', mergedInto: { $ne: null }, leaseUntil: { $lt: now } },
      { _id: 1, mergedInto: 1 },
    )
      .limit(100)
      .lean<Pick<OutboxDoc, '_id' | 'mergedInto'>[]>();
    for (const s of strays) {
      const head = await OutboxModel.findById(s.mergedInto, { status: 1, sentAt: 1 }).lean<Pick<OutboxDoc, 'status' | 'sentAt'>>();
      if (head?.status === 'sending') continue;
      if (head?.status === 'sent')
        await OutboxModel.updateOne({ _id: s._id, status: 'sending' }, { $set: { status: 'sent', sentAt: head.sentAt, leaseUntil: null } });
      else await this.releasePartners([s._id]);
    }
  }

  private async afterFailedSend(doc: OutboxDoc, e: unknown): Promise<void> {
    const err = e instanceof WecomApiError ? e : new WecomApiError(undefined, (e as Error).message);
    const attempts = doc.attempts + 1;
    if (doc.kind === 'response_url' && doc.uncertain && err.errcode === RESPONSE_URL_USED) {
      // Only this item ever held the URL: "already used" means the attempt whose sent mark was lost in a
      // crash went through. Falling back to a group post now would tell the reporter twice.
      await OutboxModel.updateOne(
        { _id: doc._id, status: 'sending' },
        { $set: { status: 'sent', sentAt: this.clock.now(), leaseUntil: null, lastError: err.message }, $inc: { attempts: 1 } },
      );
      log.info({ outboxId: String(doc._id), bot: doc.bot }, 'response_url already used by an earlier attempt, not sent again');
      return;
    }
    if (!err.retryable || attempts >= this.maxAttempts) return this.fail(doc, err.message, attempts);
    const delay = err.busy ? Math.max(this.busyDelayMs, this.backoff(attempts)) : this.backoff(attempts);
    log.warn(
      { outboxId: String(doc._id), bot: doc.bot, kind: doc.kind, attempts, errcode: err.errcode, delayMs: delay },
      'wecom send failed, will retry',
    );
    await this.release(doc, { nextAttemptAt: new Date(this.clock.now().getTime() + delay), lastError: err.message, attempts });
  }

  private backoff(attempts: number): number {
    return backoffDelay(OUTBOX_BACKOFF, attempts);
  }

  private async release(doc: OutboxDoc, set: { nextAttemptAt: Date; lastError?: string; attempts?: number }): Promise<void> {
    await OutboxModel.updateOne({ _id: doc._id, status: 'sending' }, { $set: { status: 'pending', leaseUntil: null, ...set } });
  }

  private async fail(doc: OutboxDoc, error: string, attempts = doc.attempts): Promise<void> {
    // The fallback is stored before the original is marked failed (once, keyed by the original): a crash in
    // between repeats the attempt instead of losing the message.
    if (doc.fallback) {
      const [id] = await this.enqueue(doc.bot, [doc.fallback], `fallback:${String(doc._id)}`);
      log.info({ outboxId: String(doc._id), fallbackId: id }, 'wecom message falls back');
    }
    await OutboxModel.updateOne(
      { _id: doc._id, status: 'sending' },
      { $set: { status: 'failed', leaseUntil: null, lastError: error, attempts } },
    );
    log.error({ outboxId: String(doc._id), bot: doc.bot, kind: doc.kind, attempts, err: error }, 'wecom message failed for good');
  }

  private call(bot: BotConfig, doc: OutboxDoc): Promise<unknown> {
    const app = { corpId: bot.wecom.corpId, secret: bot.wecom.secret };
    switch (doc.kind) {
      case 'app':
        // A message sent just before a crash whose "sent" mark was lost goes out again after the lease: WeCom's
        // duplicate check (message/send) drops an identical body within the interval, so the user sees it once.
        return this.client.callApi(app, '/cgi-bin/message/send', {
          ...doc.payload,
          enable_duplicate_check: 1,
          duplicate_check_interval: DUPLICATE_CHECK_S,
        });
      case 'appchat':
        return this.client.callApi(app, '/cgi-bin/appchat/send', doc.payload);
      case 'update_card':
        return this.client.callApi(app, '/cgi-bin/message/update_template_card', doc.payload);
      case 'webhook':
        if (!bot.wecom.webhookKey) throw new WecomApiError(0, 'no webhookKey configured');
        return this.client.webhook(bot.wecom.webhookKey, doc.payload);
      case 'response_url':
        return this.client.responseUrl(doc.url ?? '', doc.payload);
      case 'aibot_ws':
        if (!this.socket) throw new WecomApiError(undefined, 'no long connection on this instance');
        return this.socket.send(doc.bot, doc.payload);
    }
  }
}

type WebhookPayload = { msgtype?: string; text?: { content?: string; mentioned_list?: string[] }; markdown?: { content?: string } };

/**
 * Two group robot bodies as one, or null when they cannot be one post (a card) or the result would pass WeCom's
 * byte limit (text 2048, markdown 4096 UTF-8 bytes). Text stays text (mentions joined); with any markdown the
 * result is markdown, a text's mentions written as `<@userid>`.
 */
export function mergePosts(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> | null {
  const x = a as WebhookPayload;
  const y = b as WebhookPayload;
  const kinds = [x.msgtype, y.msgtype];
  if (!kinds.every((k) => k === 'text' || k === 'markdown')) return null;
  if (kinds.every((k) => k === 'text')) {
    const content = `${x.text?.content ?? ''}\n\n${y.text?.content ?? ''}`;
    if (Buffer.byteLength(content, 'utf8') > LIMITS.text) return null;
    const mentions = [...new Set([...(x.text?.mentioned_list ?? []), ...(y.text?.mentioned_list ?? [])])];
    return { msgtype: 'text', text: { content, ...(mentions.length ? { mentioned_list: mentions } : {}) } };
  }
  const asMarkdown = (p: WebhookPayload): string => {
    if (p.msgtype === 'markdown') return p.markdown?.content ?? '';
    const content = p.text?.content ?? '';
    const mentions = (p.text?.mentioned_list ?? []).filter((u) => u !== '@all' && !content.includes(`<@${u}>`));
    return mentions.length ? `${content} ${mentions.map((u) => `<@${u}>`).join(' ')}` : content;
  };
  const content = `${asMarkdown(x)}\n\n${asMarkdown(y)}`;
  if (Buffer.byteLength(content, 'utf8') > LIMITS.webhookMarkdown) return null;
  return { msgtype: 'markdown', markdown: { content } };
}

import { backoffDelay, INBOX_BACKOFF } from '../jobs/backoff.js';
import mongoose, { Schema, Types } from 'mongoose';
import type { Clock } from '../clock.js';
import { isDatabaseAway, whileDatabaseAway } from '../db/while-down.js';
import { log } from '../log.js';
import type { InboundMessage } from './types.js';

/** Longest a waiting message is held back while callbacks are being stored (ms; see Inbox.limit). */
const STARVE_MS = 1000;

/** Entries the sweep hands to the queues at a time (beyond those already queued here). */
const SWEEP_BATCH = 200;

export type InboxStatus = 'pending' | 'processing' | 'done' | 'failed' | 'ignored';

export interface InboxDoc {
  _id: Types.ObjectId;
  bot: string;
  channel: 'aibot' | 'app';
  dedupeKey: string;
  msgId: string;
  type: InboundMessage['type'];
  chatType: 'group' | 'single';
  chatId: string | null;
  from: { userid: string; name?: string };
  text: string;
  event?: InboundMessage['event'];
  responseUrl?: string;
  /** Long connection: the callback frame's req_id (answered with aibot_respond_msg / welcome / update). */
  reqId?: string;
  /** The one passive answer (response_url, or the req_id's respond frame) has been taken. */
  responseUrlUsed?: boolean;
  /** The idempotency key of the reply that took it (that reply may take it again; see OutboxMessenger). */
  responseUrlKey?: string;
  imageUrl?: string;
  receivedAt: Date;
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  leaseUntil: Date | null;
  lastError: string | null;
  processedAt: Date | null;
  /** How flood control handled it, when it did (src/wecom/flood.ts). */
  flood?: 'throttled' | 'repeat';
}

const inboxSchema = new Schema<InboxDoc>(
  {
    bot: { type: String, required: true },
    channel: { type: String, required: true },
    dedupeKey: { type: String, required: true },
    msgId: { type: String, required: true },
    type: { type: String, required: true },
    chatType: { type: String, required: true },
    chatId: { type: String, default: null },
    from: { userid: { type: String, required: true }, name: String },
    text: { type: String, default: '' },
    event: { type: Schema.Types.Mixed },
    responseUrl: String,
    reqId: String,
    responseUrlUsed: { type: Boolean, default: false },
    responseUrlKey: String,
    imageUrl: String,
    receivedAt: { type: Date, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: null },
    leaseUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    processedAt: { type: Date, default: null },
    flood: { type: String },
  },
  { collection: 'inbox', versionKey: false },
);
inboxSchema.index({ bot: 1, channel: 1, dedupeKey: 1 }, { unique: true });
inboxSchema.index({ status: 1, nextAttemptAt: 1 });
// Flood control looks at one sender's recent messages.
inboxSchema.index({ bot: 1, 'from.userid': 1, receivedAt: -1 });

export const InboxModel = mongoose.models.inbox ?? mongoose.model<InboxDoc>('inbox', inboxSchema);

export function toMessage(d: InboxDoc): InboundMessage {
  return {
    id: String(d._id),
    bot: d.bot,
    channel: d.channel,
    msgId: d.msgId,
    type: d.type,
    chatType: d.chatType,
    chatId: d.chatId ?? null,
    from: d.from.name ? { userid: d.from.userid, name: d.from.name } : { userid: d.from.userid },
    text: d.text,
    ...(d.event ? { event: d.event } : {}),
    ...(d.responseUrl ? { responseUrl: d.responseUrl } : {}),
    ...(d.reqId ? { reqId: d.reqId } : {}),
    ...(d.imageUrl ? { imageUrl: d.imageUrl } : {}),
    receivedAt: d.receivedAt,
  };
}

/**
 * The document as the inbox schema would store it, built without a mongoose document: constructing one cost
 * about 12 % of the service's CPU on the acknowledgement path in the storm bench. Fields left undefined are
 * dropped (the driver would store them as null), also inside `from` and `event`.
 */
function storedShape(doc: Omit<InboxDoc, 'responseUrlKey' | 'flood'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (v === undefined) continue;
    out[k] = k === 'from' || k === 'event' ? Object.fromEntries(Object.entries(v as object).filter(([, x]) => x !== undefined)) : v;
  }
  return out;
}

export interface InboxOptions {
  pollMs?: number;
  maxAttempts?: number;
  /**
   * How long a claim holds without renewal (ms). Processing renews it every third of this, so a message
   * whose process died is taken over within one lease (default 15 s: renewed every 5 s), while a slow one is
   * not run twice unless its process stalls longer than that (processing is idempotent even then).
   */
  leaseMs?: number;
  /**
   * Messages handled at the same time (default 4). Processing a storm must not starve the acknowledgement
   * path: callbacks are answered once stored, and the backlog is worked off a few at a time.
   */
  concurrency?: number;
  /** Longest wait (ms) to gather callbacks into one insert (group commit; default 2). */
  batchMs?: number;
}

export type NewEntry = Omit<
  InboxDoc,
  '_id' | 'attempts' | 'nextAttemptAt' | 'leaseUntil' | 'lastError' | 'processedAt' | 'responseUrlUsed'
>;

/**
 * The durable inbox: a verified callback is stored (unique per bot, channel and dedupe key) before it is
 * acknowledged, then processed. Processing claims the entry atomically, so a duplicate delivery, a second
 * instance or a retry never handles it twice; a failure is retried with backoff, a crash after the lease.
 */
export class Inbox {
  private timer: NodeJS.Timeout | undefined;
  /** The sweep's scan in progress (one at a time). */
  private running: Promise<void> | undefined;
  private scansSkipped = 0;
  /** Processing the sweep started (taken-over entries), until it ends. */
  private takeovers = new Set<Promise<void>>();
  private inflight = new Set<Promise<void>>();
  private stopped = true;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly batchMs: number;
  /** Per sender: the tail of their queue, so one person's messages are handled one after another, in order. */
  private chains = new Map<string, Promise<void>>();
  /** Ids waiting or running in this process (the sweep leaves fresh pending ones to them). */
  private queued = new Set<string>();
  private active = 0;
  private waiting: (() => void)[] = [];
  /** Callbacks being stored right now: while there are any, processing runs one message at a time. */
  private acking = 0;
  private batch: { doc: Record<string, unknown>; done: (r: InboxDoc | null) => void; fail: (e: unknown) => void }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** When processing last started (performance.now(), ms), and the timer that lets a starved one start. */
  private lastStart = 0;
  private starveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly handle: (msg: InboundMessage) => Promise<void>,
    opts: InboxOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.leaseMs = opts.leaseMs ?? 15_000;
    this.concurrency = opts.concurrency ?? 4;
    this.batchMs = opts.batchMs ?? 2;
  }

  /**
   * Stores the entry and resolves once it is durable; null when it is a duplicate delivery. Entries arriving
   * within `batchMs` of each other go to the database as one insert (group commit): one round trip and one
   * commit for a burst, each caller still answered only after its own entry is stored.
   */
  record(entry: NewEntry): Promise<InboxDoc | null> {
    const doc = storedShape({
      _id: new Types.ObjectId(),
      ...entry,
      chatId: entry.chatId ?? null,
      text: entry.text ?? '',
      responseUrlUsed: false,
      attempts: 0,
      nextAttemptAt: entry.status === 'pending' ? entry.receivedAt : null,
      leaseUntil: entry.status === 'processing' ? new Date(this.clock.now().getTime() + this.leaseMs) : null,
      lastError: null,
      processedAt: null,
    });
    this.acking++;
    const settled = () => {
      this.acking--;
      if (this.acking === 0) this.wake();
    };
    return new Promise<InboxDoc | null>((done, fail) => {
      this.batch.push({ doc, done, fail });
      if (this.batch.length >= 200) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), this.batchMs);
    }).finally(settled);
  }

  private async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.batch.splice(0);
    if (batch.length === 0) return;
    try {
      await InboxModel.collection.insertMany(
        batch.map((b) => b.doc),
        { ordered: false },
      );
    } catch (e) {
      // The plain case of a repeat delivery: the only errors are duplicate keys, everything else was stored.
      // Anything else (a network error, the database restarting) fails every caller of the batch: a caller
      // whose entry was in fact stored gets a 500, WeCom delivers again, that is a duplicate and the stored
      // entry is processed by the sweep. Never acknowledge what may not be stored.
      const writeErrors = (e as { writeErrors?: { index: number; code?: number; err?: { code?: number } }[] }).writeErrors;
      const onlyDuplicates =
        Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
      if (!onlyDuplicates) {
        for (const b of batch) b.fail(e);
        return;
      }
      const duplicate = new Set(writeErrors.map((w) => w.index));
      for (const [i, b] of batch.entries()) b.done(duplicate.has(i) ? null : (b.doc as unknown as InboxDoc));
      return;
    }
    for (const b of batch) b.done(b.doc as unknown as InboxDoc);
  }

  /**
   * Processes a stored entry in the background (the HTTP answer does not wait for it): after the sender's
   * earlier messages (the second of two identical reports sees the first one's ticket), at most
   * `concurrency` at a time. `takeover`: an entry the sweep found (left pending by a crash, failed and due,
   * or claimed by a process whose lease ran out), claimed only while it is still in that state.
   */
  process(
    entry: Types.ObjectId | string | Pick<InboxDoc, '_id' | 'bot' | 'from'>,
    opts: { takeover?: boolean } = {},
  ): Promise<void> | undefined {
    if (this.stopped) return undefined;
    const id = typeof entry === 'object' && '_id' in entry ? String(entry._id) : String(entry);
    const key = typeof entry === 'object' && 'from' in entry ? `${entry.bot}:${entry.from.userid}` : id;
    if (this.queued.has(id)) return undefined;
    this.queued.add(id);
    const run = async () => {
      await this.slot();
      try {
        if (!this.stopped)
          await this.claimAndRun({ _id: id, ...(opts.takeover ? this.dueFilter(0) : { status: 'pending' }) }, opts.takeover);
      } finally {
        this.release();
        this.queued.delete(id);
      }
    };
    const p: Promise<void> = (this.chains.get(key) ?? Promise.resolve()).then(run).catch((e: unknown) => {
      log.error({ inboxId: id, err: (e as Error).message }, 'inbox processing crashed');
    });
    this.chains.set(key, p);
    void p.finally(() => {
      this.inflight.delete(p);
      if (this.chains.get(key) === p) this.chains.delete(key);
    });
    this.inflight.add(p);
    return p;
  }

  /**
   * Acknowledgements come first: while callbacks are being stored (a storm), no new processing starts, except
   * one message at a time once the queue has waited `STARVE_MS` since the last start (a storm that never
   * pauses still sees its first replies within seconds); it goes back to `concurrency` when the callbacks
   * pause. Measured (`npm run bench -- storm`): letting one message run beside the callbacks all the time put
   * 20–60 acknowledgements of a 50-sender storm at 0.3–1 s.
   */
  private limit(): number {
    if (this.acking === 0) return this.concurrency;
    return this.active === 0 && performance.now() - this.lastStart >= STARVE_MS ? 1 : 0;
  }

  /** True while callbacks are being stored: background work (the outbox sender, the sweep) lets them go first. */
  acknowledging(): boolean {
    return this.acking > 0;
  }

  private slot(): Promise<void> {
    if (this.active < this.limit()) {
      this.active++;
      this.lastStart = performance.now();
      return Promise.resolve();
    }
    this.wakeWhenStarved();
    return new Promise((res) => this.waiting.push(res));
  }

  /** While callbacks hold processing back, looks again after `STARVE_MS` (see limit()). */
  private wakeWhenStarved(): void {
    if (this.starveTimer || this.acking === 0) return;
    this.starveTimer = setTimeout(() => {
      this.starveTimer = undefined;
      this.wake();
      if (this.waiting.length) this.wakeWhenStarved();
    }, STARVE_MS);
    this.starveTimer.unref();
  }

  private release(): void {
    this.active--;
    this.wake();
  }

  private wake(): void {
    while (this.waiting.length && this.active < this.limit()) {
      this.active++;
      this.lastStart = performance.now();
      this.waiting.shift()?.();
    }
  }

  /** Marks an entry handled; waits out a database restart (the work is done: running it again is what we avoid). */
  async markDone(id: Types.ObjectId): Promise<void> {
    await whileDatabaseAway(
      () => InboxModel.updateOne({ _id: id }, { $set: { status: 'done', processedAt: this.clock.now(), leaseUntil: null } }),
      { what: 'inbox done mark' },
    );
  }

  /**
   * Marks an entry failed, to be retried with backoff (5 s doubling) until `maxAttempts`. `databaseAway`: it
   * failed because the database was unreachable, not because of the message: retried in 2 s and not counted
   * (callers pass the attempts before this one), so a database restart never uses up a message's attempts.
   */
  async markFailed(id: Types.ObjectId, attempts: number, error: string, databaseAway = false): Promise<void> {
    const final = !databaseAway && attempts >= this.maxAttempts;
    const delay = databaseAway ? 2000 : this.backoff(attempts);
    await whileDatabaseAway(
      () =>
        InboxModel.updateOne(
          { _id: id },
          {
            $set: {
              status: 'failed',
              attempts,
              lastError: error.slice(0, 500),
              leaseUntil: null,
              nextAttemptAt: final ? null : new Date(this.clock.now().getTime() + delay),
            },
          },
        ),
      { what: 'inbox failed mark' },
    );
    log[final ? 'error' : 'warn']({ inboxId: String(id), attempts, final }, 'inbound message processing failed');
  }

  private backoff(attempts: number): number {
    return backoffDelay(INBOX_BACKOFF, attempts);
  }

  private async claimAndRun(filter: Record<string, unknown>, takeover = false): Promise<boolean> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const before = await InboxModel.findOneAndUpdate(
      filter,
      { $set: { status: 'processing', leaseUntil }, $inc: { attempts: 1 } },
      { returnDocument: 'before', sort: { receivedAt: 1 } },
    ).lean<InboxDoc>();
    if (!before) return false;
    const doc: InboxDoc = { ...before, status: 'processing', leaseUntil, attempts: before.attempts + 1 };
    if (takeover && before.status !== 'failed') {
      // Left behind by a process that died: its claim ran out (`processing`) or it never began (`pending`).
      log.warn({ inboxId: String(doc._id), was: before.status, receivedAt: doc.receivedAt }, 'inbox entry taken over');
    }
    const renew = setInterval(() => {
      const until = new Date(this.clock.now().getTime() + this.leaseMs);
      InboxModel.updateOne({ _id: doc._id, status: 'processing', attempts: doc.attempts }, { $set: { leaseUntil: until } }).catch(
        () => undefined, // the database is away: the lease simply runs out and the sweep takes over
      );
    }, this.leaseMs / 3);
    renew.unref();
    try {
      await this.handle(toMessage(doc));
      await this.markDone(doc._id);
    } catch (e) {
      const away = isDatabaseAway(e);
      await this.markFailed(doc._id, away ? doc.attempts - 1 : doc.attempts, (e as Error).message ?? 'error', away);
    } finally {
      clearInterval(renew);
    }
    return true;
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      void this.sweep();
      this.timer = setTimeout(tick, this.pollMs);
      this.timer.unref();
    };
    tick();
  }

  /**
   * What the sweep takes over: pending entries whose kick was lost (a crash between storing and processing;
   * `pendingAgeMs` old, so a callback just stored by another instance is left to it), failed ones due for a
   * retry, and claims whose lease ran out (their process died).
   */
  private dueFilter(pendingAgeMs: number): Record<string, unknown> {
    const now = this.clock.now();
    return {
      $or: [
        { status: 'pending', nextAttemptAt: { $lte: new Date(now.getTime() - pendingAgeMs) } },
        { status: 'failed', nextAttemptAt: { $ne: null, $lte: now } },
        { status: 'processing', leaseUntil: { $lt: now } },
      ],
    };
  }

  /**
   * Picks up entries nobody finished (see dueFilter) and hands them to the same queues as fresh callbacks:
   * in each sender's order and `concurrency` at a time (after a crash the backlog is worked off in parallel,
   * not one message per sweep). Entries already queued in this process are skipped.
   */
  sweep(): Promise<void> {
    this.running ??= this.scan().finally(() => {
      this.running = undefined;
    });
    // Resolves once what this look found, and what earlier looks (the poller's) handed over, is processed.
    return this.running.then(async () => {
      while (this.takeovers.size) await Promise.allSettled([...this.takeovers]);
    });
  }

  /** One look for due entries; hands them to the queues (their processing is not awaited here). */
  private async scan(): Promise<void> {
    try {
      if (this.stopped) return;
      // A look at the whole inbox competes with the callbacks' inserts: skipped while they are being stored,
      // but at most 5 times in a row, so what a dead process left is still taken over within seconds.
      if (this.acking > 0 && this.scansSkipped < 5) {
        this.scansSkipped++;
        return;
      }
      this.scansSkipped = 0;
      const due = await InboxModel.find(this.dueFilter(2000), { _id: 1, bot: 1, from: 1 })
        .sort({ receivedAt: 1 })
        .limit(SWEEP_BATCH + this.queued.size)
        .lean<Pick<InboxDoc, '_id' | 'bot' | 'from'>[]>();
      for (const d of due) {
        const p = this.queued.has(String(d._id)) ? undefined : this.process(d, { takeover: true });
        if (!p) continue;
        this.takeovers.add(p);
        void p.finally(() => this.takeovers.delete(p));
      }
    } catch (e) {
      log.error({ err: (e as Error).message }, 'inbox sweep failed');
    }
  }

  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.starveTimer) clearTimeout(this.starveTimer);
    this.wake();
    await this.running;
    await Promise.allSettled([...this.inflight]);
  }

  /** Resolves when every background processing started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.inflight.size || this.running) {
      await Promise.allSettled([...this.inflight, this.running]);
    }
  }
}

import mongoose, { Schema } from 'mongoose';

/** A long connection as the operator sees it (CONTRACTS.md: `/healthz` → `"wecom": {"<bot>": …}`). */
export type LinkState = 'connected' | 'connecting' | 'down';

/**
 * One document per long-connection bot (`wecom_leases`, _id = bot id): which service instance may hold the bot's
 * WebSocket and until when, and what that holder last said about the connection. WeCom keeps one active
 * connection per bot and a new one kicks the old, so instances must agree on a single holder; the lease is that
 * agreement. Times are wall-clock milliseconds of the instances (keep their clocks in sync, e.g. NTP).
 */
export interface LeaseDoc {
  _id: string;
  /** `<host>:<pid>:<random>` of the holding instance, or null after a graceful release. */
  holder: string | null;
  /** The holder must renew before this instant; afterwards any instance may take the lease. */
  until: Date;
  /** The holder's connection state and since when (set on every change, so health is readable anywhere). */
  state: LinkState;
  stateSince: Date;
}

const leaseSchema = new Schema<LeaseDoc>(
  {
    _id: { type: String, required: true },
    holder: { type: String, default: null },
    until: { type: Date, required: true },
    state: { type: String, required: true, default: 'connecting' },
    stateSince: { type: Date, required: true },
  },
  { collection: 'wecom_leases', versionKey: false },
);

export const LeaseModel = mongoose.models.wecom_leases ?? mongoose.model<LeaseDoc>('wecom_leases', leaseSchema);

/**
 * The lease of one bot's long connection for one service instance. Every call is one atomic single-document
 * update guarded by the holder (no transactions), so two instances can never both believe they hold it.
 */
export class ConnectionLease {
  constructor(
    readonly bot: string,
    readonly holder: string,
    /** How long a renewal keeps the lease (ms). */
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the lease when it is free, expired or already ours; true when this instance holds it afterwards. */
  async acquire(): Promise<boolean> {
    const now = this.now();
    const free = { _id: this.bot, $or: [{ holder: this.holder }, { holder: null }, { until: { $lt: new Date(now) } }] };
    const set = { holder: this.holder, until: new Date(now + this.ttlMs), state: 'connecting', stateSince: new Date(now) };
    const res = await LeaseModel.updateOne(free, { $set: set });
    if (res.matchedCount === 1) return true;
    try {
      // No document yet: the first instance to insert it wins; the others get a duplicate key.
      await LeaseModel.create({ _id: this.bot, ...set });
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === 11000) return false;
      throw e;
    }
  }

  /** Extends our lease; false when another instance holds it now (we lost it and must let go of the socket). */
  async renew(): Promise<boolean> {
    const now = this.now();
    const res = await LeaseModel.updateOne({ _id: this.bot, holder: this.holder }, { $set: { until: new Date(now + this.ttlMs) } });
    return res.matchedCount === 1;
  }

  /** Records the connection state for health checks on every instance (only while we hold the lease). */
  async report(state: LinkState): Promise<void> {
    await LeaseModel.updateOne({ _id: this.bot, holder: this.holder }, { $set: { state, stateSince: new Date(this.now()) } });
  }

  /** Gives the lease up at once (graceful stop), so a standby instance takes over without waiting for expiry. */
  async release(): Promise<void> {
    const now = new Date(this.now());
    await LeaseModel.updateOne(
      { _id: this.bot, holder: this.holder },
      { $set: { holder: null, until: now, state: 'down', stateSince: now } },
    );
  }
}

/**
 * The state of each bot's long connection as seen from any instance: `connected` when a live holder says so;
 * `connecting` while a holder is trying, or nobody holds it, for less than `downAfterMs`; `down` after that, or
 * when the holder reports `down` (e.g. kicked by a foreign client). `sinceStart` covers bots never connected.
 */
export async function linkStates(
  bots: string[],
  downAfterMs: number,
  sinceStart: number,
  now = Date.now(),
): Promise<Record<string, LinkState>> {
  const docs = await LeaseModel.find({ _id: { $in: bots } }).lean<LeaseDoc[]>();
  const byBot = new Map(docs.map((d) => [d._id, d]));
  const out: Record<string, LinkState> = {};
  for (const bot of bots) {
    const d = byBot.get(bot);
    const live = d?.holder && d.until.getTime() >= now;
    if (live && d.state === 'connected') out[bot] = 'connected';
    else if (live && d.state === 'down') out[bot] = 'down';
    else {
      const since = live ? d.stateSince.getTime() : Math.max(d?.until.getTime() ?? 0, sinceStart);
      out[bot] = now - since < downAfterMs ? 'connecting' : 'down';
    }
  }
  return out;
}

import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';

/**
 * Outage storms: while one report of "system X is down" is being turned into a ticket, every other report of
 * the same system must wait for that ticket and merge into it, across processes and instances. One lock
 * document per (bot, system) does it without transactions: taking the lock is an upsert whose filter only
 * matches a lapsed lock, so of N concurrent reporters exactly one inserts/updates and the others hit the
 * unique _id (E11000) and become followers.
 */
interface StormLockDoc {
  _id: string;
  owner: string;
  /** The ticket everyone merges into; null while the owner is still creating it. */
  no: number | null;
  since: Date;
  /** The storm lasts while reports keep coming: every merge pushes this out by the window. */
  until: Date;
}

const stormSchema = new Schema<StormLockDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    no: { type: Number, default: null },
    since: { type: Date, required: true },
    until: { type: Date, required: true },
  },
  { collection: 'storm_locks', versionKey: false },
);

export const StormLock =
  (mongoose.models.StormLock as mongoose.Model<StormLockDoc>) ?? mongoose.model<StormLockDoc>('StormLock', stormSchema);

const lockId = (bot: string, system: string) => `${bot}:${system}`;

export type StormSeat = { role: 'owner'; token: string } | { role: 'follower'; no: number };

export interface StormOptions {
  now: () => Date;
  windowMs: number;
  /** How long a follower waits for the owner's ticket number before taking over (owner crashed). */
  waitMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const isDup = (e: unknown) => (e as { code?: number }).code === 11000;

/** Takes the storm lock of (bot, system), or learns the ticket of the storm already running. */
export async function joinStorm(bot: string, system: string, opts: StormOptions): Promise<StormSeat> {
  const _id = lockId(bot, system);
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (;;) {
    const now = opts.now();
    const token = randomUUID();
    try {
      await StormLock.findOneAndUpdate(
        { _id, until: { $lte: now } },
        { $set: { owner: token, no: null, since: now, until: new Date(now.getTime() + opts.windowMs) } },
        { upsert: true },
      );
      return { role: 'owner', token };
    } catch (e) {
      if (!isDup(e)) throw e;
    }
    const lock = await StormLock.findById(_id).lean<StormLockDoc>();
    if (lock?.no != null) return { role: 'follower', no: lock.no };
    if (!lock) continue; // released between our two reads: try to take it again
    if (Date.now() > deadline) {
      // The owner never published a ticket (crashed mid-way): take over its lock.
      const took = await StormLock.findOneAndUpdate({ _id, owner: lock.owner, no: null }, { $set: { owner: token, since: now } });
      if (took) return { role: 'owner', token };
      continue;
    }
    await sleep(opts.pollMs ?? 25);
  }
}

/** The owner publishes the storm's ticket; followers waiting on the lock merge into it. */
export async function publishStormTicket(bot: string, system: string, token: string, no: number): Promise<void> {
  await StormLock.updateOne({ _id: lockId(bot, system), owner: token }, { $set: { no } });
}

/** The owner could not open a ticket: free the lock so the next report tries. */
export async function releaseStorm(bot: string, system: string, token: string): Promise<void> {
  await StormLock.deleteOne({ _id: lockId(bot, system), owner: token });
}

/** A report merged into the storm's ticket keeps the storm alive for another window. */
export async function extendStorm(bot: string, system: string, no: number, now: Date, windowMs: number): Promise<void> {
  await StormLock.updateOne(
    { _id: lockId(bot, system), no, until: { $lt: new Date(now.getTime() + windowMs) } },
    { $set: { until: new Date(now.getTime() + windowMs) } },
  );
}

/**
 * The storm's ticket is finished (resolved, closed, cancelled) or merging was refused: replace the lock so the
 * next report opens a fresh ticket. Only the lock pointing at that ticket is replaced.
 */
export async function endStorm(bot: string, system: string, no: number): Promise<void> {
  await StormLock.deleteOne({ _id: lockId(bot, system), no });
}

import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';

/**
 * One document per (bot, system) that makes incident declaration and counting safe across concurrent messages
 * and service instances without transactions (single-document atomic updates only):
 * - `reports`: recent reports of the system that could be part of an outage (not limited to one bed, device or
 *   user), pushed atomically; the threshold (≥ N reporters in ≥ M departments within the window) is read from them.
 * - `owner`/`no`: the declared incident. Declaring is an update whose filter only matches "no owner", so of N
 *   concurrent declarers exactly one wins (modifiedCount 1) and creates the incident; the others wait for its
 *   number and link to it. An owner that never publishes (crashed) is taken over after `waitMs`.
 */
interface IncidentLockDoc {
  _id: string;
  owner: string | null;
  /** The incident ticket; null while the owner is still creating it (or none declared). */
  no: number | null;
  since: Date | null;
  reports: WatchedReport[];
}

/** A report that counts toward declaring an incident. */
export interface WatchedReport {
  /** Identifies the entry until its ticket has a number. */
  token: string;
  /** The report's ticket; null while it is being opened (or when it opened linked to the incident). */
  no: number | null;
  userid: string;
  department: string | null;
  symptom: string;
  at: Date;
}

const lockSchema = new Schema<IncidentLockDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, default: null },
    no: { type: Number, default: null },
    since: { type: Date, default: null },
    reports: { type: [Schema.Types.Mixed] as never, default: [] },
  },
  { collection: 'incident_locks', versionKey: false },
);

export const IncidentLock =
  (mongoose.models.IncidentLock as mongoose.Model<IncidentLockDoc>) ?? mongoose.model<IncidentLockDoc>('IncidentLock', lockSchema);

const lockId = (bot: string, system: string) => `${bot}:${system}`;
/** Reports kept per system for counting; older ones drop off (the window is minutes, a hospital has few wards). */
const KEEP = 200;

export type IncidentSeat = { role: 'owner'; token: string } | { role: 'follower'; no: number };

export interface SeatOptions {
  now: () => Date;
  /** How long a follower waits (real ms) for the owner's incident number before taking over (owner crashed). */
  waitMs?: number;
  pollMs?: number;
}

const isDup = (e: unknown) => (e as { code?: number }).code === 11000;

async function ensure(_id: string): Promise<void> {
  try {
    await IncidentLock.updateOne({ _id }, { $setOnInsert: { owner: null, no: null, since: null, reports: [] } }, { upsert: true });
  } catch (e) {
    if (!isDup(e)) throw e; // two first reports at once: the other one inserted it
  }
}

/** The declared incident of (bot, system), if any (its number, or null while none or still being created). */
export async function declaredIncident(bot: string, system: string): Promise<number | null> {
  const lock = await IncidentLock.findById(lockId(bot, system), { no: 1 }).lean<IncidentLockDoc>();
  return lock?.no ?? null;
}

/** Records a report that may count toward an incident; returns the reports of the window (this one included). */
export async function watchReport(bot: string, system: string, report: WatchedReport, windowMs: number): Promise<WatchedReport[]> {
  const _id = lockId(bot, system);
  await ensure(_id);
  await IncidentLock.updateOne({ _id }, { $push: { reports: { $each: [report], $slice: -KEEP } } });
  const lock = await IncidentLock.findById(_id, { reports: 1 }).lean<IncidentLockDoc>();
  const since = report.at.getTime() - windowMs;
  return (lock?.reports ?? []).filter((r) => new Date(r.at).getTime() >= since);
}

/** The recorded reports of the window ending at `now` (read only). */
export async function recentReports(bot: string, system: string, now: Date, windowMs: number): Promise<WatchedReport[]> {
  const lock = await IncidentLock.findById(lockId(bot, system), { reports: 1 }).lean<IncidentLockDoc>();
  const since = now.getTime() - windowMs;
  return (lock?.reports ?? []).filter((r) => new Date(r.at).getTime() >= since);
}

/** A recorded report got its ticket number (so a declarer can link it). */
export async function numberReport(bot: string, system: string, token: string, no: number): Promise<void> {
  await IncidentLock.updateOne({ _id: lockId(bot, system), 'reports.token': token }, { $set: { 'reports.$.no': no } });
}

/** Becomes the declarer of (bot, system)'s incident, or learns the incident being declared or already declared. */
export async function takeSeat(bot: string, system: string, opts: SeatOptions): Promise<IncidentSeat> {
  const _id = lockId(bot, system);
  await ensure(_id);
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  for (;;) {
    const token = randomUUID();
    const won = await IncidentLock.updateOne({ _id, owner: null }, { $set: { owner: token, no: null, since: opts.now() } });
    if (won.modifiedCount === 1) return { role: 'owner', token };
    const lock = await IncidentLock.findById(_id).lean<IncidentLockDoc>();
    if (lock?.no != null) return { role: 'follower', no: lock.no };
    if (!lock?.owner) continue; // released between our two reads: try again
    if (Date.now() > deadline) {
      // The owner never published an incident (crashed mid-way): take over its seat.
      const took = await IncidentLock.updateOne({ _id, owner: lock.owner, no: null }, { $set: { owner: token } });
      if (took.modifiedCount === 1) return { role: 'owner', token };
      continue;
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 25));
  }
}

/** The owner publishes the incident it created; waiting followers link to it. */
export async function publishIncident(bot: string, system: string, token: string, no: number): Promise<void> {
  await IncidentLock.updateOne({ _id: lockId(bot, system), owner: token }, { $set: { no } });
}

/** The owner could not create the incident: free the seat so the next report tries. */
export async function releaseSeat(bot: string, system: string, token: string): Promise<void> {
  await IncidentLock.updateOne({ _id: lockId(bot, system), owner: token, no: null }, { $set: { owner: null } });
}

/**
 * The incident is over (resolved, closed, cancelled): the next outage of the system is a new incident, and reports
 * counted toward this one do not count again. Only the lock pointing at that incident is cleared.
 */
export async function endIncident(bot: string, system: string, no: number): Promise<void> {
  await IncidentLock.updateOne({ _id: lockId(bot, system), no }, { $set: { owner: null, no: null, since: null, reports: [] } });
}

/**
 * Jobs on the service clock. Agenda keeps the jobs in MongoDB and runs them by real time; everything the service
 * decides runs on its own clock (`ctx.clock`: real time in production, a ManualClock in tests, the playground's
 * OffsetClock ahead of real time). This wrapper is the one place where the two meet:
 * - `scheduleAt(name, data, at)` stores a one-off job due at service time `at` (kept as `data.dueAt`) and asks
 *   Agenda to run it at the real instant that corresponds to `at` by the clock's current offset;
 * - `retryLater(job, …)` is the one retry policy of the SLA, resolution and inspection jobs: a run that finds
 *   its job not yet due by the service clock waits until then (never spinning), a failed run is tried again after
 *   the shared backoff (backoff.ts);
 * - `runDue(at)` runs every job due at service time `at` now and resolves when they have run (tests after moving
 *   their clock, so they never wait for real time; the playground after its demo clock jumps).
 */
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, Job } from 'agenda';
import mongoose from 'mongoose';
import { type Clock, systemClock } from '../clock.js';
import { log } from '../log.js';
import { backoffDelay, JOB_BACKOFF } from './backoff.js';

export interface Scheduler {
  agenda: Agenda;
  start(): Promise<void>;
  /** Stops polling and lets running jobs finish for at most `timeoutMs` (then they are unlocked for another instance). */
  stop(timeoutMs?: number): Promise<void>;
  isUp(): boolean;
  /**
   * Stores a one-off job due at service time `at`. `unique` names the data fields that identify it (an existing job
   * with the same values is replaced, or kept with `insertOnly`).
   */
  scheduleAt<D extends object>(
    name: string,
    data: D,
    at: Date,
    opts?: { unique?: Array<keyof D & string>; insertOnly?: boolean },
  ): Promise<void>;
  /**
   * Sets when a run that did nothing is tried again: `notDueUntil` (service time) when the service clock has not
   * reached the job yet, `failed` when the run threw (the shared backoff by the job's failed attempts so far).
   * The job's own save after the run keeps this time.
   */
  retryLater(job: Job<object>, why: { notDueUntil: Date } | { failed: Error }): void;
  /**
   * Runs every one-off job due at service time `at` (default: the clock's now) here and now, in due order, and with
   * `recurring` every recurring job once; resolves with how many ran, after they ran. Throws when a run Agenda had
   * already begun does not end within `timeoutMs` (default 20 s).
   */
  runDue(at?: Date, opts?: { recurring?: boolean; timeoutMs?: number }): Promise<number>;
}

/** A job not due by the service clock is looked at again no sooner than this (real ms): a stopped test clock never spins it. */
const NOT_DUE_MIN_MS = 1_000;
const COLLECTION = 'agendaJobs';

/** Agenda on the same mongoose connection, so there is one driver, one pool and one database. */
export function createScheduler(opts: { processEvery?: number | string; name?: string; clock?: Clock } = {}): Scheduler {
  const db = mongoose.connection.db;
  if (!db) throw new Error('createScheduler: mongoose is not connected');
  const clock = opts.clock ?? systemClock;
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db as never, collection: COLLECTION }),
    processEvery: opts.processEvery ?? '2 seconds',
    name: opts.name ?? `weibao-${process.pid}`,
    defaultLockLifetime: 60_000,
  });
  let up = false;
  agenda.on('error', (err) => log.error({ err: err.message }, 'scheduler error'));
  agenda.on('fail', (err: Error | string, job: { attrs?: { name?: string } }) =>
    log.warn({ job: job?.attrs?.name, err: typeof err === 'string' ? err : err.message }, 'job failed'),
  );
  /** The real instant at which the service clock shows `at`, by its current offset from real time. */
  const realAt = (at: Date) => new Date(at.getTime() - (clock.now().getTime() - Date.now()));
  const jobs = () => mongoose.connection.collection(COLLECTION);

  return {
    agenda,
    async start() {
      await agenda.start();
      up = true;
    },
    async stop(timeoutMs = 10_000) {
      if (!up) return;
      up = false;
      const result = await agenda.drain({ timeout: timeoutMs, closeConnection: false });
      if (result.timedOut) await agenda.stop(false);
    },
    isUp: () => up,

    async scheduleAt(name, data, at, o = {}) {
      const job = agenda.create(name, { ...data, dueAt: at.toISOString() });
      if (o.unique?.length) {
        const keys = Object.fromEntries(o.unique.map((k) => [`data.${k}`, (data as Record<string, unknown>)[k]]));
        job.unique(keys, { insertOnly: o.insertOnly ?? false });
      }
      await job.schedule(realAt(at)).save();
    },

    retryLater(job, why) {
      if ('notDueUntil' in why) {
        job.attrs.nextRunAt = new Date(Math.max(realAt(why.notDueUntil).getTime(), Date.now() + NOT_DUE_MIN_MS));
        return;
      }
      const data = job.attrs.data as { failures?: number };
      const failures = (data.failures ?? 0) + 1;
      job.attrs.data = { ...job.attrs.data, failures };
      job.attrs.nextRunAt = new Date(Date.now() + backoffDelay(JOB_BACKOFF, failures));
    },

    async runDue(at = clock.now(), o = {}) {
      const due = await jobs()
        .find(
          {
            disabled: { $ne: true },
            $or: [
              // One-off jobs still to run (a finished one keeps no next run).
              { repeatInterval: null, nextRunAt: { $ne: null }, 'data.dueAt': { $lte: at.toISOString() } },
              { repeatInterval: null, nextRunAt: { $ne: null, $lte: at }, 'data.dueAt': null },
              ...(o.recurring ? [{ repeatInterval: { $ne: null } }] : []),
            ],
          },
          { projection: { _id: 1, name: 1, repeatInterval: 1 } },
        )
        .sort({ nextRunAt: 1 })
        .toArray();
      const deadline = Date.now() + (o.timeoutMs ?? 20_000);
      let ran = 0;
      for (const d of due) {
        const fn = agenda.definitions[String(d.name)]?.fn as ((job: Job) => Promise<void>) | undefined;
        if (!fn) continue;
        if (d.repeatInterval) {
          // A recurring tick (digests, inspections) decides by the service clock itself: run it once now, outside its
          // schedule, as if its next poll had come.
          await fn(new Job(agenda, { name: String(d.name), type: 'normal', data: {} }));
          ran++;
          continue;
        }
        // Run here rather than waiting for Agenda's next poll, under the same lock Agenda takes, so a poll running
        // at the same moment leaves the job alone (and we wait for a run Agenda had already begun).
        const startedAt = new Date();
        const locked = await jobs().findOneAndUpdate(
          { _id: d._id, lockedAt: null },
          { $set: { lockedAt: startedAt, lastRunAt: startedAt } },
          { returnDocument: 'after' },
        );
        if (!locked) {
          while ((await jobs().countDocuments({ _id: d._id, lockedAt: { $ne: null } })) > 0) {
            if (Date.now() > deadline) throw new Error(`runDue: job ${String(d.name)} due at ${at.toISOString()} is still running`);
            await new Promise((r) => setTimeout(r, 25));
          }
          continue;
        }
        const { _id, ...attrs } = locked;
        const job = new Job(agenda, { ...attrs, _id: _id as never, name: String(locked.name), nextRunAt: null } as never);
        try {
          await fn(job);
        } catch (err) {
          log.warn({ job: locked.name, err: (err as Error).message }, 'job failed');
        }
        // What the run decided (a retry time, data) is kept; a job that removed itself stays gone.
        await jobs().updateOne(
          { _id },
          { $set: { lockedAt: null, lastFinishedAt: new Date(), nextRunAt: job.attrs.nextRunAt ?? null, data: job.attrs.data } },
        );
        ran++;
      }
      return ran;
    },
  };
}

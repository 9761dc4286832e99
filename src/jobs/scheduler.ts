import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import mongoose from 'mongoose';
import { log } from '../log.js';

export interface Scheduler {
  agenda: Agenda;
  start(): Promise<void>;
  /** Stops polling and lets running jobs finish for at most `timeoutMs` (then they are unlocked for another instance). */
  stop(timeoutMs?: number): Promise<void>;
  isUp(): boolean;
}

/** Agenda on the same mongoose connection, so there is one driver, one pool and one database. */
export function createScheduler(opts: { processEvery?: number | string; name?: string } = {}): Scheduler {
  const db = mongoose.connection.db;
  if (!db) throw new Error('createScheduler: mongoose is not connected');
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db as never, collection: 'agendaJobs' }),
    processEvery: opts.processEvery ?? '2 seconds',
    name: opts.name ?? `weibao-${process.pid}`,
    defaultLockLifetime: 60_000,
  });
  let up = false;
  agenda.on('error', (err) => log.error({ err: err.message }, 'scheduler error'));
  agenda.on('fail', (err: Error | string, job: { attrs?: { name?: string } }) =>
    log.warn({ job: job?.attrs?.name, err: typeof err === 'string' ? err : err.message }, 'job failed'),
  );
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
  };
}

import { log } from '../log.js';

/**
 * Is this error the database being unreachable (its process died, is restarting, the connection dropped)
 * rather than a refusal of the operation (duplicate key, validation)? Only the former is worth waiting out.
 */
export function isDatabaseAway(e: unknown): boolean {
  const err = e as { name?: string; message?: string; hasErrorLabel?: (l: string) => boolean } | null;
  if (!err) return false;
  if (
    [
      'MongoNetworkError',
      'MongoNetworkTimeoutError',
      'MongoServerSelectionError',
      'MongoNotConnectedError',
      'MongoPoolClearedError',
      'MongoTopologyClosedError',
    ].includes(err.name ?? '')
  )
    return true;
  if (err.hasErrorLabel?.('ResetPool') || err.hasErrorLabel?.('RetryableWriteError')) return true;
  return /ECONNREFUSED|ECONNRESET|connection .*closed|not connected|before initial connection/i.test(err.message ?? '');
}

export interface WhileDownOptions {
  /** Log name of the write, e.g. `outbox sent mark` (never message text). */
  what: string;
  /** Give up (rethrow) after this long in ms; default 120 000: the embedded database restarts within seconds and the service exits after 10 failed restarts. */
  maxMs?: number;
}

/**
 * Runs a database write, repeating it while the database is away (0.25 s doubling to 4 s between tries) instead
 * of failing the work it records: a message already sent whose "sent" mark is lost would be sent again, an
 * answer not queued would be lost. Other errors are thrown at once. The write must be idempotent (a try that
 * reached the database before the connection broke is repeated).
 */
export async function whileDatabaseAway<T>(fn: () => Promise<T>, opts: WhileDownOptions): Promise<T> {
  const start = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isDatabaseAway(e) || Date.now() - start >= (opts.maxMs ?? 120_000)) throw e;
      if (attempt === 1) log.warn({ what: opts.what, err: (e as Error).message }, 'database away, retrying the write');
      await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (attempt - 1), 4000)));
    }
  }
}

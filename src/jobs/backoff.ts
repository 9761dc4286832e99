/**
 * The one backoff policy for work tried again later: inbox messages whose handling failed, outbox messages WeCom did
 * not take, and scheduled jobs whose run failed. Exponential (×2 per attempt from `firstMs`, capped at `capMs`), no
 * jitter (the retries are already spread by their own arrival times), computed by Agenda's own backoff strategy so
 * jobs and queues share one implementation.
 */
import { backoffStrategies } from 'agenda';

export interface BackoffPolicy {
  /** Delay before the second attempt, in ms. */
  firstMs: number;
  /** Longest delay, in ms. */
  capMs: number;
}

/** A failed inbound message: 5 s, 10 s, 20 s … up to 30 min. */
export const INBOX_BACKOFF: BackoffPolicy = { firstMs: 5_000, capMs: 30 * 60_000 };
/** A send WeCom refused or timed out: 2 s, 4 s, 8 s … up to 10 min (WeCom's per-minute limits recover sooner). */
export const OUTBOX_BACKOFF: BackoffPolicy = { firstMs: 2_000, capMs: 10 * 60_000 };
/** A scheduled job whose run failed (database or outbox trouble): 30 s, 1 min, 2 min … up to 30 min. */
export const JOB_BACKOFF: BackoffPolicy = { firstMs: 30_000, capMs: 30 * 60_000 };

/** The delay in ms before attempt `attempts + 1`, after `attempts` (≥ 1) failed ones. */
export function backoffDelay(policy: BackoffPolicy, attempts: number): number {
  const strategy = backoffStrategies.exponential({
    delay: policy.firstMs,
    maxDelay: policy.capMs,
    factor: 2,
    jitter: 0,
    maxRetries: Number.MAX_SAFE_INTEGER,
  });
  return strategy({ attempt: Math.max(1, attempts), error: new Error('retry'), jobName: '', jobData: null }) ?? policy.capMs;
}

/** Small, explicit statistics so a reader can redo every figure by hand. */

/** Rounded to 4 decimals (rates) — 0.8333. */
export const rate4 = (x: number): number => Math.round(x * 10_000) / 10_000;
/** Minutes rounded to 0.1. */
export const minutes1 = (ms: number): number => Math.round(ms / 6_000) / 10;

/** Median: the middle value, or the mean of the two middle values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1];
}

export function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

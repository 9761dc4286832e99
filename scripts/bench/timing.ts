export interface BenchResult {
  name: string;
  runs: number;
  medianUs: number;
  p99Us: number;
  note?: string;
}

/** Times each call separately (so the median and p99 are per call), after a warm-up for the JIT. */
export function timeEach(fn: (i: number) => unknown, opts: { warmup: number; runs: number }): Omit<BenchResult, 'name'> {
  for (let i = 0; i < opts.warmup; i++) fn(i);
  const us = new Float64Array(opts.runs);
  for (let i = 0; i < opts.runs; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    us[i] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  us.sort();
  const at = (q: number) => us[Math.min(us.length - 1, Math.floor(q * us.length))];
  return { runs: opts.runs, medianUs: at(0.5), p99Us: at(0.99) };
}

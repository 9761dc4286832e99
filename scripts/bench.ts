/**
 * npm run bench [-- <name>]: runs the micro-benchmarks (not timed tests) and prints per-call median / p99 with the machine.
 * Each module adds one entry to `benches`.
 */
import { availableParallelism, cpus } from 'node:os';
import { recordsBench } from './bench/records.js';
import { slaBench } from './bench/sla.js';
import { stormBench } from './bench/storm.js';
import { triageBench } from './bench/triage.js';
import type { BenchResult } from './bench/timing.js';

// storm spawns the service and runs for minutes: only when asked for (npm run bench -- storm).
const benches: Record<string, () => Promise<BenchResult>> = {
  triage: triageBench,
  sla: slaBench,
  records: recordsBench,
  storm: stormBench,
};
const onDemand = new Set(['storm']);

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
console.log(`machine: nproc=${availableParallelism()} cpu="${cpus()[0]?.model ?? 'unknown'}" node=${process.version}`);
for (const [name, run] of Object.entries(benches)) {
  if (only.length ? !only.includes(name) : onDemand.has(name)) continue;
  const r = await run();
  console.log(
    `${r.name}: median ${r.medianUs.toFixed(1)} µs, p99 ${r.p99Us.toFixed(1)} µs (${r.runs} runs)${r.note ? ` — ${r.note}` : ''}`,
  );
}

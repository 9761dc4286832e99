import { readFileSync } from 'node:fs';
import { loadBots } from '../../src/config/bots.js';
import { loadEnv } from '../../src/config/env.js';
import { createTriage } from '../../src/triage/engine.js';
import { loadTriageModel } from '../../src/triage/model.js';
import { type BenchResult, timeEach } from './timing.js';

const MESSAGES = 'test/triage/holdout.jsonl';

/** Triage of one message, cycling through realistic messages (reports, requests, chat, commands). */
export async function triageBench(): Promise<BenchResult> {
  const env = loadEnv();
  const bot = loadBots(env.BOTS_DIR).get('demo')!;
  const started = process.hrtime.bigint();
  const triage = createTriage(bot, loadTriageModel(env.FLOWS_DIR));
  const setupMs = Number(process.hrtime.bigint() - started) / 1e6;
  const texts = readFileSync(MESSAGES, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const result = timeEach((i) => triage(texts[i % texts.length]), { warmup: 2_000, runs: 20_000 });
  return { name: 'triage: one message', ...result, note: `${texts.length} distinct messages; model compile ${setupMs.toFixed(1)} ms` };
}

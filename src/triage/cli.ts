import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CliCommand } from '../cli-command.js';
import { loadEnv } from '../config/env.js';
import { createTriage, type Triage } from './engine.js';
import { loadTriageModel } from './model.js';

/** The contract line: exactly these keys, plus "error" only when the input line was unusable. */
export interface TriageLine {
  id: unknown;
  intent: string | null;
  level: number | null;
  system: string | null;
  /** Every candidate system, the chosen one first; two or more when the message reports several faults. */
  systems: string[];
  reason: string;
  /** Other software (system `software`): the name the message gave it, e.g. "手麻系统". */
  systemName?: string;
  error?: string;
}

/** Triage of one JSONL input line; never throws, so one bad line cannot stop a batch. */
export function triageLine(triage: Triage, line: string): TriageLine {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { id: null, intent: null, level: null, system: null, systems: [], reason: '', error: 'invalid JSON' };
  }
  const obj = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
  const id = obj?.id ?? null;
  if (typeof obj?.text !== 'string')
    return { id, intent: null, level: null, system: null, systems: [], reason: '', error: '"text" must be a string' };
  const r = triage(obj.text);
  return {
    id,
    intent: r.intent,
    level: r.level,
    system: r.system,
    systems: r.systems,
    reason: r.reason,
    ...(r.systemName ? { systemName: r.systemName } : {}),
  };
}

/** Streams stdin to stdout: one output line per non-blank input line, in order; problems also go to stderr. */
export async function runTriageStream(triage: Triage, input: Readable, output: Writable, errors: Writable): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    const out = triageLine(triage, line);
    if (out.error) errors.write(`line ${n}: ${out.error}\n`);
    if (!output.write(`${JSON.stringify(out)}\n`)) await once(output, 'drain');
  }
}

export const triageCommand: CliCommand = {
  name: 'triage',
  usage: 'triage --bot <id>          stdin JSONL {"id","text"} → stdout JSONL {"id","intent","level","system","systems","reason"}',
  options: [],
  async run({ bot }) {
    const triage = createTriage(bot, loadTriageModel(loadEnv().FLOWS_DIR));
    await runTriageStream(triage, process.stdin, process.stdout, process.stderr);
  },
};

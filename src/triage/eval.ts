import { readFileSync } from 'node:fs';
import type { Triage, TriageResult } from './engine.js';

/** One labelled line: `level` and `system` are null when the message should open no ticket. */
export interface LabelledExample {
  id: string;
  text: string;
  level: 1 | 2 | 3 | 4 | null;
  system: string | null;
}

export interface Accuracy {
  correct: number;
  total: number;
  rate: number;
}

export interface EvalReport {
  total: number;
  level: Accuracy;
  system: Accuracy;
  ticket: Accuracy;
  /** confusion[expected][predicted], indices 0–3 = levels 1–4, 4 = no ticket. */
  confusion: number[][];
  misses: Array<{ id: string; text: string; expected: { level: number | null; system: string | null }; got: TriageResult }>;
}

export const CONFUSION_LABELS = ['1', '2', '3', '4', '无单'];

/** Reads a labelled JSONL file; a bad line is an error naming the file and line number. */
export function readLabelled(file: string): LabelledExample[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      let row: Partial<LabelledExample>;
      try {
        row = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${n}: not valid JSON`);
      }
      if (typeof row.text !== 'string') throw new Error(`${file}:${n}: "text" must be a string`);
      return { id: String(row.id ?? n), text: row.text, level: row.level ?? null, system: row.system ?? null };
    });
}

const slot = (level: number | null) => (level === null ? 4 : level - 1);
const rate = (correct: number, total: number): Accuracy => ({ correct, total, rate: total ? correct / total : 1 });

export function evaluate(triage: Triage, examples: LabelledExample[]): EvalReport {
  const confusion = CONFUSION_LABELS.map(() => CONFUSION_LABELS.map(() => 0));
  let level = 0;
  let system = 0;
  let ticket = 0;
  const misses: EvalReport['misses'] = [];
  for (const ex of examples) {
    const got = triage(ex.text);
    confusion[slot(ex.level)][slot(got.level)]++;
    const okLevel = got.level === ex.level;
    const okSystem = got.system === ex.system;
    level += Number(okLevel);
    system += Number(okSystem);
    ticket += Number((got.level !== null) === (ex.level !== null));
    if (!okLevel || !okSystem) misses.push({ id: ex.id, text: ex.text, expected: { level: ex.level, system: ex.system }, got });
  }
  const n = examples.length;
  return { total: n, level: rate(level, n), system: rate(system, n), ticket: rate(ticket, n), confusion, misses };
}

const pct = (a: Accuracy) => `${(a.rate * 100).toFixed(1)}% (${a.correct}/${a.total})`;

export function formatReport(r: EvalReport, withMisses = true): string {
  const w = 6;
  const head = `${'期望\\实际'.padEnd(w)}${CONFUSION_LABELS.map((l) => l.padStart(w)).join('')}`;
  const rows = r.confusion.map((row, i) => `${CONFUSION_LABELS[i].padEnd(w + 3)}${row.map((c) => String(c).padStart(w)).join('')}`);
  const lines = [
    `examples: ${r.total}`,
    `level accuracy:  ${pct(r.level)}`,
    `system accuracy: ${pct(r.system)}`,
    `ticket/no-ticket accuracy: ${pct(r.ticket)}`,
    '',
    'level confusion (rows = expected, columns = predicted):',
    head,
    ...rows,
  ];
  if (withMisses && r.misses.length) {
    lines.push('', 'misses:');
    for (const m of r.misses) {
      lines.push(
        `  ${m.id} expected ${m.expected.level ?? '-'}/${m.expected.system ?? '-'} got ${m.got.level ?? '-'}/${m.got.system ?? '-'} [${m.got.intent}] ${m.text}  (${m.got.reason})`,
      );
    }
  }
  return lines.join('\n');
}

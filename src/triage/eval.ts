import { readFileSync } from 'node:fs';
import type { SystemDef } from './config.js';
import type { Triage, TriageResult } from './engine.js';

/**
 * One labelled line: `level` and `system` are null when the message should open no ticket. Optional labels:
 * `kind` (named, described, negation, multi, urgency, scope, request, chat, status, injection — inferred when
 * absent), `systems` (every system a multi-fault message reports, the chosen one first), `intent` (e.g. "status").
 */
export interface LabelledExample {
  id: string;
  text: string;
  level: 1 | 2 | 3 | 4 | null;
  system: string | null;
  kind?: string;
  systems?: string[];
  intent?: string;
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
  /** Per kind of message (issue #15): how many, and level / system / ticket accuracy within the kind. */
  byKind: Array<{ kind: string; total: number; level: Accuracy; system: Accuracy; ticket: Accuracy; all: Accuracy }>;
  /** Messages labelled with two or more systems that triage also reads as several faults (≥ 2 systems). */
  multi: Accuracy;
  /** Messages labelled with one fault (or none) that triage splits into several: should stay 0. */
  falseMulti: number;
  /** Messages labelled with an intent (e.g. "status") whose intent triage gets right. */
  intent: Accuracy;
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
      const out: LabelledExample = { id: String(row.id ?? n), text: row.text, level: row.level ?? null, system: row.system ?? null };
      if (typeof row.kind === 'string') out.kind = row.kind;
      if (Array.isArray(row.systems)) out.systems = row.systems.map(String);
      if (typeof row.intent === 'string') out.intent = row.intent;
      return out;
    });
}

/**
 * The kind of an unlabelled line: no ticket → chat (or the labelled intent), 四级 → request, otherwise
 * named when the text contains one of the expected system's aliases, else described.
 */
export function kindOf(ex: LabelledExample, catalog: SystemDef[] = []): string {
  if (ex.kind) return ex.kind;
  if (ex.systems && ex.systems.length >= 2) return 'multi';
  if (ex.level === null) return ex.intent === 'status' ? 'status' : 'chat';
  if (ex.level === 4) return 'request';
  const def = catalog.find((s) => s.id === ex.system);
  const text = ex.text.normalize('NFKC').toLowerCase();
  return def?.aliases.some((a) => text.includes(a.normalize('NFKC').toLowerCase())) ? 'named' : 'described';
}

const slot = (level: number | null) => (level === null ? 4 : level - 1);
const rate = (correct: number, total: number): Accuracy => ({ correct, total, rate: total ? correct / total : 1 });

/** Scores triage on labelled examples; `catalog` (the bot's systems) lets unlabelled lines be sorted into named/described. */
export function evaluate(triage: Triage, examples: LabelledExample[], catalog: SystemDef[] = []): EvalReport {
  const confusion = CONFUSION_LABELS.map(() => CONFUSION_LABELS.map(() => 0));
  let level = 0;
  let system = 0;
  let ticket = 0;
  const misses: EvalReport['misses'] = [];
  const kinds = new Map<string, { n: number; level: number; system: number; ticket: number; all: number }>();
  let multiN = 0;
  let multiOk = 0;
  let falseMulti = 0;
  let intentN = 0;
  let intentOk = 0;
  for (const ex of examples) {
    const got = triage(ex.text);
    confusion[slot(ex.level)][slot(got.level)]++;
    const okLevel = got.level === ex.level;
    const okSystem = got.system === ex.system;
    const okTicket = (got.level !== null) === (ex.level !== null);
    level += Number(okLevel);
    system += Number(okSystem);
    ticket += Number(okTicket);
    const k = kindOf(ex, catalog);
    const row = kinds.get(k) ?? { n: 0, level: 0, system: 0, ticket: 0, all: 0 };
    row.n++;
    row.level += Number(okLevel);
    row.system += Number(okSystem);
    row.ticket += Number(okTicket);
    row.all += Number(okLevel && okSystem);
    kinds.set(k, row);
    if ((ex.systems?.length ?? 0) >= 2) {
      multiN++;
      multiOk += Number(got.systems.length >= 2);
    } else if (got.systems.length >= 2) falseMulti++;
    if (ex.intent) {
      intentN++;
      intentOk += Number(got.intent === ex.intent);
    }
    if (!okLevel || !okSystem) misses.push({ id: ex.id, text: ex.text, expected: { level: ex.level, system: ex.system }, got });
  }
  const n = examples.length;
  const byKind = [...kinds]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, r]) => ({
      kind,
      total: r.n,
      level: rate(r.level, r.n),
      system: rate(r.system, r.n),
      ticket: rate(r.ticket, r.n),
      all: rate(r.all, r.n),
    }));
  return {
    total: n,
    level: rate(level, n),
    system: rate(system, n),
    ticket: rate(ticket, n),
    confusion,
    misses,
    byKind,
    multi: rate(multiOk, multiN),
    falseMulti,
    intent: rate(intentOk, intentN),
  };
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
    '',
    'by kind (level / system / ticket / both level and system):',
    ...r.byKind.map(
      (k) => `  ${k.kind.padEnd(10)} n=${String(k.total).padStart(3)}  ${pct(k.level)}  ${pct(k.system)}  ${pct(k.ticket)}  ${pct(k.all)}`,
    ),
    `several faults recognised (≥ 2 systems): ${pct(r.multi)}; single messages split by mistake: ${r.falseMulti}`,
    `labelled intents (status …): ${pct(r.intent)}`,
  ];
  if (withMisses && r.misses.length) {
    lines.push('', 'misses:');
    for (const m of r.misses) {
      lines.push(
        `  ${m.id} expected ${m.expected.level ?? '-'}/${m.expected.system ?? '-'} got ${m.got.level ?? '-'}/${m.got.system ?? '-'} [${m.got.intent}${m.got.systems.length > 1 ? ` ${m.got.systems.join('+')}` : ''}] ${m.text}  (${m.got.reason})`,
      );
    }
  }
  return lines.join('\n');
}

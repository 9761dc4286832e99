import type { Analysed } from './text.js';

/** One clause of a message: offsets into the analysed text (characters, end exclusive) and its own analysis. */
export interface Clause {
  start: number;
  end: number;
  a: Analysed;
  /** The separator text just before the clause ("另外", "，"); empty for the first. */
  lead: string;
}

/**
 * The part [start, end) of an analysed text, with the word bounds that fall inside it: no second run of the
 * segmenter, which is the costly step of triage.
 */
export function subAnalysed(a: Analysed, start: number, end: number): Analysed {
  if (start === 0 && end === a.text.length) return a;
  const bounds = new Set<number>([0, end - start]);
  for (const b of a.bounds) if (b > start && b < end) bounds.add(b - start);
  return { text: a.text.slice(start, end), bounds };
}

/** The part [from, to) of a clause, offsets relative to the clause (the text before an instruction to the bot). */
export function subClause(c: Clause, from: number, to: number): Clause {
  return { start: c.start + from, end: c.start + to, a: subAnalysed(c.a, from, to), lead: from === 0 ? c.lead : '' };
}

/**
 * Splits at the separators (global regexes: punctuation, 另外/还有, 一是/二是, 就是/而是); the separators themselves
 * belong to no clause. Empty clauses are left out; a text without separators is one clause.
 */
export function splitClauses(a: Analysed, separators: RegExp[]): Clause[] {
  const cuts: Array<[number, number]> = [];
  for (const re of separators) {
    re.lastIndex = 0;
    for (let m = re.exec(a.text); m; m = re.exec(a.text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      cuts.push([m.index, m.index + m[0].length]);
    }
  }
  cuts.sort((x, y) => x[0] - y[0]);
  const clauses: Clause[] = [];
  let from = 0;
  let lead = '';
  const push = (s: number, e: number) => {
    if (e > s && a.text.slice(s, e).trim()) {
      clauses.push({ start: s, end: e, a: subAnalysed(a, s, e), lead });
      lead = '';
    }
  };
  for (const [s, e] of cuts) {
    if (s < from) {
      lead += a.text.slice(Math.max(s, from), e);
      from = Math.max(from, e);
      continue;
    }
    push(from, s);
    lead += a.text.slice(s, e);
    from = e;
  }
  push(from, a.text.length);
  return clauses;
}

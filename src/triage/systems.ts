import type { SystemDef, SystemId } from './config.js';
import type { TriageModel } from './model.js';
import { type Analysed, TermMatcher } from './text.js';

export interface SystemVerdict {
  id: SystemId | null;
  /** The alias or keyword that decided it (for the explanation). */
  term: string | null;
  scores: Partial<Record<SystemId, number>>;
  /** Systems other than the fallback that the message names. */
  mentioned: SystemId[];
}

interface SystemHit {
  system: SystemId;
  term: string;
  weight: number;
  index: number;
  end: number;
}

/** g is a longer hit around h: "接口" inside "医保接口" is about insurance, not the integration platform. */
function covers(g: SystemHit, h: SystemHit): boolean {
  return g.index <= h.index && g.end >= h.end && g.end - g.index > h.end - h.index;
}

interface Tally {
  score: number;
  first: number;
  best: SystemHit;
  /** Distinct terms with their weight: repeating a word does not add weight. */
  terms: Map<string, number>;
}

/**
 * Scores each catalog system by the distinct aliases (strong) and keywords (weak) found in the text. A hit inside a
 * longer hit does not count ("接口" inside "医保接口"). Ties go to a named system over the fallback, then to the
 * system mentioned first.
 */
export function createSystemDetector(catalog: SystemDef[], model: TriageModel['systems']): (a: Analysed) => SystemVerdict {
  const matchers = catalog.map((s) => ({
    id: s.id,
    groups: [
      { matcher: new TermMatcher(s.aliases), weight: model.aliasWeight },
      { matcher: new TermMatcher(s.keywords), weight: model.keywordWeight },
      { matcher: new TermMatcher(s.context ?? []), weight: model.contextWeight },
    ],
  }));
  const quoted = model.quoted.map((q) => new RegExp(q, 'g'));
  return (a) => {
    const hits: SystemHit[] = [];
    for (const m of matchers) {
      for (const g of m.groups) {
        for (const h of g.matcher.all(a))
          hits.push({ system: m.id, term: h.term, weight: g.weight, index: h.index, end: h.index + h.term.length });
      }
    }
    const spans = quoteSpans(a.text, quoted);
    const kept = hits.filter(
      (h) =>
        !hits.some((g) => g.system !== h.system && covers(g, h)) &&
        !(h.system === model.fallback && spans.some(([s, e]) => h.index >= s && h.end <= e)),
    );
    const tally = new Map<SystemId, Tally>();
    for (const h of kept) {
      const t = tally.get(h.system) ?? { score: 0, first: h.index, best: h, terms: new Map<string, number>() };
      t.terms.set(h.term, Math.max(t.terms.get(h.term) ?? 0, h.weight));
      t.first = Math.min(t.first, h.index);
      if (h.weight > t.best.weight || (h.weight === t.best.weight && h.index < t.best.index)) t.best = h;
      tally.set(h.system, t);
    }
    const scores: Partial<Record<SystemId, number>> = {};
    for (const [id, t] of tally) {
      t.score = [...t.terms.values()].reduce((s, w) => s + w, 0);
      scores[id] = t.score;
    }
    const ranked = [...tally.entries()].sort(
      ([ia, a], [ib, b]) => b.score - a.score || Number(ia === model.fallback) - Number(ib === model.fallback) || a.first - b.first,
    );
    const top = ranked[0];
    return {
      id: top ? top[0] : null,
      term: top ? top[1].best.term : null,
      scores,
      mentioned: ranked.map(([id]) => id).filter((id) => id !== model.fallback),
    };
  };
}

/** Spans of quoted symptoms, e.g. the error text after 提示. */
function quoteSpans(text: string, quoted: RegExp[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const re of quoted) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      spans.push([m.index, m.index + m[0].length]);
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return spans;
}

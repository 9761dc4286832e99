/** A normalised message with its word boundaries, computed once per message. */
export interface Analysed {
  text: string;
  /** Offsets where a word starts, plus the text length (so a term's end can be checked the same way). */
  bounds: Set<number>;
}

export interface Hit {
  term: string;
  index: number;
}

// ICU's dictionary segmenter, built into Node: no hand-rolled splitting of Chinese.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export function analyse(text: string): Analysed {
  const bounds = new Set<number>([text.length]);
  for (const s of segmenter.segment(text)) bounds.add(s.index);
  return { text, bounds };
}

const LATIN = /[a-z0-9]/;
const CJK_CHAR = /^[\u3400-\u9fff]$/;

/**
 * Where a plain term may match. ICU's Chinese words are too coarse to demand whole-word matches for domain terms,
 * so only the ambiguous cases are checked: Latin ends must be word edges ("his" is not inside "this"), and a
 * one-character term must start a word ("都" counts in "全院都…", not in "首都").
 */
function accepts(term: string, a: Analysed, index: number): boolean {
  if (LATIN.test(term[0]) && !a.bounds.has(index)) return false;
  if (LATIN.test(term[term.length - 1]) && !a.bounds.has(index + term.length)) return false;
  if (CJK_CHAR.test(term) && !a.bounds.has(index)) return false;
  return true;
}

/** Finds a fixed vocabulary (plain terms and regexes) in an analysed message. */
export class TermMatcher {
  private readonly terms: string[];
  private readonly patterns: RegExp[];

  constructor(terms: string[], patterns: string[] = []) {
    this.terms = [...new Set(terms.map((t) => t.normalize('NFKC').toLowerCase()))];
    this.patterns = patterns.map((p) => new RegExp(p));
  }

  /** The earliest hit, for a short explanation; null when nothing matches. */
  first(a: Analysed): Hit | null {
    let best: Hit | null = null;
    for (const term of this.terms) {
      const index = firstAccepted(term, a);
      if (index >= 0 && (!best || index < best.index)) best = { term, index };
    }
    for (const re of this.patterns) {
      const m = re.exec(a.text);
      if (m && (!best || m.index < best.index)) best = wholeWords(m[0], m.index, a);
    }
    return best;
  }

  /** Every accepted occurrence of every plain term. */
  all(a: Analysed): Hit[] {
    const hits: Hit[] = [];
    for (const term of this.terms) {
      for (let i = a.text.indexOf(term); i >= 0; i = a.text.indexOf(term, i + 1)) {
        if (accepts(term, a, i)) hits.push({ term, index: i });
      }
    }
    return hits;
  }
}

/**
 * A verb–complement hit ("统调不出", "带扫不出") may start inside the word before the verb, because the pattern
 * allows one or two characters before 不/没: start it at the last word boundary before 不/没 instead, so reasons
 * show whole cue words ("调不出", "扫不出"; issue #15).
 */
function wholeWords(term: string, index: number, a: Analysed): Hit {
  const k = term.search(/[不没]/);
  if (k <= 0 || k > 2) return { term, index };
  for (let b = index + k - 1; b > index; b--) {
    if (a.bounds.has(b)) return { term: term.slice(b - index), index: b };
  }
  return { term, index };
}

function firstAccepted(term: string, a: Analysed): number {
  for (let i = a.text.indexOf(term); i >= 0; i = a.text.indexOf(term, i + 1)) {
    if (accepts(term, a, i)) return i;
  }
  return -1;
}

import type { TriageModel } from './model.js';

export type Normalizer = (text: string) => string;

const CJK = '\\u3400-\\u9fff';
const SPACE_NEAR_CJK = new RegExp(`\\s+(?=[${CJK}])|(?<=[${CJK}])\\s+`, 'g');
// WeCom puts a (four-per-em) space after a mention; NFKC has already turned it into a plain space.
const MENTION = /@[^\s@]{1,24}(?:\s|$)/g;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds the text normaliser: NFKC (full-width → half-width), lower case, @mentions removed, typos fixed,
 * runs of 急/！ collapsed, spaces around Chinese removed (Chinese has none; they only split our terms).
 */
export function createNormalizer(model: TriageModel, mentionNames: string[] = []): Normalizer {
  const fix = new Map(Object.entries(model.normalize.replace).map(([k, v]) => [k.normalize('NFKC').toLowerCase(), v]));
  const typos = [...fix.keys()].sort((a, b) => b.length - a.length);
  const typoRe = typos.length ? new RegExp(typos.map(escapeRegex).join('|'), 'g') : null;
  const collapse = model.normalize.collapse.length
    ? new RegExp(`([${model.normalize.collapse.map(escapeRegex).join('')}])\\1+`, 'g')
    : null;
  const names = mentionNames.map((n) => n.normalize('NFKC').toLowerCase()).sort((a, b) => b.length - a.length);
  const ownMention = names.length ? new RegExp(`@(?:${names.map(escapeRegex).join('|')})`, 'g') : null;
  return (text) => {
    let t = text.normalize('NFKC').toLowerCase();
    // The bot's own name first: users often type no space after it ("@维保助手LIS打不开").
    if (ownMention) t = t.replace(ownMention, ' ');
    t = t.replace(MENTION, ' ');
    if (typoRe) t = t.replace(typoRe, (m) => fix.get(m) ?? m);
    if (collapse) t = t.replace(collapse, '$1');
    return t.replace(SPACE_NEAR_CJK, '').replace(/\s+/g, ' ').trim();
  };
}

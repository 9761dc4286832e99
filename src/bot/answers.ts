/**
 * Values people give in free answers, read as whole tokens: a rating anywhere in a confirmation ("非常满意
 * 给5分 中午就修好了"), whether it says solved or not, and the comment around it. (The report flow's own
 * patterns in flows/report.json read places and phones as whole tokens.)
 */

/** Words for a rating when no number is given (the confirm flow's labels, strongest first). */
const RATING_WORDS: Array<[RegExp, number]> = [
  [/非常满意|很满意|特别满意|十分满意|满分|五星/u, 5],
  [/很不满意|非常不满意|极不满意/u, 1],
  [/不满意|不太满意/u, 2],
  [/(?<!不)满意|挺好|不错/u, 4],
  [/一般|还行|凑合/u, 3],
];
const NOT_SOLVED = /未解决|没解决|没有解决|还是不行|还不行|不行|没好|还没好|还有问题|又坏了|还是打不开|还是用不了/u;
const SOLVED = /好了|解决了|已解决|可以了|正常了|没问题|修好了|能用了|确认|谢谢|感谢|满意|ok/iu;

export interface ConfirmationAnswer {
  /** What the answer says, or null when it says neither (then the question is asked again). */
  outcome: 'confirmed' | 'rejected' | null;
  /** 1–5 when given ("5", "5分", "给5分", "五星", "满意"). */
  rating: number | null;
  /** The reporter's own words, kept for the record (what is left around a bare number). */
  comment: string;
}

/**
 * Reads a reporter's answer to "问题解决了吗？": "5分 谢谢刘工", "好了 谢谢 5分", "满意", "还行 3分 太慢了",
 * "1" / "2" (the numbered choices) and "还是不行 打不开". A number 1–5 counts as a rating when it stands alone or
 * carries 分/星; a lone "1"/"2" answers the numbered question instead.
 */
export function readConfirmation(text: string): ConfirmationAnswer {
  const t = text.normalize('NFKC').trim();
  if (/^[12]$/.test(t)) return { outcome: t === '1' ? 'confirmed' : 'rejected', rating: null, comment: '' };
  let rating: number | null = null;
  let comment = t;
  const scored = /(?:给|打)?\s*(?<![0-9])([1-5])\s*(?:分|星)(?![0-9])/u.exec(t) ?? /(?:^|[\s,;:])([1-5])(?=[\s,;:.!?]|$)/u.exec(t);
  if (scored) {
    rating = Number(scored[1]);
    comment = `${t.slice(0, scored.index)} ${t.slice(scored.index + scored[0].length)}`;
  } else {
    rating = RATING_WORDS.find(([re]) => re.test(t))?.[1] ?? null;
  }
  comment = comment
    .replace(/^确认\s*/u, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,，。.、]+|[\s,，。.、]+$/gu, '')
    .trim();
  const rejected = NOT_SOLVED.test(t);
  const outcome = rejected ? 'rejected' : rating !== null || SOLVED.test(t) ? 'confirmed' : null;
  return { outcome, rating: outcome === 'confirmed' ? rating : null, comment };
}

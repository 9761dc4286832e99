/** WeCom length limits, in UTF-8 bytes. */
export const LIMITS = {
  text: 2048,
  appMarkdown: 2048,
  webhookMarkdown: 4096,
  stream: 20480,
  responseUrlMarkdown: 20480,
} as const;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Splits `text` into parts of at most `maxBytes` UTF-8 bytes: at line breaks where possible, else between
 * characters (whole graphemes, never inside a character). Empty input gives one empty part.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (bytes(text) <= maxBytes) return [text];
  const parts: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur) parts.push(cur);
    cur = '';
  };
  for (const line of text.split('\n')) {
    const candidate = cur ? `${cur}\n${line}` : line;
    if (bytes(candidate) <= maxBytes) {
      cur = candidate;
      continue;
    }
    flush();
    if (bytes(line) <= maxBytes) {
      cur = line;
      continue;
    }
    for (const piece of splitLongLine(line, maxBytes)) {
      flush();
      cur = piece;
    }
  }
  flush();
  return parts.length ? parts : [''];
}

// Whole user-perceived characters (emoji sequences, combining marks) stay together.
const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

function splitLongLine(line: string, maxBytes: number): string[] {
  const out: string[] = [];
  let cur = '';
  let curBytes = 0;
  for (const { segment: ch } of graphemes.segment(line)) {
    const b = bytes(ch);
    if (curBytes + b > maxBytes) {
      out.push(cur);
      cur = '';
      curBytes = 0;
    }
    cur += ch;
    curBytes += b;
  }
  if (cur) out.push(cur);
  return out;
}

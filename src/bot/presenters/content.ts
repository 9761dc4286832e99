/**
 * Typed chat content: what a handler returns and the channel sends. A plain string is always text; markdown
 * is said so explicitly (nothing sniffs a string for `**`), so an `*` someone typed is never restyled.
 */
export type ChatContent = { type: 'text'; text: string } | { type: 'markdown'; markdown: string };

/** Plain text content. */
export const plain = (text: string): ChatContent => ({ type: 'text', text });
/** WeCom markdown content (bold, `<font>`, `<@userid>`). */
export const markdown = (md: string): ChatContent => ({ type: 'markdown', markdown: md });

/** The words of a content, whatever its type. */
export function contentText(c: ChatContent | string): string {
  if (typeof c === 'string') return c;
  return c.type === 'text' ? c.text : c.markdown;
}

/**
 * Joins answers line by line (an expiry note before a reply, a lead line before a question). Markdown when any
 * part is markdown; null when nothing is left.
 */
export function joinContent(parts: Array<ChatContent | string | null | undefined>): ChatContent | null {
  const kept = parts.filter((p): p is ChatContent | string => !!p && contentText(p) !== '');
  if (!kept.length) return null;
  const body = kept.map(contentText).join('\n');
  return kept.some((p) => typeof p !== 'string' && p.type === 'markdown') ? markdown(body) : plain(body);
}

/**
 * A reply in a busy group says whom it is for: "@护士小李 已登记 #1 …", "@护士小李 请问是哪个科室？". WeCom shows
 * the smart bot's markdown answer to everyone in the group, so the name is the address.
 */
export function addressed(name: string, c: ChatContent): ChatContent {
  return c.type === 'text' ? plain(`@${name} ${c.text}`) : markdown(`@${name} ${c.markdown}`);
}

/** The same content with `f` applied to its words (masking a group post). */
export function mapContent(c: ChatContent, f: (s: string) => string): ChatContent {
  return c.type === 'text' ? plain(f(c.text)) : markdown(f(c.markdown));
}

/** Renders WeCom message content (text, the markdown subset WeCom shows, template cards) as safe DOM. */

export interface Card {
  card_type?: string;
  task_id?: string;
  source?: { desc?: string };
  main_title?: { title?: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: Array<{ keyname?: string; value?: string }>;
  button_list?: Array<{ text?: string; style?: number; key?: string }>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The markdown WeCom renders in app and group messages: **bold**, `> ` quotes, [links](…), <font color> and
 * <@userid> mentions. Everything is escaped first, so message text can never inject markup.
 */
export function markdownHtml(md: string, nameOf: (userid: string) => string): string {
  let html = escapeHtml(md);
  html = html.replace(/&lt;@([A-Za-z0-9_.@-]+)&gt;/g, (_m, id: string) => `<span class="mention">@${escapeHtml(nameOf(id))}</span>`);
  html = html.replace(/&lt;font[^&]*&gt;(.*?)&lt;\/font&gt;/g, '$1');
  html = html.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  html = html.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
  html = html
    .split('\n')
    .map((line) => (line.startsWith('&gt; ') || line === '&gt;' ? `<blockquote>${line.replace(/^&gt; ?/, '')}</blockquote>` : line))
    .join('\n')
    .replace(/<\/blockquote>\n<blockquote>/g, '<br>');
  return html;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A template card; `onClick(key)` when it has buttons (button_interaction). */
export function cardElement(card: Card, onClick: ((key: string, text: string) => void) | null): HTMLElement {
  const box = el('div', { class: 'card', 'data-task-id': card.task_id ?? '' });
  if (card.source?.desc) box.append(el('div', { class: 'src' }, card.source.desc));
  if (card.main_title?.title) box.append(el('div', { class: 'title' }, card.main_title.title));
  if (card.main_title?.desc) box.append(el('div', { class: 'desc' }, card.main_title.desc));
  if (card.sub_title_text) box.append(el('div', { class: 'subtitle' }, card.sub_title_text));
  const rows = card.horizontal_content_list ?? [];
  if (rows.length) {
    const dl = el('dl');
    for (const r of rows) dl.append(el('dt', {}, r.keyname ?? ''), el('dd', {}, r.value ?? ''));
    box.append(dl);
  }
  const buttons = card.button_list ?? [];
  if (buttons.length) {
    const row = el('div', { class: 'buttons' });
    for (const b of buttons) {
      // style 1 = primary action; other styles are shown as the state after a click (WeCom greys them out).
      const active = b.style === 1 && onClick !== null;
      const btn = el('button', { type: 'button', class: active ? 'primary' : '' }, b.text ?? '');
      if (active) btn.addEventListener('click', () => onClick(b.key ?? '', b.text ?? ''));
      else btn.disabled = true;
      row.append(btn);
    }
    box.append(row);
  }
  return box;
}

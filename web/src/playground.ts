import './style.css';
import { type Card, cardElement, el, markdownHtml } from './render';

interface Person {
  userid: string;
  name: string;
  role: 'reporter' | 'engineer' | 'lead';
  note: string;
}
interface FeedItem {
  id: number;
  at: string;
  pane: string;
  from: string;
  kind: 'text' | 'markdown' | 'card' | 'notice';
  text?: string;
  card?: Card;
  replaces?: string;
  mentions?: string[];
}
interface State {
  bot: { id: string; name: string; mentionName: string; digestTime: string };
  group: { chatId: string; name: string };
  people: Person[];
  clock: { now: string; offsetMs: number };
}

const ROLE_WORD: Record<Person['role'], string> = { reporter: '护士', engineer: '工程师', lead: '负责人' };
const EXAMPLES = [
  '检验科LIS报告全部打印不出来，急，分机8823',
  '急诊挂号系统打不开，病人在排队，分机1200',
  '心内科病区一台电脑打印机卡纸了',
];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let state: State;
let me = '';
const items: FeedItem[] = [];
const seen = new Map<string, number>(); // pane → items seen there while it was open
let clockBase = { server: 0, local: 0, offsetMs: 0 };

function nameOf(userid: string): string {
  if (userid === 'bot') return state.bot.mentionName;
  return state.people.find((p) => p.userid === userid)?.name ?? userid;
}

function status(text: string): void {
  $('status').textContent = text;
}

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = (await res.json().catch(() => ({}))) as { message?: string; error?: string };
  if (!res.ok) throw new Error(data.message ?? data.error ?? `HTTP ${res.status}`);
  status('');
  return data;
}

// ---- people ----

function unread(userid: string): number {
  const pane = `app:${userid}`;
  const total = items.filter((i) => i.pane === pane && i.from === 'bot').length;
  return userid === me ? 0 : total - (seen.get(pane) ?? 0);
}

function renderPeople(): void {
  const list = $('people-list');
  list.replaceChildren();
  for (const role of ['reporter', 'engineer', 'lead'] as const) {
    const group = state.people.filter((p) => p.role === role);
    if (!group.length) continue;
    list.append(el('div', { class: 'role' }, ROLE_WORD[role]));
    for (const p of group) {
      const label = el('label');
      const input = el('input', { type: 'radio', name: 'me', value: p.userid });
      input.checked = p.userid === me;
      input.addEventListener('change', () => select(p.userid));
      const n = unread(p.userid);
      const text = el('span', { class: 'person' });
      text.append(el('span', { class: 'name' }, p.name), el('span', { class: 'note' }, p.note));
      label.append(input, text);
      if (n > 0) label.append(el('span', { class: 'badge', 'aria-label': `${n} 条新应用消息` }, String(n)));
      list.append(label);
    }
  }
}

function select(userid: string): void {
  me = userid;
  sessionStorage.setItem('playground.me', userid);
  const p = state.people.find((x) => x.userid === userid);
  $('app-title').textContent = `应用消息：${p?.name ?? userid}（${p ? ROLE_WORD[p.role] : ''}）与“${state.bot.mentionName}”的单聊`;
  renderAll();
}

// ---- messages ----

function itemElement(i: FeedItem, pane: 'group' | 'app'): HTMLElement {
  if (i.kind === 'notice') {
    const li = el('li', { class: 'msg notice' });
    li.append(el('div', { class: 'bubble' }, i.text ?? ''));
    return li;
  }
  const mine = i.from === me;
  const li = el('li', { class: `msg${mine ? ' mine' : ''}`, 'data-id': String(i.id) });
  const time = new Date(i.at).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
  li.append(el('div', { class: 'who' }, `${nameOf(i.from)} ${time}`));
  if (i.kind === 'card' && i.card) {
    const card = i.card;
    li.append(
      cardElement(card, (key, text) => {
        post('/playground/api/click', { as: me, taskId: card.task_id ?? '', eventKey: key, to: pane }).catch((e: Error) =>
          status(`“${text}”没有送达：${e.message}`),
        );
      }),
    );
    return li;
  }
  const bubble = el('div', { class: 'bubble' });
  if (i.kind === 'markdown') bubble.innerHTML = markdownHtml(i.text ?? '', nameOf);
  else {
    const mentions = (i.mentions ?? []).map((u) => `@${nameOf(u)} `).join('');
    bubble.textContent = mentions + (i.text ?? '');
  }
  li.append(bubble);
  return li;
}

function renderLog(listId: string, pane: string, kind: 'group' | 'app'): void {
  const list = $(listId);
  const shown = items.filter((i) => i.pane === pane);
  // New messages scroll into view (as in WeCom); a card changing in place keeps the reader where they are.
  const grew = list.dataset.pane !== pane || Number(list.dataset.count ?? 0) !== shown.length;
  const top = list.scrollTop;
  list.replaceChildren(...shown.map((i) => itemElement(i, kind)));
  list.dataset.pane = pane;
  list.dataset.count = String(shown.length);
  list.scrollTop = grew ? list.scrollHeight : top;
}

function renderAll(): void {
  renderLog('group-log', 'group', 'group');
  if (me) {
    const pane = `app:${me}`;
    seen.set(pane, items.filter((i) => i.pane === pane && i.from === 'bot').length);
    renderLog('app-log', pane, 'app');
  }
  renderPeople();
}

function onItem(i: FeedItem): void {
  if (items.some((x) => x.id === i.id)) return;
  if (i.replaces) {
    // A card update: the clicked card changes in place, wherever it is shown (as in WeCom).
    for (const x of items) if (x.card?.task_id === i.replaces) x.card = i.card;
  } else items.push(i);
  renderAll();
}

// ---- clock ----

function onClock(c: { now: string; offsetMs: number }): void {
  clockBase = { server: Date.parse(c.now), local: Date.now(), offsetMs: c.offsetMs };
  tick();
}

function tick(): void {
  if (!clockBase.server) return;
  const now = new Date(clockBase.server + (Date.now() - clockBase.local));
  $('clock-now').textContent = now.toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  });
  const min = Math.round(clockBase.offsetMs / 60_000);
  $('clock-offset').textContent = min > 0 ? `（比真实时间快 ${min >= 60 ? `${Math.floor(min / 60)} 小时 ` : ''}${min % 60} 分钟）` : '';
}

// ---- start ----

function send(form: HTMLFormElement, input: HTMLInputElement, to: 'group' | 'app'): void {
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text || text === `@${state.bot.mentionName}`) return;
    if (!me) return status('请先在左侧选择“我是”谁');
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    post('/playground/api/send', { as: me, text, to })
      .then(() => {
        input.value = to === 'group' ? `@${state.bot.mentionName} ` : '';
      })
      .catch((e: Error) => status(`发送失败：${e.message}`))
      .finally(() => {
        if (button) button.disabled = false;
        input.focus();
      });
  });
}

async function main(): Promise<void> {
  state = (await (await fetch('/playground/api/state')).json()) as State;
  $('group-title').textContent = `群聊：${state.group.name}`;
  $('btn-morning').textContent = `到下一个 ${state.bot.digestTime}（日报）`;
  const groupInput = $<HTMLInputElement>('group-input');
  groupInput.value = `@${state.bot.mentionName} `;
  // Typing goes after the @mention already in the field, wherever the field was entered from.
  const caretToEnd = () => {
    const end = groupInput.value.length;
    const { selectionStart, selectionEnd } = groupInput;
    // Only a bare caret before the mention moves; a selection (select-all, then paste) is the user's.
    if (groupInput.value.trim() !== `@${state.bot.mentionName}` || selectionStart !== selectionEnd || selectionStart === end) return;
    groupInput.setSelectionRange(end, end);
  };
  // After the browser placed the caret itself (a click puts it where the pointer was).
  groupInput.addEventListener('focus', () => setTimeout(caretToEnd, 0));
  groupInput.addEventListener('keydown', caretToEnd, { capture: true });
  send($<HTMLFormElement>('group-form'), groupInput, 'group');
  send($<HTMLFormElement>('app-form'), $<HTMLInputElement>('app-input'), 'app');
  for (const text of EXAMPLES) {
    const b = el('button', { type: 'button' }, text);
    b.addEventListener('click', () => {
      groupInput.value = `@${state.bot.mentionName} ${text}`;
      groupInput.focus();
    });
    $('examples').append(b);
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-clock]')) {
    b.addEventListener('click', () => {
      post('/playground/api/clock', { action: b.dataset.clock }).catch((e: Error) => status(`时钟没有变：${e.message}`));
    });
  }
  $('btn-reset').addEventListener('click', () => {
    if (!confirm('清空所有工单、消息和数据，时钟回到现在？')) return;
    post('/playground/api/reset', {})
      .then(() => status('演示已重置'))
      .catch((e: Error) => status(`重置失败：${e.message}`));
  });
  const saved = sessionStorage.getItem('playground.me');
  select(state.people.some((p) => p.userid === saved) ? (saved as string) : (state.people[0]?.userid ?? ''));
  onClock(state.clock);
  setInterval(tick, 1000);

  const events = new EventSource('/playground/api/events');
  events.addEventListener('item', (e) => onItem(JSON.parse((e as MessageEvent).data) as FeedItem));
  events.addEventListener('clock', (e) => onClock(JSON.parse((e as MessageEvent).data)));
  events.addEventListener('reset', (e) => {
    items.length = 0;
    seen.clear();
    onClock(JSON.parse((e as MessageEvent).data));
    renderAll();
    status('演示已重置');
  });
  events.addEventListener('open', () => document.body.setAttribute('data-live', 'true'));
  events.addEventListener('error', () => status('与服务的实时连接断开，正在重连…'));
}

main().catch((e: Error) => status(`页面加载失败：${e.message}`));

import 'uplot/dist/uPlot.min.css';
import './style.css';
import uPlot from 'uplot';
import { el } from './render';

/** The parts of the API's Ticket JSON the dashboard reads (CONTRACTS.md "Ticket" / "Target"). */
interface Target {
  dueAt: string;
  metAt: string | null;
  breachedAt: string | null;
}
interface Ticket {
  no: number;
  level: 1 | 2 | 3 | 4;
  system: string;
  status: string;
  title: string;
  /** Reports joined to this ticket (one outage, several reporters). */
  reporterCount?: number;
  children?: number[];
  assignee: { userid: string; name: string } | null;
  reporter: { name: string; department: string | null };
  createdAt: string;
  resolvedAt: string | null;
  pause: { at: string } | null;
  sla: { response: Target; onsite: Target | null; resolve: Target };
}
interface SlaReport {
  totals: {
    tickets: number;
    resolved: number;
    closed: number;
    open: number;
    breaches: number;
    confirmationRate: number;
    satisfaction: number | null;
  };
}

const LEVEL = { 1: '一级 紧急', 2: '二级 严重', 3: '三级 一般', 4: '四级 咨询' } as const;
const STATUS: Record<string, string> = {
  open: '待接单',
  claimed: '处理中',
  onsite_dispatched: '已派现场',
  onsite: '已到场',
  paused: '挂起',
  resolved: '待确认',
  referred: '转信息科',
};
const TARGET_WORD = { response: '响应', onsite: '到场', resolve: '解决' } as const;
/** Statuses the API calls active (not closed, not cancelled). */
const ACTIVE = 'open,claimed,onsite_dispatched,onsite,paused,resolved';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let token = sessionStorage.getItem('dashboard.token') ?? '';
let bot = '';
const systems: Record<string, Record<string, string>> = {};
const systemName = (id: string) => systems[bot]?.[id] ?? id;
let serverOffset = 0; // service clock − browser clock, ms
let active: Ticket[] = [];
let chart: uPlot | undefined;

const now = () => Date.now() + serverOffset;
const fmt = (iso: string, opts: Intl.DateTimeFormatOptions) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', ...opts });
/** YYYY-MM-DD in China time. */
const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

function status(text: string): void {
  $('status').textContent = text;
}

class Unauthorized extends Error {}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status === 401) throw new Unauthorized('令牌无效或已过期');
  if (!res.ok) throw new Error(`${path.split('?')[0]}：HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Every ticket matching `query`, page by page (the API gives at most 1000 at a time). */
async function allTickets(query: string): Promise<Ticket[]> {
  const out: Ticket[] = [];
  for (let page = 1; ; page++) {
    const r = await api<{ items: Ticket[]; total: number }>(`/api/tickets?bot=${bot}&${query}&limit=1000&page=${page}`);
    out.push(...r.items);
    if (out.length >= r.total || r.items.length === 0) return out;
  }
}

/** The target whose clock runs now: response until claimed, then on-site while dispatched, then resolution. */
function currentTarget(t: Ticket): { name: keyof typeof TARGET_WORD; target: Target } | null {
  if (t.status === 'resolved' || t.status === 'paused') return null;
  if (!t.sla.response.metAt) return { name: 'response', target: t.sla.response };
  if (t.sla.onsite && !t.sla.onsite.metAt && t.status === 'onsite_dispatched') return { name: 'onsite', target: t.sla.onsite };
  if (!t.sla.resolve.metAt) return { name: 'resolve', target: t.sla.resolve };
  return null;
}

function duration(ms: number): string {
  const m = Math.floor(Math.abs(ms) / 60_000);
  const s = Math.floor((Math.abs(ms) % 60_000) / 1000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return d > 0 ? `${d} 天 ${h} 小时` : h > 0 ? `${h} 小时 ${m % 60} 分` : `${m % 60} 分 ${String(s).padStart(2, '0')} 秒`;
}

function countdownText(t: Ticket): { text: string; breached: boolean } {
  const cur = currentTarget(t);
  if (!cur) return { text: t.status === 'paused' ? '已挂起，时限暂停' : '等待报修人确认', breached: false };
  const left = Date.parse(cur.target.dueAt) - now();
  const word = TARGET_WORD[cur.name];
  if (left < 0 || cur.target.breachedAt) return { text: `${word}已超时 ${duration(left)}`, breached: true };
  return { text: `${word}剩 ${duration(left)}`, breached: false };
}

function tick(): void {
  $('now').textContent = fmt(new Date(now()).toISOString(), {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  let overdue = 0;
  for (const cell of document.querySelectorAll<HTMLElement>('[data-countdown]')) {
    const t = active.find((x) => x.no === Number(cell.dataset.countdown));
    if (!t) continue;
    const c = countdownText(t);
    cell.textContent = c.text;
    cell.classList.toggle('breached', c.breached);
  }
  for (const t of active) if (countdownText(t).breached) overdue++;
  setFig('overdue', String(overdue));
}

function setFig(name: string, value: string): void {
  const e = document.querySelector<HTMLElement>(`[data-fig="${name}"]`);
  if (e) e.textContent = value;
}

function ticketRow(t: Ticket): HTMLTableRowElement {
  const tr = el('tr', { 'data-no': String(t.no) });
  tr.append(
    el('td', {}, `#${t.no}`),
    el('td', {}, systemName(t.system)),
    el('td', {}, `${[...t.title].slice(0, 30).join('')}${(t.reporterCount ?? 1) > 1 ? `（${t.reporterCount} 人报告）` : ''}`),
    el('td', {}, STATUS[t.status] ?? t.status),
    el('td', {}, `${t.reporter.name}${t.reporter.department ? ` · ${t.reporter.department}` : ''}`),
    el('td', {}, t.assignee?.name ?? '—'),
    el('td', { class: 'countdown', 'data-countdown': String(t.no) }),
  );
  return tr;
}

function renderActive(): void {
  const box = $('open-by-level');
  box.replaceChildren();
  for (const level of [1, 2, 3, 4] as const) {
    const list = active.filter((t) => t.level === level);
    const h = el('h3', {}, `${LEVEL[level]}（${list.length}）`);
    h.dataset.level = String(level);
    box.append(h);
    if (!list.length) {
      box.append(el('p', { class: 'empty' }, '无'));
      continue;
    }
    const table = el('table', { class: 'tickets' });
    const head = el('tr');
    for (const c of ['工单', '系统', '问题', '状态', '报修', '负责人', '时限']) head.append(el('th', { scope: 'col' }, c));
    table.append(el('thead'), el('tbody'));
    table.tHead?.append(head);
    for (const t of list) table.tBodies[0].append(ticketRow(t));
    box.append(table);
  }
  const unclaimed = active.filter((t) => t.status === 'open');
  $('unclaimed').replaceChildren(
    ...(unclaimed.length
      ? unclaimed.map((t) =>
          el(
            'li',
            {},
            `#${t.no} ${LEVEL[t.level]} ${systemName(t.system)}，报修于 ${fmt(t.createdAt, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })}`,
          ),
        )
      : [el('li', { class: 'empty' }, '没有待接单的工单')]),
  );
  const holders = new Map<string, number[]>();
  for (const t of active) if (t.assignee) holders.set(t.assignee.name, [...(holders.get(t.assignee.name) ?? []), t.no]);
  $('holders').replaceChildren(
    ...(holders.size
      ? [...holders].map(([name, nos]) => el('li', {}, `${name}：${nos.length} 单（${nos.map((n) => `#${n}`).join('、')}）`))
      : [el('li', { class: 'empty' }, '暂无人持有工单')]),
  );
  setFig('active', String(active.length));
  setFig('unclaimed', String(unclaimed.length));
}

/** Daily volume and the share of response targets met (of those decided) for the 30 days up to today. */
function renderChart(tickets: Ticket[], today: string): void {
  const days: string[] = [];
  for (let i = 29; i >= 0; i--) days.push(day(Date.parse(`${today}T12:00:00+08:00`) - i * 86_400_000));
  const volume = days.map(() => 0);
  const met = days.map(() => 0);
  const decided = days.map(() => 0);
  for (const t of tickets) {
    const i = days.indexOf(day(Date.parse(t.createdAt)));
    if (i < 0) continue;
    volume[i]++;
    const r = t.sla.response;
    if (r.breachedAt) decided[i]++;
    else if (r.metAt) {
      decided[i]++;
      met[i]++;
    }
  }
  const rate = days.map((_, i) => (decided[i] ? Math.round((met[i] / decided[i]) * 1000) / 10 : null));
  const xs = days.map((d) => Date.parse(`${d}T00:00:00+08:00`) / 1000);
  const box = $('chart');
  const width = Math.max(320, box.clientWidth - 8);
  const opts: uPlot.Options = {
    width,
    height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Asia/Shanghai'),
    // Half a day either side, so the first and last day's bars are whole.
    scales: {
      x: { time: true, range: () => [xs[0] - 43_200, xs[xs.length - 1] + 43_200] },
      n: { range: (_u, _min, max) => [0, Math.max(5, max)] },
      pct: { range: [0, 100] },
    },
    series: [
      { label: '日期', value: (_u, v) => (v == null ? '' : day(v * 1000)) },
      {
        label: '报修量',
        scale: 'n',
        stroke: '#2b6de5',
        fill: 'rgba(43,109,229,0.35)',
        paths: uPlot.paths.bars?.({ size: [0.6, 40] }),
        points: { show: false },
      },
      { label: '响应达标率 %', scale: 'pct', stroke: '#07c160', width: 2, spanGaps: true, points: { show: true } },
    ],
    axes: [
      { values: (_u, splits) => splits.map((s) => day(s * 1000).slice(5)) },
      { scale: 'n', label: '单' },
      { scale: 'pct', side: 1, label: '%', grid: { show: false } },
    ],
  };
  chart?.destroy();
  chart = new uPlot(opts, [xs, volume, rate] as uPlot.AlignedData, box);
  box.dataset.total = String(volume.reduce((a, b) => a + b, 0));
}

async function refresh(): Promise<void> {
  const clock = await (await fetch('/dashboard/api/clock')).json();
  serverOffset = Date.parse(clock.now) - Date.now();
  const today = day(now());
  const month = today.slice(0, 7);
  const from30 = day(Date.parse(`${today}T12:00:00+08:00`) - 29 * 86_400_000);
  const [open, todayNew, todayResolved, report, last30] = await Promise.all([
    allTickets(`status=${ACTIVE}`),
    api<{ total: number }>(`/api/tickets?bot=${bot}&from=${today}&to=${today}&limit=1`),
    api<{ total: number }>(`/api/tickets?bot=${bot}&from=${today}&to=${today}&status=resolved,closed&limit=1`),
    api<SlaReport>(`/api/reports/sla?bot=${bot}&month=${month}`),
    allTickets(`from=${from30}&to=${today}`),
  ]);
  active = open.sort((a, b) => a.level - b.level || Date.parse(a.createdAt) - Date.parse(b.createdAt));
  renderActive();
  setFig('today-new', String(todayNew.total));
  setFig('today-resolved', String(todayResolved.total));
  const t = report.totals;
  setFig('month-tickets', String(t.tickets));
  setFig('month-resolved', String(t.resolved));
  setFig('month-breaches', String(t.breaches));
  setFig('month-confirmation', `${Math.round(t.confirmationRate * 1000) / 10}%`);
  setFig('month-satisfaction', t.satisfaction == null ? '—' : `${t.satisfaction.toFixed(1)} 分`);
  renderChart(last30, today);
  document.body.dataset.month = month;
  document.body.dataset.loaded = String(Date.now());
  tick();
  status('');
}

async function download(file: string): Promise<void> {
  const month = document.body.dataset.month ?? '';
  const res = await fetch(`/api/reports/${file}?bot=${bot}&month=${month}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) return status(`下载失败：HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: `维护记录-${bot}-${month}.${file.split('.').pop()}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function showBoard(signedIn: boolean): void {
  $('signin').hidden = signedIn;
  $('board').hidden = !signedIn;
  $('signout').hidden = !signedIn;
}

async function start(): Promise<void> {
  try {
    // Shown first so the chart measures its real width.
    showBoard(true);
    await refresh();
  } catch (e) {
    if (e instanceof Unauthorized) {
      token = '';
      sessionStorage.removeItem('dashboard.token');
      showBoard(false);
    }
    status(`加载失败：${(e as Error).message}`);
  }
}

async function main(): Promise<void> {
  const clock = await (await fetch('/dashboard/api/clock')).json();
  const select = $<HTMLSelectElement>('bot');
  for (const b of clock.bots as Array<{ id: string; name: string; systems: Record<string, string> }>) {
    select.append(el('option', { value: b.id }, b.name));
    systems[b.id] = b.systems;
  }
  bot = select.value;
  select.addEventListener('change', () => {
    bot = select.value;
    void start();
  });
  $('signin').addEventListener('submit', (ev) => {
    ev.preventDefault();
    token = $<HTMLInputElement>('token').value.trim();
    sessionStorage.setItem('dashboard.token', token);
    void start();
  });
  $('signout').addEventListener('click', () => {
    token = '';
    sessionStorage.removeItem('dashboard.token');
    showBoard(false);
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-download]')) {
    b.addEventListener('click', () => void download(b.dataset.download ?? ''));
  }
  setInterval(tick, 1000);
  let resized: number | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resized);
    resized = window.setTimeout(() => chart?.setSize({ width: Math.max(320, $('chart').clientWidth - 8), height: 260 }), 200);
  });
  setInterval(() => {
    if (token) refresh().catch((e: Error) => status(`刷新失败：${e.message}`));
  }, 15_000);
  if (token) await start();
  else showBoard(false);
}

main().catch((e: Error) => status(`页面加载失败：${e.message}`));

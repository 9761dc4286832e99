/**
 * A ticket's history folded from its event log: the only input of every report figure.
 *
 * The ticket document is used for descriptive fields only (title, names, repair text) when an event does
 * not carry them; every time, status, level, rating and SLA outcome comes from the events, so a report can
 * be re-derived from `ticket_events` alone.
 */
import type { Level, TicketStatus } from '../tickets/types.js';

/** One event as stored (`ticket_events`), payload included. */
export interface ReportEvent {
  no: number;
  seq?: number;
  type: string;
  actor: string;
  at: Date;
  [payload: string]: unknown;
}

/** The descriptive part of a ticket document the reports show (all optional: events come first). */
export interface ReportTicket {
  no: number;
  level?: number;
  system?: string;
  title?: string;
  status?: string;
  reporter?: { userid?: string; name?: string; department?: string | null } | null;
  assignee?: { userid: string; name?: string } | null;
  repair?: { cause?: string; action?: string; category?: string | null; mode?: 'onsite' | 'remote' } | null;
  parentNo?: number | null;
  createdAt?: Date;
}

export interface Interval {
  from: Date;
  /** null while still paused. */
  to: Date | null;
}

export interface BreachMark {
  target: string;
  at: Date;
  dueAt: Date | null;
  reason: string | null;
}

export interface Timeline {
  no: number;
  createdAt: Date;
  level: Level;
  system: string;
  title: string;
  department: string | null;
  reporter: { userid: string; name: string };
  assignee: { userid: string; name: string } | null;
  status: TicketStatus;
  /** First claim: stops the response clock. */
  claimedAt: Date | null;
  /** Last dispatch and the first arrival after it: the on-site clock. */
  dispatchedAt: Date | null;
  arrivedAt: Date | null;
  /** The resolution that stuck (a rejected one is not a resolution); null while unresolved. */
  resolvedAt: Date | null;
  /** Every resolution, including rejected ones. */
  resolutions: number;
  reopened: number;
  confirmedAt: Date | null;
  /** Confirmed by a person (not by the auto-close job). */
  confirmedBy: string | null;
  rating: number | null;
  closedAt: Date | null;
  autoClosed: boolean;
  cancelledAt: Date | null;
  mergedInto: number | null;
  pauses: Interval[];
  breaches: BreachMark[];
  repair: { cause: string; action: string; mode: 'onsite' | 'remote' | null };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const date = (v: unknown): Date | null =>
  v instanceof Date ? v : typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : null;
const asLevel = (v: unknown): Level | null => {
  const n = Number(v);
  return n === 1 || n === 2 || n === 3 || n === 4 ? n : null;
};

function personOf(v: unknown): { userid: string; name: string } | null {
  if (typeof v === 'string' && v) return { userid: v, name: v };
  if (v && typeof v === 'object' && typeof (v as { userid?: unknown }).userid === 'string') {
    const p = v as { userid: string; name?: unknown };
    return { userid: p.userid, name: str(p.name) ?? p.userid };
  }
  return null;
}

/** Events in log order (seq, else time). */
export function inLogOrder<E extends ReportEvent>(events: E[]): E[] {
  return [...events].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.at.getTime() - b.at.getTime());
}

/** Folds one ticket's events (any order; sorted here) into its timeline, ignoring events after `asOf`. */
export function foldTimeline(ticket: ReportTicket, events: ReportEvent[], asOf?: Date): Timeline {
  const sorted = inLogOrder(asOf ? events.filter((e) => e.at.getTime() <= asOf.getTime()) : events);
  const created = sorted.find((e) => e.type === 'created');
  const createdAt = created?.at ?? ticket.createdAt ?? sorted[0]?.at ?? new Date(0);
  const reporter = personOf(created?.reporter) ?? personOf(ticket.reporter) ?? { userid: 'unknown', name: '未知' };
  const t: Timeline = {
    no: ticket.no,
    createdAt,
    level: asLevel(created?.level) ?? asLevel(ticket.level) ?? 3,
    system: str(created?.system) ?? ticket.system ?? 'other',
    title: str(created?.title) ?? ticket.title ?? '',
    department: str((created?.reporter as { department?: unknown } | undefined)?.department) ?? str(ticket.reporter?.department) ?? null,
    reporter: { userid: reporter.userid, name: str(ticket.reporter?.name) ?? reporter.name },
    assignee: null,
    status: 'open',
    claimedAt: null,
    dispatchedAt: null,
    arrivedAt: null,
    resolvedAt: null,
    resolutions: 0,
    reopened: 0,
    confirmedAt: null,
    confirmedBy: null,
    rating: null,
    closedAt: null,
    autoClosed: false,
    cancelledAt: null,
    mergedInto: ticket.parentNo ?? null,
    pauses: [],
    breaches: [],
    repair: { cause: ticket.repair?.cause ?? '', action: ticket.repair?.action ?? '', mode: ticket.repair?.mode ?? null },
  };
  const state: FoldState = { beforePause: 'claimed' };
  for (const e of sorted) apply(t, e, state);
  if (t.assignee && ticket.assignee?.userid === t.assignee.userid && ticket.assignee.name) t.assignee.name = ticket.assignee.name;
  return t;
}

/** What the fold remembers between events: the status a resume returns to. */
interface FoldState {
  beforePause: TicketStatus;
}

function apply(t: Timeline, e: ReportEvent, state: FoldState): void {
  switch (e.type) {
    case 'claimed':
      t.claimedAt ??= e.at;
      t.assignee = personOf(e.assignee) ?? personOf(e.actor);
      t.status = 'claimed';
      break;
    case 'transferred':
      t.assignee = personOf(e.to) ?? t.assignee;
      break;
    case 'dispatched':
      t.dispatchedAt = e.at;
      t.arrivedAt = null;
      t.status = 'onsite_dispatched';
      break;
    case 'arrived':
      t.arrivedAt ??= e.at;
      t.status = 'onsite';
      break;
    case 'paused':
      state.beforePause = t.status;
      t.pauses.push({ from: e.at, to: null });
      t.status = 'paused';
      break;
    case 'resumed': {
      const open = t.pauses.at(-1);
      if (open && !open.to) open.to = e.at;
      t.status = state.beforePause;
      break;
    }
    case 'resolved':
      t.resolvedAt = e.at;
      t.resolutions += 1;
      t.status = 'resolved';
      t.repair = repairOf(e.repair ?? e, t.repair);
      break;
    case 'rejected':
    case 'reopened':
      if (t.status === 'resolved') t.reopened += 1;
      t.resolvedAt = null;
      t.status = 'claimed';
      break;
    case 'confirmed':
      t.confirmedAt = e.at;
      t.rating = num(e.rating) ?? t.rating;
      if (e.auto !== true && e.actor !== 'system') t.confirmedBy = e.actor;
      else t.autoClosed = true;
      break;
    case 'closed':
      t.closedAt = e.at;
      t.status = 'closed';
      if (e.auto === true || e.actor === 'system') t.autoClosed = t.confirmedBy === null;
      break;
    case 'cancelled':
      t.cancelledAt = e.at;
      t.status = 'cancelled';
      break;
    case 'merged': {
      const into = num(e.into) ?? num(e.parentNo);
      if (into !== null && into !== t.no) t.mergedInto = into;
      break;
    }
    case 'level_changed':
      t.level = asLevel(e.to) ?? asLevel(e.level) ?? t.level;
      break;
    case 'breached': {
      const target = str(e.target);
      if (target && !t.breaches.some((b) => b.target === target)) {
        t.breaches.push({ target, at: date(e.breachedAt) ?? e.at, dueAt: date(e.dueAt), reason: str(e.reason) });
      }
      break;
    }
  }
}

function repairOf(v: unknown, prev: Timeline['repair']): Timeline['repair'] {
  const r = (v ?? {}) as { cause?: unknown; action?: unknown; mode?: unknown };
  return {
    cause: str(r.cause) ?? prev.cause,
    action: str(r.action) ?? prev.action,
    mode: r.mode === 'onsite' || r.mode === 'remote' ? r.mode : prev.mode,
  };
}

/** Counted in SLA figures: not cancelled, not a duplicate merged into another ticket. */
export function counts(t: Timeline): boolean {
  return t.status !== 'cancelled' && t.mergedInto === null;
}

export const isResolved = (t: Timeline): boolean => t.resolvedAt !== null;

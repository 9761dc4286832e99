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

/** One step of the fix history: every resolution, rejection and reopening, in log order. */
export interface HistoryEntry {
  kind: 'resolved' | 'rejected' | 'reopened';
  at: Date;
  by: string;
  /** Resolutions: the repair record given with this resolution. */
  cause: string | null;
  action: string | null;
  /** Rejections: why the reporter said it is not fixed. */
  reason: string | null;
}

/** An engineer's explanation of a missed deadline (`超时说明 5 等待厂家备件`, event `explained`). */
export interface Explanation {
  /** The target explained; null = every breached target of the ticket. */
  target: string | null;
  at: Date;
  by: string;
  text: string;
}

/**
 * How a ticket left the queue, for the record: confirmed by a person, auto-closed after the confirmation window,
 * withdrawn by its reporter (撤销), cancelled by a lead, merged into another ticket as a duplicate report,
 * referred to the hospital's 信息科 (outside the vendor's SLA); null while still open.
 */
export type ClosedHow = 'confirmed' | 'auto_closed' | 'withdrawn' | 'cancelled' | 'merged' | 'referred';

/** Statuses the record knows beyond the ticket model's (added by the withdrawal and referral features). */
export type RecordStatus = TicketStatus | 'withdrawn' | 'referred';

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
  status: RecordStatus;
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
  /** Every resolve / reject / reopen with its time, cause and action (the record shows them all). */
  history: HistoryEntry[];
  /** People who reported this fault: the first reporter plus every linked report of a new person. */
  reporterCount: number;
  ratingComment: string | null;
  /** Withdrawn by the reporter (撤销): out of the SLA figures, counted apart from cancellations. */
  withdrawnAt: Date | null;
  /** Passed to the hospital's 信息科 (转信息科): outside the vendor's SLA. */
  referredAt: Date | null;
  referredTo: string | null;
  explanations: Explanation[];
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
    history: [],
    reporterCount: 1,
    ratingComment: null,
    withdrawnAt: null,
    referredAt: null,
    referredTo: null,
    explanations: [],
  };
  const state: FoldState = { beforePause: 'claimed' };
  for (const e of sorted) apply(t, e, state);
  if (t.assignee && ticket.assignee?.userid === t.assignee.userid && ticket.assignee.name) t.assignee.name = ticket.assignee.name;
  return t;
}

/** What the fold remembers between events: the status a resume returns to. */
interface FoldState {
  beforePause: RecordStatus;
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
    case 'resolved': {
      t.resolvedAt = e.at;
      t.resolutions += 1;
      t.status = 'resolved';
      const given = repairOf(e.repair ?? e, { cause: '', action: '', mode: null });
      t.repair = repairOf(e.repair ?? e, t.repair);
      t.history.push({ kind: 'resolved', at: e.at, by: e.actor, cause: given.cause || null, action: given.action || null, reason: null });
      break;
    }
    case 'rejected':
    case 'reopened':
      if (t.status === 'resolved') t.reopened += 1;
      t.resolvedAt = null;
      t.status = 'claimed';
      t.history.push({ kind: e.type, at: e.at, by: e.actor, cause: null, action: null, reason: str(e.reason) });
      break;
    case 'confirmed':
      t.confirmedAt = e.at;
      t.rating = num(e.rating) ?? t.rating;
      t.ratingComment = str(e.comment) ?? t.ratingComment;
      if (e.auto !== true && e.actor !== 'system') t.confirmedBy = e.actor;
      else t.autoClosed = true;
      break;
    case 'closed':
      t.closedAt = e.at;
      t.status = 'closed';
      if (e.auto === true || e.actor === 'system') t.autoClosed = t.confirmedBy === null;
      break;
    case 'cancelled':
      // A reporter's 撤销 may be stored as a cancellation marked `withdrawn`: it is still a withdrawal.
      if (e.withdrawn === true) {
        t.withdrawnAt = e.at;
        t.status = 'withdrawn';
      } else {
        t.cancelledAt = e.at;
        t.status = 'cancelled';
      }
      break;
    case 'withdrawn':
      t.withdrawnAt = e.at;
      t.status = 'withdrawn';
      break;
    case 'referred':
      t.referredAt ??= e.at;
      t.referredTo = str((e.to as { userid?: unknown } | undefined)?.userid) ?? str(e.to) ?? t.referredTo;
      t.status = 'referred';
      break;
    case 'explained': {
      const text = str(e.text);
      if (text) t.explanations.push({ target: str(e.target), at: e.at, by: e.actor, text });
      break;
    }
    case 'merged': {
      const into = num(e.into) ?? num(e.parentNo);
      if (into !== null && into !== t.no) t.mergedInto = into;
      // A report linked to this ticket: one more reporter unless the same person reported again.
      if (e.reporter && e.counted !== false) t.reporterCount += 1;
      break;
    }
    case 'unlinked':
      // On a report: it left its incident and is a ticket of its own again. On the incident: one report fewer.
      if (num(e.from) !== null) {
        t.mergedInto = null;
        t.status = 'open';
      }
      if (e.uncounted === true) t.reporterCount = Math.max(1, t.reporterCount - 1);
      break;
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

/**
 * Counted in the vendor's SLA figures: not cancelled, not withdrawn by the reporter, not a duplicate merged into
 * another ticket, and not referred to the hospital's 信息科 (their own hardware and network are outside the
 * maintenance contract, seeds 000/001).
 */
export function counts(t: Timeline): boolean {
  return t.status !== 'cancelled' && t.withdrawnAt === null && t.mergedInto === null && t.referredAt === null;
}

/** How the ticket left the queue (see ClosedHow); null while it is still open or awaiting confirmation. */
export function closedHow(t: Timeline): ClosedHow | null {
  if (t.mergedInto !== null) return 'merged';
  if (t.withdrawnAt !== null) return 'withdrawn';
  if (t.status === 'cancelled') return 'cancelled';
  if (t.referredAt !== null) return 'referred';
  if (t.confirmedBy !== null) return 'confirmed';
  if (t.autoClosed) return 'auto_closed';
  return null;
}

export const isResolved = (t: Timeline): boolean => t.resolvedAt !== null;

/**
 * A ticket's history folded from its event log: the only input of every report figure.
 *
 * The ticket document is used for descriptive fields only (title, names, repair text) when an event does
 * not carry them; every time, status, level, rating and SLA outcome comes from the events, so a report can
 * be re-derived from `ticket_events` alone.
 */
import { type Level, type TicketEventOf, type TicketEventRecord, type TicketStatus, unreachable } from '../tickets/types.js';

/** One event of the log with its payload, as tickets/queries.ts reads it (stored and pending, today's shapes). */
export type ReportEvent = TicketEventRecord;

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
const asLevel = (v: number | undefined): Level | null => (v === 1 || v === 2 || v === 3 || v === 4 ? v : null);

/** A person as the record names them: their name, else their userid. */
function personOf(p: { userid?: string; name?: string | null } | null | undefined): { userid: string; name: string } | null {
  return p?.userid ? { userid: p.userid, name: str(p.name) ?? p.userid } : null;
}

const isCreated = (e: TicketEventRecord): e is TicketEventOf<'created'> => e.type === 'created';

/** Events in log order (seq, else time). */
export function inLogOrder<E extends ReportEvent>(events: E[]): E[] {
  return [...events].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.at.getTime() - b.at.getTime());
}

/** Folds one ticket's events (any order; sorted here) into its timeline, ignoring events after `asOf`. */
export function foldTimeline(ticket: ReportTicket, events: ReportEvent[], asOf?: Date): Timeline {
  const sorted = inLogOrder(asOf ? events.filter((e) => e.at.getTime() <= asOf.getTime()) : events);
  const created = sorted.find(isCreated);
  const createdAt = created?.at ?? ticket.createdAt ?? sorted[0]?.at ?? new Date(0);
  const reporter = personOf(created?.reporter) ?? personOf(ticket.reporter) ?? { userid: 'unknown', name: '未知' };
  const t: Timeline = {
    no: ticket.no,
    createdAt,
    level: asLevel(created?.level) ?? asLevel(ticket.level) ?? 3,
    system: str(created?.system) ?? ticket.system ?? 'other',
    title: str(created?.title) ?? ticket.title ?? '',
    department: str(created?.reporter.department) ?? str(ticket.reporter?.department) ?? null,
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

/** How one event moves the record; every type is listed, so a new one does not compile until it is decided here. */
function apply(t: Timeline, e: ReportEvent, state: FoldState): void {
  switch (e.type) {
    case 'claimed':
      t.claimedAt ??= e.at;
      t.assignee = personOf(e.assignee) ?? personOf({ userid: e.actor });
      t.status = 'claimed';
      return;
    case 'transferred':
      t.assignee = personOf(e.to) ?? t.assignee;
      return;
    case 'dispatched':
      t.dispatchedAt = e.at;
      t.arrivedAt = null;
      t.status = 'onsite_dispatched';
      return;
    case 'arrived':
      t.arrivedAt ??= e.at;
      t.status = 'onsite';
      return;
    case 'paused':
      state.beforePause = t.status;
      t.pauses.push({ from: e.at, to: null });
      t.status = 'paused';
      return;
    case 'resumed': {
      const open = t.pauses.at(-1);
      if (open && !open.to) open.to = e.at;
      t.status = state.beforePause;
      return;
    }
    case 'resolved': {
      t.resolvedAt = e.at;
      t.resolutions += 1;
      t.status = 'resolved';
      const given = repairOf(e.repair, { cause: '', action: '', mode: null });
      t.repair = repairOf(e.repair, t.repair);
      t.history.push({ kind: 'resolved', at: e.at, by: e.actor, cause: given.cause || null, action: given.action || null, reason: null });
      return;
    }
    case 'rejected':
    case 'reopened':
      if (t.status === 'resolved') t.reopened += 1;
      t.resolvedAt = null;
      t.status = 'claimed';
      t.history.push({
        kind: e.type,
        at: e.at,
        by: e.actor,
        cause: null,
        action: null,
        reason: e.type === 'rejected' ? str(e.reason) : null,
      });
      return;
    case 'confirmed':
      t.confirmedAt = e.at;
      t.rating = e.rating ?? t.rating;
      t.ratingComment = str(e.comment) ?? t.ratingComment;
      if (e.actor !== 'system') t.confirmedBy = e.actor;
      else t.autoClosed = true;
      return;
    case 'closed':
      t.closedAt = e.at;
      t.status = 'closed';
      if (e.auto || e.actor === 'system') t.autoClosed = t.confirmedBy === null;
      return;
    case 'cancelled':
      // A reporter's 撤销 is a cancellation marked `withdrawn`: counted apart from a lead's cancellation.
      if (e.withdrawn) {
        t.withdrawnAt = e.at;
        t.status = 'withdrawn';
      } else {
        t.cancelledAt = e.at;
        t.status = 'cancelled';
      }
      return;
    case 'referred':
      t.referredAt ??= e.at;
      t.referredTo = str(e.to.userid) ?? t.referredTo;
      t.status = 'referred';
      return;
    case 'explained': {
      const text = str(e.text);
      if (text) t.explanations.push({ target: e.target, at: e.at, by: e.actor, text });
      return;
    }
    case 'merged':
      if ('into' in e) {
        if (e.into !== t.no) t.mergedInto = e.into;
        return;
      }
      // A report linked to this ticket: one more reporter unless the same person reported again.
      if (e.counted) t.reporterCount += 1;
      return;
    case 'unlinked':
      // On a report: it left its incident and is a ticket of its own again. On the incident: one report fewer.
      if ('from' in e) {
        t.mergedInto = null;
        t.status = 'open';
      } else if (e.uncounted) t.reporterCount = Math.max(1, t.reporterCount - 1);
      return;
    case 'level_changed':
      t.level = asLevel(e.to) ?? t.level;
      return;
    case 'breached':
      if (!t.breaches.some((b) => b.target === e.target)) {
        t.breaches.push({ target: e.target, at: e.breachedAt ?? e.at, dueAt: e.dueAt ?? null, reason: null });
      }
      return;
    // Nothing the record shows: the opening (read before the fold), notes and supplements, reminders, a reporter's
    // chases and notes.
    case 'created':
    case 'progress':
    case 'reminded':
    case 'chased':
    case 'noted':
      return;
    default:
      unreachable(e);
  }
}

function repairOf(r: { cause?: string; action?: string; mode?: 'onsite' | 'remote' } | null, prev: Timeline['repair']): Timeline['repair'] {
  return {
    cause: str(r?.cause) ?? prev.cause,
    action: str(r?.action) ?? prev.action,
    mode: r?.mode ?? prev.mode,
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

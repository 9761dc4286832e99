import { type Level, type PersonRef, type TicketEventRecord, type TicketStatus, unreachable } from './types.js';

/** The part of a ticket that its event log alone determines. */
export interface ReplayState {
  no: number;
  status: TicketStatus;
  level: Level;
  system: string;
  /** The reporter's department (or place). */
  department: string | null;
  assignee: PersonRef | null;
  reporterCount: number;
  subscribers: string[];
  parentNo: number | null;
  children: number[];
  pausedFrom: TicketStatus | null;
  rating: number | null;
  autoClosed: boolean;
  breaches: string[];
}

const person = (p: PersonRef | null): PersonRef | null => (p ? { userid: p.userid, name: p.name } : null);

/** How one event moves the state; every type is listed, so a new one does not compile until it is decided here. */
function step(s: ReplayState, e: TicketEventRecord): void {
  switch (e.type) {
    case 'progress':
      // A note changes nothing; details added later (supplementTicket) carry the changed fields. Never the level.
      if (e.kind === 'supplement') {
        if (e.fields.system) s.system = e.fields.system;
        if (e.fields.department) s.department = e.fields.department;
      }
      return;
    case 'claimed':
      s.status = 'claimed';
      s.assignee = person(e.assignee);
      return;
    case 'dispatched':
      s.status = 'onsite_dispatched';
      return;
    case 'arrived':
      s.status = 'onsite';
      return;
    case 'resolved':
      s.status = 'resolved';
      return;
    case 'confirmed':
      s.rating = e.rating ?? null;
      return;
    case 'closed':
      s.status = 'closed';
      s.autoClosed = e.auto === true;
      return;
    case 'reopened':
      s.status = e.status ?? 'claimed';
      return;
    case 'paused':
      s.pausedFrom = e.from;
      s.status = 'paused';
      return;
    case 'resumed':
      s.status = e.to ?? s.pausedFrom ?? 'claimed';
      s.pausedFrom = null;
      return;
    case 'transferred':
      s.assignee = person(e.to);
      return;
    case 'level_changed':
      s.level = e.to;
      return;
    case 'merged':
      if ('into' in e) {
        s.parentNo = e.into;
        // A report linked to an incident waits for it (older merged duplicates were cancelled by a later event).
        if (s.status === 'open' || s.status === 'claimed') s.status = 'linked';
        return;
      }
      if (e.childNo !== null) s.children.push(e.childNo);
      if (e.counted && e.reporter.userid) {
        s.reporterCount += 1;
        s.subscribers.push(e.reporter.userid);
      }
      return;
    case 'unlinked':
      if ('from' in e) {
        s.parentNo = null;
        s.status = e.status ?? 'open';
        return;
      }
      s.children = s.children.filter((c) => c !== e.childNo);
      if (e.uncounted && e.reporter.userid) {
        s.reporterCount -= 1;
        s.subscribers = s.subscribers.filter((u) => u !== e.reporter.userid);
      }
      return;
    case 'referred':
      s.status = 'referred';
      return;
    case 'breached':
      s.breaches.push(e.target);
      return;
    case 'cancelled':
      s.status = 'cancelled';
      return;
    // What the log alone does not change: the opening (read before the fold), reminders, rejections (the
    // reopening that follows moves the status), explanations, a reporter's chases and notes.
    case 'created':
    case 'reminded':
    case 'rejected':
    case 'explained':
    case 'chased':
    case 'noted':
      return;
    default:
      unreachable(e);
  }
}

/** Rebuilds a ticket's state from its log (in seq order); the log must start with `created`. */
export function replay(events: TicketEventRecord[]): ReplayState {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const first = sorted[0];
  if (first?.type !== 'created') throw new Error('replay: the log must start with a created event');
  const state: ReplayState = {
    no: first.no,
    status: typeof first.parentNo === 'number' ? 'linked' : 'open',
    level: first.level,
    system: first.system,
    department: first.reporter?.department ?? null,
    assignee: null,
    reporterCount: 1,
    subscribers: [],
    parentNo: typeof first.parentNo === 'number' ? first.parentNo : null,
    children: [],
    pausedFrom: null,
    rating: null,
    autoClosed: false,
    breaches: [],
  };
  for (const e of sorted.slice(1)) step(state, e);
  return state;
}

import type { Level, PersonRef, TicketEventRecord, TicketStatus } from './types.js';

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

type Step = (s: ReplayState, e: TicketEventRecord) => void;

const person = (p: unknown): PersonRef | null => (p ? { userid: (p as PersonRef).userid, name: (p as PersonRef).name } : null);

/** How each event type moves the state; types not listed (reminded) change nothing. */
const STEPS: Partial<Record<TicketEventRecord['type'], Step>> = {
  // A note changes nothing; details added later (supplementTicket) carry the changed fields. Never the level.
  progress: (s, e) => {
    const fields = e.fields as { system?: unknown; department?: unknown } | undefined;
    if (typeof fields?.system === 'string') s.system = fields.system;
    if (typeof fields?.department === 'string') s.department = fields.department;
  },
  claimed: (s, e) => {
    s.status = 'claimed';
    s.assignee = person(e.assignee);
  },
  dispatched: (s) => {
    s.status = 'onsite_dispatched';
  },
  arrived: (s) => {
    s.status = 'onsite';
  },
  resolved: (s) => {
    s.status = 'resolved';
  },
  confirmed: (s, e) => {
    s.rating = (e.rating as number | null) ?? null;
  },
  closed: (s, e) => {
    s.status = 'closed';
    s.autoClosed = e.auto === true;
  },
  reopened: (s, e) => {
    s.status = (e.status as TicketStatus) ?? 'claimed';
  },
  paused: (s, e) => {
    s.pausedFrom = e.from as TicketStatus;
    s.status = 'paused';
  },
  resumed: (s, e) => {
    s.status = (e.to as TicketStatus) ?? s.pausedFrom ?? 'claimed';
    s.pausedFrom = null;
  },
  transferred: (s, e) => {
    s.assignee = person(e.to);
  },
  level_changed: (s, e) => {
    s.level = e.to as Level;
  },
  merged: (s, e) => {
    if (typeof e.into === 'number') {
      s.parentNo = e.into;
      // A report linked to an incident waits for it (older merged duplicates were cancelled by a later event).
      if (s.status === 'open' || s.status === 'claimed') s.status = 'linked';
    }
    if (typeof e.childNo === 'number') s.children.push(e.childNo);
    const who = (e.reporter as PersonRef | undefined)?.userid;
    if (e.counted && who) {
      s.reporterCount += 1;
      s.subscribers.push(who);
    }
  },
  unlinked: (s, e) => {
    if (typeof e.from === 'number') {
      s.parentNo = null;
      s.status = (e.status as TicketStatus | undefined) ?? 'open';
    }
    if (typeof e.childNo === 'number') s.children = s.children.filter((c) => c !== e.childNo);
    const who = (e.reporter as PersonRef | undefined)?.userid;
    if (e.uncounted && who) {
      s.reporterCount -= 1;
      s.subscribers = s.subscribers.filter((u) => u !== who);
    }
  },
  referred: (s) => {
    s.status = 'referred';
  },
  breached: (s, e) => {
    s.breaches.push(e.target as string);
  },
  cancelled: (s) => {
    s.status = 'cancelled';
  },
};

/** Rebuilds a ticket's state from its log (in seq order); the log must start with `created`. */
export function replay(events: TicketEventRecord[]): ReplayState {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const first = sorted[0];
  if (!first || first.type !== 'created') throw new Error('replay: the log must start with a created event');
  const state: ReplayState = {
    no: first.no,
    status: typeof first.parentNo === 'number' ? 'linked' : 'open',
    level: first.level as Level,
    system: first.system as string,
    department: (first.reporter as { department?: string | null } | undefined)?.department ?? null,
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
  for (const e of sorted.slice(1)) STEPS[e.type]?.(state, e);
  return state;
}

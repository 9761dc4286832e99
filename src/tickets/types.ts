import type { Clock } from '../clock.js';
import type { BotConfig } from '../config/bots.js';
import type { Target } from '../sla/policy.js';
import type { TicketEventBus } from './events.js';
import { type RefusalSay, refusalText } from '../bot/presenters/refusals.js';

export type Level = 1 | 2 | 3 | 4;
export const LEVELS: readonly Level[] = [1, 2, 3, 4];

/**
 * `linked`: a report attached to an incident (see src/bot/incidents.ts); it waits for the incident, is not chased on
 * its own and is resolved with it. `referred`: passed to the hospital's 信息科 (out of the vendor's scope, final).
 */
export const STATUSES = [
  'open',
  'claimed',
  'onsite_dispatched',
  'onsite',
  'paused',
  'resolved',
  'closed',
  'cancelled',
  'linked',
  'referred',
] as const;
export type TicketStatus = (typeof STATUSES)[number];

/** Statuses in which an engineer is working the ticket (progress, pause, transfer, resolve apply). */
export const WORKING: readonly TicketStatus[] = ['claimed', 'onsite_dispatched', 'onsite'];
/** Every status that is not final. */
export const ACTIVE: readonly TicketStatus[] = ['open', 'claimed', 'onsite_dispatched', 'onsite', 'paused'];

/**
 * Every event type the log holds, as CONTRACTS.md names them (never renamed; add freely). Each has its payload in
 * TicketEventPayload below: adding a type means adding it here and there, after which the compiler lists every
 * switch (replay, the report fold, the notifier) that must decide what it means.
 */
export const EVENT_TYPES = [
  'created',
  'claimed',
  'dispatched',
  'arrived',
  'progress',
  'resolved',
  'confirmed',
  'rejected',
  'reopened',
  'paused',
  'resumed',
  'transferred',
  'level_changed',
  'merged',
  'reminded',
  'breached',
  'cancelled',
  'closed',
  'explained',
  'unlinked',
  'referred',
  /** A reporter chased the ticket (还没人来): `to` nudged, `escalateTo` (backup, leads) on a second chase. */
  'chased',
  /** A reporter's note (a complaint), kept on the ticket and told to the assignee. */
  'noted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface PersonRef {
  userid: string;
  name: string;
}
export interface Reporter extends PersonRef {
  department?: string;
  contact?: string;
}
export type Channel = 'aibot' | 'app';
export interface ChatRef {
  chatId: string;
  channel: Channel;
}
export interface Attachment {
  kind: 'image' | 'file' | 'voice' | 'video' | 'link';
  /** WeCom media id (valid 3 days) or a URL. */
  mediaId?: string;
  url?: string;
  name?: string;
}
export type TargetName = 'response' | 'onsite' | 'resolve';
export interface SlaTargets {
  response: Target;
  onsite: Target | null;
  resolve: Target;
}
export interface Repair {
  cause: string;
  action: string;
  category?: string;
  mode: 'onsite' | 'remote';
}
export interface Confirmation {
  by: string;
  at: Date;
  rating: number | null;
  comment: string | null;
  auto: boolean;
}
export interface Pause {
  at: Date;
  reason: string;
  /** The status to return to on resume. */
  from: TicketStatus;
}

/** Fields a reporter's supplement changed on the ticket (supplementTicket), so replay can apply them. */
export interface SupplementFields {
  system?: string;
  /** With system `software` (其他软件): the name the reporter gave it. */
  systemLabel?: string;
  department?: string;
  contact?: string;
  symptom?: string;
}

/** The reporter as the `created` event and incident links record them. */
export interface ReporterRef extends PersonRef {
  department: string | null;
}

/**
 * What each event carries besides its envelope: one member per kind of event, discriminated by `type` and, for the
 * two types that name two different things, by `kind` as well (`reminded`: escalation | confirmation, `progress`:
 * note | supplement). CONTRACTS.md's type names stay as scripts know them. Events stored before a member got its
 * present shape are brought to it when read (upgradeEvent), so readers only ever see these shapes.
 *
 * To add an event: a member here and its name in EVENT_TYPES; `npm run typecheck` then names each exhaustive
 * switch (replay.ts, reports/timeline.ts, the notifier) that has to say what it means.
 */
export type TicketEventPayload =
  | {
      type: 'created';
      level: Level;
      system: string;
      /** System `software` (其他软件): the name the reporter used. */
      systemLabel?: string;
      title: string;
      reporter: ReporterRef;
      triageReason: string | null;
      channel: Channel | null;
      /** Present on an incident (故障事件). */
      kind?: 'incident';
      /** A report opened already linked to this incident. */
      parentNo?: number;
    }
  /** `responseMs`: business or wall ms to the claim, by the response target's clock. */
  | { type: 'claimed'; assignee: PersonRef; responseMs: number | null }
  | { type: 'dispatched'; dueAt: Date | null }
  | { type: 'arrived'; onsiteMs: number | null }
  /** An engineer's note on the work (进展 12 …), told to the reporters. */
  | { type: 'progress'; kind: 'note'; text: string }
  /** The reporter (or a co-reporter, or staff correcting) added details after the ticket opened. */
  | { type: 'progress'; kind: 'supplement'; text: string; fields: SupplementFields; attachment?: Attachment }
  /** `incident`: resolved with that incident (its repair record), not by an engineer on this report. */
  | { type: 'resolved'; repair: Repair | null; resolveMs?: number | null; incident?: number }
  | { type: 'confirmed'; rating: number | null; comment: string | null }
  | { type: 'rejected'; reason: string }
  | { type: 'reopened'; status: TicketStatus; assignee: PersonRef | null }
  | { type: 'paused'; reason: string; from: TicketStatus }
  | { type: 'resumed'; to: TicketStatus; pausedMs: number }
  | { type: 'transferred'; from: PersonRef | null; to: PersonRef; reason: string | null }
  | { type: 'level_changed'; from: Level; to: Level; reason: string }
  /** On the report or duplicate: it now points at `into` (a report linked to an incident has `from`, its status then). */
  | { type: 'merged'; into: number; from?: TicketStatus }
  /** On the parent or incident: another report of the same fault joined it (`counted` when the reporter is new). */
  | { type: 'merged'; reporter: ReporterRef; childNo: number | null; text?: string | null; counted: boolean }
  /** On the report: it left incident `from` (拆分, or its reporter said it is not fixed) and has `status` again. */
  | { type: 'unlinked'; from: number; status: TicketStatus }
  /** On the incident: report `childNo` left it; `uncounted` when its reporter no longer counts. */
  | { type: 'unlinked'; childNo: number; reporter: PersonRef; uncounted: boolean }
  /** Passed to the hospital's 信息科 contact `to` (out of the vendor's scope). */
  | { type: 'referred'; to: PersonRef }
  /** An SLA escalation step was carried out (sla/escalation.ts); `skipped` are overdue steps folded into it. */
  | {
      type: 'reminded';
      kind: 'escalation';
      target: TargetName;
      step: string;
      skipped: string[];
      dueAt: Date;
      /** Userids messaged; `group`: the group was posted to as well. */
      to: string[];
      group: boolean;
    }
  /** The reporters of a resolved ticket were asked again to confirm (tickets.confirmReminderHours). */
  | { type: 'reminded'; kind: 'confirmation'; to: string[] }
  | { type: 'breached'; target: TargetName; dueAt: Date; breachedAt: Date }
  /** An engineer's explanation of a missed deadline (超时说明); `target` null = every breached target, listed in `targets`. */
  | { type: 'explained'; target: TargetName | null; targets: TargetName[]; text: string }
  /**
   * `withdrawn`: the reporter's 撤销 (counted apart from a lead's cancellation); `recovered`: withdrawn because the
   * reporter said the fault went away by itself (现在又好了 不用来了).
   */
  | { type: 'cancelled'; reason: string; withdrawn?: boolean; recovered?: boolean }
  /**
   * A reporter chased the ticket (还没人来): `to` nudged (the assignee, or the on-duty engineer while unclaimed);
   * `escalateTo` (backup, leads) on a second chase within the interval; `waitedMinutes` since it opened; `source`
   * the message that chased (`inbox:<id>`), so handling it again after a crash chases once.
   */
  | { type: 'chased'; to: string[]; escalateTo: string[]; waitedMinutes: number; text: string; source?: string }
  /** A reporter's note on the ticket (a complaint), told to the assignee; never a form field. */
  | { type: 'noted'; text: string; source?: string }
  /** `auto`: by the auto-close job after `afterHours`; `incident`: an incident closed when its reports were resolved. */
  | { type: 'closed'; auto: boolean; afterHours?: number; incident?: boolean };

/** The envelope every event has; `seq` is the ticket's version after the change. */
export interface TicketEventEnvelope {
  bot: string;
  no: number;
  seq: number;
  actor: string;
  at: Date;
}

/** One entry of the append-only log (`ticket_events`): the envelope plus one kind of payload. */
export type TicketEventRecord = TicketEventEnvelope & TicketEventPayload;

/** The events of one type, e.g. `TicketEventOf<'reminded'>` (both kinds). */
export type TicketEventOf<T extends EventType> = Extract<TicketEventRecord, { type: T }>;

// Both lists name the same types: a member without its name in EVENT_TYPES (or the reverse) fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _eventTypesComplete: Same<EventType, TicketEventPayload['type']> = true;
void _eventTypesComplete;

/** A filter that narrows: `events.filter(isEventOf('breached'))` gives breached events with their payload type. */
export function isEventOf<T extends EventType>(type: T): (e: TicketEventRecord) => e is TicketEventOf<T> {
  return (e): e is TicketEventOf<T> => e.type === type;
}

/** SLA escalation steps among a ticket's events (`reminded` of kind `escalation`). */
export function isEscalation(e: TicketEventRecord): e is Extract<TicketEventRecord, { kind: 'escalation' }> {
  return e.type === 'reminded' && e.kind === 'escalation';
}

/** Fails to compile when a switch misses a case (call it in the `default` branch); throws if reached anyway. */
export function unreachable(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}

/** An event as read from the database, before upgradeEvent. */
export type StoredTicketEvent = TicketEventEnvelope & { type: EventType; [payload: string]: unknown };

/**
 * The migration rule for stored events, applied wherever events are read (tickets/queries.ts): events written
 * before `reminded` and `progress` had their kinds get them from their shape. An escalation names its target, a
 * confirmation reminder was written with kind "confirm"; a supplement carries the fields it changed (or an
 * attachment), anything else is an engineer's note. Every other event is returned as stored.
 */
export function upgradeEvent(event: StoredTicketEvent | TicketEventRecord | PendingEvent): TicketEventRecord {
  const stored: StoredTicketEvent = { ...event };
  // The outbox's bookkeeping time is not part of the event.
  Reflect.deleteProperty(stored, 'writtenAt');
  if (stored.type === 'reminded' && stored.kind !== 'escalation' && stored.kind !== 'confirmation')
    return asEvent({ ...stored, kind: typeof stored.target === 'string' ? 'escalation' : 'confirmation' });
  if (stored.type === 'progress' && stored.kind !== 'note' && stored.kind !== 'supplement')
    return asEvent({ ...stored, kind: stored.fields || stored.attachment ? 'supplement' : 'note' });
  return asEvent(stored);
}

/** The one place a stored document becomes a typed event: the log is only written through the commands. */
function asEvent(stored: StoredTicketEvent): TicketEventRecord {
  return stored as unknown as TicketEventRecord;
}

/** One report linked to an incident (kept on the incident; the report keeps its own ticket). */
export interface IncidentReport {
  no: number;
  userid: string;
  name: string;
  department: string | null;
}

/** What only an incident carries: the reports linked to it and what kind of fault they describe. */
export interface IncidentInfo {
  /** Symptom class shared by its reports (see src/bot/incidents.ts symptomOf), e.g. "login". */
  symptom: string;
  reports: IncidentReport[];
}

/** An event in the ticket's outbox (see apply.ts): committed with the ticket, not yet confirmed in the log. */
export type PendingEvent = TicketEventRecord & { writtenAt: Date };

/** A stored ticket (lean document). */
export interface TicketDoc {
  /** `incident`: one outage many reports link to (故障事件); absent on older tickets = `report`. */
  kind?: 'report' | 'incident';
  incident?: IncidentInfo | null;
  bot: string;
  no: number;
  system: string;
  /** System `software` (其他软件): the name the reporter used ("手麻系统", "营养膳食系统"); absent otherwise. */
  systemLabel?: string;
  level: Level;
  triageReason: string | null;
  title: string;
  description: string;
  reporter: Reporter;
  chat: ChatRef | null;
  subscribers: PersonRef[];
  reporterCount: number;
  departments: string[];
  status: TicketStatus;
  assignee: PersonRef | null;
  attachments: Attachment[];
  sla: SlaTargets;
  repair: Repair | null;
  confirmation: Confirmation | null;
  parentNo: number | null;
  children: number[];
  pause: Pause | null;
  /** When the reporter was reminded to confirm the current resolution (cleared on resolve). */
  confirmRemindedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Number of events applied; the precondition of every change. */
  version: number;
  /** Events committed with the ticket but not yet confirmed in `ticket_events` (see apply.ts). */
  pending: PendingEvent[];
  /** What opened it, e.g. `inbox:<inbox id>`: unique, so processing that message again cannot open a second one. */
  source?: string;
}

/** What every ticket command needs: the deployment, the source of "now" and the service's event processors. */
export interface TicketContext {
  bot: BotConfig;
  clock: Clock;
  /** The running service's processors, told about each committed change. */
  events: TicketEventBus;
}

export interface Actor {
  userid: string;
  name?: string;
}

/** Why a command did nothing; each is answered with a short sentence (`message`), never an error. */
export type RefusalCode =
  | 'not_found'
  | 'forbidden'
  | 'bad_status'
  | 'bad_input'
  | 'text_required'
  | 'reason_required'
  | 'cause_required'
  | 'action_required'
  | 'bad_level'
  | 'bad_rating'
  | 'busy'
  | 'already_claimed'
  | 'already_yours'
  | 'already'
  | 'already_reminded'
  | 'not_assignee'
  | 'not_claimed'
  | 'not_engineer'
  | 'not_incident'
  | 'same_assignee'
  | 'same_level'
  | 'no_breach'
  | 'stale'
  | 'stopped'
  | 'nothing';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** Which sentence answers the refusal, with its data (bot/presenters/refusals.ts). */
  say: RefusalSay;
  /** Short Chinese sentence for the person: refusalText(say), worded in the presenter, never here. */
  message: string;
}

/** Ticket JSON as in CONTRACTS.md (see presenter.ts). */
export type { TicketView, EventView } from './presenter.js';

export type CommandResult =
  | {
      ok: true;
      ticket: import('./presenter.js').TicketView;
      /** The main event of the change. */
      event: TicketEventRecord;
      /** All events of the change, in order (confirm = confirmed + closed, reject = rejected + reopened). */
      events: TicketEventRecord[];
      /** The stored document after the change. */
      doc: TicketDoc;
    }
  | Refusal;

/** A refusal: `code` for machines, `say` for the presenter that words it (refusalText). */
export function refuse(code: RefusalCode, say: RefusalSay): Refusal {
  return { ok: false, code, say, message: refusalText(say) };
}

import type { Clock } from '../clock.js';
import type { BotConfig } from '../config/bots.js';
import type { Target } from '../sla/policy.js';
import type { TicketEventBus } from './events.js';

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
  /** An engineer's explanation of a missed deadline (超时说明). */
  'explained',
  /** A report detached from its incident (拆分): it is its own ticket again. */
  'unlinked',
  /** Passed to the hospital's 信息科 (out of the vendor's scope). */
  'referred',
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

/** One entry of the append-only log (`ticket_events`); `seq` is the ticket's version after the change. */
export interface TicketEventRecord {
  bot: string;
  no: number;
  seq: number;
  type: EventType;
  actor: string;
  at: Date;
  [payload: string]: unknown;
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

/** A stored ticket (lean document). */
export interface TicketDoc {
  /** `incident`: one outage many reports link to (故障事件); absent on older tickets = `report`. */
  kind?: 'report' | 'incident';
  incident?: IncidentInfo | null;
  bot: string;
  no: number;
  system: string;
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
  pending: Array<TicketEventRecord & { writtenAt: Date }>;
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

export interface Refusal {
  ok: false;
  /** Machine code, e.g. "already_claimed", "not_found", "forbidden", "bad_status", "bad_input". */
  code: string;
  /** Short Chinese sentence for the person. */
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

export function refuse(code: string, message: string): Refusal {
  return { ok: false, code, message };
}

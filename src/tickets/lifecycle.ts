/**
 * The ticket lifecycle in one table: for each ticket command, the statuses it may change a ticket from. applyChange
 * makes it the atomic precondition of the write, requireStatus answers with it, and chat dialogs ask `allows` before
 * offering an action (so a button or a question never offers what the command would refuse).
 *
 * Statuses (types.ts STATUSES): open → claimed → (onsite_dispatched → onsite) → resolved → closed, with paused
 * between working states, linked while a report waits for its incident, and cancelled / referred as final.
 */
import { ACTIVE, STATUSES, type TicketStatus, WORKING } from './types.js';

/** An engineer's states plus paused: notes and transfers are fine while a ticket waits. */
const WORKED = [...WORKING, 'paused'] as const;

export const LIFECYCLE = {
  claim: ['open'],
  dispatch: ['claimed'],
  arrive: ['onsite_dispatched'],
  /** 进展: an engineer's note. */
  progress: WORKED,
  transfer: WORKED,
  pause: WORKING,
  resume: ['paused'],
  resolve: WORKING,
  confirm: ['resolved'],
  /** 未解决: the reporter sends it back. */
  reject: ['resolved'],
  remindConfirmation: ['resolved'],
  autoClose: ['resolved'],
  /** A lead's cancellation. */
  cancel: ACTIVE,
  /** The reporter's 撤销 (also "现在又好了 不用来了" → 1). */
  withdraw: ACTIVE,
  /** A reporter's chase (还没人来) and note (a complaint): while the ticket is unfinished. */
  chase: ACTIVE,
  note: ACTIVE,
  changeLevel: ACTIVE,
  /** Details added after opening (the reporter's supplement, 改系统). */
  supplement: ACTIVE,
  /** SLA jobs: a deadline passed; an escalation step was carried out. */
  recordBreach: ACTIVE,
  escalate: ACTIVE,
  /** 超时说明: explanations often follow the fix, so any status. */
  explainBreach: STATUSES,
  /** Another report of the same fault joins this ticket, and the duplicate (still unclaimed) is cancelled into it. */
  merge: ACTIVE,
  mergeDuplicate: ['open'],
  /** Incidents: a report is linked (or linked again), its list kept on the incident; 拆分 takes it out. */
  link: [...ACTIVE, 'linked'],
  addToIncident: ACTIVE,
  removeFromIncident: ACTIVE,
  split: ['linked'],
  /** A linked report is resolved with its incident, and the incident closed once its reports are. */
  resolveWithIncident: ['linked'],
  closeIncident: ['resolved'],
} as const satisfies Record<string, readonly TicketStatus[]>;

/** The name of a ticket command in the lifecycle table. */
export type TicketCommand = keyof typeof LIFECYCLE;

/** The statuses `command` may change a ticket from. */
export function allowedFrom(command: TicketCommand): readonly TicketStatus[] {
  return LIFECYCLE[command];
}

/** May `command` change a ticket in `status`? (What chat dialogs ask before they offer an action.) */
export function allows(command: TicketCommand, status: TicketStatus): boolean {
  return allowedFrom(command).includes(status);
}

import { toIso } from '../time.js';
import type { Attachment, ChatRef, EventType, Level, PersonRef, TicketDoc, TicketEventRecord, TicketStatus } from './types.js';

/** A target as JSON: instants as ISO +08:00 (CONTRACTS.md "Target"). */
export interface TargetView {
  startedAt: string;
  dueAt: string;
  period: 'work' | 'off' | 'holiday';
  clock: 'wall' | 'business';
  pausedMs: number;
  metAt: string | null;
  breachedAt: string | null;
  [more: string]: unknown;
}

/** Ticket JSON (CONTRACTS.md "Ticket", plus the rest of the record). */
export interface TicketView {
  no: number;
  bot: string;
  level: Level;
  system: string;
  /** The reporter's name for "other software" (system `software`), else null. */
  systemLabel: string | null;
  status: TicketStatus;
  title: string;
  description: string;
  triageReason: string | null;
  assignee: PersonRef | null;
  reporter: { userid: string; name: string; department: string | null; contact: string | null };
  reporterCount: number;
  departments: string[];
  subscribers: PersonRef[];
  chat: ChatRef | null;
  attachments: Attachment[];
  parentNo: number | null;
  children: number[];
  pause: { at: string; reason: string; from: TicketStatus } | null;
  repair: { cause: string; action: string; category: string | null; mode: 'onsite' | 'remote' } | null;
  confirmation: { by: string; at: string; rating: number | null; comment: string | null; auto: boolean } | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  sla: { response: TargetView; onsite: TargetView | null; resolve: TargetView };
  version: number;
  /** `incident` for a 故障事件 (its linked reports in `incident.reports`), else `report`. */
  kind: 'report' | 'incident';
  incident: { symptom: string; reports: Array<{ no: number; userid: string; name: string; department: string | null }> } | null;
}

/** Event JSON: `{type, actor, at, seq, …payload}` with instants as ISO +08:00. */
export interface EventView {
  seq: number;
  type: EventType;
  actor: string;
  at: string;
  [payload: string]: unknown;
}

export interface TicketWithEvents extends TicketView {
  events: EventView[];
}

/** Dates anywhere in a stored value become ISO +08:00 strings; everything else is copied. */
export function isoDeep(value: unknown): unknown {
  if (value instanceof Date) return toIso(value);
  if (Array.isArray(value)) return value.map(isoDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '_id') out[k] = isoDeep(v);
    return out;
  }
  return value;
}

function person(p: PersonRef | null | undefined): PersonRef | null {
  return p ? { userid: p.userid, name: p.name } : null;
}

export function presentTicket(t: TicketDoc): TicketView {
  return {
    no: t.no,
    bot: t.bot,
    level: t.level,
    system: t.system,
    systemLabel: t.systemLabel ?? null,
    status: t.status,
    title: t.title,
    description: t.description ?? '',
    triageReason: t.triageReason ?? null,
    assignee: person(t.assignee),
    reporter: {
      userid: t.reporter.userid,
      name: t.reporter.name,
      department: t.reporter.department ?? null,
      contact: t.reporter.contact ?? null,
    },
    reporterCount: t.reporterCount ?? 1,
    departments: t.departments ?? [],
    subscribers: (t.subscribers ?? []).map((s) => person(s)!),
    chat: t.chat ? { chatId: t.chat.chatId, channel: t.chat.channel } : null,
    attachments: (t.attachments ?? []).map((a) => isoDeep(a) as Attachment),
    parentNo: t.parentNo ?? null,
    children: t.children ?? [],
    pause: t.pause ? { at: toIso(t.pause.at), reason: t.pause.reason, from: t.pause.from } : null,
    repair: t.repair ? { cause: t.repair.cause, action: t.repair.action, category: t.repair.category ?? null, mode: t.repair.mode } : null,
    confirmation: t.confirmation
      ? {
          by: t.confirmation.by,
          at: toIso(t.confirmation.at),
          rating: t.confirmation.rating ?? null,
          comment: t.confirmation.comment ?? null,
          auto: t.confirmation.auto,
        }
      : null,
    createdAt: toIso(t.createdAt),
    updatedAt: toIso(t.updatedAt),
    resolvedAt: toIso(t.resolvedAt),
    closedAt: toIso(t.closedAt),
    sla: {
      response: isoDeep(t.sla.response) as TargetView,
      onsite: (isoDeep(t.sla.onsite ?? null) as TargetView | null) ?? null,
      resolve: isoDeep(t.sla.resolve) as TargetView,
    },
    version: t.version,
    kind: t.kind ?? 'report',
    incident: t.incident ? { symptom: t.incident.symptom, reports: t.incident.reports.map((r) => ({ ...r })) } : null,
  };
}

export function presentEvent(e: TicketEventRecord): EventView {
  const { bot: _b, no: _n, seq, type, actor, at, ...payload } = e;
  return { seq, type, actor, at: toIso(at), ...(isoDeep(payload) as Record<string, unknown>) };
}

/** `GET /api/tickets/<bot>/<no>`: the ticket plus its events in order. */
export function presentTicketWithEvents(t: TicketDoc, events: TicketEventRecord[]): TicketWithEvents {
  return { ...presentTicket(t), events: [...events].sort((a, b) => a.seq - b.seq).map(presentEvent) };
}

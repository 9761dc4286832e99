import type { BotConfig } from '../../config/bots.js';
import { insertTicket } from '../apply.js';
import { isDuplicateKey, Ticket } from '../model.js';
import { nextTicketNo } from '../counter.js';
import { clip } from '../guards.js';
import { presentTicket } from '../presenter.js';
import { listEvents } from '../queries.js';
import { initialTargets } from '../sla.js';
import {
  type Attachment,
  type ChatRef,
  type CommandResult,
  LEVELS,
  type Level,
  type IncidentInfo,
  type PersonRef,
  type Reporter,
  refuse,
  type TicketContext,
  type TicketDoc,
  type TicketEventRecord,
} from '../types.js';

export interface CreateTicketInput {
  system: string;
  /** For system `software` (其他软件): the name the reporter used ("手麻系统"), shown beside it. */
  systemLabel?: string | null;
  level: Level;
  title: string;
  description?: string;
  triageReason?: string | null;
  reporter: Reporter;
  chat?: ChatRef | null;
  attachments?: Attachment[];
  /** Who recorded it when not the reporter (e.g. an engineer logging a phone call). */
  actor?: string;
  /**
   * The message that opened it, e.g. `inbox:<inbox id>`. A second create with the same source (the message
   * processed again after a crash) returns the ticket it opened the first time instead of a new one.
   */
  source?: string;
  /** An incident (故障事件) rather than one person's report; its linked reports come in later. */
  incident?: IncidentInfo;
  /** Opened already linked to this incident: status `linked`, no page of its own (see incident.ts). */
  linkTo?: number;
  /**
   * Out of the vendor's scope (system `other`: printers, PCs, network, phones): recorded and passed at once to the
   * hospital's 信息科 contact (status `referred`, a `referred` event), never in the vendor's SLA figures.
   */
  referTo?: PersonRef;
}

/** A new ticket, `open`, numbered per bot, with its response and resolution clocks running. */
export async function createTicket(ctx: TicketContext, input: CreateTicketInput): Promise<CommandResult> {
  const bad = validate(ctx, input);
  if (bad) return bad;
  const earlier = input.source ? await openedBy(input.source) : null;
  if (earlier) return earlier;
  const at = ctx.clock.now();
  const bot = ctx.bot.id;
  const no = await nextTicketNo(bot);
  const doc = { ...newTicketDoc(ctx.bot, no, input, at), ...(input.source ? { source: input.source } : {}) };
  const { reporter } = doc;
  const event: TicketEventRecord = {
    bot,
    no,
    seq: 1,
    type: 'created',
    actor: input.actor ?? reporter.userid,
    at,
    level: input.level,
    system: input.system,
    ...(doc.systemLabel ? { systemLabel: doc.systemLabel } : {}),
    title: doc.title,
    reporter: { userid: reporter.userid, name: reporter.name, department: reporter.department ?? null },
    triageReason: doc.triageReason,
    channel: input.chat?.channel ?? null,
    ...(input.incident ? { kind: 'incident' } : {}),
    ...(input.linkTo ? { parentNo: input.linkTo } : {}),
  };
  const more: TicketEventRecord[] = input.referTo
    ? [{ bot, no, seq: 2, type: 'referred', actor: 'system', at, to: { userid: input.referTo.userid, name: input.referTo.name } }]
    : [];
  let stored: TicketDoc;
  try {
    stored = await insertTicket(ctx, doc, event, more);
  } catch (e) {
    // The same message processed twice at once (a lease taken over): the first insert won.
    const won = input.source && isDuplicateKey(e) ? await openedBy(input.source) : null;
    if (won) return won;
    throw e;
  }
  return { ok: true, ticket: presentTicket(stored), event, events: [event, ...more], doc: stored };
}

/** The ticket a source message already opened, as the result of that first create (no new events). */
async function openedBy(source: string): Promise<CommandResult | null> {
  const doc = await Ticket.findOne({ source }).lean<TicketDoc>();
  if (!doc) return null;
  const created = (await listEvents(doc.bot, doc.no, doc)).find((e) => e.seq === 1);
  if (!created) return null;
  return { ok: true, ticket: presentTicket(doc), event: created, events: [], doc: { ...doc, pending: [] } };
}

/** The document of a new ticket, before it is stored (also used to seed benchmarks with real-shaped tickets). */
export function newTicketDoc(bot: BotConfig, no: number, input: CreateTicketInput, at: Date): Omit<TicketDoc, 'pending' | 'version'> {
  const reporter: Reporter = {
    userid: input.reporter.userid,
    name: input.reporter.name || input.reporter.userid,
    ...(input.reporter.department ? { department: input.reporter.department } : {}),
    ...(input.reporter.contact ? { contact: input.reporter.contact } : {}),
  };
  return {
    ...(input.incident ? { kind: 'incident' as const, incident: input.incident } : {}),
    bot: bot.id,
    no,
    system: input.system,
    ...(input.systemLabel ? { systemLabel: clip(input.systemLabel, 30) } : {}),
    level: input.level,
    triageReason: input.triageReason ?? null,
    title: clip(input.title, 200),
    description: clip(input.description ?? '', 4000),
    reporter,
    chat: input.chat ?? null,
    subscribers: [],
    reporterCount: 1,
    departments: reporter.department ? [reporter.department] : [],
    status: input.linkTo ? 'linked' : input.referTo ? 'referred' : 'open',
    assignee: null,
    attachments: input.attachments ?? [],
    sla: initialTargets(bot, input.level, at),
    repair: null,
    confirmation: null,
    parentNo: input.linkTo ?? null,
    children: [],
    pause: null,
    confirmRemindedAt: null,
    resolvedAt: null,
    closedAt: input.referTo ? at : null,
    createdAt: at,
    updatedAt: at,
  };
}

function validate(ctx: TicketContext, input: CreateTicketInput) {
  if (!ctx.bot.systems.some((s) => s.id === input.system)) return refuse('bad_input', { say: 'unknown_system', system: input.system });
  if (!LEVELS.includes(input.level)) return refuse('bad_input', { say: 'create_bad_level' });
  if (!input.title?.trim()) return refuse('bad_input', { say: 'title_required' });
  if (!input.reporter?.userid) return refuse('bad_input', { say: 'reporter_required' });
  return null;
}

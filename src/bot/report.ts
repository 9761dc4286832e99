import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import { personName } from '../roster/roster.js';
import { type CreateTicketInput, supplementTicket } from '../tickets/commands/index.js';
import type { Attachment, Level, Reporter, TicketDoc } from '../tickets/types.js';
import type { TriageResult } from '../triage/engine.js';
import { type Answer, chatIdOf, type EngineCtx, ticketCtx, type Turn } from './context.js';
import { type ConversationContext, type ConversationDoc, endConversation, keepAsking } from './conversations.js';
import type { FormFlow, LevelRequirement } from './flows/types.js';
import { applyAnswer, clip, emptyState, extractSlots, type FormState, markAsked, nextSlot, optionsOf, promptFor, slotOf } from './forms.js';
import { firstResponder } from './notifier.js';
import { openReport } from './incidents.js';
import { fill, followUpCancelled, reportFollowUpDone, supplemented } from './presenters/chat.js';
import { alongsideNote, alsoOpenedReply, createdReply, linkedReply, referredReply } from './presenters/ticket.js';

const FLOW = 'report';
/** Other software (其他软件): unknown clinical systems, and a 一级 report whose system is not known yet. */
const UNKNOWN_SYSTEM = 'software';

function requirement(flow: FormFlow, level: number | null): LevelRequirement {
  const key = level ? (String(level) as '1') : 'unknown';
  return flow.byLevel?.[key] ?? { before: flow.required, after: [] };
}

/** The level: triage's, else the one the impact answer implies. */
function levelOf(flow: FormFlow, bot: BotConfig, state: FormState, context: ConversationContext): Level | null {
  if (context.level) return context.level as Level;
  const impact = state.values.impact;
  if (!impact) return null;
  return (optionsOf(slotOf(flow, 'impact'), bot).find((o) => o.value === impact)?.level as Level | undefined) ?? null;
}

/** A first message triage calls a report or a request. */
export async function startReport(ctx: EngineCtx, turn: Turn, text: string, t: TriageResult): Promise<Answer> {
  const flow = ctx.flows.form(FLOW);
  const state = emptyState();
  if (t.system) state.values.system = t.system;
  if (!t.missing.includes('symptom')) state.values.symptom = clip(text, 300);
  const fromText = extractSlots(flow, text, new Set(['system', 'symptom', ...(t.level ? ['impact'] : [])]));
  Object.assign(state.values, fromText);
  const context: ConversationContext = {
    text: clip(text, 1000),
    level: t.level,
    reason: t.reason,
    phase: 'before',
    no: null,
    attachments: [],
    // Several faults in one message (issue #15): each other fault gets its own ticket once the first one opens.
    others: t.faults.slice(1).map((f) => ({ system: f.system, level: f.level, reason: f.reason })),
    // Other software (其他软件): the name the reporter gave it, kept on the ticket.
    ...(t.systemName ? { systemName: t.systemName } : {}),
  };
  return advance(ctx, turn, null, flow, state, context, '');
}

/** An answer to the report conversation's pending question. */
export async function continueReport(ctx: EngineCtx, turn: Turn, conv: ConversationDoc, text: string): Promise<Answer> {
  const flow = ctx.flows.form(FLOW);
  const guess = (s: string) => ctx.triage(turn.bot)(s).system;
  const { state, outcome } = applyAnswer(flow, conv.form, text, turn.bot, guess);
  if (outcome.kind === 'retry') return ask(ctx, turn, conv, flow, state, conv.context, outcome.slot.name, true);
  const note = outcome.kind === 'gave-up' ? (flow.texts.gaveUp ?? '') : '';
  const context = withSoftwareName(ctx, turn, conv, state, text);
  if (conv.context.phase === 'after') return advanceAfter(ctx, turn, conv, flow, conv.form, state, context, note);
  return advance(ctx, turn, conv, flow, state, context, note);
}

/**
 * The system question answered with a name the catalog only knows as other software ("营养膳食系统", "手麻"): the
 * name is kept for the ticket (issue #17: the question accepts a free name). A number or "其他软件" keeps none.
 */
function withSoftwareName(ctx: EngineCtx, turn: Turn, conv: ConversationDoc, state: FormState, text: string): ConversationContext {
  if (conv.form.pending !== 'system' || state.values.system !== 'software') return conv.context;
  const named = ctx.triage(turn.bot)(text).systemName;
  return named ? { ...conv.context, systemName: named } : conv.context;
}

/** Before the ticket: ask what this level still needs, or open it (level 1 opens at once). */
async function advance(
  ctx: EngineCtx,
  turn: Turn,
  conv: ConversationDoc | null,
  flow: FormFlow,
  state: FormState,
  context: ConversationContext,
  note: string,
): Promise<Answer> {
  const level = levelOf(flow, turn.bot, state, context);
  const req = requirement(flow, level);
  const next = nextSlot(flow, req.before, state);
  if (next && level !== 1) return ask(ctx, turn, conv, flow, state, context, next.name, false, note);
  if (!level) return ask(ctx, turn, conv, flow, state, context, 'impact', false, note);

  const opened = await openTicket(ctx, turn, flow, state, { ...context, level });
  if (opened.kind === 'failed') {
    if (conv) await endConversation(conv, 'done', turn.now);
    return opened.reply;
  }
  const also = await openOthers(ctx, turn, flow, state, context);
  const reply = [note, opened.reply, also].filter(Boolean).join('\n');
  if (opened.kind === 'merged') {
    if (conv) await endConversation(conv, 'done', turn.now);
    return reply;
  }
  const after: ConversationContext = { ...context, level, phase: 'after', no: opened.ticket.no };
  const nextAfter = nextSlot(flow, req.after, { ...state, pending: null });
  if (!nextAfter) {
    if (conv) await endConversation(conv, 'done', turn.now);
    return reply;
  }
  return ask(ctx, turn, conv, flow, state, after, nextAfter.name, false, reply);
}

/** After the ticket opened: patch each new answer into it, ask the next detail or finish. */
async function advanceAfter(
  ctx: EngineCtx,
  turn: Turn,
  conv: ConversationDoc,
  flow: FormFlow,
  before: FormState,
  state: FormState,
  context: ConversationContext,
  note: string,
): Promise<Answer> {
  const changed = Object.fromEntries(Object.entries(state.values).filter(([k, v]) => before.values[k] !== v));
  const no = context.no as number;
  let patched = '';
  if (Object.keys(changed).length) {
    const r = await supplementTicket(ticketCtx(ctx, turn.bot), {
      no,
      actor: turn.msg.from,
      system: changed.system,
      ...(typeof context.systemName === 'string' ? { systemLabel: context.systemName } : {}),
      department: changed.location,
      contact: changed.contact,
      symptom: changed.symptom,
    });
    patched = r.ok || r.code === 'nothing' ? supplemented(no) : r.message;
  }
  const level = levelOf(flow, turn.bot, state, context);
  const next = nextSlot(flow, requirement(flow, level).after, state);
  const head = [note, patched].filter(Boolean).join('');
  if (next) return ask(ctx, turn, conv, flow, state, context, next.name, false, head);
  await endConversation(conv, 'done', turn.now);
  return reportFollowUpDone(no, head);
}

/** Saves the conversation with `slot` pending and returns the question (after `lead`, if any). */
async function ask(
  _ctx: EngineCtx,
  turn: Turn,
  conv: ConversationDoc | null,
  flow: FormFlow,
  state: FormState,
  context: ConversationContext,
  slotName: string,
  retry: boolean,
  lead = '',
): Promise<Answer> {
  const slot = slotOf(flow, slotName);
  const asked = markAsked(state, slot);
  // false: another message of this user moved the conversation on, and that one answers.
  if (!(await keepAsking(turn, conv, flow, { form: asked, context }, context))) return null;
  const question = fill(promptFor(slot, turn.bot, retry), { no: context.no ?? null });
  return [lead, question].filter(Boolean).join('\n');
}

type Opened =
  | { kind: 'created'; ticket: TicketDoc; reply: string }
  | { kind: 'merged'; ticket: TicketDoc; reply: string }
  | { kind: 'failed'; reply: string };

function reporterOf(turn: Turn, state: FormState): Reporter {
  const { userid, name } = turn.msg.from;
  const known = personName(turn.bot, userid);
  return {
    userid,
    name: name || known,
    ...(state.values.location ? { department: state.values.location } : {}),
    ...(state.values.contact ? { contact: state.values.contact } : {}),
  };
}

/** Opens the report's own ticket, linked to an incident of its system when the evidence says so (incidents.ts). */
async function openTicket(
  ctx: EngineCtx,
  turn: Turn,
  flow: FormFlow,
  state: FormState,
  context: ConversationContext & { level: Level },
): Promise<Opened> {
  // A 一级 report opens before its system is known (urgency never waits for the answer): it goes to the on-duty
  // engineer as other software until the reporter names the system — never to the 信息科 as hardware.
  const known = state.values.system;
  const system = known ?? (context.level === 1 ? UNKNOWN_SYSTEM : (slotOf(flow, 'system').fallback ?? 'other'));
  const text = context.text ?? state.values.symptom ?? '';
  const symptom = state.values.symptom && state.values.symptom !== text ? state.values.symptom : '';
  const input: CreateTicketInput = {
    system,
    ...(system === UNKNOWN_SYSTEM && typeof context.systemName === 'string' ? { systemLabel: context.systemName } : {}),
    level: context.level,
    title: clip(text.replace(/\s+/g, ' '), 60),
    description: [text, symptom].filter(Boolean).join('\n'),
    triageReason: context.reason ?? null,
    reporter: reporterOf(turn, state),
    chat: { chatId: chatIdOf(turn.msg), channel: turn.msg.channel },
    attachments: (context.attachments as Attachment[] | undefined) ?? [],
    // The message processed again after a crash finds its ticket instead of opening a second one.
    // Each fault of a multi-fault message is its own ticket: part 2, 3… get their own source.
    source: `inbox:${turn.msg.id}${context.part ? `:${context.part}` : ''}`,
  };
  // A 一级 report opened before its system is known falls back to `other` without being out of scope.
  const outOfScope = state.values.system === 'other';
  const deps = { ctx: ticketCtx(ctx, turn.bot), waitMs: ctx.stormWaitMs };
  // A system not known yet cannot be grouped with others' reports of it.
  const out = await openReport(deps, input, [text, symptom].join(' '), outOfScope, known !== undefined);
  if (out.kind === 'failed') return { kind: 'failed', reply: out.message };
  const t = out.ticket;
  if (out.kind === 'linked') {
    log.info({ bot: t.bot, no: t.no, incident: out.incident.no, system: t.system }, 'report linked to incident');
    // The report is recorded; the conversation ends (the incident, not this report, is worked on).
    const declared = out.declared && out.incident.reporter.userid === t.reporter.userid;
    const notified = firstResponder(turn.bot, t.system, out.incident.createdAt);
    return { kind: 'merged', ticket: t, reply: linkedReply(turn.bot, t, out.incident, declared, notified) };
  }
  if (t.status === 'referred') {
    log.info({ bot: t.bot, no: t.no, system: t.system }, 'report referred to the IT department');
    return { kind: 'merged', ticket: t, reply: referredReply(turn.bot, t, text) };
  }
  log.info({ bot: t.bot, no: t.no, ticketLevel: t.level, system: t.system }, 'ticket opened from chat');
  const reply = createdReply(turn.bot, t, firstResponder(turn.bot, t.system, t.createdAt));
  const also = out.alongside ? alongsideNote(turn.bot, out.alongside) : '';
  return { kind: 'created', ticket: t, reply: [reply, also].filter(Boolean).join('\n') };
}

/** Another fault of the same message, as triage judged it alone. */
interface OtherFault {
  system: string;
  level: Level;
  reason: string;
}

/**
 * Opens one ticket per other fault the first message reported ("LIS打不开，另外门诊叫号也没声音"), with the same
 * reporter, place and description, so no fault is silently dropped; returns one line per ticket for the reply.
 */
async function openOthers(ctx: EngineCtx, turn: Turn, flow: FormFlow, state: FormState, context: ConversationContext): Promise<string> {
  const others = (context.others as OtherFault[] | undefined) ?? [];
  const lines: string[] = [];
  for (const [i, o] of others.entries()) {
    const s: FormState = { ...state, values: { ...state.values, system: o.system } };
    const opened = await openTicket(ctx, turn, flow, s, { ...context, level: o.level, reason: o.reason, attachments: [], part: i + 2 });
    if (opened.kind !== 'failed')
      lines.push(
        alsoOpenedReply(
          turn.bot,
          opened.ticket,
          opened.kind === 'merged',
          firstResponder(turn.bot, opened.ticket.system, opened.ticket.createdAt),
        ),
      );
  }
  return lines.join('\n');
}

/** Text of a cancelled or expired report conversation. */
export function reportEndText(flow: FormFlow, conv: ConversationDoc, kind: 'cancelled' | 'expired'): string {
  if (conv.context.phase === 'after' && conv.context.no) {
    return kind === 'cancelled' ? followUpCancelled(conv.context.no as number) : '';
  }
  return fill(flow.texts[kind], { no: conv.context.no ?? null, title: flow.title });
}

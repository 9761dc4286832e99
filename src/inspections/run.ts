/**
 * Inspections (巡检) over time: start each plan's checklist when due, remind and escalate when it is not
 * finished, and on completion store the answers, open tickets for problems and report to the leads.
 * Every step is an atomic claim on the inspection document, so ticks on several instances (or after a
 * restart) do each thing once.
 */
import type { Clock } from '../clock.js';
import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import type { InspectionPlan } from '../reports/config.js';
import { personName } from '../roster/roster.js';
import { createTicket } from '../tickets/commands/index.js';
import type { TicketEventBus } from '../tickets/events.js';
import type { Messenger } from '../wecom/types.js';
import type { ChecklistResult } from '../bot/checklist.js';
import {
  inspectionCard,
  inspectionOverdue,
  inspectionReminder,
  inspectionReport,
  inspectionTickets,
  inspectionTicketText,
} from '../bot/presenters/inspections.js';
import { Inspection, type InspectionDoc, type InspectionItem, inspectionId } from './model.js';
import { occurrenceAt } from './schedule.js';

const HOUR = 3_600_000;

export interface InspectionDeps {
  bots: Map<string, BotConfig>;
  clock: Clock;
  /** The service's ticket-event processors (problems found open tickets). */
  events: TicketEventBus;
  readonly messenger: Messenger;
  /** The conversation engine: puts the checklist in front of the engineer (1:1 app chat). */
  startChecklist(input: { bot: string; userid: string; flow: string; ref: string }): Promise<void>;
  /** Is this user's checklist for `ref` still waiting for answers? */
  checklistActive(bot: string, userid: string, ref: string): Promise<boolean>;
  /** Item texts of a checklist flow. */
  itemsOf(flow: string): Array<{ id: string; text: string }>;
}

const planOf = (bot: BotConfig, id: string): InspectionPlan | undefined => bot.inspections.find((p) => p.id === id);

/**
 * One pass: start what is due, chase what is overdue. `firstStart` (per bot id): an occurrence that fell due
 * before the bot first ran is not started (no catch-up for a period before it existed).
 */
export async function inspectionTick(deps: InspectionDeps, now: Date, firstStart?: Map<string, Date>): Promise<void> {
  for (const bot of deps.bots.values()) {
    for (const plan of bot.inspections) {
      const occ = occurrenceAt(plan, now);
      if (now.getTime() < occ.dueAt.getTime()) continue;
      if (occ.dueAt.getTime() < (firstStart?.get(bot.id)?.getTime() ?? Number.NEGATIVE_INFINITY)) continue;
      await ensureStarted(deps, bot, plan, occ, now);
    }
  }
  await chaseOverdue(deps, now);
}

async function ensureStarted(
  deps: InspectionDeps,
  bot: BotConfig,
  plan: InspectionPlan,
  occ: { period: string; dueAt: Date },
  now: Date,
): Promise<void> {
  const _id = inspectionId(bot.id, plan.id, occ.period);
  try {
    await Inspection.updateOne(
      { _id },
      {
        $setOnInsert: {
          bot: bot.id,
          plan: plan.id,
          name: plan.name,
          flow: plan.flow,
          period: occ.period,
          assignee: plan.assignee,
          dueAt: occ.dueAt,
          status: 'pending',
          startedAt: null,
          remindedAt: null,
          escalatedAt: null,
          completingAt: null,
          doneAt: null,
          doneBy: null,
          items: [],
          reportSentAt: null,
          createdAt: now,
        },
      },
      { upsert: true },
    );
  } catch (e) {
    if ((e as { code?: number }).code !== 11000) throw e;
  }
  const claimed = await Inspection.findOneAndUpdate(
    { _id, status: 'pending', startedAt: null },
    { $set: { status: 'in_progress', startedAt: now } },
    { returnDocument: 'after' },
  ).lean<InspectionDoc>();
  if (!claimed) return;
  try {
    await deps.startChecklist({ bot: bot.id, userid: claimed.assignee, flow: claimed.flow, ref: _id });
  } catch (e) {
    // No conversation engine yet (or it failed): give the start back so a later tick tries again.
    await Inspection.updateOne({ _id, startedAt: now }, { $set: { status: 'pending', startedAt: null } });
    // Without the conversation engine (a service composed without it) this repeats every tick: keep it quiet.
    const noEngine = /bot feature is not registered/.test((e as Error).message);
    log[noEngine ? 'debug' : 'warn']({ bot: bot.id, inspection: _id, err: (e as Error).message }, 'inspection could not start');
    return;
  }
  await deps.messenger.toUsers(
    bot.id,
    [claimed.assignee],
    { type: 'card', card: inspectionCard(bot, claimed) },
    { idempotencyKey: `inspection:${_id}:card` },
  );
  log.info({ bot: bot.id, inspection: _id }, 'inspection started');
}

async function chaseOverdue(deps: InspectionDeps, now: Date): Promise<void> {
  const open = await Inspection.find({ bot: { $in: [...deps.bots.keys()] }, status: 'in_progress' }).lean<InspectionDoc[]>();
  for (const i of open) {
    const bot = deps.bots.get(i.bot)!;
    const plan = planOf(bot, i.plan);
    if (!plan || !i.startedAt) continue;
    // Counted from when the engineer actually got it (a plan added mid-period is not instantly overdue).
    const base = Math.max(i.startedAt.getTime(), i.dueAt.getTime());
    if (!i.remindedAt && now.getTime() >= base + plan.remindAfterHours * HOUR) await remind(deps, bot, i, now);
    if (!i.escalatedAt && now.getTime() >= base + plan.escalateAfterHours * HOUR) await escalate(deps, bot, i, plan, now);
  }
}

async function remind(deps: InspectionDeps, bot: BotConfig, i: InspectionDoc, now: Date): Promise<void> {
  const won = await Inspection.updateOne({ _id: i._id, status: 'in_progress', remindedAt: null }, { $set: { remindedAt: now } });
  if (won.modifiedCount !== 1) return;
  const active = await deps.checklistActive(bot.id, i.assignee, i._id);
  await deps.messenger.toUsers(
    bot.id,
    [i.assignee],
    { type: 'text', text: inspectionReminder(i, active) },
    { idempotencyKey: `inspection:${i._id}:remind` },
  );
  if (!active) await deps.startChecklist({ bot: bot.id, userid: i.assignee, flow: i.flow, ref: i._id });
  log.info({ bot: bot.id, inspection: i._id }, 'inspection reminded');
}

async function escalate(deps: InspectionDeps, bot: BotConfig, i: InspectionDoc, plan: InspectionPlan, now: Date): Promise<void> {
  const won = await Inspection.updateOne({ _id: i._id, status: 'in_progress', escalatedAt: null }, { $set: { escalatedAt: now } });
  if (won.modifiedCount !== 1) return;
  const leads = bot.roster.leads.map((l) => l.userid);
  const markdown = inspectionOverdue(bot, i, plan.escalateAfterHours);
  if (leads.length)
    await deps.messenger.toUsers(bot.id, leads, { type: 'markdown', markdown }, { idempotencyKey: `inspection:${i._id}:escalate` });
  log.info({ bot: bot.id, inspection: i._id }, 'inspection escalated');
}

/** The checklist is finished: store it, open tickets for problems, tell the leads. Runs once per inspection. */
export async function completeInspection(deps: InspectionDeps, result: ChecklistResult): Promise<InspectionDoc | null> {
  if (!result.ref) return null;
  const bot = deps.bots.get(result.bot);
  const now = deps.clock.now();
  const doc = await Inspection.findOneAndUpdate(
    { _id: result.ref, bot: result.bot, status: { $ne: 'done' }, completingAt: null },
    { $set: { completingAt: now } },
    { returnDocument: 'after' },
  ).lean<InspectionDoc>();
  if (!bot || !doc) return null;
  const plan = planOf(bot, doc.plan);
  const texts = new Map(deps.itemsOf(doc.flow).map((it) => [it.id, it.text]));
  const items: InspectionItem[] = result.answers.map((a) => ({
    item: a.item,
    text: texts.get(a.item) ?? a.item,
    value: a.value,
    note: a.note,
    ticketNo: null,
  }));
  if (plan?.ticketOnIssue !== false) {
    for (const it of items.filter((x) => x.value === 'issue')) it.ticketNo = await openTicket(deps, bot, plan, doc, it, result.userid);
  }
  await Inspection.updateOne(
    { _id: doc._id },
    { $set: { status: 'done', doneAt: result.completedAt, doneBy: result.userid, items, completingAt: null } },
  );
  const done = { ...doc, status: 'done' as const, doneAt: result.completedAt, doneBy: result.userid, items };
  await sendReport(deps, bot, done);
  log.info({ bot: bot.id, inspection: doc._id, issues: items.filter((x) => x.value === 'issue').length }, 'inspection done');
  return done;
}

async function openTicket(
  deps: InspectionDeps,
  bot: BotConfig,
  plan: InspectionPlan | undefined,
  doc: InspectionDoc,
  it: InspectionItem,
  userid: string,
): Promise<number | null> {
  const r = await createTicket(
    { bot, clock: deps.clock, events: deps.events },
    {
      system: plan?.system ?? 'other',
      level: plan?.ticketLevel ?? 3,
      ...inspectionTicketText(doc, it),
      triageReason: `inspection ${doc._id}`,
      reporter: { userid, name: personName(bot, userid), department: '巡检' },
      actor: userid,
    },
  );
  if (!r.ok) log.warn({ bot: bot.id, inspection: doc._id, code: r.code }, 'inspection ticket refused');
  return r.ok ? r.ticket.no : null;
}

/** The leads' short report, and the engineer hears which tickets were opened. */
async function sendReport(deps: InspectionDeps, bot: BotConfig, i: InspectionDoc): Promise<void> {
  const issues = i.items.filter((x) => x.value === 'issue');
  const markdown = inspectionReport(bot, i);
  const leads = bot.roster.leads.map((l) => l.userid);
  if (leads.length)
    await deps.messenger.toUsers(bot.id, leads, { type: 'markdown', markdown }, { idempotencyKey: `inspection:${i._id}:report` });
  const opened = issues.filter((x) => x.ticketNo);
  if (opened.length && i.doneBy) {
    await deps.messenger.toUsers(
      bot.id,
      [i.doneBy],
      { type: 'text', text: inspectionTickets(opened) },
      { idempotencyKey: `inspection:${i._id}:tickets` },
    );
  }
  await Inspection.updateOne({ _id: i._id }, { $set: { reportSentAt: deps.clock.now() } });
}

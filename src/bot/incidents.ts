/**
 * Reports and incidents (故障事件). Anchor: alert grouping in PagerDuty / Grafana OnCall — every report keeps its own
 * record, and reports are grouped under one outage only on evidence, never by "same system, same hour":
 * - outage signals in the text (全院/全部/整个/所有科室/都进不去/瘫痪/崩了/挂了) declare an incident at once;
 * - reports not limited to one bed, device or user, of the same symptom, from ≥ N reporters in ≥ M departments within
 *   the window (bot file `incidents`) declare one and are linked to it;
 * - once an incident of the system is declared, later reports not limited to one bed, device or user link to it.
 * A report limited to one bed, device or user never joins nor counts (an engineer can still `合并` it).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { BotConfig } from '../config/bots.js';
import type { TicketEventBus, TicketEventNotice, TicketEventProcessor } from '../tickets/events.js';
import { log } from '../log.js';
import {
  addToIncident,
  closeIncident,
  type CreateTicketInput,
  createTicket,
  INCIDENT_LEVEL,
  incidentTitle,
  linkReport,
  reportOf,
  resolveLinkedReports,
  shortSystem,
} from '../tickets/commands/index.js';
import { getTicket } from '../tickets/queries.js';
import { ACTIVE, type CommandResult, type IncidentReport, type TicketContext, type TicketDoc } from '../tickets/types.js';
import {
  declaredIncident,
  endIncident,
  publishIncident,
  numberReport,
  recentReports,
  releaseSeat,
  takeSeat,
  type WatchedReport,
  watchReport,
} from './incident-lock.js';

/** Other software (其他软件, issue #17): never grouped into an incident automatically (an engineer may 合并). */
const OTHER_SOFTWARE = 'software';

/** What a report's words say about its reach. */
export interface Evidence {
  /** The whole hospital / a whole ward / everyone: an outage by itself. */
  outage: boolean;
  /** About one bed, one device, one user's account: never part of an outage on its own. */
  limited: boolean;
  /** Coarse symptom class ("login", "slow", "print", "transfer", "save", "error", "down"). */
  symptom: string;
}

const OUTAGE_RE =
  /全院|全部|整个|所有(?:科室|病区|人|电脑|的?终端)|各(?:个)?科室|多个科室|好几个科室|都(?:进不去|登不上|登不进|登录不了|打不开|用不了|不能用|没法用|卡死|连不上)|大家都|瘫痪|崩了|崩溃了|挂了|宕机|全挂/;
const LIMITED_RE =
  /\d+\s*(?:号)?床|[一这那某]\s*(?:个|位)?(?:床|病人|患者)|床号|[一这那某单]台|这个(?:电脑|机器|终端|账号)|我的(?:电脑|账号|工号|用户)|(?:密码|账号|工号|用户名)(?:错|不对|锁|过期|忘)|密码|只有我|就我|个别|偶尔/;

// Order matters: "开不了处方，点保存就报错" is a save fault, "报告打印不出来" a printing one, before any login words.
const SYMPTOMS: Array<[string, RegExp]> = [
  ['print', /打印/],
  ['transfer', /传不|上传|回传|同步|接收不到|收不到|传输|对接/],
  ['save', /保存|提交|开不了(?:处方|医嘱)|下不了/],
  ['login', /登[不录陆]|登不[上进]|进不去|打不开|开不了|无法登|连不上|白屏|闪退/],
  ['slow', /卡|慢|转圈|加载/],
  ['error', /报错|错误|异常|失败/],
];

/** Reads the reach and the symptom of one report (normalised: full-width to half-width, typos of 登不). */
export function evidenceOf(text: string): Evidence {
  const t = text.normalize('NFKC').replace(/登布/g, '登不').replace(/\s+/g, '');
  const symptom = SYMPTOMS.find(([, re]) => re.test(t))?.[0] ?? 'down';
  return { outage: OUTAGE_RE.test(t), limited: LIMITED_RE.test(t), symptom };
}

/** Is the incident still running (so a report may link to it)? */
async function activeIncident(bot: string, system: string): Promise<TicketDoc | null> {
  const no = await declaredIncident(bot, system);
  if (no === null) return null;
  const t = await getTicket(bot, no);
  if (t && ACTIVE.includes(t.status)) return t;
  await endIncident(bot, system, no);
  return null;
}

export type ReportOutcome =
  /** Its own ticket; `alongside` = an incident of the same system already being handled (mentioned to the reporter). */
  | { kind: 'created'; ticket: TicketDoc; alongside: TicketDoc | null }
  /** Its own record, linked to an incident (no page of its own). */
  | { kind: 'linked'; ticket: TicketDoc; incident: TicketDoc; declared: boolean }
  | { kind: 'failed'; message: string };

export interface IncidentDeps {
  ctx: TicketContext;
  /** Real ms a report waits for a concurrent declarer's incident number (tests shorten it). */
  waitMs?: number;
}

/**
 * Opens a report's ticket and links it to an incident when the evidence says so; declares the incident when the
 * report carries outage signals or completes the threshold. Safe under concurrent reports on several instances:
 * declaration goes through the incident lock, links are single-document updates with status preconditions.
 */
export async function openReport(
  deps: IncidentDeps,
  input: CreateTicketInput,
  text: string,
  /** Triage (or the reporter's answer) named system `other`; false when `other` only stands in for "not known yet". */
  outOfScope = input.system === 'other',
  /** False while the system is not known yet (a 一级 opened at once): such a report is never grouped into an incident. */
  systemKnown = true,
): Promise<ReportOutcome> {
  const { ctx } = deps;
  const bot = ctx.bot;
  const ev = evidenceOf(text);
  const system = input.system;
  // Out of the vendor's scope: recorded and passed to the hospital's 信息科 contact, never part of an incident.
  if (system === 'other') {
    const referTo = outOfScope ? { referTo: bot.roster.itContact } : {};
    return created(await createTicket(ctx, { ...input, ...referTo }), null);
  }
  // Other software is many unrelated systems under one id (手麻, 院感, OA …): grouping by system would merge strangers.
  if (!systemKnown || system === OTHER_SOFTWARE) return created(await createTicket(ctx, input), null);
  const running = await activeIncident(bot.id, system);
  if (running && !ev.limited) return linkNew(deps, input, running, false);
  if (running) return created(await createTicket(ctx, input), running);
  if (ev.outage && !ev.limited) {
    const reporter = { userid: input.reporter.userid, name: input.reporter.name, department: input.reporter.department ?? null };
    return declare(deps, input, ev.symptom, [{ no: 0, ...reporter }], async (incident, declared) => {
      if (declared) await linkRecorded(ctx, system, incident, ev.symptom);
      return linkNew(deps, input, incident, declared);
    });
  }
  if (ev.limited) return created(await createTicket(ctx, input), null);
  // Recorded before its ticket exists, so of reports arriving together every one after the threshold sees it and
  // joins the incident at once (no page of its own); only those before it are opened, paged, and linked later.
  const watched: WatchedReport = {
    token: randomUUID(),
    no: null,
    userid: input.reporter.userid,
    department: input.reporter.department ?? null,
    symptom: ev.symptom,
    at: ctx.clock.now(),
  };
  const same = (await watchReport(bot.id, system, watched, bot.incidents.windowMinutes * 60_000)).filter((r) => r.symptom === ev.symptom);
  if (reachesThreshold(bot, same)) {
    return declare(deps, input, ev.symptom, same.map(toReport), async (incident, declared) => {
      if (declared) await linkRecorded(ctx, system, incident, ev.symptom);
      return linkNew(deps, input, incident, declared);
    });
  }
  const own = await createTicket(ctx, input);
  if (!own.ok) return created(own, null);
  await numberReport(bot.id, system, watched.token, own.doc.no);
  // An incident declared while this ticket was being opened: it belongs there too.
  const meanwhile = await activeIncident(bot.id, system);
  if (!meanwhile) return created(own, null);
  const linked = await linkReport(ctx, { incidentNo: meanwhile.no, reportNo: own.doc.no, actor: 'system' });
  if (!linked.ok && linked.code !== 'nothing') return created(own, meanwhile);
  const mine = (await getTicket(bot.id, own.doc.no)) ?? own.doc;
  return { kind: 'linked', ticket: mine, incident: (await freshIncident(bot, meanwhile.no)) ?? meanwhile, declared: false };
}

/**
 * The declarer links the earlier recorded reports of the same symptom that have their tickets, read after the
 * incident was published: a report numbered after this read sees the incident when it checks (numberReport comes
 * before its check), so none is left out.
 */
async function linkRecorded(ctx: TicketContext, system: string, incident: TicketDoc, symptom: string): Promise<void> {
  const bot = ctx.bot;
  const recorded = await recentReports(bot.id, system, ctx.clock.now(), bot.incidents.windowMinutes * 60_000);
  for (const r of recorded) {
    if (r.no === null || r.symptom !== symptom) continue;
    await linkReport(ctx, { incidentNo: incident.no, reportNo: r.no, actor: 'system' });
  }
}

const toReport = (r: WatchedReport): IncidentReport => ({ no: r.no ?? 0, userid: r.userid, name: r.userid, department: r.department });

/** ≥ N distinct reporters in ≥ M distinct departments (bot file `incidents`). */
export function reachesThreshold(bot: BotConfig, reports: Array<{ userid: string; department: string | null }>): boolean {
  const people = new Set(reports.map((r) => r.userid)).size;
  const depts = new Set(reports.map((r) => r.department).filter(Boolean)).size;
  return people >= bot.incidents.reporters && depts >= bot.incidents.departments;
}

function created(r: CommandResult, alongside: TicketDoc | null): ReportOutcome {
  return r.ok ? { kind: 'created', ticket: r.doc, alongside } : { kind: 'failed', message: r.message };
}

async function freshIncident(bot: BotConfig, no: number): Promise<TicketDoc | null> {
  return getTicket(bot.id, no);
}

/** Becomes the declarer (creates the incident, publishes it) or waits for the one being declared; then `then`. */
async function declare(
  deps: IncidentDeps,
  input: CreateTicketInput,
  symptom: string,
  reports: IncidentReport[],
  then: (incident: TicketDoc, declared: boolean) => Promise<ReportOutcome>,
): Promise<ReportOutcome> {
  const { ctx } = deps;
  const bot = ctx.bot;
  const seat = await takeSeat(bot.id, input.system, { now: () => ctx.clock.now(), waitMs: deps.waitMs });
  if (seat.role === 'follower') {
    const incident = await freshIncident(bot, seat.no);
    if (incident && ACTIVE.includes(incident.status)) return then(incident, false);
    await endIncident(bot.id, input.system, seat.no);
    return created(await createTicket(ctx, input), null);
  }
  const info = { symptom, reports };
  const made = await createTicket(ctx, {
    system: input.system,
    level: INCIDENT_LEVEL,
    title: incidentTitle(ctx, input.system, info),
    description: `${shortSystem(ctx, input.system)} 故障事件：多位报修人报告同一故障，各自的报修并入本事件。`,
    triageReason: '多科室/全院报告 → 一级（故障事件）',
    reporter: input.reporter,
    chat: input.chat ?? null,
    incident: { symptom, reports: [] },
  });
  if (!made.ok) {
    await releaseSeat(bot.id, input.system, seat.token);
    return created(await createTicket(ctx, input), null);
  }
  await publishIncident(bot.id, input.system, seat.token, made.doc.no);
  log.info({ bot: bot.id, no: made.doc.no, system: input.system, reports: reports.length }, 'incident declared');
  return then(made.doc, true);
}

/** A new report opened already linked to the incident: its own record, no page, counted on the incident. */
async function linkNew(deps: IncidentDeps, input: CreateTicketInput, incident: TicketDoc, declared: boolean): Promise<ReportOutcome> {
  const { ctx } = deps;
  const own = await createTicket(ctx, { ...input, linkTo: incident.no });
  if (!own.ok) return { kind: 'failed', message: own.message };
  // Every reporter of the outage competes for the incident's version: keep trying while busy.
  let added = await addToIncident(ctx, incident.no, reportOf(own.doc), input.reporter.userid);
  for (let i = 0; i < 5 && !added.ok && added.code === 'busy'; i++) {
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
    added = await addToIncident(ctx, incident.no, reportOf(own.doc), input.reporter.userid);
  }
  const now = added.ok ? added.doc : ((await freshIncident(ctx.bot, incident.no)) ?? incident);
  return { kind: 'linked', ticket: own.doc, incident: now, declared };
}

/**
 * What an incident's own events cause: resolved → every linked report resolved with its repair record (each reporter
 * told once by the notifier and asked to confirm their own report) and the incident closed (it is confirmed through
 * its reports, not by one reporter); finished → the system's next outage is a new incident. Idempotent: status
 * preconditions make a re-delivered event change nothing.
 */
export function createIncidentProcessor(clock: Clock, events: TicketEventBus): TicketEventProcessor {
  const on = async ({ bot, ticket: t, event: e }: TicketEventNotice): Promise<void> => {
    if (t.kind !== 'incident') return;
    const ctx: TicketContext = { bot, clock, events };
    if (e.type === 'resolved') {
      await resolveLinkedReports(ctx, t);
      await closeIncident(ctx, t.no);
    }
    if (e.type === 'resolved' || e.type === 'closed' || e.type === 'cancelled') await endIncident(bot.id, t.system, t.no);
  };
  return { name: 'incidents', applicableEvents: ['resolved', 'closed', 'cancelled'], on };
}

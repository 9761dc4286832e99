/**
 * Incidents (故障事件): one outage that many reports link to. Every report keeps its own ticket (reporter,
 * department, text, time); a linked report has status `linked` and `parentNo` = the incident, is not chased on
 * its own, and is resolved when the incident is. The incident is a ticket of `kind: "incident"` at 一级 whose
 * `incident.reports` lists its reports; reporter count, departments, subscribers and title derive from that list.
 *
 * Order of writes (no transactions): the report side first, then the incident's list. A crash in between leaves a
 * report linked but not counted; resolution finds reports by `parentNo`, so none is left behind.
 */
import { log } from '../../log.js';
import { applyChange } from '../apply.js';
import { allows } from '../lifecycle.js';
import { requireStatus } from '../guards.js';
import { systemName } from '../labels.js';
import { Ticket } from '../model.js';
import { initialTargets } from '../sla.js';
import {
  type CommandResult,
  type IncidentInfo,
  type IncidentReport,
  type Level,
  refuse,
  type TicketContext,
  type TicketDoc,
  type TicketStatus,
} from '../types.js';

/** What each symptom class is called in an incident's title. */
const SYMPTOM_WORDS: Record<string, string> = {
  login: '无法登录',
  slow: '卡慢',
  print: '打印异常',
  transfer: '数据传输异常',
  save: '保存报错',
  error: '报错',
  down: '故障',
};

/** "HIS 多科室无法登录（13 人/10 科室报告）": what it is, with the counts. */
export function incidentTitle(ctx: TicketContext, system: string, info: IncidentInfo): string {
  const people = new Set(info.reports.map((r) => r.userid)).size;
  const depts = new Set(info.reports.map((r) => r.department).filter(Boolean)).size;
  const scope = depts >= 2 ? '多科室' : '';
  const counts = depts ? `（${people} 人/${depts} 科室报告）` : `（${people} 人报告）`;
  return `${shortSystem(ctx, system)} ${scope}${SYMPTOM_WORDS[info.symptom] ?? '故障'}${counts}`;
}

/** "HIS" out of "医院信息系统(HIS)"; the whole name when it has no short form. */
export function shortSystem(ctx: TicketContext, system: string): string {
  const name = systemName(ctx.bot, system);
  return /\(([^)]+)\)/.exec(name)?.[1] ?? name;
}

/** The fields an incident's report list determines (kept in step on every change). */
function derived(ctx: TicketContext, t: TicketDoc, reports: IncidentReport[]): Record<string, unknown> {
  const info: IncidentInfo = { symptom: t.incident?.symptom ?? 'down', reports };
  const first = reports[0];
  const others = new Map<string, { userid: string; name: string }>();
  for (const r of reports) if (r.userid !== t.reporter.userid) others.set(r.userid, { userid: r.userid, name: r.name });
  const departments = [...new Set(reports.map((r) => r.department).filter((d): d is string => Boolean(d)))];
  return {
    incident: info,
    children: reports.map((r) => r.no),
    subscribers: [...others.values()],
    reporterCount: first ? new Set(reports.map((r) => r.userid)).size : 1,
    departments,
    title: incidentTitle(ctx, t.system, info),
  };
}

/** Adds one report to an incident's list (idempotent: a report already listed changes nothing). */
export function addToIncident(ctx: TicketContext, incidentNo: number, report: IncidentReport, actor: string): Promise<CommandResult> {
  return applyChange(ctx, {
    no: incidentNo,
    command: 'addToIncident',
    actor,
    build(t) {
      if (t.kind !== 'incident') return refuse('not_incident', { say: 'not_incident', no: t.no });
      const denied = requireStatus(t, 'addToIncident', '并入');
      if (denied) return denied;
      const reports = t.incident?.reports ?? [];
      if (reports.some((r) => r.no === report.no)) return refuse('nothing', { say: 'in_incident', no: report.no, incidentNo: t.no });
      const counted = t.reporter.userid !== report.userid && !reports.some((r) => r.userid === report.userid);
      return {
        set: derived(ctx, t, [...reports, report]),
        events: [
          {
            type: 'merged',
            reporter: { userid: report.userid, name: report.name, department: report.department },
            childNo: report.no,
            counted,
          },
        ],
      };
    },
  });
}

export interface LinkReportInput {
  incidentNo: number;
  reportNo: number;
  actor: string;
  /** Statuses the report may be linked from: automatic linking takes unclaimed reports only; 合并 any active one. */
  from?: readonly TicketStatus[];
}

/** Links an existing report to an incident (its own clocks stop; it is resolved with the incident). */
export async function linkReport(ctx: TicketContext, input: LinkReportInput): Promise<CommandResult> {
  const { incidentNo, reportNo } = input;
  if (incidentNo === reportNo) return refuse('bad_input', { say: 'merge_self' });
  const incident = await Ticket.findOne({ bot: ctx.bot.id, no: incidentNo }, { pending: 0 }).lean<TicketDoc>();
  if (!incident) return refuse('not_found', { say: 'not_found', no: incidentNo });
  if (incident.kind !== 'incident') return refuse('not_incident', { say: 'merge_target_not_incident', no: incidentNo });
  if (!allows('addToIncident', incident.status)) return refuse('bad_status', { say: 'incident_ended', no: incidentNo });
  const from = input.from ?? ['open'];
  const linked = await applyChange(ctx, {
    no: reportNo,
    command: 'link',
    from: [...from, 'linked'],
    actor: input.actor,
    build(t) {
      if (t.kind === 'incident') return refuse('bad_input', { say: 'is_incident', no: t.no });
      if (t.status === 'linked' && t.parentNo === incidentNo) return refuse('nothing', { say: 'in_incident', no: t.no, incidentNo });
      if (t.status === 'linked') return refuse('bad_status', { say: 'linked_elsewhere', no: t.no, parentNo: t.parentNo! });
      const denied = requireStatus(t, 'link', '合并', from);
      if (denied) return denied;
      return { set: { status: 'linked', parentNo: incidentNo }, events: [{ type: 'merged', into: incidentNo, from: t.status }] };
    },
  });
  if (!linked.ok && linked.code !== 'nothing') return linked;
  const report = linked.ok ? linked.doc : await Ticket.findOne({ bot: ctx.bot.id, no: reportNo }).lean<TicketDoc>();
  const added = await addToIncident(ctx, incidentNo, reportOf(report!), input.actor);
  if (!added.ok && added.code !== 'nothing')
    log.warn({ bot: ctx.bot.id, no: incidentNo, report: reportNo, code: added.code }, 'incident list not updated');
  return linked.ok ? linked : refuse('nothing', linked.say);
}

export function reportOf(t: Pick<TicketDoc, 'no' | 'reporter'>): IncidentReport {
  return { no: t.no, userid: t.reporter.userid, name: t.reporter.name, department: t.reporter.department ?? null };
}

export interface SplitReportInput {
  incidentNo: number;
  reportNo: number;
  actor: string;
}

/** 拆分: the report leaves the incident and becomes its own open ticket (paged like a new one). */
export async function splitReport(ctx: TicketContext, input: SplitReportInput): Promise<CommandResult> {
  const { incidentNo, reportNo } = input;
  const split = await applyChange(ctx, {
    no: reportNo,
    command: 'split',
    actor: input.actor,
    build(t, at) {
      if (t.parentNo !== incidentNo) return refuse('bad_input', { say: 'not_in_incident', no: t.no, incidentNo });
      // Its clocks start now: while linked, the incident's clocks were the ones that ran.
      const sla = initialTargets(ctx.bot, t.level, at);
      return { set: { status: 'open', parentNo: null, sla }, events: [{ type: 'unlinked', from: incidentNo, status: 'open' }] };
    },
  });
  if (!split.ok) {
    const t = await Ticket.findOne({ bot: ctx.bot.id, no: reportNo }, { no: 1, parentNo: 1 }).lean<TicketDoc>();
    if (t && t.parentNo !== incidentNo) return refuse('bad_input', { say: 'not_in_incident', no: reportNo, incidentNo });
    return split;
  }
  await applyChange(ctx, {
    no: incidentNo,
    command: 'removeFromIncident',
    actor: input.actor,
    build(t) {
      const reports = (t.incident?.reports ?? []).filter((r) => r.no !== reportNo);
      const gone = (t.incident?.reports ?? []).find((r) => r.no === reportNo);
      if (!gone) return refuse('nothing', { say: 'silent' });
      const uncounted = gone.userid !== t.reporter.userid && !reports.some((r) => r.userid === gone.userid);
      return {
        set: derived(ctx, t, reports),
        events: [{ type: 'unlinked', childNo: reportNo, reporter: { userid: gone.userid, name: gone.name }, uncounted }],
      };
    },
  });
  return split;
}

/**
 * The incident was resolved: each report still linked to it is resolved with the incident's repair record, once
 * (status precondition), so every reporter hears it once. Safe to run again (a re-delivered event).
 */
export async function resolveLinkedReports(ctx: TicketContext, incident: TicketDoc): Promise<number> {
  const reports = await Ticket.find({ bot: ctx.bot.id, parentNo: incident.no, status: 'linked' }, { no: 1 }).lean<TicketDoc[]>();
  let n = 0;
  for (const { no } of reports) {
    const r = await applyChange(ctx, {
      no,
      command: 'resolveWithIncident',
      actor: 'system',
      build(_t, at) {
        return {
          set: { status: 'resolved', repair: incident.repair, resolvedAt: at, confirmRemindedAt: null },
          events: [{ type: 'resolved', repair: incident.repair, incident: incident.no }],
        };
      },
    });
    if (r.ok) n++;
  }
  return n;
}

/** The incident is closed once its reports were resolved with it (it is confirmed through its reports). */
export function closeIncident(ctx: TicketContext, no: number): Promise<CommandResult> {
  return applyChange(ctx, {
    no,
    command: 'closeIncident',
    actor: 'system',
    build(t, at) {
      if (t.kind !== 'incident') return refuse('not_incident', { say: 'not_incident', no: t.no });
      return { set: { status: 'closed', closedAt: at }, events: [{ type: 'closed', auto: false, incident: true }] };
    },
  });
}

/** The level an incident takes: 一级, and never lower than the highest of its reports. */
export const INCIDENT_LEVEL: Level = 1;

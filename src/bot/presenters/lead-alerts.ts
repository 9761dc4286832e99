/**
 * What the leads are told, and what the group is told when a late ticket is finally claimed (issue #17). Leads
 * are far recipients (not the reporter, not the assignee): titles and comments are masked. Every alert says what
 * happened, who has it, and only actions a lead can take (`进度`, `转派 … @工程师`) — leads cannot 接单.
 * Pure: content only; who gets it and when is src/bot/lead-alerts.ts.
 */
import type { BotConfig } from '../../config/bots.js';
import { whoIsOnDuty } from '../../roster/roster.js';
import type { TargetName } from '../../sla/config.js';
import type { TicketDoc, TicketEventRecord } from '../../tickets/types.js';
import type { OutboundContent } from '../../wecom/types.js';
import { maskIdentifiers, shownTitle } from './mask.js';
import { personName, staffPhones } from './people.js';
import { at, duration, LEVEL_NAME, levelWords, short, systemShort, TARGET_WORDS, tag, ticketSystem } from './words.js';

/** The kinds of lead alert (the event table in src/bot/lead-alerts.ts decides when each is sent). */
export type LeadAlertKind =
  | 'level1_opened'
  | 'raised_to_level1'
  | 'incident_declared'
  | 'incident_grown'
  | 'level1_paused'
  | 'reopened'
  | 'low_rating'
  | 'claimed_after_breach';

/** "#12 检验系统(LIS) 报告打印不出来" with the title masked for a reader outside the reporter–assignee circle. */
function named(bot: BotConfig, t: TicketDoc): string {
  return `${tag(t.no)} ${ticketSystem(bot, t)} ${shownTitle(t.title, 30, staffPhones(bot))}`;
}

function holder(bot: BotConfig, t: TicketDoc): string {
  return t.assignee ? (t.assignee.name ?? personName(bot, t.assignee.userid)) : '待接单';
}

function reporterOf(t: TicketDoc): string {
  return [t.reporter.department, t.reporter.name].filter(Boolean).join(' ');
}

/**
 * What a lead can do about a ticket: look at it, or hand it to someone else — the on-duty backup is the example
 * (`转派 5 @赵敏`), unless the backup already has it.
 */
export function leadActions(bot: BotConfig, t: TicketDoc, now: Date): string {
  const backup = whoIsOnDuty(bot, t.system, now).backup;
  const to = backup && backup !== t.assignee?.userid ? personName(bot, backup) : '工程师';
  return `可回复「进度 ${t.no}」查看，「转派 ${t.no} @${to}」改派。`;
}

/** Which SLA targets of a ticket have breached, e.g. "响应超时 25 分钟" (measured up to `now` or the target's met time). */
function breaches(t: TicketDoc, now: Date): string[] {
  const out: string[] = [];
  for (const name of ['response', 'onsite', 'resolve'] as TargetName[]) {
    const target = t.sla?.[name];
    if (!target?.breachedAt) continue;
    const end = target.metAt ? new Date(target.metAt) : now;
    out.push(`${TARGET_WORDS[name]}超时 ${duration(end.getTime() - new Date(target.dueAt).getTime())}`);
  }
  return out;
}

/** Someone's words shown to leads: masked (patient identifiers), shortened. */
function masked(bot: BotConfig, text: string, max: number): string {
  return short(maskIdentifiers(text, staffPhones(bot)), max);
}

/** The reason an event carries (改级, 挂起, 未解决), masked, with `lead` in front; empty when there is none. */
function reasonOf(bot: BotConfig, e: TicketEventRecord, max: number, lead = ''): string {
  const reason = e.type === 'level_changed' || e.type === 'paused' || e.type === 'rejected' ? e.reason : '';
  return reason ? `${lead}${masked(bot, reason, max)}` : '';
}

/** Context an alert may need beyond the ticket and its event. */
export interface LeadAlertInput {
  bot: BotConfig;
  ticket: TicketDoc;
  event: TicketEventRecord;
  /** The on-duty primary at the event (who was paged). */
  primary: string;
  /** The reporter count the incident grew past (incident_grown). */
  threshold?: number;
}

/** The leads' text of each alert kind. */
const LEAD_TEXT: Record<LeadAlertKind, (a: LeadAlertInput) => string> = {
  level1_opened: ({ bot, ticket: t, event: e, primary }) =>
    [
      `【一级报修】${named(bot, t)}`,
      `报修：${reporterOf(t)}，已通知 ${personName(bot, primary)}，响应时限 ${at(t.sla.response.dueAt)}`,
      leadActions(bot, t, e.at),
    ].join('\n'),
  raised_to_level1: ({ bot, ticket: t, event: e }) =>
    [
      `【升为一级】${named(bot, t)}`,
      `${personName(bot, e.actor)} 从${e.type === 'level_changed' ? LEVEL_NAME[e.from] : '原级别'}改为一级${reasonOf(bot, e, 60, '：')}`,
      `负责人：${holder(bot, t)}，${t.assignee ? `解决时限 ${at(t.sla.resolve.dueAt)}` : `响应时限 ${at(t.sla.response.dueAt)}`}`,
      leadActions(bot, t, e.at),
    ].join('\n'),
  incident_declared: ({ bot, ticket: t, event: e, primary }) => {
    const backup = whoIsOnDuty(bot, t.system, t.createdAt).backup;
    return `【故障事件】${tag(t.no)} ${t.title}，${levelWords(t.level)}，已通知 ${personName(bot, primary)}（备岗 ${personName(bot, backup)}）。${leadActions(bot, t, e.at)}`;
  },
  incident_grown: ({ bot, ticket: t, event: e, threshold }) =>
    [
      `【故障事件扩大】${tag(t.no)} ${t.title}`,
      `报告人数已达 ${threshold ?? t.reporterCount} 人（${t.departments.length} 个科室），负责人：${holder(bot, t)}`,
      leadActions(bot, t, e.at),
    ].join('\n'),
  level1_paused: ({ bot, ticket: t, event: e }) =>
    [
      `【一级挂起】${named(bot, t)}`,
      `${personName(bot, e.actor)} 挂起，原因：${reasonOf(bot, e, 80) || '未说明'}`,
      `挂起期间解决时限暂停计时。${leadActions(bot, t, e.at)}`,
    ].join('\n'),
  reopened: ({ bot, ticket: t, event: e }) =>
    [
      `【解决后重新打开】${named(bot, t)}`,
      `报修人 ${reporterOf(t)} 反馈未解决${reasonOf(bot, e, 80, '：')}`,
      `负责人：${holder(bot, t)}。${leadActions(bot, t, e.at)}`,
    ].join('\n'),
  low_rating: ({ bot, ticket: t, event: e }) =>
    [
      `【低评分】${named(bot, t)}`,
      `报修人 ${reporterOf(t)} 评分 ${e.type === 'confirmed' ? e.rating : ''} 分${e.type === 'confirmed' && e.comment ? `：${masked(bot, e.comment, 120)}` : '（未留言）'}`,
      `处理人：${holder(bot, t)}。可回复「进度 ${t.no}」查看处理经过。`,
    ].join('\n'),
  claimed_after_breach: ({ bot, ticket: t, event: e }) =>
    [
      `【超时后接单】${named(bot, t)}`,
      `${holder(bot, t)} 已接单（${breaches(t, e.at).join('，')}，时限 ${at(t.sla.response.dueAt)}）`,
      `可回复「进度 ${t.no}」查看。`,
    ].join('\n'),
};

/** The text a lead gets for one alert. */
export function leadAlertText(kind: LeadAlertKind, input: LeadAlertInput): string {
  return LEAD_TEXT[kind](input);
}

/** The group's note when a ticket that missed its response time is finally claimed (masked, mentions nobody). */
export function claimedAfterBreachGroupNote(bot: BotConfig, t: TicketDoc, now: Date): OutboundContent {
  return {
    type: 'markdown',
    markdown: `${tag(t.no)} ${systemShort(bot, t.system)} ${shownTitle(t.title, 30, staffPhones(bot))}：${holder(bot, t)} 已接单，正在处理（${breaches(t, now).join('，')}）。`,
  };
}

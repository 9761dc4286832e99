/**
 * What an incident (one outage, many reports) and the other notifier-only events say: the page to the backup
 * (the leads' alert is presenters/lead-alerts.ts), the group's "already known" post, a referral to the 信息科, a report linked into another ticket, and
 * the engineer/lead answers to 拆分/合并. Engineers and leads get the level; reporters never do (their answer is
 * presenters/ticket.ts `linkedReply`).
 */
import type { BotConfig } from '../../config/bots.js';
import type { TicketDoc } from '../../tickets/types.js';
import { type ChatContent, plain } from './content.js';
import { nameOf, personName } from './people.js';
import { levelWords, short, systemName, systemShort, tag } from './words.js';

function head(t: TicketDoc): string {
  return `【故障事件】${tag(t.no)} ${short(t.title, 60)}，${levelWords(t.level)}`;
}

/** The backup engineer's page for a declared incident (the primary has the claim card). */
export function incidentBackupPage(bot: BotConfig, t: TicketDoc, primary: string): string {
  return `${head(t)}。主值 ${personName(bot, primary)} 已收到接单卡片，请您作为备岗协助（「进度 ${t.no}」查看）。`;
}

/** The group's one post for an incident: known, who is on it, do not report again (a `<@userid>` mention). */
export function incidentGroupPost(bot: BotConfig, t: TicketDoc, primary: string): string {
  return `**${systemShort(bot, t.system)} 故障已知悉**（${tag(t.no)}），${personName(bot, primary)} 处理中 <@${primary}>，请勿重复报修；可先按应急流程处理，恢复后群里通知。`;
}

/** The 信息科 contact's message for a report outside the vendor's scope (hardware, network, printers). */
export function referralNotice(bot: BotConfig, t: TicketDoc): string {
  const who = [t.reporter.department, nameOf(bot, t.reporter), t.reporter.contact].filter(Boolean).join(' ');
  return `【转信息科】${tag(t.no)} ${t.title}\n报修：${who}\n不在软件维保范围，请信息科处理。`;
}

/** The reporter of a report an engineer linked into another ticket (same fault, several reporters). */
export function linkedNotice(t: TicketDoc, into: number): string {
  return `您的报修 ${tag(t.no)} 已并入 ${tag(into)}（同一故障，多人报告），处理进展会通知您。`;
}

/** The first line of a new-ticket group post for a report split out of an incident. */
export const splitHeadline = (from: number): string => `报修从 ${tag(from)} 拆分为单独工单`;
/** The first line of a new-ticket group post once a level-1 report named its system. */
export const supplementedHeadline = (bot: BotConfig, system: string): string => `报修补充（系统：${systemName(bot, system)}）`;

/** 拆分/合并 answers for engineers. */
export const splitAsk = (no: number): ChatContent => plain(`请写明要拆出的报修单号，如「拆分 ${no} 15」`);
export const splitDone = (incident: number, report: number): ChatContent =>
  plain(`已将 ${tag(report)} 从 ${tag(incident)} 拆分为单独工单，已通知值班工程师`);
export const mergeAsk = (no: number): ChatContent => plain(`请写明并入哪一单，如「合并 ${no} 到 22」`);
export const mergedIntoIncident = (no: number, incident: number): ChatContent =>
  plain(`已将 ${tag(no)} 并入故障事件 ${tag(incident)}，随事件一起处理`);
export const mergedAsDuplicate = (no: number, target: number): ChatContent => plain(`已将 ${tag(no)} 作为重复报修合并到 ${tag(target)}`);

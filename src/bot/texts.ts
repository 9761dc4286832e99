import type { BotConfig } from '../config/bots.js';
import { personName } from '../roster/roster.js';
import { levelWords, systemName } from '../tickets/labels.js';
import type { TicketDoc } from '../tickets/types.js';
import { toChatTime } from '../time.js';

/** Fills "{no}", "{title}" … in a flow text. */
export function fill(text: string, vars: Record<string, string | number | null | undefined>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
}

/** "#12【一级/紧急】检验系统(LIS)" */
export function ticketHead(bot: BotConfig, t: Pick<TicketDoc, 'no' | 'level' | 'system'>): string {
  return `#${t.no}【${levelWords(t.level)}】${systemName(bot, t.system)}`;
}

function phoneOf(bot: BotConfig, userid: string): string | null {
  const { engineers, leads, itContact } = bot.roster;
  return [...engineers, ...leads, itContact].find((p) => p.userid === userid)?.phone ?? null;
}

/** "张伟（13800000001）" */
export function whoWithPhone(bot: BotConfig, userid: string): string {
  const phone = phoneOf(bot, userid);
  return phone ? `${personName(bot, userid)}（${phone}）` : personName(bot, userid);
}

/** The reporter's answer when a ticket opens: number, level, system, deadline, who was told. */
export function createdReply(bot: BotConfig, t: TicketDoc, notified: string): string {
  return [
    `已登记 ${ticketHead(bot, t)}：${t.title}`,
    `响应时限 ${toChatTime(t.sla.response.dueAt)} 前，已通知 ${whoWithPhone(bot, notified)}。`,
    t.triageReason ? `判定依据：${t.triageReason}` : null,
  ]
    .filter(Boolean)
    .join('\n');
}

/** One line for each other fault of a multi-fault message: "另外的排队叫号问题也已登记：#13【二级】排队叫号". */
export function alsoOpenedReply(bot: BotConfig, t: TicketDoc, merged: boolean): string {
  return merged
    ? `另外的${systemName(bot, t.system)}问题已并入故障事件（您的报修 #${t.no}），工程师已收到通知。`
    : `另外的${systemName(bot, t.system)}问题也已登记：${ticketHead(bot, t)}，响应时限 ${toChatTime(t.sla.response.dueAt)} 前。`;
}

/** "已知悉，并入 #22（HIS 全院故障）…": a report linked to an incident; its own number is kept for 我的工单. */
export function linkedReply(bot: BotConfig, report: TicketDoc, incident: TicketDoc, declared = false, notified = ''): string {
  const what = `${shortName(bot, incident.system)} ${incident.departments.length >= 2 ? '多科室' : '全院'}故障`;
  if (declared) {
    // This report declared the incident: say what was opened, how urgent, and who was told.
    return [
      `已登记故障事件 ${ticketHead(bot, incident)}（${what}），已通知 ${whoWithPhone(bot, notified)}，处理进展会通知您。（您的报修记为 #${report.no}）`,
      `响应时限 ${toChatTime(incident.sla.response.dueAt)} 前。`,
    ].join('\n');
  }
  const who = incident.assignee ? `${incident.assignee.name} 正在处理` : '工程师已收到通知';
  return `已知悉，并入 #${incident.no}（${what}，已有 ${incident.reporterCount ?? 1} 人报告），${who}，处理进展会通知您。（您的报修记为 #${report.no}）`;
}

/** What an out-of-scope report is about, in the reporter's words ("打印机"), for the referral answer. */
const THINGS: Array<[RegExp, string]> = [
  [/打印机|打印|卡纸|硒鼓|墨盒/, '打印机'],
  [/电脑|主机|显示器|键盘|鼠标|开不了机|蓝屏|黑屏/, '电脑'],
  [/网络|网线|断网|wifi|无线|上不了网/i, '网络'],
  [/电话|座机|分机/, '电话'],
  [/扫码枪|扫描枪|读卡器|PDA/i, '设备'],
];

/**
 * "打印机属于信息科负责，不在软件维保范围，已转 王磊（分机…）": an out-of-scope report (system `other`) was
 * recorded and passed to the hospital's 信息科 contact (contract scope: the vendor maintains the software systems).
 */
export function referredReply(bot: BotConfig, t: TicketDoc, text: string): string {
  const thing = THINGS.find(([re]) => re.test(text))?.[1] ?? '这类硬件/网络问题';
  return `${thing}属于信息科负责，不在软件维保范围，已转 ${whoWithPhone(bot, bot.roster.itContact.userid)} 处理（记录 #${t.no}）。`;
}

/** "同时 HIS 有 #22 正在处理": a report kept apart from a running incident of the same system. */
export function alongsideNote(bot: BotConfig, incident: TicketDoc): string {
  return `同时 ${shortName(bot, incident.system)} 有 #${incident.no}（${incident.title}）正在处理。`;
}

/** "HIS" out of "医院信息系统(HIS)". */
export function shortName(bot: BotConfig, system: string): string {
  const name = systemName(bot, system);
  return /\(([^)]+)\)/.exec(name)?.[1] ?? name;
}

/** First lines of a ticket for engineers: what, where, who, how urgent. */
export function ticketSummary(bot: BotConfig, t: TicketDoc): string[] {
  const dept = t.reporter.department ? ` ${t.reporter.department}` : '';
  const contact = t.reporter.contact ? ` ${t.reporter.contact}` : '';
  return [
    `${ticketHead(bot, t)}`,
    `问题：${t.title}`,
    `报修：${t.reporter.name}${dept}${contact}`,
    `响应时限：${toChatTime(t.sla.response.dueAt)}`,
    t.triageReason ? `依据：${t.triageReason}` : '',
  ].filter(Boolean);
}

/** The answer to a report sent again within minutes (flood control, src/wecom/flood.ts). */
export function repeatedReportReply(no: number, minutesAgo: number): string {
  const when = minutesAgo < 1 ? '刚才' : ` ${minutesAgo} 分钟前`;
  return `您${when}已报过同样的问题，已记录在 #${no}，无需重复发送。`;
}

export const GREETING_SINGLE = '您好，我是维保助手。直接描述遇到的问题即可报修，例如“LIS报告打印不出来”；发送“帮助”查看命令。';
export const GREETING_GROUP = '您好，需要报修请 @我 并描述问题，例如“LIS报告打印不出来”。';
export const THANKS = '不客气，有问题随时找我。';

/** A ticket as the bot names it: heads, summaries for engineers, the reporter's answers when it opens. */
import type { BotConfig } from '../../config/bots.js';
import type { TicketDoc } from '../../tickets/types.js';
import { local } from '../../time.js';
import { shownTitle } from './mask.js';
import { nameOf, personName, responderForReporter, staffPhones, whoWithPhone } from './people.js';
import { at, levelWords, short, systemShort, tag, ticketSystem } from './words.js';

/** "#12【一级/紧急】检验系统(LIS)" — for engineers and leads. */
export function ticketHead(bot: BotConfig, t: Pick<TicketDoc, 'no' | 'level' | 'system'>): string {
  return `${tag(t.no)}【${levelWords(t.level)}】${ticketSystem(bot, t)}`;
}

/** "#2 HIS 登录报错" — how every direct message names its ticket: number, system, short title. */
export function ticketName(bot: BotConfig, t: Pick<TicketDoc, 'no' | 'system' | 'title'>, titleMax = 16): string {
  return `${tag(t.no)} ${ticketSystem(bot, t)} ${shownTitle(t.title, titleMax, staffPhones(bot))}`;
}

/**
 * A deadline for a reporter, in plain words: "15:48" today, "明天 09:00", else "11-23 09:00" (`now` decides
 * what today is).
 */
export function plainTime(when: Date | string, now: Date): string {
  const d = local(when);
  const today = local(now).startOf('day');
  if (d.isSame(today, 'day')) return d.format('HH:mm');
  if (d.isSame(today.add(1, 'day'), 'day')) return `明天 ${d.format('HH:mm')}`;
  return d.format('MM-DD HH:mm');
}

/**
 * The reporter's answer when a ticket opens, in plain words: which ticket, who is coming and by when.
 * "已登记 #1（检验系统(LIS)·报告打印不出）。刘洋 工程师（138…）会在 15:48 前联系您。" No triage reason and no
 * contract terms: those are for engineers (issue #16). The group address ("@护士小李") is added by the engine.
 */
export function createdReply(bot: BotConfig, t: TicketDoc, notified: string): string {
  const when = plainTime(t.sla.response.dueAt, t.createdAt);
  return `已登记 ${tag(t.no)}（${ticketSystem(bot, t)}·${shownTitle(t.title, 20, staffPhones(bot))}）。${responderForReporter(bot, notified)}会在 ${when} 前联系您。`;
}

/**
 * One line for each other fault of a multi-fault message, in the reporter's words like createdReply:
 * "另外的排队叫号问题也已登记：#13（排队叫号·叫号也没声音）。张伟 工程师（138…）会在 15:48 前联系您。"
 */
export function alsoOpenedReply(bot: BotConfig, t: TicketDoc, merged: boolean, notified: string): string {
  const system = ticketSystem(bot, t);
  if (merged) return `另外的${system}问题已并入故障事件（您的报修 ${tag(t.no)}），工程师已收到通知。`;
  const when = plainTime(t.sla.response.dueAt, t.createdAt);
  return `另外的${system}问题也已登记：${tag(t.no)}（${system}·${shownTitle(t.title, 20, staffPhones(bot))}）。${responderForReporter(bot, notified)}会在 ${when} 前联系您。`;
}

/**
 * A report linked to an incident, for its reporter in plain words (issue #16): what is happening, how widely, who
 * is on it, and that they will hear back — no level, no 响应时限, no contract terms. "已知悉，这是 HIS 大面积故障
 * （#22，已有 5 个科室报告），刘洋 工程师正在处理，恢复后会通知您。（您的报修记为 #15）"; the report that declared
 * the incident reads "已登记，这是 …". `notified`: the userid paged for the incident (named while nobody has claimed it).
 */
export function linkedReply(bot: BotConfig, report: TicketDoc, incident: TicketDoc, declared: boolean, notified = ''): string {
  const system = systemShort(bot, incident.system);
  const depts = incident.departments.length;
  const people = incident.reporterCount ?? 1;
  const what =
    depts >= 2
      ? `这是 ${system} 大面积故障（${tag(incident.no)}，已有 ${depts} 个科室报告）`
      : `这是 ${system} 全院故障（${tag(incident.no)}${people > 1 ? `，已有 ${people} 人报告` : ''}）`;
  const who = incident.assignee
    ? `${personName(bot, incident.assignee.userid)} 工程师正在处理`
    : notified
      ? `已通知 ${personName(bot, notified)} 工程师`
      : '工程师已收到通知';
  return `${declared ? '已登记' : '已知悉'}，${what}，${who}，恢复后会通知您。（您的报修记为 ${tag(report.no)}）`;
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
  return `同时 ${systemShort(bot, incident.system)} 有 #${incident.no}（${shownTitle(incident.title, 30, staffPhones(bot))}）正在处理。`;
}

/**
 * First lines of a ticket for engineers: what, where, who, how urgent, why this level. `masked` hides patient
 * identifiers, the reporter's phone and the triage reason (group posts); the assignee's own card keeps them.
 */
export function ticketSummary(bot: BotConfig, t: TicketDoc, opts: { masked?: boolean } = {}): string[] {
  const dept = t.reporter.department ? ` ${t.reporter.department}` : '';
  const contact = t.reporter.contact && !opts.masked ? ` ${t.reporter.contact}` : '';
  return [
    ticketHead(bot, t),
    `问题：${opts.masked ? shownTitle(t.title, 60, staffPhones(bot)) : short(t.title, 60)}`,
    `报修：${nameOf(bot, t.reporter)}${dept}${contact}`,
    ...(t.reporterCount > 1 ? [`报告人数：${t.reporterCount} 人`] : []),
    `响应时限：${at(t.sla.response.dueAt)}`,
    // The reason and the contract's level terms are for engineers, not for the nurses who read the group.
    t.triageReason && !opts.masked ? `判定依据：${t.triageReason}` : '',
  ].filter(Boolean);
}

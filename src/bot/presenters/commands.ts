/**
 * The answers to chat commands (接单 … 取消, 进度, 我的工单, 待接单, 帮助): one function per thing shown, typed
 * content out. Refusals come from the ticket commands (tickets/guards.ts) and are passed through as text.
 */
import type { BotConfig } from '../../config/bots.js';
import type { Role } from '../../roster/roster.js';
import type { TicketDoc, TicketEventRecord } from '../../tickets/types.js';
import { type ChatContent, markdown, plain } from './content.js';
import { shownTitle } from './mask.js';
import { nameOf } from './people.js';
import { at, duration, EVENT_WORDS, levelWords, short, STATUS_WORDS, systemName, tag, ticketSystem } from './words.js';

/** "一级/紧急｜检验系统(LIS)" */
export function levelAndSystem(bot: BotConfig, t: Pick<TicketDoc, 'level' | 'system'>): string {
  return `${levelWords(t.level)}｜${ticketSystem(bot, t)}`;
}

/** "请带上工单号，如「接单 12」" */
export const askNumber = (verb: string, example = ''): ChatContent => plain(`请带上工单号，如「${verb} 12${example}」`);

export const claimed = (bot: BotConfig, t: TicketDoc): ChatContent =>
  markdown(
    [
      `✅ 已接单 **${tag(t.no)}**（${levelAndSystem(bot, t)}）`,
      `报修：${[t.reporter.department, nameOf(bot, t.reporter)].filter(Boolean).join(' ')}${t.reporter.contact ? ` ${t.reporter.contact}` : ''} ${short(t.title)}`,
      `解决时限：${at(t.sla.resolve.dueAt)}`,
    ].join('\n'),
  );

export const dispatched = (t: TicketDoc): ChatContent =>
  markdown(`已派现场 **${tag(t.no)}**，请于 ${at(t.sla.onsite?.dueAt)} 前到场，到场后回复「到场 ${t.no}」`);

export const arrived = (t: TicketDoc): ChatContent => {
  const took = duration(t.sla.onsite?.elapsedMs);
  return markdown(`已登记到场 **${tag(t.no)}**${took ? `（用时 ${took}）` : ''}`);
};

export const progressNoted = (t: TicketDoc): ChatContent => markdown(`已记录 **${tag(t.no)}** 进展`);

export const resolveMissing = (no: number, missing: string[]): ChatContent =>
  plain(`请补充${missing.join('和')}：解决 ${no} 原因:<故障原因> 处理:<处理措施>`);

/** `claimedToo`: the engineer claimed and resolved an unclaimed ticket in one step. */
export const resolved = (t: TicketDoc, claimedToo = false): ChatContent => {
  const took = duration(t.sla.resolve.elapsedMs);
  return markdown(`✅ **${tag(t.no)}** ${claimedToo ? '已接单并' : '已'}解决${took ? `（用时 ${took}）` : ''}，已请报修人确认`);
};

export const transferAsk = (no: number): ChatContent => plain(`请指定接手的工程师：转派 ${no} @userid`);
export const transferred = (t: TicketDoc): ChatContent => markdown(`已将 **${tag(t.no)}** 转派给 ${t.assignee?.name}`);

export const paused = (t: TicketDoc): ChatContent =>
  markdown(`**${tag(t.no)}** 已挂起：${short(t.pause?.reason ?? '', 100)}\n处理完外部事项后回复「恢复 ${t.no}」`);

export const resumed = (t: TicketDoc): ChatContent => markdown(`**${tag(t.no)}** 已恢复处理，解决时限顺延至 ${at(t.sla.resolve.dueAt)}`);

export const relevelAsk = (no: number): ChatContent => plain(`请写明新级别和原因：改级 ${no} <1-4> <原因>`);
export const releveled = (t: TicketDoc): ChatContent =>
  markdown(`**${tag(t.no)}** 已改为${levelWords(t.level)}，解决时限 ${at(t.sla.resolve.dueAt)}`);

export const resystemAsk = (no: number): ChatContent => plain(`请写明正确的系统：改系统 ${no} <系统名称>，如「改系统 ${no} pacs」`);
export const resystemUnknown = (no: number, words: string, bot: BotConfig): ChatContent =>
  plain(`没认出系统「${short(words, 20)}」。可选：${bot.systems.map((s) => s.name).join('、')}\n例如「改系统 ${no} pacs」`);
export const resystemed = (bot: BotConfig, t: TicketDoc, to: string | null): ChatContent =>
  markdown(`**${tag(t.no)}** 已改为${ticketSystem(bot, t)}${to ? `，已通知 ${to}` : ''}`);

export const confirmedReply = (t: TicketDoc): ChatContent =>
  markdown(`感谢确认，**${tag(t.no)}** 已关闭${t.confirmation?.rating ? `（评分 ${t.confirmation.rating} 分）` : ''}`);

export const reopened = (t: TicketDoc): ChatContent => markdown(`**${tag(t.no)}** 已重新打开，${t.assignee?.name ?? '工程师'} 会继续处理`);

/** 未解决 on a ticket that had to be opened again on its own (its incident closed): the reporter's answer. */
export const reopenedAlone = (t: TicketDoc): ChatContent => markdown(`**${tag(t.no)}** 已单独登记为待处理工单，值班工程师会尽快处理`);
/** A report closed with its incident and still broken: registered again as a new ticket of the reporter's own. */
export const reportedAgain = (no: number, incident: number, made: number): ChatContent =>
  markdown(`${tag(no)} 已随 ${tag(incident)} 关闭，已按您的报修重新登记 **${tag(made)}**，值班工程师会尽快处理`);
/** The line added to the new ticket's description (the record says why it exists). */
export const stillBrokenNote = (no: number, incident: number, reason: string): string =>
  `（${tag(no)} 随 ${tag(incident)} 关闭后仍未解决${reason ? `：${reason}` : ''}）`;

/** "抱歉，只有工程师可以改系统" — the same words as tickets/guards.ts `requireStaff`. */
export const staffOnly = (what: string): ChatContent => plain(`抱歉，只有工程师可以${what}`);
export const sameSystem = (no: number): ChatContent => plain(`${tag(no)} 已是该系统`);
/** The transfer reason recorded when 改系统 moves a ticket to the new system's engineer. */
export const resystemReason = (bot: BotConfig, system: string): string => `改系统：${systemName(bot, system)}`;

export const cancelled = (t: TicketDoc): ChatContent => markdown(`**${tag(t.no)}** 已取消`);
export const withdrawn = (t: TicketDoc): ChatContent =>
  plain(`${tag(t.no)} 已撤销${t.assignee ? `，已告知 ${t.assignee.name}` : ''}。如问题再出现，直接重新报修即可。`);

function deadlines(t: TicketDoc): string[] {
  const lines: string[] = [];
  const { response, onsite, resolve } = t.sla;
  lines.push(response.metAt ? `响应：${at(response.metAt)} 已接单` : `响应时限：${at(response.dueAt)}`);
  if (onsite) lines.push(onsite.metAt ? `到场：${at(onsite.metAt)}` : `到场时限：${at(onsite.dueAt)}`);
  if (!['closed', 'cancelled'].includes(t.status))
    lines.push(
      resolve.metAt
        ? `解决：${at(resolve.metAt)}`
        : `解决时限：${at(resolve.dueAt)}${t.status === 'paused' ? '（挂起中，恢复后顺延）' : ''}`,
    );
  return lines;
}

export const notFound = (no: number): ChatContent => plain(`未找到工单 #${no}`);

/** 进度 12: state, who, deadlines, the latest step. */
export function ticketStatus(bot: BotConfig, t: TicketDoc, last: TicketEventRecord | undefined): ChatContent {
  const lines = [
    `**${tag(t.no)}** ${STATUS_WORDS[t.status]}（${levelAndSystem(bot, t)}）`,
    shownTitle(t.title, 60),
    `处理人：${t.assignee?.name ?? '待接单'}`,
    ...deadlines(t),
  ];
  if (t.pause) lines.push(`挂起原因：${short(t.pause.reason, 60)}`);
  if (last && last.type !== 'created')
    lines.push(`最近：${at(last.at)} ${EVENT_WORDS[last.type]}${last.type === 'progress' ? ` ${short(String(last.text), 60)}` : ''}`);
  return markdown(lines.join('\n'));
}

/**
 * One line of a list for engineers: number, level, system, title, the running deadline, the reporter's
 * department and contact, and how many reported it.
 */
export function listLine(bot: BotConfig, t: TicketDoc): string {
  const due =
    t.status === 'open'
      ? `响应 ${at(t.sla.response.dueAt)}`
      : t.status === 'onsite_dispatched' && t.sla.onsite
        ? `到场 ${at(t.sla.onsite.dueAt)}`
        : t.status === 'resolved'
          ? '待确认'
          : t.status === 'paused'
            ? '挂起中'
            : `解决 ${at(t.sla.resolve.dueAt)}`;
  const who = [t.reporter.department, t.reporter.contact].filter(Boolean).join(' ');
  const count = (t.reporterCount ?? 1) > 1 ? ` · ${t.reporterCount} 人报告` : '';
  return `**${tag(t.no)}** ${levelWords(t.level)}｜${ticketSystem(bot, t)} ${shownTitle(t.title, 20)}\n　${STATUS_WORDS[t.status]} · ${due}${who ? ` · ${who}` : ''}${count}`;
}

/**
 * 我的工单: open work first by level then deadline; `total` tells how many there are in all. A report linked to an
 * incident says which incident it belongs to and how that stands (`parents`: incident by number); a ticket paged
 * to this engineer and not claimed yet says how to claim it (`paged`: ticket numbers).
 */
export function myTickets(
  bot: BotConfig,
  items: TicketDoc[],
  total: number,
  role: Role,
  parents = new Map<number, TicketDoc>(),
  paged: ReadonlySet<number> = new Set(),
): ChatContent {
  if (!items.length) return plain(role === 'reporter' ? '您目前没有未结的报修' : '您目前没有未结的工单');
  const line = (t: TicketDoc) => {
    const p = t.parentNo == null ? undefined : parents.get(t.parentNo);
    if (paged.has(t.no)) return `${listLine(bot, t)} · 已派给您，回复「接单 ${t.no}」`;
    if (!p) return listLine(bot, t);
    return `${listLine(bot, t)}（并入故障事件 ${tag(p.no)}：${shownTitle(p.title, 40)}，${STATUS_WORDS[p.status]}${p.assignee ? `，${p.assignee.name}` : ''}）`;
  };
  const more =
    total > items.length ? [`…另有 ${total - items.length} 单未列出，回复「进度 <工单号>」查看单个工单，或在管理端查看全部`] : [];
  return markdown([`您的未结工单 ${total} 单：`, ...items.map(line), ...more].join('\n'));
}

/** 待接单: unclaimed tickets by level then deadline. */
export function unclaimedList(bot: BotConfig, items: TicketDoc[], total: number): ChatContent {
  if (!total) return plain('当前没有待接单的工单 👍');
  const more = total > items.length ? [`…另有 ${total - items.length} 单未列出，接掉前面的再发「待接单」可看到后面的`] : [];
  return markdown(
    [`待接单 ${total} 单：`, ...items.map((t) => listLine(bot, t)), ...more, `回复「接单 ${items[0].no}」即可接单`].join('\n'),
  );
}

const EVERYONE = ['**报修**：直接 @我 描述故障，如「LIS报告打印不出来，急」', '进度 12 ｜ 我的工单 ｜ 待接单 ｜ 值班 [系统] ｜ 今天谁值班'];
const REPORTER = ['确认 12 [1-5分] [评价] ｜ 未解决 12 <原因> ｜ 撤销 12 [原因]'];
const ENGINEER = [
  '接单 12 ｜ 派现场 12 ｜ 到场 12',
  '进展 12 <内容>',
  '解决 12 原因:<…> 处理:<…>（或直接写处理措施）',
  '转派 12 @工程师 ｜ 挂起 12 <原因> ｜ 恢复 12',
  '改级 12 <1-4> <原因> ｜ 改系统 12 <系统>',
  '拆分 22 15（把 #15 从故障事件 #22 拆出）｜ 合并 15 到 22',
];
const LEAD = ['取消 12 <原因> ｜ 日报 ｜ 月报 2026-11'];

/** 帮助 for the sender's role; ticket numbers may be written 12, #12, 12号 or ＃１２. */
export function helpText(role: Role): ChatContent {
  return markdown(
    [
      ...EVERYONE,
      ...(role === 'reporter' ? REPORTER : ENGINEER),
      ...(role === 'lead' ? [...REPORTER, ...LEAD] : []),
      '工单号可写作 12、#12 或 12号',
    ].join('\n'),
  );
}

export const commandClosed = (verb: string): ChatContent => plain(`「${verb}」暂未开放，回复「帮助」查看可用命令`);
export const commandFailed = (): ChatContent => plain('抱歉，处理出错了，请稍后再试');

/** A confirm question answered after its ticket moved on: say where it stands instead of taking a rating. */
export function confirmNoLonger(t: TicketDoc): ChatContent {
  if (t.status === 'closed') return plain(`${tag(t.no)} 已关闭，不用再确认了，谢谢！`);
  if (t.status === 'cancelled') return plain(`${tag(t.no)} 已取消，不用再确认了。`);
  return plain(`${tag(t.no)} 已重新打开（有报修人反馈还没解决），${t.assignee?.name ?? '工程师'} 会继续处理，处理好后再请您确认。`);
}

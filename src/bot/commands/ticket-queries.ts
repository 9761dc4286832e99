/** Read-only verbs: 进度 我的工单 待接单. */
import { EVENT_WORDS, STATUS_WORDS } from '../../tickets/labels.js';
import { getTicket, listEvents, ticketsOf, unclaimedTickets } from '../../tickets/queries.js';
import type { TicketDoc } from '../../tickets/types.js';
import { at, levelAndSystem, short, tag, ticketLine } from './format.js';
import { askForNumber } from './reply.js';
import type { CommandHandler, Verb } from './types.js';

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

const status: CommandHandler = async (ctx, _msg, p) => {
  const ask = askForNumber(p);
  if (ask) return ask;
  const t = await getTicket(ctx.bot.id, p.no!);
  if (!t) return { reply: `未找到工单 #${p.no}` };
  const events = await listEvents(ctx.bot.id, t.no, t);
  const last = [...events].reverse().find((e) => e.type !== 'reminded' && e.type !== 'breached');
  const lines = [
    `**${tag(t.no)}** ${STATUS_WORDS[t.status]}（${levelAndSystem(ctx.bot, t)}）`,
    short(t.title, 60),
    `处理人：${t.assignee?.name ?? '待接单'}`,
    ...deadlines(t),
  ];
  if (t.pause) lines.push(`挂起原因：${short(t.pause.reason, 60)}`);
  if (last && last.type !== 'created')
    lines.push(`最近：${at(last.at)} ${EVENT_WORDS[last.type]}${last.type === 'progress' ? ` ${short(String(last.text), 60)}` : ''}`);
  return { reply: lines.join('\n') };
};

const mine: CommandHandler = async (ctx, msg) => {
  const list = await ticketsOf(ctx.bot.id, msg.from.userid, 10);
  if (!list.length) return { reply: '你目前没有工单' };
  // A report linked to an incident shows with the incident it belongs to (and how that stands).
  const parents = new Map<number, TicketDoc>();
  for (const t of list) {
    if (t.parentNo == null || parents.has(t.parentNo)) continue;
    const parent = await getTicket(ctx.bot.id, t.parentNo);
    if (parent) parents.set(t.parentNo, parent);
  }
  const line = (t: TicketDoc) => {
    const parent = t.parentNo == null ? undefined : parents.get(t.parentNo);
    if (!parent || parent.kind !== 'incident') return ticketLine(ctx.bot, t);
    return `${ticketLine(ctx.bot, t)}（并入故障事件 ${tag(parent.no)}：${short(parent.title, 40)}，${STATUS_WORDS[parent.status]}${parent.assignee ? `，${parent.assignee.name}` : ''}）`;
  };
  return { reply: ['你的工单：', ...list.map(line)].join('\n') };
};

const unclaimed: CommandHandler = async (ctx) => {
  const { items, total } = await unclaimedTickets(ctx.bot.id, 10);
  if (!total) return { reply: '当前没有待接单的工单 👍' };
  const lines = items.map(
    (t) => `**${tag(t.no)}** ${levelAndSystem(ctx.bot, t)} ${short(t.title)}（响应时限 ${at(t.sla.response.dueAt)}）`,
  );
  const more = total > items.length ? [`…另有 ${total - items.length} 单`] : [];
  return { reply: [`待接单 ${total} 单：`, ...lines, ...more, `回复「接单 ${items[0].no}」即可接单`].join('\n') };
};

export const ticketQueryHandlers: Partial<Record<Verb, CommandHandler>> = { 进度: status, 我的工单: mine, 待接单: unclaimed };

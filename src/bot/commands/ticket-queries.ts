/** Read-only verbs: 进度 我的工单 待接单. */
import { roleOf } from '../../roster/roster.js';
import { getTicket, listEvents, unclaimedTickets, unfinishedTicketsOf } from '../../tickets/queries.js';
import * as say from '../presenters/commands.js';
import type { TicketDoc } from '../../tickets/types.js';
import { askForNumber } from './reply.js';
import type { CommandHandler, Verb } from './types.js';

const status: CommandHandler = async (ctx, _msg, p) => {
  const ask = askForNumber(p);
  if (ask) return ask;
  const t = await getTicket(ctx.bot.id, p.no!);
  if (!t) return { reply: say.notFound(p.no!) };
  const events = await listEvents(ctx.bot.id, t.no, t);
  const last = [...events].reverse().find((e) => e.type !== 'reminded' && e.type !== 'breached');
  return { reply: say.ticketStatus(ctx.bot, t, last) };
};

const mine: CommandHandler = async (ctx, msg) => {
  const { items, total } = await unfinishedTicketsOf(ctx.bot.id, msg.from.userid, 10);
  // A report linked to an incident shows with the incident it belongs to (and how that stands).
  const parents = new Map<number, TicketDoc>();
  for (const t of items) {
    if (t.parentNo == null || parents.has(t.parentNo)) continue;
    const parent = await getTicket(ctx.bot.id, t.parentNo);
    if (parent?.kind === 'incident') parents.set(t.parentNo, parent);
  }
  return { reply: say.myTickets(ctx.bot, items, total, roleOf(ctx.bot, msg.from.userid), parents) };
};

const unclaimed: CommandHandler = async (ctx) => {
  const { items, total } = await unclaimedTickets(ctx.bot.id, 10);
  return { reply: say.unclaimedList(ctx.bot, items, total) };
};

export const ticketQueryHandlers: Partial<Record<Verb, CommandHandler>> = { 进度: status, 我的工单: mine, 待接单: unclaimed };

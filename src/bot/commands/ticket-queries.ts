/** Read-only verbs: 进度 我的工单 待接单. */
import { roleOf } from '../../roster/roster.js';
import { byLevelThenDeadline, getTicket, listEvents, unclaimedTickets, unfinishedTicketsOf } from '../../tickets/queries.js';
import { firstResponder } from '../notifier.js';
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

/** How many unclaimed tickets 我的工单 looks through for the ones paged to an engineer (the open queue is short). */
const QUEUE_SCAN = 200;

const mine: CommandHandler = async (ctx, msg) => {
  const userid = msg.from.userid;
  const role = roleOf(ctx.bot, userid);
  const own = await unfinishedTicketsOf(ctx.bot.id, userid, 10);
  let { items, total } = own;
  // An engineer's list includes the tickets paged to him he has not claimed yet (as 待接单): the claim card may be
  // far up his chat. Paged = the ticket's first responder (notifier.ts), the on-duty primary when it was opened.
  const paged = new Set<number>();
  if (role !== 'reporter') {
    const queue = await unclaimedTickets(ctx.bot.id, QUEUE_SCAN);
    const known = new Set(own.items.map((t) => t.no));
    const waiting = queue.items.filter((t) => !t.assignee && firstResponder(ctx.bot, t.system, t.createdAt) === userid);
    for (const t of waiting) paged.add(t.no);
    const added = waiting.filter((t) => !known.has(t.no));
    items = [...own.items, ...added].sort(byLevelThenDeadline).slice(0, 10);
    total = own.total + added.length;
  }
  // A report linked to an incident shows with the incident it belongs to (and how that stands).
  const parents = new Map<number, TicketDoc>();
  for (const t of items) {
    if (t.parentNo == null || parents.has(t.parentNo)) continue;
    const parent = await getTicket(ctx.bot.id, t.parentNo);
    if (parent?.kind === 'incident') parents.set(t.parentNo, parent);
  }
  return { reply: say.myTickets(ctx.bot, items, total, role, parents, paged) };
};

const unclaimed: CommandHandler = async (ctx) => {
  const { items, total } = await unclaimedTickets(ctx.bot.id, 10);
  return { reply: say.unclaimedList(ctx.bot, items, total) };
};

export const ticketQueryHandlers: Partial<Record<Verb, CommandHandler>> = { 进度: status, 我的工单: mine, 待接单: unclaimed };

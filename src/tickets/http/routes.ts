import Router from '@koa/router';
import type { BotConfig } from '../../config/bots.js';
import { requireAdmin } from '../../http/auth.js';
import { HttpError } from '../../http/middleware/errors.js';
import { local } from '../../time.js';
import { presentTicket } from '../presenter.js';
import { findTickets, getTicketWithEvents, ticketCursor } from '../queries.js';
import { ticketsCsv } from './csv.js';
import { parseListParams, parseTicketNo } from './params.js';

export interface TicketRoutesOptions {
  bots: Map<string, BotConfig>;
  adminToken: () => string;
  /** Leads' read-only tokens (DASHBOARD_TOKENS). */
  readerTokens?: () => string;
}

/** The admin ticket API (Bearer ADMIN_TOKEN): list, one ticket with its events, CSV export. */
export function ticketRoutes(opts: TicketRoutesOptions): Router {
  const router = new Router();
  const auth = requireAdmin(opts.adminToken, opts.readerTokens);
  const known = new Set(opts.bots.keys());
  const query = (q: unknown) => parseListParams(q as Record<string, string | string[] | undefined>, known);

  router.get('/api/tickets.csv', auth, async (ctx) => {
    const { filter } = query(ctx.query);
    const name = `tickets-${filter.bot ?? 'all'}-${local(new Date()).format('YYYYMMDD-HHmm')}.csv`;
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${name}"`);
    ctx.body = ticketsCsv(ticketCursor(filter), opts.bots);
  });

  router.get('/api/tickets', auth, async (ctx) => {
    const { filter, page, limit } = query(ctx.query);
    const { items, total } = await findTickets(filter, page, limit);
    ctx.body = { items: items.map(presentTicket), total, page, limit };
  });

  router.get('/api/tickets/:bot/:no', auth, async (ctx) => {
    const no = parseTicketNo(ctx.params.no);
    if (!known.has(ctx.params.bot)) throw new HttpError(404, 'not_found', `unknown bot "${ctx.params.bot}"`);
    const ticket = await getTicketWithEvents(ctx.params.bot, no);
    if (!ticket) throw new HttpError(404, 'not_found', `no ticket #${no} for bot "${ctx.params.bot}"`);
    ctx.body = ticket;
  });

  return router;
}

/** Admin report API: `GET /api/reports/sla`, `/api/reports/records.xlsx`, `.pdf`, `.csv` (Bearer ADMIN_TOKEN). */
import Router from '@koa/router';
import { Ajv } from 'ajv';
import type { BotConfig } from '../config/bots.js';
import { requireAdmin } from '../http/auth.js';
import { HttpError } from '../http/middleware/errors.js';
import { log } from '../log.js';
import type { ServiceContext } from '../service.js';
import { directoryFor } from '../wecom/feature.js';
import { MONTH_PATTERN } from './month.js';
import { recordsCsv, recordsPdf, recordsWorkbook, slaReport } from './service.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['bot', 'month'],
  properties: {
    bot: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
    month: { type: 'string', pattern: MONTH_PATTERN.source },
  },
} as const;
const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);

/** `?bot=&month=` → the bot and month, or 400 naming the parameter. */
export function parseReportParams(
  query: Record<string, string | string[] | undefined>,
  bots: Map<string, BotConfig>,
): { bot: BotConfig; month: string } {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') data[k] = Array.isArray(v) ? v.join(',') : v;
  if (!validate(data)) {
    const err = validate.errors![0];
    if (err.keyword === 'required') {
      const p = (err.params as { missingProperty: string }).missingProperty;
      throw new HttpError(400, 'bad_request', `missing parameter "${p}"${p === 'month' ? ': expected YYYY-MM such as 2026-11' : ''}`);
    }
    if (err.keyword === 'additionalProperties')
      throw new HttpError(400, 'bad_request', `unknown parameter "${(err.params as { additionalProperty: string }).additionalProperty}"`);
    const p = err.instancePath.replace(/^\//, '');
    throw new HttpError(
      400,
      'bad_request',
      `invalid parameter "${p}": ${p === 'month' ? 'expected YYYY-MM such as 2026-11' : 'unexpected characters'}`,
    );
  }
  const bot = bots.get(data.bot);
  if (!bot) throw new HttpError(400, 'bad_request', `invalid parameter "bot": unknown bot "${data.bot}"`);
  return { bot, month: data.month };
}

/** An ASCII name for old clients, the Chinese one (RFC 5987) for the rest. */
function attachment(ascii: string, name: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function reportRoutes(ctx: ServiceContext): Router {
  const router = new Router({ prefix: '/api/reports' });
  router.use(
    requireAdmin(
      () => ctx.env.ADMIN_TOKEN ?? '',
      () => ctx.env.DASHBOARD_TOKENS ?? '',
    ),
  );
  router.get('/sla', async (k) => {
    const { bot, month } = parseReportParams(k.query, ctx.bots);
    k.body = await slaReport(bot, month, ctx.clock.now());
    log.info({ bot: bot.id, month }, 'sla report served');
  });
  router.get('/records.xlsx', async (k) => {
    const { bot, month } = parseReportParams(k.query, ctx.bots);
    const buf = await recordsWorkbook(bot, month, ctx.clock.now(), directoryFor(ctx));
    k.set('Content-Disposition', attachment(`records-${bot.id}-${month}.xlsx`, `维护记录-${bot.id}-${month}.xlsx`));
    k.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    k.body = buf;
    log.info({ bot: bot.id, month, bytes: buf.length }, 'records workbook served');
  });
  router.get('/records.pdf', async (k) => {
    const { bot, month } = parseReportParams(k.query, ctx.bots);
    const buf = await recordsPdf(bot, month, ctx.clock.now(), directoryFor(ctx));
    k.set('Content-Disposition', attachment(`records-${bot.id}-${month}.pdf`, `维护记录-${bot.id}-${month}.pdf`));
    k.type = 'application/pdf';
    k.body = buf;
    log.info({ bot: bot.id, month, bytes: buf.length }, 'records pdf served');
  });
  router.get('/records.csv', async (k) => {
    const { bot, month } = parseReportParams(k.query, ctx.bots);
    const csv = await recordsCsv(bot, month, ctx.clock.now(), directoryFor(ctx));
    k.set('Content-Disposition', attachment(`records-${bot.id}-${month}.csv`, `维护记录-${bot.id}-${month}.csv`));
    k.type = 'text/csv; charset=utf-8';
    k.body = csv;
  });
  return router;
}

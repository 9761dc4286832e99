/** Query parameters of the admin ticket API, validated with ajv; errors name the parameter. */
import { Ajv, type ErrorObject } from 'ajv';
import { HttpError } from '../../http/middleware/errors.js';
import { parseInstant } from '../../time.js';
import type { TicketFilter } from '../queries.js';
import { type Level, STATUSES, type TicketStatus } from '../types.js';

const list = (item: string) => `^(${item})(,(${item}))*$`;

const listSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    bot: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
    status: { type: 'string', pattern: list(STATUSES.join('|')) },
    level: { type: 'string', pattern: list('[1-4]') },
    system: { type: 'string', pattern: list('[a-z0-9_-]+') },
    from: { type: 'string', format: 'instant' },
    to: { type: 'string', format: 'instant' },
    q: { type: 'string', maxLength: 100 },
    page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
  },
} as const;

const ajv = new Ajv({ allErrors: false, coerceTypes: true, useDefaults: true, strict: false });
ajv.addFormat('instant', (s: string) => realCalendar(s) && parseInstant(s) !== null);

/** dayjs rolls "2026-13-45 25:99" over into a later date; a filter bound must be a real date and time. */
function realCalendar(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (!m) return false;
  const [y, mo, d, h = 0, mi = 0, se = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && se < 60;
}
const validateList = ajv.compile(listSchema);

export interface ListParams {
  filter: TicketFilter;
  page: number;
  limit: number;
}

function paramOf(err: ErrorObject): string {
  if (err.keyword === 'additionalProperties') return String((err.params as { additionalProperty: string }).additionalProperty);
  return err.instancePath.replace(/^\//, '') || '?';
}

function explain(err: ErrorObject): string {
  const param = paramOf(err);
  if (err.keyword === 'additionalProperties') return `unknown parameter "${param}"`;
  if (err.keyword === 'format')
    return `invalid parameter "${param}": expected an ISO date or date-time such as 2026-11-01 or 2026-11-01T08:00+08:00`;
  if (err.keyword === 'pattern')
    return `invalid parameter "${param}": ${param === 'status' ? `expected one or more (comma-separated) of ${STATUSES.join(', ')}` : param === 'level' ? 'expected 1-4 (comma-separated for several)' : 'unexpected characters'}`;
  return `invalid parameter "${param}": ${err.message}`;
}

/** Koa's query (repeated keys become arrays) → flat strings, as comma lists. */
function flatten(query: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

/** A bare date as `to` means "through that day": the bound is the next local midnight. */
function upperBound(text: string): Date {
  const at = parseInstant(text)!;
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(at.getTime() + 24 * 3600_000) : at;
}

const split = (s: string | undefined) => (s ? s.split(',').filter(Boolean) : undefined);

export function parseListParams(query: Record<string, string | string[] | undefined>, knownBots: Set<string>): ListParams {
  const data: Record<string, unknown> = flatten(query);
  for (const [k, v] of Object.entries(data)) if (v === '') delete data[k]; // "?status=" means no filter
  if (!validateList(data)) throw new HttpError(400, 'bad_request', explain(validateList.errors![0]));
  const p = data as Record<string, string> & { page: number; limit: number };
  if (p.bot && !knownBots.has(p.bot)) throw new HttpError(400, 'bad_request', `invalid parameter "bot": unknown bot "${p.bot}"`);
  const from = p.from ? parseInstant(p.from)! : undefined;
  const to = p.to ? upperBound(p.to) : undefined;
  if (from && to && from >= to) throw new HttpError(400, 'bad_request', 'invalid parameter "to": must be after "from"');
  return {
    filter: {
      bot: p.bot,
      status: split(p.status) as TicketStatus[] | undefined,
      level: split(p.level)?.map(Number) as Level[] | undefined,
      system: split(p.system),
      from,
      to,
      q: p.q,
    },
    page: p.page,
    limit: p.limit,
  };
}

export function parseTicketNo(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new HttpError(400, 'bad_request', 'invalid parameter "no": expected a ticket number');
  return Number(text);
}

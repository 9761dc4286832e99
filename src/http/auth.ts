import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';

function digest(s: string): Buffer {
  // Hashing first gives equal-length buffers, so the comparison leaks neither content nor length.
  return createHash('sha256').update(s, 'utf8').digest();
}

function deny(ctx: Parameters<Middleware>[0], message: string): void {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', 'Bearer realm="admin"');
  ctx.body = { error: 'unauthorized', message, requestId: ctx.state.requestId };
}

/**
 * Per-lead read-only tokens from `DASHBOARD_TOKENS` ("wanglei=s3cret,xuli=an0ther"): userid → token. Entries
 * without both parts are ignored; tokens shorter than 12 characters are refused as guessable.
 */
export function parseReaderTokens(spec: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of spec.split(',')) {
    const i = part.indexOf('=');
    const user = part.slice(0, i).trim();
    const token = part.slice(i + 1).trim();
    if (i > 0 && user && token.length >= 12) out.set(token, user);
  }
  return out;
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` for the admin API. With ADMIN_TOKEN unset every request is refused:
 * an unset token must never mean "open". `readers` (DASHBOARD_TOKENS, see `parseReaderTokens`) are the leads'
 * own tokens for the dashboard: they may read (GET/HEAD) and nothing else; `ctx.state.reader` names the lead.
 */
export function requireAdmin(token: () => string, readers: () => string = () => ''): Middleware {
  return async (ctx, next) => {
    const expected = token();
    const leads = parseReaderTokens(readers());
    if (!expected && leads.size === 0)
      return deny(ctx, 'ADMIN_TOKEN is not set on the server; the operator must set it to use the admin API');
    const m = /^Bearer\s+(.+)$/i.exec(ctx.get('Authorization'));
    if (!m) return deny(ctx, 'missing bearer token');
    const given = digest(m[1].trim());
    if (expected && timingSafeEqual(given, digest(expected))) return next();
    let lead: string | undefined;
    for (const [t, user] of leads) if (timingSafeEqual(given, digest(t))) lead = user;
    if (!lead) return deny(ctx, 'invalid token');
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 403;
      ctx.body = { error: 'forbidden', message: 'a lead token may only read', requestId: ctx.state.requestId };
      return;
    }
    ctx.state.reader = lead;
    await next();
  };
}

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
 * `Authorization: Bearer <ADMIN_TOKEN>` for the admin API. With ADMIN_TOKEN unset every request is refused:
 * an unset token must never mean "open".
 */
export function requireAdmin(token: () => string): Middleware {
  return async (ctx, next) => {
    const expected = token();
    if (!expected) return deny(ctx, 'ADMIN_TOKEN is not set on the server; the operator must set it to use the admin API');
    const m = /^Bearer\s+(.+)$/i.exec(ctx.get('Authorization'));
    if (!m) return deny(ctx, 'missing bearer token');
    if (!timingSafeEqual(digest(m[1].trim()), digest(expected))) return deny(ctx, 'invalid token');
    await next();
  };
}

import type { Middleware } from 'koa';
import getRawBody from 'raw-body';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads POST/PUT bodies as UTF-8 text into `ctx.state.rawBody` (WeCom signatures cover the exact bytes, so
 * parsing is left to each route). Bodies over the limit answer 413 without being read into memory; `limits`
 * lowers it for a path prefix (WeCom callbacks: 64 KB, see src/wecom/routes.ts).
 */
export function rawBody(limit = MAX_BODY_BYTES, limits: { prefix: string; bytes: number }[] = []): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'POST' || ctx.method === 'PUT' || ctx.method === 'PATCH') {
      const cap = limits.find((l) => ctx.path.startsWith(l.prefix))?.bytes ?? limit;
      ctx.state.rawBody = await getRawBody(ctx.req, { limit: cap, length: ctx.get('content-length') || undefined, encoding: 'utf8' });
    }
    await next();
  };
}

import type { Middleware } from 'koa';
import { log } from '../../log.js';

/** One line per request: method, route path, status, duration. Never bodies or query strings (they carry secrets). */
export function accessLog(): Middleware {
  return async (ctx, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      if (ctx.path !== '/healthz') {
        log.info(
          {
            requestId: ctx.state.requestId,
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ms: Math.round(performance.now() - start),
          },
          'http',
        );
      }
    }
  };
}

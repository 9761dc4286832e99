import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

/** Gives every request an id (or keeps a sane one from the load balancer) for logs and error bodies. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.set('x-request-id', ctx.state.requestId);
    await next();
  };
}

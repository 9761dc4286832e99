import type { Middleware } from 'koa';
import { log } from '../../log.js';

/** An error whose status and short code are meant for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
  }
}

/** Turns every failure into `{"error": code, "message"?, "requestId"}`: never a stack trace to clients. */
export function errors(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: 'not_found', requestId: ctx.state.requestId };
      }
    } catch (err) {
      const e = err as { status?: number; statusCode?: number; expose?: boolean; code?: string; message?: string; type?: string };
      const status = e.status ?? e.statusCode ?? 500;
      if (status >= 500) log.error({ requestId: ctx.state.requestId, path: ctx.path, err: e.message }, 'request failed');
      ctx.status = status;
      // A refused body is left unread (raw-body.ts): without a close the socket stays busy with it, and a stop
      // waited ~3 s for that connection before the server could close (seen in test/foundation/service.test.ts).
      if (status === 413) ctx.set('Connection', 'close');
      ctx.body =
        err instanceof HttpError
          ? { error: err.code, message: err.message !== err.code ? err.message : undefined, requestId: ctx.state.requestId }
          : status === 413
            ? { error: 'payload_too_large', requestId: ctx.state.requestId }
            : status < 500 && e.expose
              ? { error: e.code ?? 'bad_request', message: e.message, requestId: ctx.state.requestId }
              : { error: status >= 500 ? 'internal' : 'bad_request', requestId: ctx.state.requestId };
    }
  };
}

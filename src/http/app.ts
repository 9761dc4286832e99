import type Router from '@koa/router';
import Koa from 'koa';
import { accessLog } from './middleware/access-log.js';
import { errors } from './middleware/errors.js';
import { rawBody } from './middleware/raw-body.js';
import { WECOM_MAX_BODY_BYTES } from '../wecom/limits.js';
import { requestId } from './middleware/request-id.js';

/** The Koa app: small middleware, each doing one thing, then the routers each module contributes. */
export function createApp(routers: Router[]): Koa {
  const app = new Koa({ proxy: true });
  app.silent = true; // errors are logged by our middleware, without stacks or bodies
  app.use(requestId());
  app.use(accessLog());
  app.use(errors());
  app.use(rawBody(undefined, [{ prefix: '/wecom/', bytes: WECOM_MAX_BODY_BYTES }]));
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}

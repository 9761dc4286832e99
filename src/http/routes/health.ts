import Router from '@koa/router';

export interface HealthProbe {
  db(): Promise<boolean>;
  scheduler(): boolean;
}

/** `GET /healthz`: 200 when both parts are up, 503 naming the failing part otherwise. */
export function healthRoutes(probe: HealthProbe): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const db = (await probe.db()) ? 'up' : 'down';
    const scheduler = probe.scheduler() ? 'up' : 'down';
    const ok = db === 'up' && scheduler === 'up';
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ok' : 'degraded', db, scheduler };
  });
  return router;
}

import Router from '@koa/router';
import type { HealthPart } from '../../service.js';

export interface HealthProbe {
  db(): Promise<boolean>;
  scheduler(): boolean;
  /** Parts features add (e.g. `wecom`: each long connection's state); a failing probe counts as not ok. */
  parts?(): Promise<HealthPart[]>;
}

/** `GET /healthz`: 200 when every part is up, 503 naming the failing part otherwise. */
export function healthRoutes(probe: HealthProbe): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const db = (await probe.db()) ? 'up' : 'down';
    const scheduler = probe.scheduler() ? 'up' : 'down';
    const parts = db === 'up' ? await (probe.parts?.() ?? Promise.resolve([])).catch(() => []) : [];
    const ok = db === 'up' && scheduler === 'up' && parts.every((p) => p.ok);
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ok' : 'degraded', db, scheduler, ...Object.fromEntries(parts.map((p) => [p.name, p.value])) };
  });
  return router;
}

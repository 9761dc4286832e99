/** The browser pages' shared side: the built assets (`/assets/*`) and the lead dashboard page (`/dashboard`). */
import Router from '@koa/router';
import { HttpError } from '../http/middleware/errors.js';
import type { Feature, FeatureFactory, ServiceContext } from '../service.js';
import { type StaticFiles, staticFiles } from './static.js';

export function createWebFeature(ctx: ServiceContext, web: StaticFiles = staticFiles()): Feature {
  const router = new Router();
  // The service's "now" (the demo clock in the playground) so countdowns agree with the API; and which bots exist.
  router.get('/dashboard/api/clock', (k) => {
    k.set('Cache-Control', 'no-store');
    k.body = {
      now: ctx.clock.now().toISOString(),
      bots: [...ctx.bots.values()].map((b) => ({
        id: b.id,
        name: b.name,
        systems: Object.fromEntries(b.systems.map((s) => [s.id, s.name])),
      })),
    };
  });
  router.get('/assets/:file', (k) => {
    if (!web.serve(k, `/assets/${k.params.file}`)) throw new HttpError(404, 'not_found');
  });
  // The dashboard page is public; its data comes from /api/* with the token the lead types in (kept in the tab only).
  router.get('/dashboard', (k) => {
    if (!web.serve(k, '/dashboard.html')) throw new HttpError(503, 'not_built', '前端尚未构建：请运行 npm run build:web');
  });
  return { name: 'web', routers: [router] };
}

export const webFeature: FeatureFactory = (ctx) => createWebFeature(ctx);

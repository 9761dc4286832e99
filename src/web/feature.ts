/** The browser pages' shared side: the built assets (`/assets/*`) and the lead dashboard page (`/dashboard`). */
import Router from '@koa/router';
import { HttpError } from '../http/middleware/errors.js';
import type { Feature, FeatureFactory } from '../service.js';
import { type StaticFiles, staticFiles } from './static.js';

export function createWebFeature(web: StaticFiles = staticFiles()): Feature {
  const router = new Router();
  router.get('/assets/:file', (k) => {
    if (!web.serve(k, `/assets/${k.params.file}`)) throw new HttpError(404, 'not_found');
  });
  // The dashboard page is public; its data comes from /api/* with the token the lead types in (kept in the tab only).
  router.get('/dashboard', (k) => {
    if (!web.serve(k, '/dashboard.html')) throw new HttpError(503, 'not_built', '前端尚未构建：请运行 npm run build:web');
  });
  return { name: 'web', routers: [router] };
}

export const webFeature: FeatureFactory = () => createWebFeature();

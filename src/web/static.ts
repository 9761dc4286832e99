/**
 * Serves the built front end (`dist/web`, made by `npm run build:web`, which `npm install` runs). The file list is
 * read once at start-up, so only files that exist there can be served: no path from the URL reaches the disk.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Context } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/** The directory `npm run build:web` writes to. */
export const WEB_DIST = resolve('dist/web');

export interface StaticFiles {
  /** True when the build exists. */
  built: boolean;
  /** Answers `ctx` with the file at URL path `path` (e.g. `/assets/playground-x.js`); false when there is none. */
  serve(ctx: Context, path: string): boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

export function staticFiles(dir = WEB_DIST): StaticFiles {
  const files = new Map<string, { body: Buffer; type: string; immutable: boolean }>();
  if (existsSync(dir)) {
    for (const full of walk(dir)) {
      const urlPath = `/${relative(dir, full).split(sep).join('/')}`;
      // Vite puts a content hash in asset names, so those may be cached for good; the HTML pages may not.
      files.set(urlPath, {
        body: readFileSync(full),
        type: TYPES[extname(full)] ?? 'application/octet-stream',
        immutable: urlPath.startsWith('/assets/'),
      });
    }
  }
  return {
    built: files.size > 0,
    serve(ctx, path) {
      const f = files.get(path);
      if (!f) return false;
      ctx.type = f.type;
      ctx.set('Cache-Control', f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      ctx.body = f.body;
      return true;
    },
  };
}

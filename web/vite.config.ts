import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/** The browser pages (/playground, /dashboard), built into dist/web and served by Koa; no CDN, works offline. */
export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(here, '../dist/web'),
    emptyOutDir: true,
    rollupOptions: {
      input: { playground: resolve(here, 'playground.html'), dashboard: resolve(here, 'dashboard.html') },
    },
  },
});

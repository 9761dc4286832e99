/** Real headless Chromium (Debian's `chromium`, driven by playwright-core) against the whole service. */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { loadEnv } from '../../src/config/env.js';
import { features } from '../../src/features.js';
import { type DemoAwareService, startWithPlayground } from '../../src/playground/demo.js';
import { WEB_DIST } from '../../src/web/static.js';
import { testDbName } from '../helpers/db.js';

/** Screenshots of each page land here (gitignored), for people to look at after a run. */
export const SCREENSHOTS = resolve('test-results/screenshots');

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) throw new Error(`no Chromium found (${CANDIDATES.join(', ')}): apt-get install -y chromium, or set CHROMIUM_PATH`);
  if (!existsSync(join(WEB_DIST, 'playground.html'))) throw new Error(`front end not built (${WEB_DIST}): npm run build:web`);
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The service as `npm start` composes it (playground decided by PLAYGROUND and the credentials), on a test database. */
export async function startAsNpmStart(envOverrides: Record<string, string> = {}): Promise<DemoAwareService> {
  const raw = { PORT: '0', MONGODB_URI: inject('mongoUri'), LOG_LEVEL: 'silent', ADMIN_TOKEN: 'test-admin-token', ...envOverrides };
  const env = loadEnv(raw, '');
  return startWithPlayground({ env, bots: loadBots(env.BOTS_DIR, raw), features, dbName: testDbName(), processEvery: 200 });
}

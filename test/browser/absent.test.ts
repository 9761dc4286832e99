/** With real WeCom credentials a browser finds no playground at all (404), while the dashboard page is there. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAwareService } from '../../src/playground/demo.js';
import { launchChromium, startAsNpmStart } from './helpers.js';

let browser: Browser;
let svc: DemoAwareService;

beforeAll(async () => {
  browser = await launchChromium();
  svc = await startAsNpmStart({ WECOM_CORP_ID: 'ww0123456789abcdef', WECOM_SECRET: 'a-real-looking-secret' });
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

describe('/playground with real credentials', () => {
  it('is absent (404) and no simulator runs', async () => {
    expect(svc.mode.enabled).toBe(false);
    expect(svc.demo).toBeUndefined();
    const page = await browser.newPage();
    const res = await page.goto(`${svc.service.url}/playground`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('body').textContent()).toContain('not_found');
  });
});

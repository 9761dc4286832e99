/**
 * /dashboard in a real browser: a lead signs in with their own token, sees open tickets by level with SLA
 * countdowns (red once breached), who holds what and the unclaimed ones; every figure equals the API's.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAwareService } from '../../src/playground/demo.js';
import { local } from '../../src/time.js';
import { launchChromium, screenshot, startAsNpmStart } from './helpers.js';

let browser: Browser;
let svc: DemoAwareService;
let page: Page;
const ADMIN = 'test-admin-token';
const LEAD = 'wanglei-dashboard-token';
const T = 15_000;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${svc.service.url}${path}`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function say(from: string, text: string, channel: 'group' | 'app' = 'group'): Promise<void> {
  const sim = svc.demo!.sim;
  const serviceUrl = svc.service.url;
  const r =
    channel === 'group'
      ? await sim.sendAibotText({ bot: 'demo', serviceUrl, from, chatId: 'wr_demo', text })
      : await sim.sendAppText({ bot: 'demo', serviceUrl, from, text });
  expect(r.status).toBe(200);
}

/** Waits (event-driven callbacks are processed after the acknowledgement) until the API lists `n` tickets. */
async function settled(n: number): Promise<void> {
  const deadline = Date.now() + T;
  for (;;) {
    const res = await fetch(`${svc.service.url}/api/tickets?bot=demo`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    if (((await res.json()) as { total: number }).total === n) return;
    if (Date.now() > deadline) throw new Error(`the API never listed ${n} tickets`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  svc = await startAsNpmStart({ DASHBOARD_TOKENS: `wanglei=${LEAD}` });
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, locale: 'zh-CN' });
  // Single in-scope reports (全部 would declare an incident, a printer is a referral to the 信息科: issue #17).
  await say('nurse03', '@维保助手 检验科LIS报告打印不出来，急诊病人在等，分机8823');
  await settled(1);
  await say('nurse02', '@维保助手 急诊科一台电脑上的PACS影像调阅很慢，分机1200');
  await settled(2);
  await say('nurse01', '@维保助手 请问怎么开通HIS账号权限，心内科，分机6601');
  await settled(3);
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const fig = (name: string) => page.locator(`[data-fig="${name}"]`).textContent();

describe('/dashboard', () => {
  it('asks for a token and refuses a wrong one', async () => {
    await page.goto(`${svc.service.url}/dashboard`);
    await page.getByLabel(/访问令牌/).fill('wrong-token-123456');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText(/令牌无效/).waitFor({ timeout: T });
    expect(await page.locator('#board').isHidden()).toBe(true);
  });

  it('with a lead token shows the same numbers as the API', async () => {
    await page.getByLabel(/访问令牌/).fill(LEAD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('body[data-loaded]').waitFor({ timeout: T });
    const today = local(svc.demo!.clock.now()).format('YYYY-MM-DD');
    const active = await api<{ total: number }>('/api/tickets?bot=demo&status=open,claimed,onsite_dispatched,onsite,paused,resolved');
    const open = await api<{ total: number }>('/api/tickets?bot=demo&status=open');
    const todayNew = await api<{ total: number }>(`/api/tickets?bot=demo&from=${today}&to=${today}`);
    const report = await api<{ totals: { tickets: number; resolved: number; breaches: number } }>(
      `/api/reports/sla?bot=demo&month=${today.slice(0, 7)}`,
    );
    expect(await fig('active')).toBe(String(active.total));
    expect(await fig('unclaimed')).toBe(String(open.total));
    expect(await fig('today-new')).toBe(String(todayNew.total));
    expect(await fig('month-tickets')).toBe(String(report.totals.tickets));
    expect(await fig('month-resolved')).toBe(String(report.totals.resolved));
    expect(await fig('month-breaches')).toBe(String(report.totals.breaches));
    expect(active.total).toBeGreaterThanOrEqual(2);
    // The chart counts the same tickets over the last 30 days.
    expect(await page.locator('#chart').getAttribute('data-total')).toBe(String(todayNew.total));
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
    // Each level heading counts that level's open tickets.
    for (const level of [1, 2, 3, 4]) {
      const n = await api<{ total: number }>(
        `/api/tickets?bot=demo&level=${level}&status=open,claimed,onsite_dispatched,onsite,paused,resolved`,
      );
      expect(await page.locator(`h3[data-level="${level}"]`).textContent()).toContain(`（${n.total}）`);
    }
  });

  it('shows who holds what once an engineer claims, and turns a breached countdown red', async () => {
    const t1 = await api<{ assignee: null }>('/api/tickets/demo/1');
    expect(t1.assignee).toBeNull();
    await say('zhaomin', '接单 2', 'app');
    await expect.poll(async () => (await api<{ status: string }>('/api/tickets/demo/2')).status, { timeout: T }).toBe('claimed');
    // Past ticket 1's 30-minute response target by the service clock.
    svc.demo!.clock.advance(45 * 60_000);
    await svc.service.ctx.scheduler.runDue(svc.demo!.clock.now(), { recurring: true });
    await page.reload();
    await page.locator('body[data-loaded]').waitFor({ timeout: T });
    await page
      .locator('#holders')
      .getByText(/赵敏：1 单（#2）/)
      .waitFor({ timeout: T });
    const cell = page.locator('[data-countdown="1"]');
    await expect.poll(() => cell.textContent(), { timeout: T }).toMatch(/^响应已超时/);
    expect(await cell.getAttribute('class')).toContain('breached');
    expect(await page.locator('[data-countdown="2"]').textContent()).toMatch(/^解决剩/);
    expect(await page.locator('#unclaimed').textContent()).toContain('#1');
    await screenshot(page, 'dashboard');
  });
});

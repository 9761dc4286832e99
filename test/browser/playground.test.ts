/**
 * Issue 13 acceptance in a real browser: on the demo credentials `npm start` serves /playground, and a visitor
 * completes a ticket's whole journey by clicking and typing only — a nurse reports in the group, the notified
 * engineer claims with the card button and resolves, the nurse confirms. Everything goes through signed callbacks
 * and the in-process simulator; nothing leaves the machine.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAwareService } from '../../src/playground/demo.js';
import { Ticket } from '../../src/tickets/model.js';
import { OutboxModel } from '../../src/wecom/outbox.js';
import { launchChromium, screenshot, startAsNpmStart } from './helpers.js';

let browser: Browser;
let svc: DemoAwareService;
let page: Page;
const T = 15_000; // generous for a shared 2-core machine; every wait below is for something the page must show

beforeAll(async () => {
  browser = await launchChromium();
  svc = await startAsNpmStart();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  page.on('dialog', (d) => void d.accept());
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const group = () => page.locator('#group-log');
const app = () => page.locator('#app-log');
async function be(name: string): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(name) }).check();
}
async function sayInApp(text: string): Promise<void> {
  await page.getByLabel('给维保助手（应用）发消息').fill(text);
  await page.getByLabel('给维保助手（应用）发消息').press('Enter');
}

describe('/playground on the demo credentials', () => {
  it('runs the simulator in the same process: the service sends only to 127.0.0.1', () => {
    expect(svc.mode.enabled).toBe(true);
    expect(svc.service.ctx.env.WECOM_API_BASE).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a nurse reports, the engineer claims with the card button and resolves, the nurse confirms — clicks and typing only', async () => {
    await page.goto(`${svc.service.url}/playground`);
    await expect.poll(() => page.locator('body').getAttribute('data-live'), { timeout: T }).toBe('true');

    // The nurse (李护士) writes in the group, @-mentioning the bot (the field starts with the mention).
    await be('李护士');
    const input = page.getByLabel(/在群里发消息/);
    await expect.poll(() => input.inputValue()).toBe('@维保助手 ');
    // One in-scope report (全部 would declare an incident: issue #17).
    await input.pressSequentially('检验科LIS报告打印不出来，急诊病人在等，分机8823');
    await input.press('Enter');
    await group()
      .getByText(/已登记 #1/)
      .waitFor({ timeout: T });
    const registered =
      (await group()
        .getByText(/已登记 #1/)
        .textContent()) ?? '';
    // Whoever is on duty right now (working hours or the rotation) is named in the answer.
    const engineer = /。(\S+?) 工程师(?:（分机 [0-9-]+）)?会在/.exec(registered)?.[1];
    expect(engineer).toBeTruthy();
    await screenshot(page, 'playground-1-reported');

    // The engineer sees the card in their app chat and presses 接单.
    await be(engineer!);
    const card = app().locator('.card', { hasText: '#1' });
    await card.getByRole('button', { name: '接单' }).click();
    await card.locator('.subtitle', { hasText: `已由 ${engineer} 接单` }).waitFor({ timeout: T });
    await expect.poll(() => card.getByRole('button', { name: '接单', exact: true }).count()).toBe(0);

    // … and resolves it by typing in the app.
    await sayInApp('解决 1 原因:打印服务卡死 处理:重启打印服务并清理队列');
    await app()
      .getByText(/#1.*已解决/)
      .first()
      .waitFor({ timeout: T });
    await screenshot(page, 'playground-2-engineer');

    // The nurse is asked in her app chat whether it is solved, answers 1 (已解决) and rates 5.
    await be('李护士');
    await app().getByText('问题解决了吗').waitFor({ timeout: T });
    await sayInApp('1');
    await app().getByText('请为本次服务打分').waitFor({ timeout: T });
    await sayInApp('5');
    await app()
      .getByText(/#1.*已关闭/)
      .first()
      .waitFor({ timeout: T });
    await screenshot(page, 'playground-3-confirmed');

    const t = await Ticket.findOne({ bot: 'demo', no: 1 }).lean();
    expect(t).toMatchObject({ status: 'closed', assignee: { name: engineer }, confirmation: { rating: 5 } });
    expect(await OutboxModel.countDocuments({ status: 'failed' })).toBe(0);
  });

  it('the clock control moves the service clock: +1 h makes the SLA reminders fire into the panes', async () => {
    await page.getByRole('button', { name: '重置演示' }).click();
    await page.getByText('演示已重置').waitFor({ timeout: T });
    expect(await Ticket.countDocuments({})).toBe(0);
    await be('周婷');
    const input = page.getByLabel(/在群里发消息/);
    await input.fill('@维保助手 急诊挂号系统打不开，病人在排队，分机1200');
    await input.press('Enter');
    await group()
      .getByText(/已登记 #1/)
      .waitFor({ timeout: T });
    const before = await svc.demo!.clock.now().getTime();
    await page.getByRole('button', { name: '+1 小时' }).click();
    await page.getByText(/时间快进 60 分钟/).waitFor({ timeout: T });
    expect(svc.demo!.clock.now().getTime() - before).toBeGreaterThanOrEqual(60 * 60_000);
    // Nobody claimed the 一级 ticket within its 30-minute response target: the breach reaches the group.
    await group()
      .getByText(/超时|已超/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'playground-4-clock');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botFeature } from '../../src/bot/feature.js';
import { ManualClock } from '../../src/clock.js';
import { loadBots } from '../../src/config/bots.js';
import type { Service } from '../../src/service.js';
import { createWecomFeature } from '../../src/wecom/feature.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { testDbName } from '../helpers/db.js';
import { startTestService } from '../helpers/service.js';

/**
 * Two services in one process, each with its own clock: every registry (chat commands, ticket-event processors,
 * checklist hooks, ports) belongs to its service, so neither answers with the other's clock or roster.
 * They share mongoose's one connection (one database); the inbox sweep is slowed down so that each message is
 * handled by the service it was posted to (as the immediate hand-off does), not picked up by the other one.
 */
const bots = loadBots('bots', {});
const sim = new WecomSimulator({ bots: bots.values() });
// Wednesday 10:00 (working hours: LIS is 刘洋's) and the same day 22:00 (the night rotation: 张伟).
const day = new ManualClock('2026-11-18T10:00:00+08:00');
const night = new ManualClock('2026-11-18T22:00:00+08:00');
let first: Service;
let second: Service;

beforeAll(async () => {
  const simUrl = await sim.start();
  const dbName = testDbName();
  const start = (clock: ManualClock) =>
    startTestService({
      bots,
      clock,
      dbName,
      envOverrides: { WECOM_API_BASE: simUrl, WECOM_MAX_SKEW_S: '0' },
      features: [(ctx) => createWecomFeature(ctx, { pollMs: 3_600_000 }), botFeature],
    });
  first = await start(day);
  second = await start(night);
});

afterAll(async () => {
  await second?.stop();
  await first?.stop();
  await sim.stop();
});

async function ask(service: Service, text: string): Promise<string> {
  const before = sim.received('response_url').length;
  await sim.sendAibotText({ bot: 'demo', serviceUrl: service.url, from: 'nurse01', chatId: 'wr_ward_group', text });
  await expect.poll(() => sim.received('response_url').length, { timeout: 10_000 }).toBe(before + 1);
  return (sim.received('response_url').at(-1)?.body as { markdown: { content: string } }).markdown.content;
}

describe('two services in one process', () => {
  it('answer 值班 lis each by their own clock', async () => {
    expect(await ask(first, '@维保助手 值班 lis')).toContain('当前值班：刘洋');
    expect(await ask(second, '@维保助手 值班 lis')).toContain('当前值班：张伟');
    // And again in the other order: the first service started does not win.
    expect(await ask(second, '@维保助手 值班 lis')).toContain('当前值班：张伟');
    expect(await ask(first, '@维保助手 值班 lis')).toContain('当前值班：刘洋');
  });

  it('keep their own registries', () => {
    expect(first.ctx.registry).not.toBe(second.ctx.registry);
    expect(first.ctx.registry.commands.get('值班')).toBeDefined();
    expect(first.ctx.registry.port('messenger')).not.toBe(second.ctx.registry.port('messenger'));
  });
});

/** No catch-up for periods before the bot first ran: no digest for earlier days, no inspection that fell due before it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botFeature } from '../../src/bot/feature.js';
import { ManualClock } from '../../src/clock.js';
import { loadBots } from '../../src/config/bots.js';
import { ServiceMeta } from '../../src/db/first-start.js';
import { Inspection } from '../../src/inspections/model.js';
import { inspectionsFeature, runInspectionsTick } from '../../src/inspections/feature.js';
import { reportsFeature, runReportsTick } from '../../src/reports/feature.js';
import type { Service } from '../../src/service.js';
import { ticketsFeature } from '../../src/tickets/feature.js';
import { wecomFeature } from '../../src/wecom/feature.js';
import { OutboxModel } from '../../src/wecom/outbox.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { testDbName } from '../helpers/db.js';
import { startTestService } from '../helpers/service.js';

// Monday 2026-11-30 10:00: after today's 08:30 digest time and long after November's inspection (11-01 09:00).
const clock = new ManualClock('2026-11-30T10:00:00+08:00');
const dbName = testDbName();
let service: Service;
let sim: WecomSimulator;

async function start(): Promise<Service> {
  const bots = loadBots('bots', {});
  return startTestService({
    bots,
    clock,
    dbName,
    features: [wecomFeature, botFeature, ticketsFeature, reportsFeature, inspectionsFeature],
    envOverrides: { WECOM_API_BASE: sim.url, WECOM_MAX_SKEW_S: '0' },
  });
}

beforeAll(async () => {
  sim = new WecomSimulator({ bots: loadBots('bots', {}).values(), clock });
  await sim.start();
  service = await start();
});
afterAll(async () => {
  await service?.stop();
  await sim?.stop();
});

/** Both minute ticks: digests (reports) and inspections. */
async function tick(): Promise<void> {
  await runReportsTick(service.ctx);
  await runInspectionsTick(service.ctx);
}

const digests = () => OutboxModel.countDocuments({ group: /^digest:/ });

describe('first start', () => {
  it('is recorded once per bot, at the first start', async () => {
    const doc = await ServiceMeta.findById('firstStart:demo').lean();
    expect(doc?.at.toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });

  it('sends no digest for the morning before the bot ran and starts no inspection that fell due before it', async () => {
    await tick();
    expect(await digests()).toBe(0);
    expect(await Inspection.countDocuments({})).toBe(0);
    expect(sim.received('message/send')).toHaveLength(0);
  });

  it('a restart later keeps the first start: still no catch-up', async () => {
    await service.stop();
    clock.set('2026-11-30T15:00:00+08:00');
    service = await start();
    await tick();
    expect((await ServiceMeta.findById('firstStart:demo').lean())?.at.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(await digests()).toBe(0);
    expect(await Inspection.countDocuments({})).toBe(0);
  });

  it('the next morning’s digest and the next inspection come as usual', async () => {
    clock.set('2026-12-01T08:30:00+08:00');
    await tick();
    expect(await digests()).toBe(2); // one per lead
    clock.set('2026-12-01T09:00:00+08:00');
    await tick();
    expect(await Inspection.find({}, { period: 1 }).lean()).toEqual([expect.objectContaining({ period: '2026-12' })]);
  });
});

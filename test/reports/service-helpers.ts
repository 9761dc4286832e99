/** A service (WeCom + reports features) on a database that already holds the fixture month, against the simulator. */
import { assertNoReplacementChar, assertRightForReaders } from '../bot/helpers.js';
import { inject } from 'vitest';
import type { ManualClock } from '../../src/clock.js';
import { connect, disconnect } from '../../src/db/connection.js';
import { reportsFeature } from '../../src/reports/feature.js';
import type { FeatureFactory, Service } from '../../src/service.js';
import { ensureTicketIndexes } from '../../src/tickets/model.js';
import { wecomFeature } from '../../src/wecom/feature.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { STEPS } from '../fixtures/reports-month-2026-10.js';
import { testDbName } from '../helpers/db.js';
import { startTestService } from '../helpers/service.js';
import { demoBot, FixtureDriver } from './drive.js';

export interface ReportHarness {
  service: Service;
  sim: WecomSimulator;
  clock: ManualClock;
  stop(): Promise<void>;
}

/**
 * Writes the fixture through the ticket commands first (no service running, so no ticket jobs fire on the
 * real date), then starts the service on that database with the clock at `at`.
 */
export async function startWithFixture(
  at: string,
  until: string,
  features: FeatureFactory[] = [wecomFeature, reportsFeature],
): Promise<ReportHarness> {
  const dbName = testDbName();
  const bot = demoBot();
  await connect(inject('mongoUri'), dbName);
  await ensureTicketIndexes();
  const driver = new FixtureDriver(bot, STEPS);
  await driver.runUntil(until);
  await disconnect();
  driver.clock.set(at);
  const bots = new Map([[bot.id, bot]]);
  const sim = new WecomSimulator({ bots: bots.values(), clock: driver.clock });
  const simUrl = await sim.start();
  const service = await startTestService({ bots, clock: driver.clock, dbName, features, envOverrides: { WECOM_API_BASE: simUrl } });
  return {
    service,
    sim,
    clock: driver.clock,
    async stop() {
      await service.stop();
      await sim.stop();
      assertNoReplacementChar(sim);
      assertRightForReaders(sim, bots.values());
    },
  };
}

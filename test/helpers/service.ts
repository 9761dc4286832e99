import { inject } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { loadEnv } from '../../src/config/env.js';
import { features as productionFeatures } from '../../src/features.js';
import { type Service, type ServiceOptions, startService } from '../../src/service.js';
import { testDbName } from './db.js';

/**
 * Starts the whole service in-process on a random port, on its own database of the shared test server.
 * Defaults to the production feature list, so tests drive what users get.
 */
export async function startTestService(opts: ServiceOptions & { envOverrides?: Record<string, string> } = {}): Promise<Service> {
  const env = loadEnv(
    { PORT: '0', MONGODB_URI: inject('mongoUri'), LOG_LEVEL: 'silent', ADMIN_TOKEN: 'test-admin-token', ...opts.envOverrides },
    '',
  );
  return startService({
    ...opts,
    env,
    bots: opts.bots ?? loadBots(env.BOTS_DIR, {}),
    features: opts.features ?? productionFeatures,
    dbName: opts.dbName ?? testDbName(),
    processEvery: opts.processEvery ?? 200,
  });
}

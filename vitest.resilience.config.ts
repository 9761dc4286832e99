import { defineConfig } from 'vitest/config';

/**
 * `npm run test:resilience`: crash and flood scenarios with real processes (the service, its embedded
 * database, kill -9), kept out of `npm test` because each spawns Java and a service and runs for tens of
 * seconds. .ci/run runs both.
 */
export default defineConfig({
  test: {
    include: ['test/resilience/**/*.test.ts'],
    testTimeout: 400_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
    env: { TZ: 'Asia/Shanghai', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});

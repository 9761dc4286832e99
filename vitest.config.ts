import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // Real-process crash scenarios (tens of seconds each) run with `npm run test:resilience`, also in .ci/run.
    exclude: [...configDefaults.exclude, 'test/resilience/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { TZ: 'Asia/Shanghai', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});

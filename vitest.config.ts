import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    // Runs around every test file (also with isolate: false): fails a file that leaves mongoose connected.
    setupFiles: ['./test/helpers/file-guard.ts'],
    include: ['test/**/*.test.ts'],
    // Real-process crash scenarios (tens of seconds each) run with `npm run test:resilience`, also in .ci/run.
    exclude: [...configDefaults.exclude, 'test/resilience/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Forks, not threads: a token-refresh outbox test failed in worker threads with 4 workers.
    pool: 'forks',
    // Vitest's default is one worker less than the cores: on the 2-core CI machine that was ONE worker, files one
    // after another (177–224 s). Two: much of a file's time is waiting on the embedded database, a child process
    // or a socket, and the other worker uses that core meanwhile.
    maxWorkers: 2,
    // One process per worker for all its files instead of a fresh process per file: every file re-evaluated
    // mongoose, Agenda, exceljs, pdfkit … (import 53–75 s of CPU per run, ~1 s a file). Safe because services keep
    // no module-level state (issue #10) and each file connects to its own database and disconnects at the end
    // (test/helpers/file-guard.ts checks it). 2 workers + no isolation: 224 s → 69 s on the loaded machine.
    isolate: false,
    env: { TZ: 'Asia/Shanghai', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});

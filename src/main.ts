import { ConfigError } from './config/errors.js';
import { loadEnv } from './config/env.js';
import { features } from './features.js';
import { log } from './log.js';
import { startService } from './service.js';

process.env.TZ ||= 'Asia/Shanghai';

async function main(): Promise<void> {
  const env = loadEnv();
  process.env.TZ = env.TZ;
  const service = await startService({ env, features });
  let exiting = false;
  const shutdown = (signal: string) => {
    if (exiting) return;
    exiting = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 20 s, exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    service.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // One line, no stack: the operator needs to know what to fix, not where we were.
  const message = err instanceof ConfigError ? `configuration error: ${err.message}` : `cannot start: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});

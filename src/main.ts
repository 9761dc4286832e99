import { loadBots } from './config/bots.js';
import { ConfigError } from './config/errors.js';
import { loadEnv } from './config/env.js';
import { features } from './features.js';
import { log } from './log.js';
import { startWithPlayground } from './playground/demo.js';
import { describeReceived } from './wecom/simulator/describe.js';
import type { Received } from './wecom/simulator/simulator.js';

process.env.TZ ||= 'Asia/Shanghai';

async function main(): Promise<void> {
  const env = loadEnv();
  process.env.TZ = env.TZ;
  const bots = loadBots(env.BOTS_DIR);
  const service = await startWithPlayground({
    env,
    bots,
    features,
    // The embedded database could not be brought back: exit non-zero so the supervisor restarts everything.
    onDbLost: (err) => {
      log.fatal({ err: err.message }, 'embedded MongoDB lost, exiting');
      process.exit(70);
    },
  });
  if (service.demo) {
    // What "WeCom" received, one readable line each (SIM_LOG=text adds the message text; off by default: privacy).
    const withText = process.env.SIM_LOG === 'text';
    service.demo.sim.on('received', (r: Received) => {
      if (r.kind !== 'gettoken') process.stdout.write(`${describeReceived(r, { withText })}\n`);
    });
    const { port } = service.service.server.address() as { port: number };
    const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
    process.stdout.write(`open http://${host.includes(':') ? `[${host}]` : host}:${port}/playground\n`);
  } else {
    log.info({ reason: service.mode.reason }, 'playground off');
  }
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

import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type Router from '@koa/router';
import { type BotConfig, loadBots } from './config/bots.js';
import { type Env, loadEnv } from './config/env.js';
import { type Clock, systemClock } from './clock.js';
import { connect, disconnect, pingDb } from './db/connection.js';
import { type EmbeddedServer, startEmbedded } from './db/embedded.js';
import { createApp } from './http/app.js';
import { healthRoutes } from './http/routes/health.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import { log } from './log.js';

/** What every feature module gets from the composition root. */
export interface ServiceContext {
  env: Env;
  bots: Map<string, BotConfig>;
  clock: Clock;
  scheduler: Scheduler;
}

/** One part a feature adds to `GET /healthz`, e.g. `{name: 'wecom', value: {demo: 'connected'}, ok: true}`. */
export interface HealthPart {
  name: string;
  value: unknown;
  /** False turns the whole answer into 503 `degraded`. */
  ok: boolean;
}

/** A feature plugged into the service: its routes, and what it starts and stops with the process. */
export interface Feature {
  name: string;
  routers?: Router[];
  /** Runs after the database is connected and before the scheduler starts (define jobs here). */
  init?(): Promise<void> | void;
  /** Runs after the scheduler started and the HTTP server listens. */
  start?(): Promise<void> | void;
  /** Runs first on stop, before the HTTP server waits for open requests: end long-lived responses (SSE streams). */
  drain?(): void;
  stop?(): Promise<void> | void;
  /** Its part of /healthz (null: nothing to report). */
  health?(): Promise<HealthPart | null>;
}

export type FeatureFactory = (ctx: ServiceContext) => Feature;

export interface ServiceOptions {
  env?: Env;
  bots?: Map<string, BotConfig>;
  clock?: Clock;
  features?: FeatureFactory[];
  /** Embedded engine only: keep data in memory instead of the H2 file under DATA_DIR. */
  inMemory?: boolean;
  dbName?: string;
  processEvery?: number | string;
  /**
   * Called when the embedded database died and could not be restarted (10 attempts, about a minute). main.ts
   * exits non-zero so a supervisor (systemd, Docker) restarts the whole service.
   */
  onDbLost?(err: Error): void;
}

export interface Service {
  ctx: ServiceContext;
  url: string;
  server: Server;
  features: Feature[];
  stop(): Promise<void>;
}

export async function startService(opts: ServiceOptions = {}): Promise<Service> {
  const env = opts.env ?? loadEnv();
  const bots = opts.bots ?? loadBots(env.BOTS_DIR);
  let embedded: EmbeddedServer | undefined;
  let uri = env.MONGODB_URI;
  let stopped = false;
  if (!uri) {
    const file = opts.inMemory ? undefined : join(resolve(env.DATA_DIR), 'weibao.mv');
    embedded = await startEmbedded({ file, fsync: env.DB_FSYNC });
    uri = embedded.uri;
    log.info({ uri: embedded.uri, pid: embedded.pid, backend: file ? 'h2' : 'memory', file }, 'embedded MongoDB started');
    const restart = async (port: number) => {
      for (let attempt = 1; !stopped; attempt++) {
        try {
          embedded = await startEmbedded({ file, port, fsync: env.DB_FSYNC });
          if (stopped) return void (await embedded.stop());
          log.info({ port, attempt, pid: embedded.pid }, 'embedded MongoDB restarted');
          supervise(embedded);
          return;
        } catch (e) {
          log.error({ port, attempt, err: (e as Error).message }, 'embedded MongoDB restart failed');
          if (attempt >= 10) return opts.onDbLost?.(e as Error);
          await new Promise((r) => setTimeout(r, Math.min(attempt * 1000, 10_000)));
        }
      }
    };
    // The driver reconnects to the same address by itself, so the child comes back on the port it had.
    const supervise = (server: EmbeddedServer) => {
      void server.exited.then((code) => {
        if (stopped || server.stopping()) return;
        log.error({ code, pid: server.pid }, 'embedded MongoDB died, restarting it');
        void restart(server.port);
      });
    };
    supervise(embedded);
  }
  try {
    await connect(uri, opts.dbName ?? (env.MONGODB_URI ? undefined : 'weibao'));
  } catch (e) {
    stopped = true;
    await embedded?.stop();
    throw e;
  }
  const scheduler = createScheduler({ processEvery: opts.processEvery });
  const ctx: ServiceContext = { env, bots, clock: opts.clock ?? systemClock, scheduler };
  const features = (opts.features ?? []).map((f) => f(ctx));
  for (const f of features) await f.init?.();
  await scheduler.start();

  const app = createApp([
    healthRoutes({
      db: () => pingDb(),
      scheduler: () => scheduler.isUp(),
      parts: async () => (await Promise.all(features.map((f) => f.health?.() ?? null))).filter((p) => p !== null),
    }),
    ...features.flatMap((f) => f.routers ?? []),
  ]);
  const server = await new Promise<Server>((res, rej) => {
    const s = app.listen(env.PORT, env.HOST, () => res(s));
    s.once('error', rej);
  });
  const addr = server.address();
  const url = typeof addr === 'object' && addr ? `http://${env.HOST}:${addr.port}` : `http://${env.HOST}:${env.PORT}`;
  for (const f of features) await f.start?.();
  log.info({ url, bots: [...bots.keys()] }, 'service started');

  let stopping: Promise<void> | undefined;
  const stopOnce = async () => {
    // Order matters: stop taking requests, let jobs and workers finish, then close the database.
    for (const f of features) f.drain?.();
    await new Promise<void>((res) => {
      server.close(() => res());
      server.closeIdleConnections();
    });
    for (const f of [...features].reverse()) await f.stop?.();
    await scheduler.stop();
    stopped = true;
    await disconnect();
    await embedded?.stop();
    log.info('service stopped');
  };
  const stop = () => {
    stopping ??= stopOnce();
    return stopping;
  };
  return { ctx, url, server, features, stop };
}

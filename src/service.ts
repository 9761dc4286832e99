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
import type { ChecklistHook } from './bot/checklist.js';
import { type CommandTable, CommandRegistry } from './bot/commands/index.js';
import type { Conversations } from './bot/feature.js';
import { log } from './log.js';
import type { Directory } from './people/directory.js';
import type { TicketJobSync } from './sla/jobs.js';
import { type TicketEventProcessor, TicketEventBus } from './tickets/events.js';
import type { TicketContext } from './tickets/types.js';
import type { InboundMessage, Messenger } from './wecom/types.js';

/** What a feature offers the others at run time, looked up through the service (never through module state). */
export interface ServicePorts {
  /** The WeCom channel's durable sender (wecom feature). */
  messenger: Messenger;
  /** The conversation engine's checklists and flows (bot feature; inspections start checklists). */
  conversations: Conversations;
  /** People's names and departments from the WeCom directory (wecom feature). */
  directory: Directory;
  /** Keeps a ticket's SLA escalation jobs in step with it, one sync of a ticket at a time (sla feature). */
  slaJobs: TicketJobSync;
}

/** Who consumes what a channel receives (the bot feature's conversation engine). */
export interface InboundHandler {
  /** Every text/image message and non-card event; runs after the channel stored and acknowledged it. */
  onMessage(msg: InboundMessage): Promise<void>;
  /** A template-card click; the returned card replaces the clicked one (answered within 5 s). */
  onCardEvent?(msg: InboundMessage): Promise<object | null>;
  /**
   * A sender repeated a text they sent `minutesAgo` minutes before (message `earlierId`): the answer to give
   * instead of handling it again ("您 2 分钟前已报过同样的问题，已记录在 #12"), or null to handle it normally
   * (the first one opened nothing, e.g. it answered a question).
   */
  repeatNotice?(earlierId: string, minutesAgo: number, msg: InboundMessage): Promise<string | null>;
}

/**
 * One service's registries, filled by startService from what each feature declares. Nothing of this lives in
 * module state, so several services in one process (tests, a demo beside production) never see each other's.
 */
export class ServiceRegistry {
  readonly commands = new CommandRegistry();
  readonly ticketEvents = new TicketEventBus();
  readonly checklistHooks: ChecklistHook[] = [];
  private inboundHandler: { feature: string; handler: InboundHandler } | null = null;
  private readonly ports: { [K in keyof ServicePorts]?: { feature: string; value: ServicePorts[K] } } = {};

  /** Wires one feature's declarations in. Throws when two features claim the same verb, port or inbound handler. */
  add(f: Feature): void {
    if (f.commands) this.commands.add(f.name, f.commands);
    for (const p of f.ticketProcessors ?? []) this.ticketEvents.add(p);
    this.checklistHooks.push(...(f.checklistHooks ?? []));
    if (f.inbound) {
      if (this.inboundHandler) throw new Error(`inbound messages are handled by both ${this.inboundHandler.feature} and ${f.name}`);
      this.inboundHandler = { feature: f.name, handler: f.inbound };
    }
    for (const key of Object.keys(f.provides ?? {}) as Array<keyof ServicePorts>) {
      const taken = this.ports[key];
      if (taken) throw new Error(`${key} is provided by both ${taken.feature} and ${f.name}`);
      this.ports[key] = { feature: f.name, value: f.provides?.[key] } as never;
    }
  }

  /** The consumer of inbound messages, or null when no feature handles them. */
  get inbound(): InboundHandler | null {
    return this.inboundHandler?.handler ?? null;
  }

  /** A port another feature provides, or undefined when none does (for callers with a fallback). */
  find<K extends keyof ServicePorts>(key: K): ServicePorts[K] | undefined {
    return this.ports[key]?.value as ServicePorts[K] | undefined;
  }

  /** A port another feature provides; throws naming the port when no feature of this service provides it. */
  port<K extends keyof ServicePorts>(key: K): ServicePorts[K] {
    const p = this.ports[key];
    if (!p) throw new Error(`no feature of this service provides ${key}`);
    return p.value as ServicePorts[K];
  }
}

/** What every feature module gets from the composition root. */
export interface ServiceContext {
  env: Env;
  bots: Map<string, BotConfig>;
  clock: Clock;
  scheduler: Scheduler;
  /** This service's commands, ticket-event processors, checklist hooks, inbound handler and ports. */
  registry: ServiceRegistry;
}

/** One part a feature adds to `GET /healthz`, e.g. `{name: 'wecom', value: {demo: 'connected'}, ok: true}`. */
export interface HealthPart {
  name: string;
  value: unknown;
  /** False turns the whole answer into 503 `degraded`. */
  ok: boolean;
}

/** The context ticket commands run in for one bot of this service: its clock and its event processors. */
export function ticketContextOf(ctx: ServiceContext, bot: BotConfig): TicketContext {
  return { bot, clock: ctx.clock, events: ctx.registry.ticketEvents };
}

/** A recurring Agenda job a feature runs. */
export interface JobSpec {
  name: string;
  run(): Promise<void>;
  /** Repeat interval in Agenda's words ("1 minute"); Agenda keeps one schedule per name across instances. */
  every: string;
  /** Skip the first run at start (the default runs it at once). */
  skipImmediate?: boolean;
}

/**
 * A feature plugged into the service. Besides routes and its start/stop, it declares what it contributes and
 * startService wires that into this service's registries: chat commands, ticket-event processors (with the event
 * types each handles), checklist hooks, recurring jobs, the inbound message handler and ports for other features.
 */
export interface Feature {
  name: string;
  routers?: Router[];
  commands?: CommandTable;
  ticketProcessors?: TicketEventProcessor[];
  checklistHooks?: ChecklistHook[];
  jobs?: JobSpec[];
  inbound?: InboundHandler;
  provides?: Partial<ServicePorts>;
  /** Runs after the database is connected and before the scheduler starts (define other jobs here). */
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
  const scheduler = createScheduler({ processEvery: opts.processEvery, clock: opts.clock });
  const ctx: ServiceContext = { env, bots, clock: opts.clock ?? systemClock, scheduler, registry: new ServiceRegistry() };
  let features: Feature[];
  try {
    features = (opts.features ?? []).map((f) => f(ctx));
    for (const f of features) ctx.registry.add(f);
  } catch (e) {
    stopped = true;
    await disconnect();
    await embedded?.stop();
    throw e;
  }
  for (const f of features) {
    for (const job of f.jobs ?? []) scheduler.agenda.define(job.name, () => job.run());
    await f.init?.();
  }
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
  for (const f of features) {
    await f.start?.();
    for (const job of f.jobs ?? []) await scheduler.agenda.every(job.every, job.name, {}, { skipImmediate: job.skipImmediate });
  }
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

import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type WsFrame, WSClient } from '@wecom/aibot-node-sdk';
import pRetry, { AbortError } from 'p-retry';
import type { BotConfig } from '../../config/bots.js';
import { log } from '../../log.js';
import { WecomApiError } from '../client.js';
import { ConnectionLease, type LinkState } from './lease.js';

/** What leaves through the socket: one outbox item of kind `aibot_ws`. */
export interface SocketPayload {
  /** aibot_respond_msg | aibot_respond_welcome_msg | aibot_respond_update_msg | aibot_send_msg */
  cmd: string;
  /** The callback's req_id (respond/welcome/update); absent for aibot_send_msg, which gets a fresh one. */
  reqId?: string;
  /** The chat the frame lands in (outbox order only; not sent). */
  to?: string;
  body: Record<string, unknown>;
}

/** Timings of a long connection; every one can be shortened by tests (defaults are production values). */
export interface LinkTuning {
  /** Lease lifetime (ms); a standby instance takes over at most this long (plus one poll) after the holder died. */
  leaseMs: number;
  /** Heartbeat (`ping`) interval (ms); two unanswered pings count as a dead connection. WeCom: 30 s. */
  heartbeatMs: number;
  /** Reconnect backoff: first delay and cap (ms), doubled per attempt and multiplied by a random 1–2 (jitter). */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** After a foreign client kicked us while we still hold the lease: wait this long before dialling again (ms). */
  kickedHoldMs: number;
}

export const LINK_DEFAULTS: LinkTuning = {
  leaseMs: 8000,
  heartbeatMs: 30_000,
  reconnectMinMs: 1000,
  reconnectMaxMs: 30_000,
  kickedHoldMs: 5 * 60_000,
};

export interface LinkDeps {
  /** A callback frame (aibot_msg_callback / aibot_event_callback other than the kick) to store in the inbox. */
  onFrame(bot: BotConfig, frame: WsFrame): Promise<void>;
  /** The connection is up: whatever waited in the outbox for it can go now. */
  onUp(bot: string): void;
}

/** Identifies this process among the service instances sharing one database (lease holder). */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** The SDK logs frame bodies (message text) at debug: keep only its own sentences, never its arguments. */
function sdkLogger(bot: string) {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => log.debug({ bot, sdk: String(m).slice(0, 160) }, 'aibot sdk'),
    error: (m: string) => log.debug({ bot, sdk: String(m).slice(0, 160) }, 'aibot sdk'),
  };
}

/**
 * One bot's long connection from one service instance, built on the official `@wecom/aibot-node-sdk` client
 * (subscribe with bot id + secret, heartbeat, callbacks, respond/update/welcome/send frames with req_id). The SDK's
 * own reconnect is switched off: this link reconnects only while it holds the bot's lease, with capped exponential
 * backoff and jitter (p-retry), and never after WeCom's `disconnected_event` kick unless the lease says the kicker
 * is not one of ours — and then only after `kickedHoldMs`, so two clients never push each other off in a loop.
 */
export class AibotLink {
  private readonly lease: ConnectionLease;
  private readonly tuning: LinkTuning;
  private client: WSClient | undefined;
  private holding = false;
  private stopped = true;
  private looping = false;
  private kicked = false;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private localUntil = 0;
  private state: LinkState = 'down';
  /** Connections lost since start (logged with every reconnection). */
  drops = 0;

  constructor(
    readonly bot: BotConfig,
    private readonly deps: LinkDeps,
    tuning: Partial<LinkTuning> = {},
    instance = INSTANCE_ID,
  ) {
    this.tuning = { ...LINK_DEFAULTS, ...tuning };
    this.lease = new ConnectionLease(bot.id, instance, this.tuning.leaseMs);
  }

  /** True while this instance holds the lease and the socket is subscribed. */
  get connected(): boolean {
    return this.state === 'connected' && !!this.client?.isConnected;
  }

  get holds(): boolean {
    return this.holding;
  }

  start(): void {
    this.stopped = false;
    const every = Math.max(50, Math.floor(this.tuning.leaseMs / 4));
    const tick = () => {
      if (this.stopped) return;
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
      });
      this.timer = setTimeout(tick, every);
      this.timer.unref();
    };
    tick();
  }

  /** Graceful stop: close the socket and hand the lease back so a standby instance takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.holdTimer);
    this.abort?.abort(new AbortError('stopped'));
    await this.ticking;
    this.closeClient();
    if (this.holding) {
      this.holding = false;
      await this.lease
        .release()
        .catch((e: unknown) => log.warn({ bot: this.bot.id, err: (e as Error).message }, 'wecom lease release failed'));
    }
    this.state = 'down';
  }

  /** Renews or acquires the lease; a lost lease closes the socket (fencing: at most one holder dials WeCom). */
  private async tick(): Promise<void> {
    try {
      if (this.holding) {
        if (await this.lease.renew()) {
          this.localUntil = Date.now() + this.tuning.leaseMs;
          return;
        }
        this.letGo('lease taken by another instance');
        return;
      }
      if (await this.lease.acquire()) {
        this.holding = true;
        this.kicked = false;
        this.localUntil = Date.now() + this.tuning.leaseMs;
        log.info({ bot: this.bot.id }, 'wecom long connection lease acquired');
        void this.connectLoop();
      }
    } catch (e) {
      // Database unreachable: keep the socket only as long as our last renewal lasts.
      log.warn({ bot: this.bot.id, err: (e as Error).message }, 'wecom lease check failed');
      if (this.holding && Date.now() > this.localUntil) this.letGo('lease expired without renewal');
    }
  }

  private letGo(reason: string): void {
    if (!this.holding) return;
    this.holding = false;
    this.abort?.abort(new AbortError(reason));
    clearTimeout(this.holdTimer);
    this.closeClient();
    this.state = 'down';
    log.warn({ bot: this.bot.id, reason }, 'wecom long connection handed over');
  }

  private setState(state: LinkState): void {
    if (this.state === state) return;
    this.state = state;
    if (this.holding) void this.lease.report(state).catch(() => undefined);
  }

  /** Dials until subscribed (or the lease is gone), with capped exponential backoff and full-range jitter. */
  private async connectLoop(): Promise<void> {
    if (this.looping || this.stopped || !this.holding) return;
    this.looping = true;
    this.abort = new AbortController();
    this.setState('connecting');
    try {
      await pRetry((attempt) => this.connectOnce(attempt), {
        retries: Number.POSITIVE_INFINITY,
        factor: 2,
        minTimeout: this.tuning.reconnectMinMs,
        maxTimeout: this.tuning.reconnectMaxMs,
        randomize: true,
        signal: this.abort.signal,
        unref: true,
        shouldRetry: () => this.holding && !this.stopped,
        onFailedAttempt: ({ error, attemptNumber }) => {
          log.warn(
            { bot: this.bot.id, attempt: attemptNumber, drops: this.drops, reason: error.message },
            'wecom long connection attempt failed',
          );
        },
      });
    } catch {
      // Aborted (stop, lease lost) or told not to retry: the reason was logged where it happened.
    } finally {
      this.looping = false;
    }
  }

  private connectOnce(attempt: number): Promise<void> {
    if (!this.holding || this.stopped) return Promise.reject(new AbortError('not the lease holder'));
    return new Promise<void>((resolve, reject) => {
      const a = this.bot.wecom.aibot;
      const client = new WSClient({
        botId: a.botId ?? '',
        secret: a.secret ?? '',
        wsUrl: a.wsUrl,
        heartbeatInterval: this.tuning.heartbeatMs,
        // Reconnection is ours (lease-aware, with jitter); the SDK must not dial on its own.
        maxReconnectAttempts: 0,
        maxAuthFailureAttempts: 0,
        logger: sdkLogger(this.bot.id),
      });
      let subscribed = false;
      const fail = (why: string) => {
        if (subscribed) return;
        subscribed = true; // settle once
        client.removeAllListeners();
        client.disconnect();
        reject(new Error(why));
      };
      client.on('authenticated', () => {
        if (subscribed) return;
        subscribed = true;
        if (!this.holding || this.stopped) {
          client.removeAllListeners();
          client.disconnect();
          reject(new AbortError('lease lost while subscribing'));
          return;
        }
        this.client = client;
        this.setState('connected');
        log.info({ bot: this.bot.id, attempt, drops: this.drops }, 'wecom long connection subscribed');
        this.deps.onUp(this.bot.id);
        resolve();
      });
      client.on('error', (e: Error) => fail(e.message.slice(0, 120)));
      client.on('disconnected', () => {
        if (!subscribed) return fail('closed before subscribing');
        if (this.client === client) this.onDropped(client);
      });
      client.on('message', (frame: WsFrame) => this.admit(frame));
      client.on('event', (frame: WsFrame) => {
        const type = (frame.body as { event?: { eventtype?: string } } | undefined)?.event?.eventtype;
        if (type === 'disconnected_event') {
          this.kicked = true;
          return;
        }
        this.admit(frame);
      });
      client.connect();
    });
  }

  private admit(frame: WsFrame): void {
    this.deps.onFrame(this.bot, frame).catch((e: unknown) => {
      log.error({ bot: this.bot.id, reqId: frame.headers?.req_id, err: (e as Error).message }, 'wecom frame not stored');
    });
  }

  private onDropped(client: WSClient): void {
    client.removeAllListeners();
    client.disconnect();
    this.client = undefined;
    this.drops++;
    if (this.stopped || !this.holding) return;
    if (this.kicked) {
      // Another client subscribed with our bot id. If it is one of our instances, the next lease check hands
      // over; if the lease is still ours, a foreign client took the bot: report down and do not fight it.
      this.setState('down');
      log.error(
        { bot: this.bot.id, drops: this.drops, holdMs: this.tuning.kickedHoldMs },
        'wecom long connection kicked by a new connection',
      );
      this.holdTimer = setTimeout(() => {
        this.kicked = false;
        void this.connectLoop();
      }, this.tuning.kickedHoldMs);
      this.holdTimer.unref();
      return;
    }
    log.warn({ bot: this.bot.id, drops: this.drops }, 'wecom long connection lost, reconnecting');
    void this.connectLoop();
  }

  private closeClient(): void {
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    c.removeAllListeners();
    c.disconnect();
  }

  /**
   * Sends one frame and resolves with WeCom's acknowledgement (the SDK waits 5 s for it). Throws WecomApiError:
   * errcode undefined (retryable) when not connected or no acknowledgement came, WeCom's errcode otherwise (846605 invalid
   * req_id, 846608 stream expired: not retryable, the outbox falls back to a proactive send).
   */
  async send(p: SocketPayload): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) throw new WecomApiError(undefined, 'long connection not up on this instance');
    try {
      if (p.cmd === 'aibot_send_msg') {
        const { chatid, ...body } = p.body as { chatid: string } & Record<string, unknown>;
        await client.sendMessage(chatid, body as never);
      } else {
        await client.reply({ headers: { req_id: p.reqId ?? '' } }, p.body, p.cmd);
      }
    } catch (e) {
      const ack = e as { errcode?: number; errmsg?: string; message?: string };
      if (typeof ack.errcode === 'number') throw new WecomApiError(ack.errcode, `errcode ${ack.errcode}: ${ack.errmsg ?? ''}`.trim());
      throw new WecomApiError(undefined, (ack.message ?? 'send failed').slice(0, 200));
    }
  }
}

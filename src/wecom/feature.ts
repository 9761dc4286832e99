import { HELP_TEXT } from '../bot/presenters/chat.js';
import { log } from '../log.js';
import { Directory, DirectoryEntry, offlineDirectory } from '../people/directory.js';
import type { Feature, FeatureFactory, InboundHandler, ServiceContext } from '../service.js';
import { WecomClient } from './client.js';
import { checkFlood, DEFAULT_FLOOD, FLOOD_NOTICE, type FloodPolicy, markFlood } from './flood.js';
import { Inbox, InboxModel } from './inbox.js';
import { type LongConnectionTuning, LongConnections } from './longconn/index.js';
import { admitFrame } from './longconn/receive.js';
import { OutboxMessenger } from './messenger.js';
import { Outbox, OutboxModel } from './outbox.js';
import { RateLimiter, RateModel } from './rate-limit.js';
import { definePruneJob, PRUNE_JOB } from './retention.js';
import { wecomRoutes } from './routes.js';
import type { InboundMessage, Messenger } from './types.js';

export interface WecomTuning {
  pollMs?: number;
  httpTimeoutMs?: number;
  cardTimeoutMs?: number;
  busyDelayMs?: number;
  maxAttempts?: number;
  /** Per-sender flood control (src/wecom/flood.ts). */
  flood?: FloodPolicy;
  /** Inbox: messages handled at once. */
  concurrency?: number;
  /** Long-connection timings (lease, heartbeat, backoff, health threshold); the lease defaults to WECOM_LEASE_MS. */
  longConnection?: LongConnectionTuning;
}

export interface WecomFeature extends Feature {
  messenger: Messenger;
  outbox: Outbox;
  inbox: Inbox;
  client: WecomClient;
  directory: Directory;
  /** The smart bot's long-connection receiver (no links when every bot is in callback mode). */
  longConnections: LongConnections;
}

/**
 * The name resolver of the running service (WeCom directory through the WeCom feature's client and rate
 * limiter); without the WeCom feature, one that knows the bot file and the cache only.
 */
export function directoryFor(ctx: ServiceContext): Directory {
  return ctx.registry.find('directory') ?? offlineDirectory(ctx.clock);
}

/**
 * The WeCom channel: verified callbacks in (inbox), durable messages out (outbox). Inbound messages go to the
 * feature that declares `inbound` (the bot feature); without one every message gets a short help text. Provides
 * the `messenger` port other features send with.
 */
export function createWecomFeature(ctx: ServiceContext, tuning: WecomTuning = {}): WecomFeature {
  const client = new WecomClient(ctx.env.WECOM_API_BASE.replace(/\/+$/, ''), ctx.clock, tuning.httpTimeoutMs);
  // The long connection is a second receiver beside the callback routes: same inbox in, same outbox out.
  const longConnections = new LongConnections(
    ctx.bots.values(),
    {
      onFrame: (bot, frame) => admitFrame(bot, frame, inbox, ctx.clock),
      onUp: () => outbox.kick(),
    },
    { leaseMs: ctx.env.WECOM_LEASE_MS, ...tuning.longConnection },
  );
  const outbox = new Outbox(ctx.bots, ctx.clock, client, new RateLimiter(ctx.clock), {
    pollMs: tuning.pollMs,
    busyDelayMs: tuning.busyDelayMs,
    maxAttempts: tuning.maxAttempts,
    socket: { connectedBots: () => longConnections.connectedBots(), send: (bot, p) => longConnections.send(bot, p as never) },
    yieldTo: () => inbox.acknowledging(),
  });
  const messenger = new OutboxMessenger(ctx.bots, outbox, ctx.clock);
  const directory = new Directory({ clock: ctx.clock, client, limiter: new RateLimiter(ctx.clock) });

  const helpOnly: InboundHandler = {
    async onMessage(msg) {
      if (msg.type === 'event') return;
      await messenger.reply(msg, { type: 'text', text: HELP_TEXT }, { idempotencyKey: `help:${msg.id}` });
      log.debug({ inboxId: msg.id }, 'help sent');
    },
  };
  const handler = (): InboundHandler => ctx.registry.inbound ?? helpOnly;

  // App card clicks are answered through message/update_template_card (durable); the smart bot's passively.
  const onCardEvent = async (msg: InboundMessage): Promise<object | null> => {
    const h = handler();
    if (!h.onCardEvent) {
      await h.onMessage(msg);
      return null;
    }
    const card = await h.onCardEvent(msg);
    if (card && msg.channel === 'app' && msg.event?.responseCode) {
      await messenger.updateCard(msg.bot, msg.event.responseCode, card, { idempotencyKey: `card:${msg.id}` });
      return null;
    }
    if (card && msg.channel === 'aibot' && msg.reqId) {
      await messenger.updateAibotCard(msg, card, { idempotencyKey: `card:${msg.id}` });
      return null;
    }
    return card;
  };
  const dispatch = async (msg: InboundMessage): Promise<void> => {
    if (msg.type === 'event' && msg.event?.name === 'template_card_event') {
      await onCardEvent(msg);
      return;
    }
    const flood = await checkFlood(msg, tuning.flood ?? DEFAULT_FLOOD, ctx.clock);
    if (flood.kind === 'repeat') {
      const repeatNotice = handler().repeatNotice;
      const text = repeatNotice ? await repeatNotice(flood.earlier.id, flood.minutesAgo, msg) : null;
      if (text) {
        await markFlood(msg.id, 'repeat');
        await messenger.reply(msg, { type: 'text', text }, { idempotencyKey: `reply:${msg.id}` });
        log.info({ bot: msg.bot, inboxId: msg.id, earlier: flood.earlier.id }, 'repeated message answered, not handled again');
        return;
      }
    } else if (flood.kind === 'throttled') {
      await markFlood(msg.id, 'throttled');
      // One notice per sender and minute, however many messages the minute holds.
      const key = `flood:${msg.bot}:${msg.from.userid}:${flood.bucket}`;
      await messenger.reply(msg, { type: 'text', text: FLOOD_NOTICE }, { idempotencyKey: key });
      log.warn({ bot: msg.bot, inboxId: msg.id }, 'sender over the per-minute limit, message not handled');
      return;
    }
    await handler().onMessage(msg);
  };
  const inbox = new Inbox(ctx.clock, dispatch, { pollMs: tuning.pollMs, concurrency: tuning.concurrency });

  return {
    name: 'wecom',
    messenger,
    outbox,
    inbox,
    client,
    directory,
    longConnections,
    provides: { messenger, directory },
    routers: [
      wecomRoutes({
        bots: ctx.bots,
        clock: ctx.clock,
        maxSkewS: ctx.env.WECOM_MAX_SKEW_S,
        inbox,
        onCardEvent,
        cardTimeoutMs: tuning.cardTimeoutMs,
      }),
    ],
    async init() {
      await Promise.all([
        InboxModel.createIndexes(),
        OutboxModel.createIndexes(),
        RateModel.createIndexes(),
        DirectoryEntry.createIndexes(),
        longConnections.init(),
      ]);
      definePruneJob(ctx.scheduler.agenda, ctx.clock);
    },
    async start() {
      inbox.start();
      outbox.start();
      longConnections.start();
      await ctx.scheduler.agenda.every('1 hour', PRUNE_JOB);
    },
    async stop() {
      // The socket first: no new frames, and the lease goes to a standby instance at once.
      await longConnections.stop();
      await inbox.stop();
      await outbox.stop();
    },
    async health() {
      if (!longConnections.bots().length) return null;
      const states = await longConnections.states();
      return { name: 'wecom', value: states, ok: Object.values(states).every((s) => s !== 'down') };
    },
  };
}

/** The WeCom channel with default tuning. */
export const wecomFeature: FeatureFactory = (ctx) => createWecomFeature(ctx);

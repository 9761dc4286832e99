import type { WsFrame } from '@wecom/aibot-node-sdk';
import type { BotConfig } from '../../config/bots.js';
import { WecomApiError } from '../client.js';
import { LeaseModel, type LinkState, linkStates } from './lease.js';
import { AibotLink, type LinkDeps, type LinkTuning, type SocketPayload } from './link.js';

export type { LinkState } from './lease.js';
export type { LinkTuning, SocketPayload } from './link.js';

export interface LongConnectionTuning extends Partial<LinkTuning> {
  /** /healthz reports a long connection `down` (and the service degraded) after this long without it (ms). */
  downAfterMs?: number;
  /** Instance id for the lease (tests run two "instances" in one process). */
  instance?: string;
}

/**
 * The smart bot's long-connection receiver: one AibotLink per bot whose `wecom.aibot.mode` is `longConnection`,
 * beside the HTTP callback routes and feeding the same inbox (Bolt's SocketModeReceiver beside its
 * HTTPReceiver). The outbox sends `aibot_ws` items through `send` and claims them only for bots connected here.
 */
export class LongConnections {
  private readonly links = new Map<string, AibotLink>();
  private readonly startedAt = Date.now();
  private readonly downAfterMs: number;

  constructor(bots: Iterable<BotConfig>, deps: LinkDeps, tuning: LongConnectionTuning = {}) {
    const { downAfterMs, instance, ...link } = tuning;
    this.downAfterMs = downAfterMs ?? 60_000;
    for (const bot of bots) {
      if (bot.wecom.aibot.mode === 'longConnection') this.links.set(bot.id, new AibotLink(bot, deps, link, instance));
    }
  }

  /** Bots in long-connection mode (empty: nothing to start, /healthz shows no `wecom` field). */
  bots(): string[] {
    return [...this.links.keys()];
  }

  /** Bots whose socket is subscribed in this instance right now. */
  connectedBots(): string[] {
    return [...this.links.values()].filter((l) => l.connected).map((l) => l.bot.id);
  }

  link(bot: string): AibotLink | undefined {
    return this.links.get(bot);
  }

  async init(): Promise<void> {
    if (this.links.size) await LeaseModel.createIndexes();
  }

  start(): void {
    for (const l of this.links.values()) l.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.stop()));
  }

  /** Sends an outbox item's frame; not connected here → a retryable error (another instance may hold it). */
  send(bot: string, p: SocketPayload): Promise<void> {
    const l = this.links.get(bot);
    if (!l) return Promise.reject(new WecomApiError(0, `bot ${bot} is not in long-connection mode`));
    return l.send(p);
  }

  /** Each long-connection bot's state as the whole deployment sees it (read from the leases). */
  states(): Promise<Record<string, LinkState>> {
    return linkStates(this.bots(), this.downAfterMs, this.startedAt);
  }
}

export type { WsFrame };

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { BotConfig } from '../../config/bots.js';
import type { Clock } from '../../clock.js';

/** Frames the service sends over the long connection, recorded like the HTTP calls (kind = the frame's cmd). */
export type SocketKind = 'aibot_respond_msg' | 'aibot_respond_welcome_msg' | 'aibot_respond_update_msg' | 'aibot_send_msg';
export const SOCKET_KINDS: readonly SocketKind[] = [
  'aibot_respond_msg',
  'aibot_respond_welcome_msg',
  'aibot_respond_update_msg',
  'aibot_send_msg',
];

/** What the long-connection side needs from the simulator it is part of. */
export interface SocketHost {
  bots: Map<string, BotConfig>;
  clock: Clock;
  /** Records a frame the service sent, as a Received entry (kind, body, errcode, bot). */
  record(r: {
    kind: SocketKind;
    query: Record<string, string>;
    body: Record<string, unknown> | null;
    errcode: number;
    bot?: string;
    /** The conversation an answer lands in (group chat, or the user's 1:1 with the bot). */
    replyTo?: { chatId?: string; userid: string };
  }): void;
  /** A failure injected with failNext(kind) for this kind, if one is pending. */
  takeFault(kind: SocketKind): { errcode?: number; errmsg?: string; hangMs?: number; held?: Promise<void> } | undefined;
}

interface Frame {
  cmd?: string;
  headers?: { req_id?: string };
  body?: Record<string, unknown>;
  errcode?: number;
  errmsg?: string;
}

/** A req_id WeCom handed out with a callback: what it may be answered with. */
interface IssuedReq {
  bot: string;
  replyTo: { chatId?: string; userid: string };
  /** `message` callbacks take aibot_respond_msg; enter_chat takes the welcome; card clicks take the update. */
  kind: 'message' | 'enter_chat' | 'template_card_event' | 'event';
}

/** Errcodes the real endpoint answers (as observed by users of the official SDK). */
export const WS_ERR = {
  /** req_id unknown, expired or not answerable with this cmd. */
  invalidReqId: 846605,
  /** bot_id / secret wrong on aibot_subscribe. */
  badCredentials: 40001,
} as const;

/**
 * WeCom's side of the smart bot's long connection, for tests and the playground: accepts WebSocket upgrades on
 * the simulator's HTTP server, authenticates `aibot_subscribe` against the bots' `botId`/`secret`, answers
 * `ping`, pushes message and event callbacks with fresh req_ids, acknowledges respond/welcome/update/send frames
 * (846605 for a req_id it did not issue or that cannot take that cmd), and keeps one active connection per bot:
 * a new subscription gets the old socket a `disconnected_event` and closes it, as WeCom does.
 */
export class AibotSocketSide extends EventEmitter {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly active = new Map<string, WebSocket>();
  private readonly issued = new Map<string, IssuedReq>();
  private readonly subscribeCount = new Map<string, number>();
  private readonly mutedPings = new Set<string>();
  private readonly groupChats = new Set<string>();
  private seq = 0;

  constructor(private readonly host: SocketHost) {
    super();
  }

  /** Takes over WebSocket upgrades on the simulator's HTTP server (any path, like WeCom's bare endpoint). */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.active.clear();
    this.wss.close();
  }

  // ---- what tests look at ----

  /** Bots with an authenticated connection right now. */
  connectedBots(): string[] {
    return [...this.active.keys()];
  }

  /** Open sockets (authenticated or not): a test asserts that two service instances hold exactly one. */
  openSockets(): number {
    return [...this.wss.clients].filter((c) => c.readyState === c.OPEN).length;
  }

  /** How many times the bot subscribed successfully since the simulator started. */
  subscriptions(bot: string): number {
    return this.subscribeCount.get(bot) ?? 0;
  }

  /** Resolves once the bot has an authenticated connection (event-driven); rejects after `timeoutMs`. */
  waitForConnection(bot: string, timeoutMs = 5000): Promise<void> {
    if (this.active.has(bot)) return Promise.resolve();
    return this.waitForSubscriptions(bot, this.subscriptions(bot) + 1, timeoutMs);
  }

  /** Resolves once the bot has subscribed `count` times in all (e.g. a standby instance took over). */
  waitForSubscriptions(bot: string, count: number, timeoutMs = 5000): Promise<void> {
    if (this.subscriptions(bot) >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const on = (b: string) => {
        if (b !== bot || this.subscriptions(bot) < count) return;
        clearTimeout(timer);
        this.off('subscribed', on);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('subscribed', on);
        reject(new Error(`${bot} did not subscribe ${count} times within ${timeoutMs} ms (${this.subscriptions(bot)})`));
      }, timeoutMs);
      this.on('subscribed', on);
    });
  }

  // ---- failure injection ----

  /** Cuts the bot's connection without a close handshake, like a network drop. */
  drop(bot: string): boolean {
    const ws = this.active.get(bot);
    if (!ws) return false;
    this.active.delete(bot);
    ws.terminate();
    return true;
  }

  /** Stops answering the bot's pings (a half-open connection the client must detect by its heartbeat). */
  mutePings(bot: string, muted = true): void {
    if (muted) this.mutedPings.add(bot);
    else this.mutedPings.delete(bot);
  }

  // ---- callbacks to the service ----

  /**
   * Pushes a smart-bot callback body (the same JSON the callback URL would get, decrypted) as a frame to the
   * bot's active connection. Returns the frame's req_id. Throws when the bot has no connection: WeCom cannot
   * deliver to a bot that is offline.
   */
  push(bot: string, body: Record<string, unknown>, reqId?: string): string {
    const ws = this.active.get(bot);
    if (!ws || ws.readyState !== ws.OPEN) throw new Error(`simulator: bot ${bot} has no long connection`);
    const isEvent = body.msgtype === 'event';
    const eventType = String((body.event as { eventtype?: unknown } | undefined)?.eventtype ?? '');
    const cmd = isEvent ? 'aibot_event_callback' : 'aibot_msg_callback';
    const id = reqId ?? `${cmd}_${Date.now()}_${(++this.seq).toString(36)}${randomBytes(3).toString('hex')}`;
    const kind: IssuedReq['kind'] = !isEvent
      ? 'message'
      : eventType === 'enter_chat' || eventType === 'template_card_event'
        ? eventType
        : 'event';
    const chatId = typeof body.chatid === 'string' ? body.chatid : undefined;
    if (chatId) this.groupChats.add(chatId);
    const userid = String((body.from as { userid?: unknown } | undefined)?.userid ?? '');
    this.issued.set(id, { bot, kind, replyTo: chatId ? { chatId, userid } : { userid } });
    ws.send(JSON.stringify({ cmd, headers: { req_id: id }, body }));
    return id;
  }

  /** Resolves with the first `aibot_respond_update_msg` body for `reqId`, or null after `timeoutMs` (WeCom's 5 s). */
  waitForUpdate(reqId: string, timeoutMs = 5000): Promise<Record<string, unknown> | null> {
    return new Promise((resolve) => {
      const on = (id: string, body: Record<string, unknown>) => {
        if (id !== reqId) return;
        clearTimeout(timer);
        this.off('update', on);
        resolve(body);
      };
      const timer = setTimeout(() => {
        this.off('update', on);
        resolve(null);
      }, timeoutMs);
      this.on('update', on);
    });
  }

  // ---- the protocol ----

  private onSocket(ws: WebSocket): void {
    let bot: string | undefined;
    ws.on('message', (data) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(data)) as Frame;
      } catch {
        ws.close(1007, 'bad frame');
        return;
      }
      const reqId = String(frame.headers?.req_id ?? '');
      const answer = (errcode: number, errmsg: string, extra: Record<string, unknown> = {}) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg, ...extra }));
      };
      if (frame.cmd === 'aibot_subscribe') {
        const found = this.findBot(frame.body);
        if (!found) {
          answer(WS_ERR.badCredentials, 'invalid bot_id or secret');
          return;
        }
        bot = found.id;
        this.subscribe(found.id, ws);
        answer(0, 'ok');
        this.emit('subscribed', found.id);
        return;
      }
      if (!bot || this.active.get(bot) !== ws) {
        answer(WS_ERR.badCredentials, 'not subscribed');
        return;
      }
      if (frame.cmd === 'ping') {
        if (!this.mutedPings.has(bot)) answer(0, 'ok');
        return;
      }
      if (SOCKET_KINDS.includes(frame.cmd as SocketKind)) {
        this.onSend(bot, frame.cmd as SocketKind, reqId, frame.body ?? {}, answer);
        return;
      }
      answer(40058, 'unknown cmd');
    });
    ws.on('close', () => {
      if (bot && this.active.get(bot) === ws) this.active.delete(bot);
    });
    ws.on('error', () => undefined);
  }

  private findBot(body: Record<string, unknown> | undefined): BotConfig | undefined {
    return [...this.host.bots.values()].find(
      (b) => b.wecom.aibot.botId && b.wecom.aibot.botId === body?.bot_id && b.wecom.aibot.secret === body?.secret,
    );
  }

  /** One active connection per bot: the older one hears `disconnected_event` and is closed. */
  private subscribe(bot: string, ws: WebSocket): void {
    const old = this.active.get(bot);
    this.active.set(bot, ws);
    this.subscribeCount.set(bot, (this.subscribeCount.get(bot) ?? 0) + 1);
    if (old && old !== ws && old.readyState === old.OPEN) {
      const body = {
        msgid: `disc_${(++this.seq).toString(36)}`,
        create_time: Math.floor(this.host.clock.now().getTime() / 1000),
        aibotid: `aibot_${bot}`,
        msgtype: 'event',
        event: { eventtype: 'disconnected_event' },
      };
      old.send(JSON.stringify({ cmd: 'aibot_event_callback', headers: { req_id: `aibot_event_callback_kick_${this.seq}` }, body }));
      old.close(1000, 'new connection');
    }
  }

  private onSend(
    bot: string,
    kind: SocketKind,
    reqId: string,
    body: Record<string, unknown>,
    answer: (errcode: number, errmsg: string) => void,
  ): void {
    const fault = this.host.takeFault(kind);
    if (fault?.hangMs || fault?.held) {
      // No acknowledgement at all: the client's ack timeout decides.
      this.host.record({ kind, query: { req_id: reqId }, body, errcode: -999, bot });
      return;
    }
    let errcode = fault ? (fault.errcode ?? -1) : 0;
    let errmsg = fault ? (fault.errmsg ?? 'simulated failure') : 'ok';
    if (!fault && kind !== 'aibot_send_msg') {
      const issued = this.issued.get(reqId);
      const fits =
        issued?.bot === bot &&
        (kind === 'aibot_respond_msg'
          ? issued.kind === 'message' || issued.kind === 'enter_chat'
          : kind === 'aibot_respond_welcome_msg'
            ? issued.kind === 'enter_chat'
            : issued.kind === 'template_card_event');
      if (!fits) {
        errcode = WS_ERR.invalidReqId;
        errmsg = 'invalid req_id';
      }
    }
    if (!fault && kind === 'aibot_send_msg' && typeof body.chatid !== 'string') {
      errcode = 40003;
      errmsg = 'chatid missing';
    }
    const chat = typeof body.chatid === 'string' ? body.chatid : '';
    const replyTo =
      kind === 'aibot_send_msg'
        ? this.groupChats.has(chat)
          ? { chatId: chat, userid: '' }
          : { userid: chat }
        : this.issued.get(reqId)?.replyTo;
    this.host.record({ kind, query: { req_id: reqId }, body, errcode, bot, ...(replyTo ? { replyTo } : {}) });
    answer(errcode, errmsg);
    if (errcode === 0 && kind === 'aibot_respond_update_msg') this.emit('update', reqId, body);
  }
}

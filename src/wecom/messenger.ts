import type { BotConfig } from '../config/bots.js';
import type { Clock } from '../clock.js';
import { whileDatabaseAway } from '../db/while-down.js';
import { InboxModel } from './inbox.js';
import type { Outbox, OutboxItem } from './outbox.js';
import { LIMITS, splitUtf8 } from './split.js';
import type { InboundMessage, Messenger, OutboundContent, SendOptions } from './types.js';

/** response_url lives one hour; leave a margin for the queue. */
const RESPONSE_URL_TTL_MS = 55 * 60_000;
/**
 * A long-connection req_id is answered on the socket only while fresh: WeCom ends a stream 6 min after it starts
 * (errcode 846608) and answers welcome and card-update frames only within 5 s. Later answers are proactive sends.
 */
const SOCKET_REPLY_TTL_MS = 5 * 60_000;
const SOCKET_EVENT_TTL_MS = 5000;

/** Builds WeCom request bodies from OutboundContent and puts them in the outbox. */
export class OutboxMessenger implements Messenger {
  constructor(
    private readonly bots: Map<string, BotConfig>,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  private bot(id: string): BotConfig {
    const b = this.bots.get(id);
    if (!b) throw new Error(`unknown bot ${id}`);
    return b;
  }

  idle(): Promise<void> {
    return this.outbox.idle();
  }

  async reply(msg: InboundMessage, content: OutboundContent, opts: SendOptions = {}): Promise<string[]> {
    const bot = this.bot(msg.bot);
    if (msg.channel === 'aibot' && msg.reqId) return this.replyOnSocket(bot, msg, content, opts);
    if (msg.channel === 'aibot' && msg.responseUrl && (await this.takeResponseUrl(msg, RESPONSE_URL_TTL_MS, opts.idempotencyKey))) {
      const item = responseUrlItem(msg, content);
      if (item) {
        item.fallback = this.fallbackItems(bot, msg, content)[0];
        return this.outbox.enqueue(bot.id, [item], opts.idempotencyKey);
      }
    }
    return this.outbox.enqueue(bot.id, this.fallbackItems(bot, msg, content), opts.idempotencyKey);
  }

  /**
   * Long connection: the first answer to a frame goes back with its req_id (a finished stream, the welcome for
   * enter_chat, a card); later answers, stale ones and a refused req_id (846605/846608, via the fallback) become
   * proactive `aibot_send_msg` frames to the same chat. All of it waits in the outbox for the socket's holder.
   */
  private async replyOnSocket(bot: BotConfig, msg: InboundMessage, content: OutboundContent, opts: SendOptions): Promise<string[]> {
    const proactive = socketSendItems(msg, content);
    const welcome = msg.type === 'event' && msg.event?.name === 'enter_chat';
    if (await this.takeResponseUrl(msg, welcome ? SOCKET_EVENT_TTL_MS : SOCKET_REPLY_TTL_MS, opts.idempotencyKey)) {
      const item = socketReplyItem(msg, content, welcome);
      if (item) {
        if (proactive.length === 1) item.fallback = proactive[0];
        return this.outbox.enqueue(bot.id, [item], opts.idempotencyKey);
      }
    }
    return this.outbox.enqueue(bot.id, proactive, opts.idempotencyKey);
  }

  /** Long connection: a clicked card is replaced through `aibot_respond_update_msg` with the click's req_id (5 s). */
  updateAibotCard(msg: InboundMessage, card: object, opts: SendOptions = {}): Promise<string[]> {
    const bot = this.bot(msg.bot);
    const payload = {
      cmd: 'aibot_respond_update_msg',
      reqId: msg.reqId,
      body: { response_type: 'update_template_card', template_card: card },
    };
    return this.outbox.enqueue(bot.id, [{ kind: 'aibot_ws', payload }], opts.idempotencyKey);
  }

  /**
   * The one passive answer (response_url, or a req_id's respond frame) is taken atomically by the first reply.
   * A reply with an idempotency key takes it again when the message is processed again (a crash or a database
   * restart between taking it and storing the reply): the outbox stores that reply once, so the URL is still
   * used once, and the reporter is not answered by a group post queued behind the group's rate limit instead.
   */
  private async takeResponseUrl(msg: InboundMessage, ttlMs: number, key?: string): Promise<boolean> {
    if (this.clock.now().getTime() - msg.receivedAt.getTime() > ttlMs) return false;
    const free = { responseUrlUsed: { $ne: true } };
    const res = await whileDatabaseAway(
      () =>
        InboxModel.updateOne(key ? { _id: msg.id, $or: [free, { responseUrlKey: key }] } : { _id: msg.id, ...free }, {
          $set: { responseUrlUsed: true, ...(key ? { responseUrlKey: key } : {}) },
        }),
      { what: 'response_url take' },
    );
    return res.matchedCount === 1;
  }

  private fallbackItems(bot: BotConfig, msg: InboundMessage, content: OutboundContent): OutboxItem[] {
    if (msg.chatType === 'group' && bot.wecom.webhookKey) return webhookItems(bot, withMention(content, msg.from.userid));
    return appItems(bot, msg.from.userid, content);
  }

  toUsers(botId: string, userids: string[], content: OutboundContent, opts: SendOptions = {}): Promise<string[]> {
    const bot = this.bot(botId);
    return this.outbox.enqueue(
      bot.id,
      userids.flatMap((u) => appItems(bot, u, content)),
      opts.idempotencyKey,
    );
  }

  async toGroup(botId: string, content: OutboundContent, opts: SendOptions = {}): Promise<string[]> {
    const bot = this.bot(botId);
    if (!bot.wecom.webhookKey) throw new Error(`bot ${botId} has no webhookKey`);
    const items = webhookItems(bot, content).map((it) => (opts.topic ? { ...it, topic: opts.topic } : it));
    return this.outbox.enqueue(bot.id, items, opts.idempotencyKey);
  }

  toAppChat(botId: string, chatId: string, content: OutboundContent, opts: SendOptions = {}): Promise<string[]> {
    const bot = this.bot(botId);
    const items: OutboxItem[] = appBodies(content, LIMITS.text, LIMITS.appMarkdown).map((b) => ({
      kind: 'appchat',
      payload: { chatid: chatId, ...b },
    }));
    return this.outbox.enqueue(bot.id, items, opts.idempotencyKey);
  }

  updateCard(botId: string, responseCode: string, card: object, opts: SendOptions = {}): Promise<string[]> {
    const bot = this.bot(botId);
    const payload = { atall: 1, agentid: Number(bot.wecom.agentId), response_code: responseCode, template_card: card };
    return this.outbox.enqueue(bot.id, [{ kind: 'update_card', payload }], opts.idempotencyKey);
  }
}

function withMention(content: OutboundContent, userid: string): OutboundContent {
  if (content.type === 'text') return { ...content, mentions: [...new Set([userid, ...(content.mentions ?? [])])] };
  if (content.type === 'markdown') return { type: 'markdown', markdown: `<@${userid}> ${content.markdown}` };
  return content;
}

/** The smart bot's response_url takes markdown (and template cards in 1:1 chats only). */
function responseUrlItem(msg: InboundMessage, content: OutboundContent): OutboxItem | null {
  const url = msg.responseUrl as string;
  if (content.type === 'card') {
    if (msg.chatType !== 'single') return null;
    return { kind: 'response_url', url, payload: { msgtype: 'template_card', template_card: content.card } };
  }
  const md = content.type === 'markdown' ? content.markdown : content.text;
  const [first, ...rest] = splitUtf8(md, LIMITS.responseUrlMarkdown);
  if (rest.length) return null; // too long for one single-use call: let the fallback split it
  return { kind: 'response_url', url, payload: { msgtype: 'markdown', markdown: { content: first } } };
}

/** Where a proactive frame goes: the group's chatid, or the user's id for a 1:1 chat with the smart bot. */
function socketChat(msg: InboundMessage): string {
  return msg.chatType === 'group' && msg.chatId ? msg.chatId : msg.from.userid;
}

/** The first answer on the socket: a finished one-frame stream (markdown), a card, or the enter_chat welcome. */
function socketReplyItem(msg: InboundMessage, content: OutboundContent, welcome: boolean): OutboxItem | null {
  // `to` only orders the chat's queue in the outbox (recipientOf); WeCom routes the frame by its req_id.
  const payload = (cmd: string, body: Record<string, unknown>) => ({
    kind: 'aibot_ws' as const,
    payload: { cmd, reqId: msg.reqId, to: socketChat(msg), body },
  });
  if (content.type === 'card') {
    const body = { msgtype: 'template_card', template_card: content.card };
    return payload(welcome ? 'aibot_respond_welcome_msg' : 'aibot_respond_msg', body);
  }
  const md = content.type === 'markdown' ? content.markdown : content.text;
  if (welcome) return payload('aibot_respond_welcome_msg', { msgtype: 'text', text: { content: md } });
  const [first, ...rest] = splitUtf8(md, LIMITS.stream);
  if (rest.length) return null; // too long for one frame: proactive parts instead
  // One frame that opens and finishes the stream; the id is fixed now so a retried frame is the same stream.
  return payload('aibot_respond_msg', { msgtype: 'stream', stream: { id: `s_${msg.id}`, finish: true, content: first } });
}

/** Proactive `aibot_send_msg` frames to the message's chat (markdown split at the stream limit, or a card). */
function socketSendItems(msg: InboundMessage, content: OutboundContent): OutboxItem[] {
  const chatid = socketChat(msg);
  const item = (body: Record<string, unknown>): OutboxItem => ({
    kind: 'aibot_ws',
    payload: { cmd: 'aibot_send_msg', body: { chatid, ...body } },
  });
  if (content.type === 'card') return [item({ msgtype: 'template_card', template_card: content.card })];
  const md = content.type === 'markdown' ? content.markdown : content.text;
  return splitUtf8(md, LIMITS.stream).map((c) => item({ msgtype: 'markdown', markdown: { content: c } }));
}

function webhookItems(bot: BotConfig, content: OutboundContent): OutboxItem[] {
  const rateKey = `webhook:${bot.id}`;
  if (content.type === 'card') return [{ kind: 'webhook', rateKey, payload: { msgtype: 'template_card', template_card: content.card } }];
  if (content.type === 'markdown') {
    return splitUtf8(content.markdown, LIMITS.webhookMarkdown).map((c) => ({
      kind: 'webhook',
      rateKey,
      payload: { msgtype: 'markdown', markdown: { content: c } },
    }));
  }
  return splitUtf8(content.text, LIMITS.text).map((c, i) => ({
    kind: 'webhook',
    rateKey,
    payload: {
      msgtype: 'text',
      text: { content: c, ...(i === 0 && content.mentions?.length ? { mentioned_list: content.mentions } : {}) },
    },
  }));
}

function appBodies(content: OutboundContent, textLimit: number, mdLimit: number): Record<string, unknown>[] {
  if (content.type === 'card') return [{ msgtype: 'template_card', template_card: content.card }];
  if (content.type === 'markdown')
    return splitUtf8(content.markdown, mdLimit).map((c) => ({ msgtype: 'markdown', markdown: { content: c } }));
  return splitUtf8(content.text, textLimit).map((c) => ({ msgtype: 'text', text: { content: c } }));
}

function appItems(bot: BotConfig, userid: string, content: OutboundContent): OutboxItem[] {
  const rateKey = `app:${bot.wecom.corpId}:${bot.wecom.agentId}:${userid}`;
  return appBodies(content, LIMITS.text, LIMITS.appMarkdown).map((b) => ({
    kind: 'app',
    rateKey,
    payload: { touser: userid, agentid: Number(bot.wecom.agentId), ...b },
  }));
}

import type { BotConfig } from '../config/bots.js';
import type { Clock } from '../clock.js';
import { InboxModel } from './inbox.js';
import type { Outbox, OutboxItem } from './outbox.js';
import { LIMITS, splitUtf8 } from './split.js';
import type { InboundMessage, Messenger, OutboundContent, SendOptions } from './types.js';

/** response_url lives one hour; leave a margin for the queue. */
const RESPONSE_URL_TTL_MS = 55 * 60_000;

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

  async reply(msg: InboundMessage, content: OutboundContent, opts: SendOptions = {}): Promise<string[]> {
    const bot = this.bot(msg.bot);
    if (msg.channel === 'aibot' && msg.responseUrl && (await this.takeResponseUrl(msg))) {
      const item = responseUrlItem(msg, content);
      if (item) {
        item.fallback = this.fallbackItems(bot, msg, content)[0];
        return this.outbox.enqueue(bot.id, [item], opts.idempotencyKey);
      }
    }
    return this.outbox.enqueue(bot.id, this.fallbackItems(bot, msg, content), opts.idempotencyKey);
  }

  /** response_url is single-use: the first reply to a message takes it atomically, later ones fall back. */
  private async takeResponseUrl(msg: InboundMessage): Promise<boolean> {
    if (this.clock.now().getTime() - msg.receivedAt.getTime() > RESPONSE_URL_TTL_MS) return false;
    const res = await InboxModel.updateOne({ _id: msg.id, responseUrlUsed: { $ne: true } }, { $set: { responseUrlUsed: true } });
    return res.modifiedCount === 1;
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
    return this.outbox.enqueue(bot.id, webhookItems(bot, content), opts.idempotencyKey);
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

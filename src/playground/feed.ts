/**
 * What the playground page shows, as one ordered feed: what people typed and everything "WeCom" received from the
 * service (through the in-process simulator), each placed in the pane a WeCom user would see it in.
 */
import { EventEmitter } from 'node:events';
import { parseXmlFields } from '../wecom/parse.js';
import type { CallbackResult, Received } from '../wecom/simulator/simulator.js';

/** `group` = the WeCom group with the smart bot; `app:<userid>` = that person's 1:1 chat with the self-built app. */
export type Pane = 'group' | `app:${string}`;

/** One bubble (or card update) on the page. */
export interface FeedItem {
  /** Increasing from 1; the SSE event id, so a reconnecting page continues where it stopped. */
  id: number;
  /** Service-clock instant (ISO) the message was sent or received. */
  at: string;
  /** Where it shows; `*` = wherever the card `replaces` is shown (card updates). */
  pane: Pane | '*';
  /** userid of the writer, or `bot` for the service's messages. */
  from: string;
  kind: 'text' | 'markdown' | 'card' | 'notice';
  text?: string;
  /** WeCom template_card JSON. */
  card?: Record<string, unknown>;
  /** A card update: the task_id of the card it replaces. */
  replaces?: string;
  /** userids @-mentioned (webhook text mentioned_list). */
  mentions?: string[];
}

type Draft = Omit<FeedItem, 'id' | 'at'>;

const MAX_ITEMS = 5000;

/** Content of a WeCom message body (`msgtype` + its part) as feed fields. */
function contentOf(body: Record<string, unknown>): Pick<FeedItem, 'kind' | 'text' | 'card' | 'mentions'> | null {
  const type = String(body.msgtype ?? '');
  if (type === 'template_card') return { kind: 'card', card: (body.template_card ?? {}) as Record<string, unknown> };
  if (type === 'markdown' || type === 'markdown_v2') {
    return { kind: 'markdown', text: String((body[type] as { content?: string } | undefined)?.content ?? '') };
  }
  if (type === 'text') {
    const t = (body.text ?? {}) as { content?: string; mentioned_list?: string[] };
    return { kind: 'text', text: String(t.content ?? ''), ...(t.mentioned_list?.length ? { mentions: t.mentioned_list } : {}) };
  }
  if (type === 'stream') return { kind: 'markdown', text: String((body.stream as { content?: string } | undefined)?.content ?? '') };
  return null;
}

/** The feed of one playground: kept in memory (a demo), bounded, emitting `item` for the live stream. */
export class Feed extends EventEmitter {
  private items: FeedItem[] = [];
  private nextId = 1;

  constructor(
    private readonly now: () => Date,
    private readonly groupChatId: string,
  ) {
    super();
  }

  add(draft: Draft): FeedItem {
    const item: FeedItem = { id: this.nextId++, at: this.now().toISOString(), ...draft };
    this.items.push(item);
    if (this.items.length > MAX_ITEMS) this.items.splice(0, this.items.length - MAX_ITEMS);
    this.emit('item', item);
    return item;
  }

  /** Items after `id` (0 = all kept). */
  since(id: number): FeedItem[] {
    return this.items.filter((i) => i.id > id);
  }

  /** Empties the feed (ids keep counting so an open page never mistakes new items for old ones). */
  clear(): void {
    this.items = [];
    this.emit('reset');
  }

  /** Places a request the simulator accepted from the service; refused ones (errcode ≠ 0) never reached anyone. */
  fromWecom(r: Received): FeedItem[] {
    if (r.errcode !== 0 || !r.body) return [];
    const body = r.body;
    switch (r.kind) {
      case 'message/send': {
        const c = contentOf(body);
        if (!c) return [];
        return String(body.touser ?? '')
          .split('|')
          .filter(Boolean)
          .map((u) => this.add({ pane: `app:${u}`, from: 'bot', ...c }));
      }
      case 'webhook/send':
      case 'appchat/send': {
        const c = contentOf(body);
        return c ? [this.add({ pane: 'group', from: 'bot', ...c })] : [];
      }
      case 'response_url':
      case 'aibot_respond_msg':
      case 'aibot_respond_welcome_msg':
      case 'aibot_send_msg': {
        const c = contentOf(body);
        if (!c) return [];
        const pane: Pane = r.replyTo?.chatId ? 'group' : `app:${r.replyTo?.userid ?? 'unknown'}`;
        return [this.add({ pane, from: 'bot', ...c })];
      }
      // A long-connection card update also comes back as the click's passive reply (fromPassiveReply).
      case 'update_template_card': {
        const card = (body.template_card ?? {}) as Record<string, unknown>;
        return [this.add({ pane: '*', from: 'bot', kind: 'card', card, replaces: String(card.task_id ?? '') })];
      }
      default:
        return [];
    }
  }

  /** Places the service's passive answer to a callback (smart-bot JSON, or app XML) where the caller sees it. */
  fromPassiveReply(res: CallbackResult, channel: 'aibot' | 'app', userid: string): FeedItem[] {
    const reply = res.reply;
    if (!reply) return [];
    const pane: Pane = channel === 'aibot' ? 'group' : `app:${userid}`;
    if (typeof reply === 'string') {
      const f = parseXmlFields(reply);
      const text = String(f.Content ?? '');
      return text ? [this.add({ pane, from: 'bot', kind: 'text', text })] : [];
    }
    const body = reply as Record<string, unknown>;
    if (body.response_type === 'update_template_card') {
      const card = (body.template_card ?? {}) as Record<string, unknown>;
      return [this.add({ pane: '*', from: 'bot', kind: 'card', card, replaces: String(card.task_id ?? '') })];
    }
    const c = contentOf(body);
    return c ? [this.add({ pane, from: 'bot', ...c })] : [];
  }

  get chatId(): string {
    return this.groupChatId;
  }
}

/** One verified callback from WeCom, as stored in the inbox and handed to the message handler. */
export interface InboundMessage {
  /** Inbox document id. */
  id: string;
  bot: string;
  channel: 'aibot' | 'app';
  msgId: string;
  type: 'text' | 'image' | 'event' | 'stream';
  chatType: 'group' | 'single';
  chatId: string | null;
  from: { userid: string; name?: string };
  /** The bot's @mention stripped, whitespace trimmed. */
  text: string;
  event?: {
    name: string;
    eventKey?: string;
    taskId?: string;
    cardType?: string;
    /** App template-card events: the code for message/update_template_card (valid 72 h, once). */
    responseCode?: string;
  };
  /** Smart bot only: single-use reply URL, valid 1 h. */
  responseUrl?: string;
  /** Smart bot over the long connection only: the frame's req_id, answered once on the same connection. */
  reqId?: string;
  /** Image messages: the (encrypted) download URL. */
  imageUrl?: string;
  receivedAt: Date;
}

export type OutboundContent =
  | { type: 'text'; text: string; mentions?: string[] }
  | { type: 'markdown'; markdown: string }
  | { type: 'card'; card: object /* WeCom template_card JSON */ };

/** Durable sending: every call stores the message(s) in the outbox first and returns their ids. */
export interface Messenger {
  /** Answers in the conversation `msg` came from (response_url once, else group webhook with a mention, else app 1:1). */
  reply(msg: InboundMessage, content: OutboundContent, opts?: SendOptions): Promise<string[]>;
  /** App message/send, one message per user (rate limits are per recipient). */
  toUsers(bot: string, userids: string[], content: OutboundContent, opts?: SendOptions): Promise<string[]>;
  /** Group robot webhook of the bot (markdown with <@userid> mentions, or text with mentioned_list). */
  toGroup(bot: string, content: OutboundContent, opts?: SendOptions): Promise<string[]>;
  /** App group chat (appchat/send). */
  toAppChat(bot: string, chatId: string, content: OutboundContent, opts?: SendOptions): Promise<string[]>;
  /** message/update_template_card with the ResponseCode of an app template_card_event. */
  updateCard(bot: string, responseCode: string, card: object, opts?: SendOptions): Promise<string[]>;
  /**
   * Resolves once this instance has no send in flight (its sender looked and found nothing due). The playground's
   * reset waits for it after emptying the database, so nothing sent before the reset lands in the emptied log.
   */
  idle(): Promise<void>;
}

export interface SendOptions {
  /** Enqueue at most once per key (e.g. `ticket:12:claimed:notify`); a repeat returns the existing ids. */
  idempotencyKey?: string;
  /**
   * Group posts only: what the post is about, e.g. `ticket:<bot>:<no>`. Posts with the same topic still waiting
   * for the group robot (18 a minute, shared by every ticket) are sent as one post.
   */
  topic?: string;
}

/** The group-post topic of one ticket (SendOptions.topic): its posts still waiting for the group robot go out as one. */
export function ticketTopic(bot: string, no: number): string {
  return `ticket:${bot}:${no}`;
}

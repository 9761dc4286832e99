import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import type { Inbox, InboxDoc, NewEntry } from './inbox.js';
import { type Draft, stripMentions } from './parse.js';

/** False when the bot is limited to some groups (`wecom.allowedChats`) and this group is not one of them. */
export function chatAllowed(bot: BotConfig, draft: Draft): boolean {
  const allowed = bot.wecom.allowedChats;
  return !(allowed.length && draft.chatType === 'group' && !allowed.includes(draft.chatId ?? ''));
}

/**
 * The inbox entry for a verified callback, whichever way it came (HTTP callback route or long-connection frame):
 * the bot's @mention stripped, ignored kinds stored as `ignored`, app card clicks as `processing` (answered in the
 * HTTP response within WeCom's 5 s), everything else `pending`.
 */
export function inboxEntry(
  bot: BotConfig,
  channel: 'aibot' | 'app',
  draft: Draft,
  receivedAt: Date,
  opts: { answeredInline?: boolean; reqId?: string } = {},
): NewEntry {
  return {
    bot: bot.id,
    channel,
    dedupeKey: draft.dedupeKey,
    msgId: draft.msgId,
    type: draft.type,
    chatType: draft.chatType,
    chatId: draft.chatId,
    from: draft.from,
    text: stripMentions(draft.rawText, bot.wecom.mentionNames, draft.chatType === 'group'),
    event: draft.event,
    responseUrl: draft.responseUrl,
    ...(opts.reqId ? { reqId: opts.reqId } : {}),
    imageUrl: draft.imageUrl,
    receivedAt,
    status: draft.ignored ? 'ignored' : opts.answeredInline ? 'processing' : 'pending',
  };
}

/**
 * Stores a verified callback in the inbox (durable before WeCom is answered) and logs that it came, never its text
 * (bot, channel, transport, msgId, type, size in bytes, duplicate, ignored). Both ways in use it: the HTTP callback
 * route and the long-connection frame handler. Returns the stored entry, or null when WeCom sent it again (duplicate).
 */
export async function admitCallback(
  inbox: Inbox,
  bot: BotConfig,
  channel: 'aibot' | 'app',
  draft: Draft,
  raw: string,
  receivedAt: Date,
  opts: { answeredInline?: boolean; reqId?: string; transport?: 'longConnection' } = {},
): Promise<InboxDoc | null> {
  const doc = await inbox.record(inboxEntry(bot, channel, draft, receivedAt, opts));
  log.info(
    {
      bot: bot.id,
      channel,
      ...(opts.transport ? { transport: opts.transport } : {}),
      msgId: draft.msgId,
      type: draft.type,
      bytes: Buffer.byteLength(raw),
      duplicate: doc === null,
      ignored: !!draft.ignored,
    },
    'wecom callback',
  );
  return doc;
}

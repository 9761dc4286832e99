import type { BotConfig } from '../config/bots.js';
import type { NewEntry } from './inbox.js';
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

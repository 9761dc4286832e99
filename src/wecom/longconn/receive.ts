import type { WsFrame } from '@wecom/aibot-node-sdk';
import type { BotConfig } from '../../config/bots.js';
import type { Clock } from '../../clock.js';
import { log } from '../../log.js';
import { admitCallback, chatAllowed } from '../admit.js';
import type { Inbox } from '../inbox.js';
import { aibotDraft, type Draft, ParseError } from '../parse.js';

/**
 * A callback frame from the long connection into the durable inbox, exactly like a verified HTTP callback: the
 * frame body is the same JSON the callback URL gets (decrypted), stored unique per msgid (a repeated frame is
 * dropped), then processed by the same conversation engine. The req_id is kept so the answer goes back on the
 * connection. Nothing is answered before the entry is stored. Logs ids and sizes, never text.
 */
export async function admitFrame(bot: BotConfig, frame: WsFrame, inbox: Inbox, clock: Clock): Promise<void> {
  const reqId = String(frame.headers?.req_id ?? '');
  const raw = JSON.stringify(frame.body ?? null);
  let draft: Draft;
  try {
    draft = aibotDraft(raw);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    log.warn({ bot: bot.id, transport: 'longConnection', reqId, reason: e.message }, 'wecom frame malformed');
    return;
  }
  if (!chatAllowed(bot, draft)) {
    log.info({ bot: bot.id, transport: 'longConnection', chatId: draft.chatId }, 'wecom chat not allowed');
    return;
  }
  // Stream refreshes only exist for streams we opened; we answer in one finished frame, so there are none.
  if (draft.type === 'stream') return;
  const doc = await admitCallback(inbox, bot, 'aibot', draft, raw, clock.now(), { reqId, transport: 'longConnection' });
  if (doc && !draft.ignored) void inbox.process(doc._id);
}

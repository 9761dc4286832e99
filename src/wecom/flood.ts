import type { Clock } from '../clock.js';
import { InboxModel } from './inbox.js';
import type { InboundMessage } from './types.js';

/**
 * Flood control for what one person sends (issue 11: one user sent the same report 50 times in a second, and
 * every copy became a ticket, a card and a group post). Checked when a stored message is handled, in the
 * sender's order (the inbox handles one sender's messages one after another).
 */
export interface FloodPolicy {
  /** Text messages one person may have handled per rolling minute; later ones are not handled (default 8). */
  perMinute: number;
  /** A text identical to one the same person sent this many minutes before is a repeat (default 10). */
  repeatMinutes: number;
}

export const DEFAULT_FLOOD: FloodPolicy = { perMinute: 8, repeatMinutes: 10 };

/** Told once per minute to a sender over the limit (the messages stay in the inbox, marked `throttled`). */
export { FLOOD_NOTICE } from '../bot/presenters/chat.js';

export type FloodVerdict =
  | { kind: 'ok' }
  /** Over the per-minute budget; `bucket` names the minute window (one notice per window). */
  | { kind: 'throttled'; bucket: number }
  /** Same content as `earlier`, handled `minutesAgo` minutes before. */
  | { kind: 'repeat'; earlier: { id: string; receivedAt: Date }; minutesAgo: number };

/** What counts as "the same content": NFKC, without spaces, punctuation and symbols. Characters, not bytes. */
export function contentKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}]/gu, '')
    .toLowerCase();
}

/** Short texts ("1", "好的", "接单 3") repeat legitimately: only longer ones are compared. */
const MIN_KEY_CHARS = 6;

export async function checkFlood(msg: InboundMessage, policy: FloodPolicy, clock: Clock): Promise<FloodVerdict> {
  if (msg.type !== 'text') return { kind: 'ok' };
  const at = msg.receivedAt;
  const key = contentKey(msg.text);
  const sender = { bot: msg.bot, 'from.userid': msg.from.userid, _id: { $ne: msg.id } };
  if ([...key].length >= MIN_KEY_CHARS) {
    const since = new Date(at.getTime() - policy.repeatMinutes * 60_000);
    const recent = await InboxModel.find(
      { ...sender, type: 'text', status: 'done', receivedAt: { $gte: since, $lte: at } },
      { text: 1, receivedAt: 1 },
    )
      .sort({ receivedAt: -1 })
      .limit(50)
      .lean();
    const same = recent.find((d) => contentKey(d.text) === key);
    if (same) {
      const minutesAgo = Math.max(0, Math.floor((clock.now().getTime() - new Date(same.receivedAt).getTime()) / 60_000));
      return { kind: 'repeat', earlier: { id: String(same._id), receivedAt: new Date(same.receivedAt) }, minutesAgo };
    }
  }
  const handled = await InboxModel.countDocuments({
    ...sender,
    type: 'text',
    status: { $in: ['done', 'processing', 'failed'] },
    flood: { $exists: false },
    receivedAt: { $gt: new Date(at.getTime() - 60_000), $lte: at },
  });
  if (handled >= policy.perMinute) return { kind: 'throttled', bucket: Math.floor(at.getTime() / 60_000) };
  return { kind: 'ok' };
}

/** Marks how flood control handled a message (operators see it in the inbox; throttled ones do not count). */
export async function markFlood(id: string, how: 'throttled' | 'repeat'): Promise<void> {
  await InboxModel.updateOne({ _id: id }, { $set: { flood: how } });
}

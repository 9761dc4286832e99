/**
 * Sends each bot's daily digest once a day at `bot.digest.time` local. A minute tick (one Agenda job for all
 * bots) decides from the clock, so a restart or a missed tick still sends today's digest, and the outbox's
 * idempotency keys make a second instance (or a retry after a crash) enqueue nothing twice.
 */
import mongoose, { Schema } from 'mongoose';
import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import { local, zoned } from '../time.js';
import type { Messenger } from '../wecom/types.js';
import { dailyDigest } from './service.js';
import { groupContent } from '../bot/presenters/people.js';

interface RunDoc {
  _id: string;
  bot: string;
  kind: string;
  at: Date;
  parts: number;
}
const runSchema = new Schema<RunDoc>(
  { _id: String, bot: String, kind: String, at: Date, parts: Number },
  { collection: 'report_runs', versionKey: false },
);
export const ReportRun = (mongoose.models.ReportRun as mongoose.Model<RunDoc>) ?? mongoose.model<RunDoc>('ReportRun', runSchema);

/** Today's digest instant for a bot. */
export function digestDueAt(bot: BotConfig, now: Date): Date {
  return zoned(`${local(now).format('YYYY-MM-DD')} ${bot.digest.time}`).toDate();
}

/**
 * Sends the digest of every bot whose time has come today and that has not had it yet; returns the bots sent.
 * `firstStart` (per bot id): a digest due before the bot first ran is never sent (no catch-up for days it did not exist).
 */
export async function sendDueDigests(
  bots: Map<string, BotConfig>,
  messenger: Messenger,
  now: Date,
  firstStart?: Map<string, Date>,
): Promise<string[]> {
  const sent: string[] = [];
  for (const bot of bots.values()) {
    const dueAt = digestDueAt(bot, now).getTime();
    if (now.getTime() < dueAt) continue;
    if (dueAt < (firstStart?.get(bot.id)?.getTime() ?? Number.NEGATIVE_INFINITY)) continue;
    const date = local(now).format('YYYY-MM-DD');
    const id = `digest:${bot.id}:${date}`;
    if (await ReportRun.exists({ _id: id })) continue;
    try {
      const parts = await sendDigest(bot, messenger, now, id);
      await ReportRun.updateOne({ _id: id }, { $setOnInsert: { bot: bot.id, kind: 'digest', at: now, parts } }, { upsert: true });
      sent.push(bot.id);
      log.info({ bot: bot.id, date, parts }, 'daily digest sent');
    } catch (e) {
      log.error({ bot: bot.id, date, err: (e as Error).message }, 'daily digest failed');
    }
  }
  return sent;
}

/** Enqueues the digest to the leads (and the group when configured), one outbox key per part. */
export async function sendDigest(bot: BotConfig, messenger: Messenger, now: Date, key: string): Promise<number> {
  const digest = await dailyDigest(bot, now);
  const leads = bot.roster.leads.map((l) => l.userid);
  for (const [i, markdown] of digest.parts.entries()) {
    if (leads.length) await messenger.toUsers(bot.id, leads, { type: 'markdown', markdown }, { idempotencyKey: `${key}:leads:${i}` });
    if (bot.digest.toGroup && bot.wecom.webhookKey)
      await messenger.toGroup(bot.id, groupContent(bot, { type: 'markdown', markdown }), { idempotencyKey: `${key}:group:${i}` });
  }
  return digest.parts.length;
}

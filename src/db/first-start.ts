/**
 * When each bot first ran, kept in the `service_meta` collection (`{_id: "firstStart:<bot>", at}`), so jobs that
 * decide from the clock never catch up on periods before the bot existed: no digest for a day before it ran, no
 * inspection that fell due before it ran (issue #13: a first start must not send yesterday's digest or start an
 * inspection "应完成 11-01 09:00" weeks late).
 */
import mongoose, { Schema } from 'mongoose';

interface MetaDoc {
  _id: string;
  at: Date;
}
const metaSchema = new Schema<MetaDoc>({ _id: String, at: Date }, { collection: 'service_meta', versionKey: false });
export const ServiceMeta = (mongoose.models.ServiceMeta as mongoose.Model<MetaDoc>) ?? mongoose.model<MetaDoc>('ServiceMeta', metaSchema);

const keyOf = (bot: string) => `firstStart:${bot}`;

/**
 * Records `now` as the first start of every bot that has none yet (an atomic upsert: several instances agree on
 * the earliest writer) and returns each bot's first start. Safe to call on every start and every tick.
 */
export async function firstStarts(botIds: Iterable<string>, now: Date): Promise<Map<string, Date>> {
  const ids = [...botIds];
  const out = new Map<string, Date>();
  const existing = await ServiceMeta.find({ _id: { $in: ids.map(keyOf) } }).lean<MetaDoc[]>();
  for (const d of existing) out.set(d._id.slice('firstStart:'.length), d.at);
  for (const id of ids) {
    if (out.has(id)) continue;
    try {
      await ServiceMeta.updateOne({ _id: keyOf(id) }, { $setOnInsert: { at: now } }, { upsert: true });
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e; // another instance inserted it first
    }
    const doc = await ServiceMeta.findById(keyOf(id)).lean<MetaDoc>();
    out.set(id, doc?.at ?? now);
  }
  return out;
}

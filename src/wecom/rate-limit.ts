import mongoose, { Schema } from 'mongoose';
import type { Clock } from '../clock.js';

interface RateDoc {
  _id: string;
  times: Date[];
  v: number;
}

const rateSchema = new Schema<RateDoc>({ _id: String, times: [Date], v: Number }, { collection: 'wecom_rate', versionKey: false });
export const RateModel = mongoose.models.wecom_rate ?? mongoose.model<RateDoc>('wecom_rate', rateSchema);

export interface RateRule {
  limit: number;
  windowMs: number;
}

/**
 * Sliding-window limiter kept in MongoDB so every service instance shares it: a key holds the send times of
 * the last window; taking a slot is a compare-and-set on a version, so two instances never both take the
 * 20th slot. Time comes from the injected clock (tests move it instead of waiting minutes).
 */
export class RateLimiter {
  constructor(private readonly clock: Clock) {}

  /** Takes a slot now (returns 0) or says how many ms until one frees up. */
  async take(key: string, rule: RateRule): Promise<number> {
    for (let i = 0; i < 20; i++) {
      const now = this.clock.now().getTime();
      const doc = await RateModel.findById(key).lean<RateDoc>();
      const recent = (doc?.times ?? []).map((t) => new Date(t).getTime()).filter((t) => t > now - rule.windowMs);
      recent.sort((a, b) => a - b);
      if (recent.length >= rule.limit) return Math.max(1, recent[recent.length - rule.limit] + rule.windowMs - now);
      const times = [...recent, now].map((t) => new Date(t));
      if (!doc) {
        try {
          await RateModel.create({ _id: key, times, v: 1 });
          return 0;
        } catch (e) {
          if ((e as { code?: number }).code === 11000) continue;
          throw e;
        }
      }
      const res = await RateModel.updateOne({ _id: key, v: doc.v }, { $set: { times }, $inc: { v: 1 } });
      if (res.modifiedCount === 1) return 0;
    }
    return 1000; // heavy contention: let the caller come back shortly
  }
}

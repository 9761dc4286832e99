import mongoose, { Schema } from 'mongoose';

export type InspectionStatus = 'pending' | 'in_progress' | 'done';

export interface InspectionItem {
  item: string;
  text: string;
  /** The checklist answer value: "ok", "issue", "na". */
  value: string;
  note: string | null;
  /** Ticket opened for an issue. */
  ticketNo: number | null;
}

/** One inspection of one plan for one period ("demo:monthly-his:2026-10"). */
export interface InspectionDoc {
  _id: string;
  bot: string;
  plan: string;
  name: string;
  flow: string;
  period: string;
  assignee: string;
  dueAt: Date;
  status: InspectionStatus;
  /** When the checklist was (last) put in front of the assignee. */
  startedAt: Date | null;
  remindedAt: Date | null;
  escalatedAt: Date | null;
  /** Set while the answers are being stored and tickets opened (makes completion run once). */
  completingAt: Date | null;
  doneAt: Date | null;
  doneBy: string | null;
  items: InspectionItem[];
  reportSentAt: Date | null;
  createdAt: Date;
}

const schema = new Schema<InspectionDoc>(
  {
    _id: String,
    bot: { type: String, required: true },
    plan: { type: String, required: true },
    name: String,
    flow: String,
    period: { type: String, required: true },
    assignee: String,
    dueAt: { type: Date, required: true },
    status: { type: String, required: true },
    startedAt: { type: Date, default: null },
    remindedAt: { type: Date, default: null },
    escalatedAt: { type: Date, default: null },
    completingAt: { type: Date, default: null },
    doneAt: { type: Date, default: null },
    doneBy: { type: String, default: null },
    // Stored as given (answers with notes and ticket numbers).
    items: { type: Schema.Types.Mixed, default: [] },
    reportSentAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'inspections', versionKey: false, minimize: false },
);
schema.index({ bot: 1, status: 1, dueAt: 1 });
schema.index({ bot: 1, dueAt: 1 });

export const Inspection =
  (mongoose.models.Inspection as mongoose.Model<InspectionDoc>) ?? mongoose.model<InspectionDoc>('Inspection', schema);

export const inspectionId = (bot: string, plan: string, period: string): string => `${bot}:${plan}:${period}`;

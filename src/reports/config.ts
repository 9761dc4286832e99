export interface DigestConfig {
  /** Local time "HH:mm" the daily digest goes out. */
  time: string;
  /** Also post the digest into the group through the webhook. */
  toGroup: boolean;
}
export interface InspectionPlan {
  id: string;
  name: string;
  /** Checklist flow id in flows/. */
  flow: string;
  every: 'week' | 'month' | 'quarter';
  /** Day of the period it is due (1 = first day / Monday; a week has 7) and the local time the card goes out. */
  day: number;
  time: string;
  /** Engineer userid. */
  assignee: string;
  /** Hours after which an unfinished inspection is reminded, then escalated to the leads. */
  remindAfterHours: number;
  escalateAfterHours: number;
  /** System and level of the ticket an 异常 answer opens (default "other", 3); `ticketOnIssue: false` only records it. */
  system: string;
  ticketLevel: 1 | 2 | 3 | 4;
  ticketOnIssue: boolean;
}

const hhmm = { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' };

export const digestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { time: { ...hhmm, default: '08:30' }, toGroup: { type: 'boolean', default: false } },
  default: {},
} as const;

export const inspectionsSchema = {
  type: 'array',
  default: [],
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'flow', 'every', 'assignee'],
    properties: {
      id: { type: 'string', pattern: '^[a-z0-9-]+$' },
      name: { type: 'string', minLength: 1 },
      flow: { type: 'string', minLength: 1 },
      every: { enum: ['week', 'month', 'quarter'] },
      day: { type: 'integer', minimum: 1, maximum: 28, default: 1 },
      time: { ...hhmm, default: '09:00' },
      assignee: { type: 'string', minLength: 1 },
      remindAfterHours: { type: 'number', exclusiveMinimum: 0, default: 24 },
      escalateAfterHours: { type: 'number', exclusiveMinimum: 0, default: 48 },
      system: { type: 'string', minLength: 1, default: 'other' },
      ticketLevel: { enum: [1, 2, 3, 4], default: 3 },
      ticketOnIssue: { type: 'boolean', default: true },
    },
  },
} as const;

/**
 * Bot file section `record`: the title block of the monthly maintenance record (the acceptance pack the hospital
 * signs, seeds 001 and 004: "经双方确认"). Every field has a default so older bot files still load.
 */
export interface RecordConfig {
  /** 甲方: the hospital; empty = the bot's `name`. */
  hospital: string;
  /** Project / contract name and number as printed on the cover. */
  project: string;
  contractNo: string;
  /** 乙方: the maintenance vendor. */
  vendor: string;
  /** Service period of the contract, local dates "YYYY-MM-DD" (empty = not printed). */
  serviceFrom: string;
  serviceTo: string;
  /** Ticket rows per PDF page of the record table. */
  rowsPerPage: number;
}

const ymd = { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' };

export const recordSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    hospital: { type: 'string', default: '' },
    project: { type: 'string', default: '' },
    contractNo: { type: 'string', default: '' },
    vendor: { type: 'string', default: '' },
    serviceFrom: { ...ymd, default: '' },
    serviceTo: { ...ymd, default: '' },
    rowsPerPage: { type: 'integer', minimum: 5, maximum: 60, default: 18 },
  },
  default: {},
} as const;

export type Period = 'work' | 'off' | 'holiday';
export type Clock = 'wall' | 'business';
export type TargetName = 'response' | 'onsite' | 'resolve';

export interface CalendarConfig {
  /** Working hours, local time "HH:mm". */
  workStart: string;
  workEnd: string;
  /** Local dates "YYYY-MM-DD" that are holidays / working days beyond the official data. */
  extraHolidays: string[];
  extraWorkdays: string[];
}

export interface Duration {
  /** e.g. 30 with unit "minutes"; "workdays" only with the business clock. */
  amount: number;
  unit: 'minutes' | 'hours' | 'days' | 'workdays';
  clock: Clock;
}
/** A duration for all periods, optionally varied by the period at the moment the clock starts. */
export interface TargetPolicy extends Duration {
  byPeriod?: Partial<Record<Period, Duration>>;
}
export interface LevelPolicy {
  response: TargetPolicy;
  onsite: TargetPolicy;
  resolve: TargetPolicy;
}
export interface SlaPolicy {
  levels: Record<'1' | '2' | '3' | '4', LevelPolicy>;
  aggregate: {
    levels: number[];
    within24h: number;
    within72h: number;
  };
}

export interface EscalationStep {
  /** Fraction of the target's duration elapsed, 1 = due. */
  at: number;
  /** Who hears about it. */
  notify: Array<'assignee' | 'primary' | 'backup' | 'leads' | 'group'>;
  /** Record a breach on the ticket. */
  breach?: boolean;
}
export interface EscalationConfig {
  steps: EscalationStep[];
  /** After the due step: repeat every N minutes up to M times while unmet. */
  repeatEveryMin: number;
  repeatTimes: number;
}

const hhmm = { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' };
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

export const calendarSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['workStart', 'workEnd'],
  properties: {
    workStart: hhmm,
    workEnd: hhmm,
    extraHolidays: { type: 'array', items: date, default: [] },
    extraWorkdays: { type: 'array', items: date, default: [] },
  },
} as const;

const duration = {
  type: 'object',
  required: ['amount', 'unit', 'clock'],
  properties: {
    amount: { type: 'number', exclusiveMinimum: 0 },
    unit: { enum: ['minutes', 'hours', 'days', 'workdays'] },
    clock: { enum: ['wall', 'business'] },
  },
  // "workdays" only makes sense on the business clock.
  anyOf: [{ properties: { unit: { enum: ['minutes', 'hours', 'days'] } } }, { properties: { clock: { const: 'business' } } }],
};
const target = {
  ...duration,
  additionalProperties: false,
  properties: {
    ...duration.properties,
    byPeriod: {
      type: 'object',
      additionalProperties: false,
      properties: {
        work: { ...duration, additionalProperties: false },
        off: { ...duration, additionalProperties: false },
        holiday: { ...duration, additionalProperties: false },
      },
    },
  },
};
const level = {
  type: 'object',
  additionalProperties: false,
  required: ['response', 'onsite', 'resolve'],
  properties: { response: target, onsite: target, resolve: target },
};

export const slaSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['levels', 'aggregate'],
  properties: {
    levels: {
      type: 'object',
      additionalProperties: false,
      required: ['1', '2', '3', '4'],
      properties: { '1': level, '2': level, '3': level, '4': level },
    },
    aggregate: {
      type: 'object',
      additionalProperties: false,
      required: ['levels', 'within24h', 'within72h'],
      properties: {
        levels: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 4 } },
        within24h: { type: 'number', minimum: 0, maximum: 1 },
        within72h: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
  },
} as const;

export const escalationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['steps', 'repeatEveryMin', 'repeatTimes'],
  properties: {
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'notify'],
        properties: {
          at: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
          notify: { type: 'array', items: { enum: ['assignee', 'primary', 'backup', 'leads', 'group'] } },
          breach: { type: 'boolean' },
        },
      },
    },
    repeatEveryMin: { type: 'number', exclusiveMinimum: 0 },
    repeatTimes: { type: 'integer', minimum: 0 },
  },
} as const;

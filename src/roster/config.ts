export interface Person {
  userid: string;
  name: string;
  /** Mobile: shown in direct messages (the reporter's own chat, engineers, leads), never in a group post. */
  phone?: string;
  /**
   * A short number the wards may call (hospital 分机 or 集团短号, e.g. "8001"): group posts show "分机 8001" where a
   * direct message shows the mobile. Absent = the group sees the name only.
   */
  extension?: string;
}
export interface Engineer extends Person {
  /** System ids this engineer covers in working time; "*" = all. */
  skills: string[];
}
export interface Rotation {
  /** Which periods this layer covers. */
  periods: Array<'work' | 'off' | 'holiday'>;
  /** Users in order; one per shift. */
  users: string[];
  /** Length of one shift in days (7 = weekly). */
  shiftDays: number;
  /** Local date-time of a hand-over at which users[0] takes over, e.g. "2026-11-16T08:00". */
  anchor: string;
}
export interface Override {
  user: string;
  from: string;
  to: string;
  /** Systems covered; absent = all. */
  systems?: string[];
}
export interface RosterConfig {
  engineers: Engineer[];
  leads: Person[];
  /** The hospital's 信息科 contact for `other` (hardware, network, printers). */
  itContact: Person;
  /** The backup engineer for every system unless an override says otherwise. */
  backup: string;
  rotations: Rotation[];
  overrides: Override[];
}

const person = {
  type: 'object',
  required: ['userid', 'name'],
  properties: {
    userid: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    phone: { type: 'string' },
    extension: { type: 'string', pattern: '^[0-9-]{2,12}$' },
  },
};

export const rosterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['engineers', 'leads', 'itContact', 'backup'],
  properties: {
    engineers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['userid', 'name', 'skills'],
        properties: { ...person.properties, skills: { type: 'array', items: { type: 'string' } } },
      },
    },
    leads: { type: 'array', items: { ...person, additionalProperties: false } },
    itContact: { ...person, additionalProperties: false },
    backup: { type: 'string', minLength: 1 },
    rotations: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['periods', 'users', 'shiftDays', 'anchor'],
        properties: {
          periods: { type: 'array', minItems: 1, items: { enum: ['work', 'off', 'holiday'] } },
          users: { type: 'array', minItems: 1, items: { type: 'string' } },
          shiftDays: { type: 'number', exclusiveMinimum: 0 },
          anchor: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$' },
        },
      },
    },
    overrides: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['user', 'from', 'to'],
        properties: {
          user: { type: 'string' },
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
          systems: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

/** Bot file section `directory`: how people's names are looked up (see src/people/directory.ts). */
export interface DirectoryPerson {
  userid: string;
  name: string;
  department?: string;
  mobile?: string;
}
export interface DirectoryConfig {
  /** Read names, departments and mobiles from WeCom (`user/get`); false = the bot file only. */
  enabled: boolean;
  /** How long a looked-up person is trusted before WeCom is asked again, in hours. */
  ttlHours: number;
  /** Our budget of directory reads per minute per corp (WeCom allows 10 000 calls/min per corp for all APIs). */
  perMinute: number;
  /** Names the bot file knows besides the roster (e.g. ward contacts), used when WeCom does not answer. */
  people: DirectoryPerson[];
}

export const directorySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', default: true },
    ttlHours: { type: 'number', exclusiveMinimum: 0, default: 24 },
    perMinute: { type: 'integer', minimum: 1, default: 300 },
    people: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['userid', 'name'],
        properties: {
          userid: { type: 'string', minLength: 1 },
          name: { type: 'string', minLength: 1 },
          department: { type: 'string' },
          mobile: { type: 'string' },
        },
      },
    },
  },
  default: {},
} as const;

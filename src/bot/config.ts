export interface ConversationConfig {
  /** A pending question is dropped after this many idle minutes. */
  idleMinutes: number;
  /** Reports about the same system within this window are merged into the first open ticket. */
  stormWindowMinutes: number;
}

export const conversationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    idleMinutes: { type: 'number', exclusiveMinimum: 0, default: 10 },
    stormWindowMinutes: { type: 'number', minimum: 0, default: 30 },
  },
  default: {},
} as const;

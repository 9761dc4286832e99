export interface TicketsConfig {
  /** Remind the reporter to confirm a resolved ticket after this many hours... */
  confirmReminderHours: number;
  /** ...and close it as auto-closed after this many hours. */
  autoCloseHours: number;
}

export const ticketsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    confirmReminderHours: { type: 'number', exclusiveMinimum: 0, default: 24 },
    autoCloseHours: { type: 'number', exclusiveMinimum: 0, default: 72 },
  },
  default: {},
} as const;

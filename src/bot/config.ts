export interface ConversationConfig {
  /** A pending question is dropped after this many idle minutes. */
  idleMinutes: number;
  /** No longer used (reports are linked to incidents on evidence, see `incidents`); accepted so old bot files load. */
  stormWindowMinutes?: number;
  /**
   * A reporter's second chase within this many minutes also reaches the backup and the leads (issue #17).
   * Absent: the escalation policy's `repeatEveryMin`.
   */
  chaseIntervalMinutes?: number;
}

/**
 * When reports of one system become an incident (故障事件): reports not limited to one bed, device or user, of the
 * same symptom, from at least `reporters` people in at least `departments` departments within `windowMinutes`.
 * One report with outage signals (全院/整个/都进不去/瘫痪 …) declares one at once.
 */
export interface IncidentConfig {
  reporters: number;
  departments: number;
  windowMinutes: number;
  /**
   * Reporter counts at which the leads are told again that a declared incident has grown (each count once per
   * incident), e.g. [10, 20, 50]. Anchor: Grafana OnCall re-notifies when an alert group keeps growing.
   */
  growthAlerts: number[];
}

export const incidentSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reporters: { type: 'integer', minimum: 2, default: 3 },
    departments: { type: 'integer', minimum: 1, default: 2 },
    windowMinutes: { type: 'number', exclusiveMinimum: 0, default: 15 },
    growthAlerts: { type: 'array', items: { type: 'integer', minimum: 2 }, default: [10, 20, 50] },
  },
  default: {},
} as const;

export const conversationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    idleMinutes: { type: 'number', exclusiveMinimum: 0, default: 10 },
    stormWindowMinutes: { type: 'number', minimum: 0 },
    chaseIntervalMinutes: { type: 'number', exclusiveMinimum: 0 },
  },
  default: {},
} as const;

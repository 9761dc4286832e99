import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { conversationSchema, type ConversationConfig, type IncidentConfig, incidentSchema } from '../bot/config.js';
import { type DirectoryConfig, directorySchema } from '../people/config.js';
import {
  digestSchema,
  inspectionsSchema,
  recordSchema,
  type DigestConfig,
  type InspectionPlan,
  type RecordConfig,
} from '../reports/config.js';
import { type PlaygroundConfig, playgroundSchema } from '../playground/config.js';
import { rosterSchema, type RosterConfig } from '../roster/config.js';
import { calendarSchema, escalationSchema, slaSchema, type CalendarConfig, type EscalationConfig, type SlaPolicy } from '../sla/config.js';
import { ticketsSchema, type TicketsConfig } from '../tickets/config.js';
import { systemsSchema, type SystemDef } from '../triage/config.js';
import { wecomSchema, type WecomConfig } from '../wecom/config.js';
import { ConfigError } from './errors.js';
import { interpolate } from './interpolate.js';
import { assertValid, readJsonDir } from './load-json.js';

/** One deployment: a hospital's contract, people and WeCom credentials (`bots/<id>.json`). */
export interface BotConfig {
  id: string;
  name: string;
  wecom: WecomConfig;
  systems: SystemDef[];
  roster: RosterConfig;
  calendar: CalendarConfig;
  sla: SlaPolicy;
  escalation: EscalationConfig;
  tickets: TicketsConfig;
  conversation: ConversationConfig;
  incidents: IncidentConfig;
  digest: DigestConfig;
  inspections: InspectionPlan[];
  /** People's names beyond the roster and how the WeCom directory is read. */
  directory: DirectoryConfig;
  /** The title block of the monthly maintenance record (hospital, contract, vendor, service period). */
  record: RecordConfig;
  /** Demo reporters and the group shown by /playground (defaults: no reporters, group `wr_demo`). */
  playground: PlaygroundConfig;
}

export const botSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'wecom', 'systems', 'roster', 'calendar', 'sla', 'escalation'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
    name: { type: 'string', minLength: 1 },
    wecom: wecomSchema,
    systems: systemsSchema,
    roster: rosterSchema,
    calendar: calendarSchema,
    sla: slaSchema,
    escalation: escalationSchema,
    tickets: ticketsSchema,
    conversation: conversationSchema,
    incidents: incidentSchema,
    digest: digestSchema,
    inspections: inspectionsSchema,
    directory: directorySchema,
    record: recordSchema,
    playground: playgroundSchema,
  },
} as const;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
addFormats.default(ajv);
const validateBot = ajv.compile(botSchema);

/** Validates one parsed bot file (after `${ENV}` interpolation) and checks cross-references. */
export function parseBot(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): BotConfig {
  const data = interpolate(raw, env, file);
  assertValid<BotConfig>(validateBot, data, file);
  checkReferences(data, file);
  return data;
}

function checkReferences(bot: BotConfig, file: string): void {
  const engineers = new Set(bot.roster.engineers.map((e) => e.userid));
  if (!engineers.has(bot.roster.backup)) throw new ConfigError(file, '/roster/backup', `"${bot.roster.backup}" is not an engineer`);
  bot.roster.rotations.forEach((r, i) => {
    r.users.forEach((u, j) => {
      if (!engineers.has(u)) throw new ConfigError(file, `/roster/rotations/${i}/users/${j}`, `"${u}" is not an engineer`);
    });
  });
  bot.roster.overrides.forEach((o, i) => {
    if (!engineers.has(o.user)) throw new ConfigError(file, `/roster/overrides/${i}/user`, `"${o.user}" is not an engineer`);
  });
  bot.inspections.forEach((p, i) => {
    if (!engineers.has(p.assignee)) throw new ConfigError(file, `/inspections/${i}/assignee`, `"${p.assignee}" is not an engineer`);
  });
  const seen = new Set<string>();
  bot.systems.forEach((s, i) => {
    if (seen.has(s.id)) throw new ConfigError(file, `/systems/${i}/id`, `duplicates system "${s.id}"`);
    seen.add(s.id);
  });
}

/** Loads every `bots/*.json`; the file name must equal the bot's id. */
export function loadBots(dir: string, env: NodeJS.ProcessEnv = process.env): Map<string, BotConfig> {
  const bots = new Map<string, BotConfig>();
  for (const { file, id, data } of readJsonDir(dir)) {
    const bot = parseBot(data, file, env);
    if (bot.id !== id) throw new ConfigError(file, '/id', `must equal the file name "${id}"`);
    bots.set(bot.id, bot);
  }
  if (bots.size === 0) throw new ConfigError(dir, '', 'contains no bot file (*.json)');
  return bots;
}

import { existsSync } from 'node:fs';
import { Ajv } from 'ajv';
import { ConfigError } from './errors.js';

export interface Env {
  PORT: number;
  HOST: string;
  TZ: string;
  MONGODB_URI: string;
  DATA_DIR: string;
  ADMIN_TOKEN: string;
  LOG_LEVEL: string;
  WECOM_API_BASE: string;
  WECOM_MAX_SKEW_S: number;
  /** Long connection: how long an instance holds a bot's connection lease without renewing it (ms). */
  WECOM_LEASE_MS: number;
  BOTS_DIR: string;
  FLOWS_DIR: string;
  /** Leads' read-only tokens for /dashboard and GET /api/*: `userid=token,userid=token` (tokens ≥ 12 characters). */
  DASHBOARD_TOKENS: string;
  /** `auto` (default): the playground and its in-process WeCom simulator run only with the demo credentials; `on`, `off`. */
  PLAYGROUND: 'auto' | 'on' | 'off';
  /** Embedded engine: fsync each group commit too (power loss), not only write it to the file before answering. */
  DB_FSYNC: boolean;
}

const schema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    TZ: { type: 'string', minLength: 1, default: 'Asia/Shanghai' },
    MONGODB_URI: { type: 'string', pattern: '^$|^mongodb(\\+srv)?://', default: '' },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    ADMIN_TOKEN: { type: 'string', default: '' },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    WECOM_API_BASE: { type: 'string', pattern: '^https?://', default: 'https://qyapi.weixin.qq.com' },
    WECOM_MAX_SKEW_S: { type: 'integer', minimum: 0, default: 3600 },
    WECOM_LEASE_MS: { type: 'integer', minimum: 300, maximum: 600000, default: 8000 },
    BOTS_DIR: { type: 'string', minLength: 1, default: './bots' },
    FLOWS_DIR: { type: 'string', minLength: 1, default: './flows' },
    PLAYGROUND: { enum: ['auto', 'on', 'off'], default: 'auto' },
    DB_FSYNC: { type: 'boolean', default: false },
    DASHBOARD_TOKENS: { type: 'string', default: '' },
  },
} as const;

const validate = new Ajv({ useDefaults: true, coerceTypes: true, allErrors: false }).compile(schema);

/** Loads `.env` when present (never overriding the real environment), then validates and fills defaults. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env, envFile = '.env'): Env {
  if (source === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = source[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  if (!validate(picked)) {
    const err = validate.errors?.[0];
    const name = err?.instancePath.slice(1) || '';
    throw new ConfigError('environment', name, err?.message ?? 'is invalid');
  }
  return picked as unknown as Env;
}

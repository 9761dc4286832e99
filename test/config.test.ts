import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBots, parseBot } from '../src/config/bots.js';
import { loadEnv } from '../src/config/env.js';
import { ConfigError } from '../src/config/errors.js';

const demo = JSON.parse(readFileSync('bots/demo.json', 'utf8'));

function botDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bots-'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), typeof data === 'string' ? data : JSON.stringify(data));
  return dir;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('bot files', () => {
  it('reads the record title block and the directory settings, and names the path of a bad one', () => {
    const bot = parseBot(demo, 'f.json', {});
    expect(bot.record).toMatchObject({ hospital: '演示市第一人民医院', serviceFrom: '2026-01-01', rowsPerPage: 18 });
    expect(bot.directory).toMatchObject({ enabled: true, ttlHours: 24, perMinute: 300 });
    const { record: _r, directory: _d, ...old } = structuredClone(demo);
    expect(parseBot(old, 'f.json', {}).record).toMatchObject({ hospital: '', rowsPerPage: 18 });
    const bad = { ...structuredClone(demo), record: { ...demo.record, serviceFrom: '2026/01/01' } };
    expect(errorOf(() => parseBot(bad, 'f.json', {})).message).toContain('f.json: /record/serviceFrom');
    const rows = { ...structuredClone(demo), record: { ...demo.record, rowsPerPage: 2 } };
    expect(errorOf(() => parseBot(rows, 'f.json', {})).message).toContain('f.json: /record/rowsPerPage');
  });

  it('loads the shipped demo bot with demo WeCom defaults when no environment is set', () => {
    const bot = loadBots('bots', {}).get('demo')!;
    expect(bot.wecom.corpId).toBe('ww_demo_corp');
    expect(bot.wecom.agentId).toBe('1000002');
    expect(bot.roster.engineers.map((e) => e.userid)).toEqual(['zhangwei', 'liuyang', 'chenjing', 'zhaomin']);
  });

  it('fills ${NAME} from the environment and ${NAME:-default} falls back', () => {
    const bot = loadBots('bots', { WECOM_CORP_ID: 'wwREAL', WECOM_SECRET: 's3' }).get('demo')!;
    expect(bot.wecom.corpId).toBe('wwREAL');
    expect(bot.wecom.secret).toBe('s3');
    expect(bot.wecom.app.token).toBe('demoAppToken');
  });

  it('names the file and JSON path of a variable that is required but unset', () => {
    const raw = structuredClone(demo);
    raw.wecom.secret = '${HOSPITAL_SECRET}';
    const err = errorOf(() => parseBot(raw, 'bots/x.json', {}));
    expect(err.message).toBe('bots/x.json: /wecom/secret needs environment variable HOSPITAL_SECRET, which is not set');
  });

  it('names the file, the JSON path and what was expected for a wrong value', () => {
    const raw = structuredClone(demo);
    raw.sla.levels['2'].response.clock = 'sometimes';
    const dir = botDir({ 'demo.json': raw });
    const err = errorOf(() => loadBots(dir, {}));
    expect(err.file).toBe(join(dir, 'demo.json'));
    expect(err.path).toBe('/sla/levels/2/response/clock');
    expect(err.message).toContain('must be one of ["wall","business"]');
  });

  it('reports a missing property and an unknown one', () => {
    const missing = structuredClone(demo);
    delete missing.roster.backup;
    expect(errorOf(() => parseBot(missing, 'f.json', {})).message).toBe('f.json: /roster must have property "backup"');
    const extra = structuredClone(demo);
    extra.calendar.workStrat = '08:00';
    expect(errorOf(() => parseBot(extra, 'f.json', {})).message).toBe('f.json: /calendar has unknown property "workStrat"');
  });

  it('rejects broken JSON and a roster that names someone who is not an engineer', () => {
    expect(errorOf(() => loadBots(botDir({ 'demo.json': '{"id": "demo",' }), {})).message).toMatch(/demo\.json: \/ is not valid JSON/);
    const raw = structuredClone(demo);
    raw.roster.rotations[0].users[1] = 'nobody';
    expect(errorOf(() => parseBot(raw, 'f.json', {})).message).toBe('f.json: /roster/rotations/0/users/1 "nobody" is not an engineer');
  });

  it('requires the file name to match the bot id', () => {
    expect(errorOf(() => loadBots(botDir({ 'other.json': demo }), {})).message).toContain('/id must equal the file name "other"');
  });
});

describe('environment', () => {
  it('applies the documented defaults', () => {
    const env = loadEnv({}, '');
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      TZ: 'Asia/Shanghai',
      MONGODB_URI: '',
      DATA_DIR: './data',
      WECOM_MAX_SKEW_S: 3600,
    });
  });

  it('rejects a non-numeric port naming the variable', () => {
    const err = errorOf(() => loadEnv({ PORT: 'eighty' }, ''));
    expect(err.message).toBe('environment: PORT must be integer');
  });
});

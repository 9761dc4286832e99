import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ConfigError } from '../config/errors.js';
import { assertValid } from '../config/load-json.js';
import { SYSTEM_IDS, type SystemId } from './config.js';

/** A boolean test over the facts found in a message (cue names, `dim:value`, tags, `system:<id>`, hasSystem, multiSystem). */
export interface Condition {
  all?: string[];
  any?: string[];
  none?: string[];
}

/** A named group of vocabulary: plain terms (substring, single Chinese characters only at a word start) and regexes. */
export interface CueDef {
  label: string;
  terms: string[];
  patterns: string[];
}

export interface DimensionValue {
  value: string;
  when?: Condition;
  /** Extra facts set when this value is chosen (e.g. "fault", "serious"). */
  tags?: string[];
}

export type ReportLevel = 1 | 2 | 3;

/**
 * What a clause does to the assertion a reporter makes now (issue #15): `denied` ("不是网络的问题", "LIS和PACS都正常")
 * and `instruction` (text addressed to the bot, from the cue on) are dropped; `hypothetical` ("要是LIS再崩了") is
 * dropped and, when nothing else asserts a fault, the message is a question; `recovered` ("现在已经好了") drops itself
 * and everything said before it; `status` ("修好了吗") makes a status question unless a fault is asserted besides.
 */
export type ClauseRole = 'denied' | 'hypothetical' | 'recovered' | 'status' | 'instruction';

export interface ClauseModel {
  /** Regexes that end a clause (punctuation, 另外/还有/顺便, 一是/二是, 就是/而是). */
  separators: string[];
  /** Checked in order on every clause; the first role whose cue is found applies. */
  roles: Array<{ role: ClauseRole; cue: string; label: string; unless?: string[] }>;
  /** Cues still read from dropped clauses ("其他都正常" still says the fault is narrow). */
  keep: string[];
  /** Facts that mean a fault is asserted now, so a status question beside it is still a report. */
  hard: string[];
  /** Several faults: a clause starts a new fault when it names another system and has one of these cues itself. */
  segment: {
    cues: string[];
    /** A hardware/network part counts as a fault of its own only with one of these cues (a broken printer, 断网). */
    fallbackNeeds: string[];
    /**
     * Symptoms a network fault explains: "WiFi信号很差，PDA经常断线" is one fault (the network), not two.
     * A clinical part with one of these cues beside a hardware/network part is read as one message.
     */
    sameCause: string[];
    /**
     * A regex for words that announce another fault (另外, 还有, 也, 二是), tested on a clause with the separator
     * before it. Without one, a clause only starts a new fault when it names its system outright (an alias, not the
     * hardware/network catch-all): "整个住院部都没法执行医嘱" after a PDA fault is its consequence, not a second fault.
     */
    marker: string;
  };
}

/** The level model of `flows/triage.json`: vocabulary, decision lists and the impact × urgency table as data. */
export interface TriageModel {
  version: 1;
  levelNames: Record<'1' | '2' | '3' | '4', string>;
  normalize: { replace: Record<string, string>; collapse: string[] };
  cues: Record<string, CueDef>;
  systems: {
    aliasWeight: number;
    keywordWeight: number;
    /** Weight of a catalog `context` term (a place such as 医生站), below a keyword. */
    contextWeight: number;
    /** The catch-all system (hardware/network); loses ties against a named clinical system. */
    fallback: SystemId;
    /** Regexes for quoted symptoms ("提示网络连接失败"): fallback words inside them name the error, not the device. */
    quoted: string[];
    /** First matching rule wins: a fixed system, or `named` (best clinical system found) / `fallback`. */
    rules: Array<{ when: Condition; system: SystemId | 'named' | 'fallback'; reason: string }>;
    /**
     * A software name the catalog does not know ("营养膳食系统", "院感上报软件"): when no catalog system is found, a
     * match of `pattern` (group 1 = the name) that is none of `notNames` makes the report one of `system` (the
     * catalog's "other software"), with the name kept. Issue #17: unknown clinical systems are other software,
     * never the 信息科's hardware catch-all.
     */
    unknown?: { system: SystemId; pattern: string; notNames: string[] };
  };
  /** Evaluated in order; each picks the first value whose `when` holds (a value without `when` is the default). */
  dimensions: Array<{ name: string; values: DimensionValue[] }>;
  intents: Array<{ intent: 'report' | 'request' | 'chat' | 'status'; when?: Condition }>;
  clauses: ClauseModel;
  levels: {
    row: string;
    column: string;
    table: Record<string, Record<string, ReportLevel>>;
    min: ReportLevel;
    max: ReportLevel;
    request: 4;
  };
  adjust: Array<{ label: string; cue?: string; when: Condition; shift: number }>;
  forced: Array<{ when: Condition; level: ReportLevel; reason: string }>;
}

const names = { type: 'array', items: { type: 'string', minLength: 1 } };
const condition = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { all: names, any: names, none: names },
};
const reportLevel = { enum: [1, 2, 3] };

export const triageModelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'levelNames', 'normalize', 'cues', 'systems', 'dimensions', 'intents', 'clauses', 'levels', 'adjust', 'forced'],
  properties: {
    $schema: { type: 'string' },
    version: { const: 1 },
    levelNames: {
      type: 'object',
      additionalProperties: false,
      required: ['1', '2', '3', '4'],
      properties: Object.fromEntries(['1', '2', '3', '4'].map((k) => [k, { type: 'string', minLength: 1 }])),
    },
    normalize: {
      type: 'object',
      additionalProperties: false,
      required: ['replace', 'collapse'],
      properties: {
        replace: { type: 'object', additionalProperties: { type: 'string' } },
        collapse: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 1 } },
      },
    },
    cues: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['label', 'terms', 'patterns'],
        properties: {
          label: { type: 'string', minLength: 1 },
          terms: names,
          patterns: { type: 'array', items: { type: 'string', minLength: 1, format: 'regex' } },
        },
      },
    },
    systems: {
      type: 'object',
      additionalProperties: false,
      required: ['aliasWeight', 'keywordWeight', 'contextWeight', 'fallback', 'quoted', 'rules'],
      properties: {
        aliasWeight: { type: 'number', exclusiveMinimum: 0 },
        keywordWeight: { type: 'number', exclusiveMinimum: 0 },
        contextWeight: { type: 'number', exclusiveMinimum: 0 },
        fallback: { enum: SYSTEM_IDS },
        quoted: { type: 'array', items: { type: 'string', minLength: 1, format: 'regex' } },
        rules: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['when', 'system', 'reason'],
            properties: {
              when: condition,
              system: { enum: [...SYSTEM_IDS, 'named', 'fallback'] },
              reason: { type: 'string', minLength: 1 },
            },
          },
        },
        unknown: {
          type: 'object',
          additionalProperties: false,
          required: ['system', 'pattern', 'notNames'],
          properties: {
            system: { enum: SYSTEM_IDS },
            pattern: { type: 'string', minLength: 1, format: 'regex' },
            notNames: names,
          },
        },
      },
    },
    dimensions: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'values'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][A-Za-z0-9]*$' },
          values: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['value'],
              properties: { value: { type: 'string', minLength: 1 }, when: condition, tags: names },
            },
          },
        },
      },
    },
    intents: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['intent'],
        properties: { intent: { enum: ['report', 'request', 'chat', 'status'] }, when: condition },
      },
    },
    clauses: {
      type: 'object',
      additionalProperties: false,
      required: ['separators', 'roles', 'keep', 'hard', 'segment'],
      properties: {
        separators: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, format: 'regex' } },
        roles: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['role', 'cue', 'label'],
            properties: {
              role: { enum: ['denied', 'hypothetical', 'recovered', 'status', 'instruction'] },
              cue: { type: 'string', minLength: 1 },
              label: { type: 'string', minLength: 1 },
              unless: names,
            },
          },
        },
        keep: names,
        hard: names,
        segment: {
          type: 'object',
          additionalProperties: false,
          required: ['cues', 'fallbackNeeds', 'sameCause', 'marker'],
          properties: { cues: names, fallbackNeeds: names, sameCause: names, marker: { type: 'string', minLength: 1, format: 'regex' } },
        },
      },
    },
    levels: {
      type: 'object',
      additionalProperties: false,
      required: ['row', 'column', 'table', 'min', 'max', 'request'],
      properties: {
        row: { type: 'string' },
        column: { type: 'string' },
        table: { type: 'object', additionalProperties: { type: 'object', additionalProperties: reportLevel } },
        min: reportLevel,
        max: reportLevel,
        request: { const: 4 },
      },
    },
    adjust: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['label', 'when', 'shift'],
        properties: {
          label: { type: 'string', minLength: 1 },
          cue: { type: 'string' },
          when: condition,
          shift: { type: 'integer', minimum: -2, maximum: 2 },
        },
      },
    },
    forced: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['when', 'level', 'reason'],
        properties: { when: condition, level: reportLevel, reason: { type: 'string', minLength: 1 } },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
// Only the regex format is needed; checking it here keeps the error pointing at the pattern's JSON path.
ajv.addFormat('regex', { validate: (s: string) => compiles(s) });
const validateModel = ajv.compile(triageModelSchema);

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const TRIAGE_FILE = 'triage.json';

/** Reads and validates `<flowsDir>/triage.json`; every problem is a ConfigError naming the file and the JSON path. */
export function loadTriageModel(flowsDir = 'flows'): TriageModel {
  const file = join(flowsDir, TRIAGE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(file, '', 'is missing or unreadable');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, '', `is not valid JSON (${(e as Error).message})`);
  }
  return parseTriageModel(data, file);
}

export function parseTriageModel(data: unknown, file: string): TriageModel {
  assertValid<TriageModel>(validateModel, data, file);
  checkReferences(data, file);
  return data;
}

const SYSTEM_FACTS = ['hasSystem', 'multiSystem', ...SYSTEM_IDS.map((s) => `system:${s}`)];

/** Cross-references ajv cannot see: every fact a condition names must be producible, and the table must be complete. */
function checkReferences(m: TriageModel, file: string): void {
  const known = new Set<string>([...Object.keys(m.cues), ...SYSTEM_FACTS]);
  const dims = new Map<string, string[]>();
  m.dimensions.forEach((d, i) => {
    if (dims.has(d.name)) throw new ConfigError(file, `/dimensions/${i}/name`, `duplicates dimension "${d.name}"`);
    checkDefaultLast(d.values, file, `/dimensions/${i}/values`);
    d.values.forEach((v, j) => {
      // A dimension may test cues, systems and dimensions before it, never itself or later ones.
      checkCondition(v.when, known, file, `/dimensions/${i}/values/${j}/when`);
    });
    dims.set(
      d.name,
      d.values.map((v) => v.value),
    );
    for (const v of d.values) {
      known.add(`${d.name}:${v.value}`);
      for (const t of v.tags ?? []) known.add(t);
    }
  });
  m.systems.rules.forEach((r, i) => {
    checkCondition(r.when, known, file, `/systems/rules/${i}/when`);
  });
  m.intents.forEach((r, i) => {
    checkCondition(r.when, known, file, `/intents/${i}/when`);
  });
  checkDefaultLast(m.intents, file, '/intents');
  m.adjust.forEach((a, i) => {
    checkCondition(a.when, known, file, `/adjust/${i}/when`);
    if (a.cue !== undefined && !(a.cue in m.cues)) throw new ConfigError(file, `/adjust/${i}/cue`, `names unknown cue "${a.cue}"`);
  });
  m.forced.forEach((f, i) => {
    checkCondition(f.when, known, file, `/forced/${i}/when`);
  });
  checkClauses(m, known, file);
  checkTable(m, dims, file);
}

function checkClauses(m: TriageModel, known: Set<string>, file: string): void {
  const cue = (name: string, path: string) => {
    if (!(name in m.cues)) throw new ConfigError(file, path, `names unknown cue "${name}"`);
  };
  m.clauses.roles.forEach((r, i) => {
    cue(r.cue, `/clauses/roles/${i}/cue`);
    (r.unless ?? []).forEach((u, j) => {
      cue(u, `/clauses/roles/${i}/unless/${j}`);
    });
  });
  m.clauses.keep.forEach((k, i) => {
    cue(k, `/clauses/keep/${i}`);
  });
  m.clauses.segment.cues.forEach((k, i) => {
    cue(k, `/clauses/segment/cues/${i}`);
  });
  m.clauses.segment.fallbackNeeds.forEach((k, i) => {
    cue(k, `/clauses/segment/fallbackNeeds/${i}`);
  });
  m.clauses.segment.sameCause.forEach((k, i) => {
    cue(k, `/clauses/segment/sameCause/${i}`);
  });
  m.clauses.hard.forEach((h, i) => {
    if (!known.has(h)) throw new ConfigError(file, `/clauses/hard/${i}`, `names unknown cue or fact "${h}"`);
  });
}

function checkDefaultLast(list: Array<{ when?: Condition }>, file: string, path: string): void {
  const last = list.length - 1;
  list.forEach((v, i) => {
    if (i < last && !v.when)
      throw new ConfigError(file, `${path}/${i}`, 'has no "when" but is not the last entry (later entries could never apply)');
  });
  if (list[last].when) throw new ConfigError(file, `${path}/${last}`, 'must be a default without "when" so every message gets a value');
}

function checkCondition(c: Condition | undefined, known: Set<string>, file: string, path: string): void {
  if (!c) return;
  for (const key of ['all', 'any', 'none'] as const) {
    (c[key] ?? []).forEach((name, i) => {
      if (!known.has(name)) throw new ConfigError(file, `${path}/${key}/${i}`, `names unknown cue or fact "${name}"`);
    });
  }
}

function checkTable(m: TriageModel, dims: Map<string, string[]>, file: string): void {
  const rows = dims.get(m.levels.row);
  const cols = dims.get(m.levels.column);
  if (!rows) throw new ConfigError(file, '/levels/row', `names unknown dimension "${m.levels.row}"`);
  if (!cols) throw new ConfigError(file, '/levels/column', `names unknown dimension "${m.levels.column}"`);
  for (const r of rows) {
    const row = m.levels.table[r];
    if (!row) throw new ConfigError(file, '/levels/table', `must have a row "${r}"`);
    for (const c of cols) {
      if (row[c] === undefined) throw new ConfigError(file, `/levels/table/${r}`, `must have a level for "${c}"`);
    }
  }
}

import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { ConfigError } from '../../config/errors.js';
import { assertValid, readJsonDir } from '../../config/load-json.js';
import { flowSchema } from './schema.js';
import type { ChecklistFlow, Flow, Flows, FormFlow, SlotDef } from './types.js';

/** Files in flows/ that belong to other modules (triage's level tables) rather than to conversations. */
const FOREIGN = new Set(['triage']);

/** The conversations every deployment needs; a flows/ directory without them is a configuration error. */
export const REQUIRED_FLOWS = ['report', 'resolve', 'confirm', 'recovered'] as const;

const KINDS = ['form', 'checklist'];

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, discriminator: true });
addFormats.default(ajv);
const validateFlow = ajv.compile(flowSchema);

/** Validates one parsed flow file and its internal references (slot names, conditions). */
export function parseFlow(data: unknown, file: string, id: string): Flow {
  // ajv's discriminator reports an unknown kind at the root; say where it is.
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind !== undefined && !KINDS.includes(kind as string))
    throw new ConfigError(file, '/kind', `must be one of ${JSON.stringify(KINDS)}`);
  assertValid<Flow>(validateFlow, data, file);
  if (data.id !== id) throw new ConfigError(file, '/id', `must equal the file name "${id}"`);
  if (data.kind === 'form') checkForm(data, file);
  else checkChecklist(data, file);
  return data;
}

function checkForm(flow: FormFlow, file: string): void {
  const slots = new Map<string, SlotDef>();
  flow.slots.forEach((s, i) => {
    if (slots.has(s.name)) throw new ConfigError(file, `/slots/${i}/name`, `duplicates slot "${s.name}"`);
    slots.set(s.name, s);
  });
  const known = (name: string, path: string) => {
    if (!slots.has(name)) throw new ConfigError(file, path, `names no slot of this flow ("${name}")`);
  };
  flow.required.forEach((n, i) => {
    known(n, `/required/${i}`);
  });
  for (const [level, req] of Object.entries(flow.byLevel ?? {})) {
    req?.before.forEach((n, i) => {
      known(n, `/byLevel/${level}/before/${i}`);
    });
    req?.after.forEach((n, i) => {
      known(n, `/byLevel/${level}/after/${i}`);
    });
  }
  flow.slots.forEach((s, i) => {
    if (s.type === 'choice' && !s.options) throw new ConfigError(file, `/slots/${i}`, 'a choice slot must have "options"');
    if (s.when) known(s.when.slot, `/slots/${i}/when/slot`);
    s.extract?.forEach((re, j) => {
      try {
        new RegExp(re, 'u');
      } catch {
        throw new ConfigError(file, `/slots/${i}/extract/${j}`, 'is not a valid regular expression');
      }
    });
  });
}

function checkChecklist(flow: ChecklistFlow, file: string): void {
  const seen = new Set<string>();
  flow.items.forEach((item, i) => {
    if (seen.has(item.id)) throw new ConfigError(file, `/items/${i}/id`, `duplicates item "${item.id}"`);
    seen.add(item.id);
  });
}

/** Loads and validates every conversation flow in `dir` (flows/); errors name the file and the JSON path. */
export function loadFlows(dir: string): Flows {
  const map = new Map<string, Flow>();
  for (const { file, id, data } of readJsonDir(dir)) {
    if (FOREIGN.has(id)) continue;
    map.set(id, parseFlow(data, file, id));
  }
  for (const id of REQUIRED_FLOWS) {
    const f = map.get(id);
    if (!f) throw new ConfigError(dir, '', `has no ${id}.json flow`);
    if (f.kind !== 'form') throw new ConfigError(`${dir}/${id}.json`, '/kind', 'must be "form"');
  }
  return flowsOf(map);
}

export function flowsOf(map: Map<string, Flow>): Flows {
  return {
    get: (id) => map.get(id),
    form(id) {
      const f = map.get(id);
      if (f?.kind !== 'form') throw new Error(`no form flow "${id}"`);
      return f;
    },
    checklist(id) {
      const f = map.get(id);
      if (f?.kind !== 'checklist') throw new Error(`no checklist flow "${id}"`);
      return f;
    },
    ids: () => [...map.keys()],
  };
}

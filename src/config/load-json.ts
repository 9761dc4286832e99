import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError } from './errors.js';

/** Reads every `*.json` in a directory, sorted by name, as [id, parsed] with a clear error for bad JSON. */
export function readJsonDir(dir: string): Array<{ file: string; id: string; data: unknown }> {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    throw new ConfigError(dir, '', 'is not a readable directory');
  }
  return names.map((name) => {
    const file = join(dir, name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ConfigError(file, '', `is not valid JSON (${(e as Error).message})`);
    }
    return { file, id: basename(name, '.json'), data };
  });
}

/** Turns the first ajv error into a ConfigError naming the file, the JSON path and what was expected. */
export function assertValid<T>(validate: ValidateFunction, data: unknown, file: string): asserts data is T {
  if (validate(data)) return;
  const err = pickError(validate.errors ?? []);
  throw new ConfigError(file, err?.instancePath ?? '', describe(err));
}

function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  // The deepest error is the most specific one (oneOf/anyOf report their branches first).
  return [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
}

function describe(err: ErrorObject | undefined): string {
  if (!err) return 'is invalid';
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return `must have property "${p.missingProperty}"`;
    case 'additionalProperties':
      return `has unknown property "${p.additionalProperty}"`;
    case 'enum':
      return `must be one of ${JSON.stringify(p.allowedValues)}`;
    default:
      return err.message ?? 'is invalid';
  }
}

import { ConfigError } from './errors.js';

const PLACEHOLDER = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Fills `${NAME}` and `${NAME:-default}` in every string of a parsed JSON value.
 * An unset variable without a default is a configuration error naming the JSON path.
 */
export function interpolate(value: unknown, env: NodeJS.ProcessEnv, file: string, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(file, path, `needs environment variable ${name}, which is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, file, `${path}/${i}`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, env, file, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)]),
    );
  }
  return value;
}

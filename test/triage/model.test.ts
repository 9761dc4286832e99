import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadTriageModel } from '../../src/triage/model.js';

const shipped = JSON.parse(readFileSync('flows/triage.json', 'utf8'));

/** Writes a flows dir whose triage.json is the shipped model changed by `edit`. */
function flowsWith(edit: (m: typeof shipped) => void): string {
  const m = structuredClone(shipped);
  edit(m);
  const dir = mkdtempSync(join(tmpdir(), 'flows-'));
  writeFileSync(join(dir, 'triage.json'), JSON.stringify(m));
  return dir;
}

function errorOf(dir: string): ConfigError {
  try {
    loadTriageModel(dir);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('flows/triage.json', () => {
  it('loads the shipped model', () => {
    const m = loadTriageModel('flows');
    expect(Object.keys(m.levels.table)).toContain('down');
  });

  it('names the file and JSON path of a level outside 1–3', () => {
    const dir = flowsWith((m) => {
      m.levels.table.down.wide = 5;
    });
    const e = errorOf(dir);
    expect(e.file).toBe(join(dir, 'triage.json'));
    expect(e.path).toBe('/levels/table/down/wide');
    expect(e.message).toContain('triage.json: /levels/table/down/wide');
  });

  it('names the path of a regex that does not compile', () => {
    const e = errorOf(
      flowsWith((m) => {
        m.cues['state.down'].patterns.push('(unclosed');
      }),
    );
    expect(e.path).toBe(`/cues/state.down/patterns/${shipped.cues['state.down'].patterns.length}`);
  });

  it('names a condition that refers to a cue that does not exist', () => {
    const e = errorOf(
      flowsWith((m) => {
        m.intents[0].when = { any: ['request.stronk'] };
      }),
    );
    expect(e.path).toBe('/intents/0/when/any/0');
    expect(e.problem).toContain('request.stronk');
  });

  it('requires a level for every state × scope pair', () => {
    const e = errorOf(
      flowsWith((m) => {
        delete m.levels.table.cosmetic.narrow;
      }),
    );
    expect(e.path).toBe('/levels/table/cosmetic');
    expect(e.problem).toContain('narrow');
  });

  it('requires a default (no "when") as the last value of a dimension', () => {
    const e = errorOf(
      flowsWith((m) => {
        m.dimensions[0].values.pop();
      }),
    );
    expect(e.path).toMatch(/^\/dimensions\/0\/values\/\d+$/);
  });

  it('reports a missing file and broken JSON as configuration errors', () => {
    expect(errorOf(mkdtempSync(join(tmpdir(), 'flows-'))).problem).toContain('missing');
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    writeFileSync(join(dir, 'triage.json'), '{ "version": 1,');
    expect(errorOf(dir).problem).toContain('not valid JSON');
  });
  it('names the path of a clause role whose cue does not exist', () => {
    const e = errorOf(
      flowsWith((m) => {
        m.clauses.roles[0].cue = 'no.such.cue';
      }),
    );
    expect(e.path).toBe('/clauses/roles/0/cue');
    expect(e.message).toContain('no.such.cue');
  });
});

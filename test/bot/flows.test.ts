import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/bot/flows/load.js';
import { applyAnswer, emptyState, extractSlots, markAsked, promptFor, slotOf } from '../../src/bot/forms.js';
import { loadBots } from '../../src/config/bots.js';
import { ConfigError } from '../../src/config/errors.js';

const bot = loadBots('bots', {}).get('demo')!;
const flows = loadFlows('flows');

/** A copy of flows/ with one value of one file replaced. */
function withEdited(file: string, at: Array<string | number>, value: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'flows-'));
  cpSync('flows', dir, { recursive: true });
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  let node = json;
  for (const k of at.slice(0, -1)) node = node[k];
  node[at[at.length - 1]] = value;
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

function configError(dir: string): ConfigError {
  try {
    loadFlows(dir);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('flow files', () => {
  it('the shipped flows load: report, resolve, confirm, recovered and the monthly inspection checklist', () => {
    expect(flows.ids().sort()).toEqual(['confirm', 'inspection-monthly', 'recovered', 'report', 'resolve']);
    const checklist = flows.checklist('inspection-monthly');
    expect(checklist.items.map((i) => i.id)).toContain('disk-space');
    expect(checklist.items).toHaveLength(12);
  });

  it('a bad flow is named by file and JSON path', () => {
    const e1 = configError(withEdited('report.json', ['slots', 0, 'type'], 'pick'));
    expect(e1.file).toMatch(/report\.json$/);
    expect(e1.path).toBe('/slots/0/type');
    const e2 = configError(withEdited('resolve.json', ['required', 0], 'nope'));
    expect(e2.path).toBe('/required/0');
    expect(e2.problem).toContain('nope');
    const e3 = configError(withEdited('report.json', ['slots', 3, 'extract'], ['(unclosed']));
    expect(e3.path).toMatch(/^\/slots\/3\/extract/);
    const e4 = configError(withEdited('inspection-monthly.json', ['kind'], 'survey'));
    expect(e4.path).toBe('/kind');
  });
});

describe('slot filling', () => {
  const report = flows.form('report');

  it("numbered quick replies come from the bot's systems", () => {
    expect(promptFor(slotOf(report, 'system'), bot)).toMatch(
      /\n1 HIS {2}2 电子病历\(EMR\) {2}3 检验系统\(LIS\) {2}4 影像系统\(PACS\) {2}5 移动护理/,
    );
  });

  it('picks place and contact out of a free message', () => {
    expect(extractSlots(report, 'HIS登不进去了，急诊科，电话13800138000')).toMatchObject({ location: '急诊科', contact: '13800138000' });
    expect(extractSlots(report, '3楼护士站PDA扫不了腕带')).toMatchObject({ location: '3楼护士站' });
  });

  it('one answer can fill the pending slot and the next ("急诊科 分机 8823")', () => {
    const state = markAsked(emptyState(), slotOf(report, 'location'));
    const { state: next } = applyAnswer(report, state, '急诊科 分机 8823', bot);
    expect(next.values).toMatchObject({ location: '急诊科', contact: '8823' });
  });

  it('a system answer by number, by name or by vocabulary', () => {
    const asked = markAsked(emptyState(), slotOf(report, 'system'));
    expect(applyAnswer(report, asked, '3', bot).state.values.system).toBe('lis');
    expect(applyAnswer(report, asked, 'pacs', bot).state.values.system).toBe('pacs');
    expect(applyAnswer(report, asked, '检验那边', bot, (t) => (t.includes('检验') ? 'lis' : null)).state.values.system).toBe('lis');
  });

  it('confirm: "未解决 还是打不开" is the outcome and the reason; "确认 5" the outcome and the rating', () => {
    const confirm = flows.form('confirm');
    const asked = markAsked(emptyState(), slotOf(confirm, 'outcome'));
    expect(applyAnswer(confirm, asked, '未解决 还是打不开', bot).state.values).toEqual({ outcome: 'rejected', reason: '还是打不开' });
    expect(applyAnswer(confirm, asked, '确认 5', bot).state.values).toEqual({ outcome: 'confirmed', rating: '5' });
    expect(applyAnswer(confirm, asked, '没解决', bot).state.values).toEqual({ outcome: 'rejected' });
  });

  it('after the re-ask limit the slot takes its fallback', () => {
    let state = markAsked(emptyState(), slotOf(report, 'system'));
    const first = applyAnswer(report, state, '嗯嗯', bot);
    expect(first.outcome.kind).toBe('retry');
    state = markAsked(first.state, slotOf(report, 'system'));
    const second = applyAnswer(report, state, '嗯嗯', bot);
    expect(second.outcome.kind).toBe('gave-up');
    expect(second.state.values.system).toBe('other');
  });
});

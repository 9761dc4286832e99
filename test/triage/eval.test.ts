import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { createTriage } from '../../src/triage/engine.js';
import { evaluate, formatReport, readLabelled } from '../../src/triage/eval.js';
import { loadTriageModel } from '../../src/triage/model.js';

const bot = loadBots('bots', {}).get('demo')!;
const triage = createTriage(bot, loadTriageModel('flows'));
// The project's labelled dev set is kept inside the repository so a clone placed alone can run its own tests.
const DEV = process.env.TRIAGE_DEV_SET ?? resolve('test/triage/fixtures/dev.jsonl');

function run(file: string) {
  const report = evaluate(triage, readLabelled(file), bot.systems);
  // The misses make a failing threshold self-explaining.
  return { report, text: formatReport(report) };
}

describe('triage accuracy', () => {
  it('meets the targets on the dev set (level ≥ 90 %, system ≥ 95 %, ticket/no-ticket ≥ 98 %)', () => {
    expect(existsSync(DEV), `dev set not found at ${DEV} (set TRIAGE_DEV_SET)`).toBe(true);
    const { report, text } = run(DEV);
    expect(report.total, text).toBe(112);
    expect(report.level.rate, text).toBeGreaterThanOrEqual(0.9);
    expect(report.system.rate, text).toBeGreaterThanOrEqual(0.95);
    expect(report.ticket.rate, text).toBeGreaterThanOrEqual(0.98);
  });

  it('generalises to held-out messages written before tuning (all 14 systems, all levels, chat and commands)', () => {
    const { report, text } = run('test/triage/holdout.jsonl');
    expect(report.total).toBeGreaterThanOrEqual(60);
    expect(report.level.rate, text).toBeGreaterThanOrEqual(0.9);
    expect(report.system.rate, text).toBeGreaterThanOrEqual(0.95);
    expect(report.ticket.rate, text).toBeGreaterThanOrEqual(0.98);
  });

  it('keeps a usable level on a second, harder held-out batch', () => {
    const { report, text } = run('test/triage/holdout2.jsonl');
    expect(report.level.rate, text).toBeGreaterThanOrEqual(0.85);
    expect(report.system.rate, text).toBeGreaterThanOrEqual(0.9);
    expect(report.ticket.rate, text).toBeGreaterThanOrEqual(0.95);
  });

  // Batches 3–10 were written blind, measured, then used to find general gaps: they now guard against regressions.
  it.each([
    'holdout3',
    'holdout4',
    'holdout5',
    'holdout6',
    'holdout7',
    'holdout8',
    'holdout9',
    'holdout10',
  ])('stays at the targets on the later batch %s', (name) => {
    const { report, text } = run(`test/triage/${name}.jsonl`);
    expect(report.level.rate, text).toBeGreaterThanOrEqual(0.9);
    expect(report.system.rate, text).toBeGreaterThanOrEqual(0.95);
    expect(report.ticket.rate, text).toBeGreaterThanOrEqual(0.98);
  });

  it('keeps every measure of the dev set at 98 % or better, for each kind of message too', () => {
    const { report, text } = run(DEV);
    for (const m of [report.level, report.system, report.ticket]) expect(m.rate, text).toBeGreaterThanOrEqual(0.98);
    for (const k of report.byKind) expect(k.all.rate, `${k.kind}\n${text}`).toBeGreaterThanOrEqual(0.98);
  });

  // Batches 11–14 (issue #15) were written in other styles before the rules were read: functional descriptions,
  // ward shorthand, typos, voice run-ons, negation, several faults, scope, urgency, requests, chat, status, injection.
  it.each(['blind11', 'blind12', 'blind13', 'blind14'])('stays at the targets on the blind batch %s', (name) => {
    const { report, text } = run(`test/triage/${name}.jsonl`);
    expect(report.level.rate, text).toBeGreaterThanOrEqual(0.9);
    expect(report.system.rate, text).toBeGreaterThanOrEqual(0.95);
    expect(report.ticket.rate, text).toBeGreaterThanOrEqual(0.98);
    expect(report.intent.rate, text).toBeGreaterThanOrEqual(0.9);
  });

  it('recognises several faults and negation across the blind batches (targets 8 of 12 each)', () => {
    const all = ['blind11', 'blind12', 'blind13', 'blind14'].flatMap((n) => readLabelled(`test/triage/${n}.jsonl`));
    const report = evaluate(triage, all, bot.systems);
    const text = formatReport(report);
    expect(report.multi.total, text).toBeGreaterThanOrEqual(12);
    expect(report.multi.rate, text).toBeGreaterThanOrEqual(8 / 12);
    expect(report.falseMulti, text).toBeLessThanOrEqual(2);
    const negation = report.byKind.find((k) => k.kind === 'negation')!;
    expect(negation.total, text).toBeGreaterThanOrEqual(12);
    expect(negation.all.rate, text).toBeGreaterThanOrEqual(8 / 12);
    expect(negation.ticket.rate, text).toBeGreaterThanOrEqual(0.98);
  });

  it('reports figures per kind, sorting unlabelled lines into named and described systems', () => {
    const { report, text } = run(DEV);
    const kinds = report.byKind.map((k) => k.kind);
    expect(kinds).toEqual(expect.arrayContaining(['named', 'described', 'request', 'chat']));
    expect(report.byKind.reduce((n, k) => n + k.total, 0)).toBe(report.total);
    expect(text).toMatch(/several faults recognised/);
  });

  it('counts a confusion matrix whose cells add up to the examples', () => {
    const { report } = run('test/triage/holdout.jsonl');
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(report.total);
    expect(formatReport(report, false)).toMatch(/level accuracy: +\d+\.\d%/);
  });
});

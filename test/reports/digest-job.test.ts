import { readFileSync } from 'node:fs';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTS_TICK_JOB, runReportsTick } from '../../src/reports/feature.js';
import { OutboxModel } from '../../src/wecom/outbox.js';
import { AS_OF, DIGEST_AT } from '../fixtures/reports-month-2026-10.js';
import { type ReportHarness, startWithFixture } from './service-helpers.js';

const golden = readFileSync(new URL('../fixtures/digest-2026-10-28.md', import.meta.url), 'utf8').trimEnd();
let h: ReportHarness;

beforeAll(async () => {
  // The whole month is stored; the digest at 08:30 on 10-28 sees only what had happened by then.
  h = await startWithFixture('2026-10-28T08:29:00+08:00', AS_OF);
});
afterAll(async () => {
  await h?.stop();
});

describe('daily digest job', () => {
  it('is scheduled as one recurring Agenda job', async () => {
    const jobs = await mongoose.connection.collection('agendaJobs').find({ name: REPORTS_TICK_JOB }).toArray();
    expect(jobs).toHaveLength(1);
  });

  it('sends nothing before the bot’s digest time', async () => {
    await runReportsTick(h.service.ctx);
    expect(await OutboxModel.countDocuments({ group: /^digest:/ })).toBe(0);
  });

  it('at 08:30 sends the digest to each lead by app message, once', async () => {
    h.clock.set(DIGEST_AT);
    await runReportsTick(h.service.ctx);
    const sent = await h.sim.waitFor((all) => all.filter((r) => r.kind === 'message/send').length >= 2);
    const messages = sent
      .filter((r) => r.kind === 'message/send')
      .map((r) => r.body as { touser: string; msgtype: string; markdown: { content: string } });
    expect(messages.map((m) => m.touser).sort()).toEqual(['wanglei', 'xuli']);
    for (const m of messages) {
      expect(m.msgtype).toBe('markdown');
      expect(m.markdown.content).toBe(golden);
    }
    // A second tick the same day (or another instance) adds nothing.
    h.clock.set('2026-10-28T09:15:00+08:00');
    await runReportsTick(h.service.ctx);
    expect(await OutboxModel.countDocuments({ group: /^digest:/ })).toBe(2);
    expect(h.sim.received('webhook/send')).toHaveLength(0);
  });
});

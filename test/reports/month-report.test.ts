import { beforeAll, describe, expect, it } from 'vitest';
import type { BotConfig } from '../../src/config/bots.js';
import { calendarFor } from '../../src/sla/calendar.js';
import { durationFor, durationMs } from '../../src/sla/policy.js';
import { buildSlaReport } from '../../src/reports/sla-report.js';
import { monthData } from '../../src/reports/service.js';
import { foldTimeline, type ReportEvent } from '../../src/reports/timeline.js';
import { monthRange } from '../../src/reports/month.js';
import { ensureTicketIndexes, TicketEvent } from '../../src/tickets/model.js';
import type { TicketEventRecord } from '../../src/tickets/types.js';
import { AS_OF, MONTH, STEPS } from '../fixtures/reports-month-2026-10.js';
import { useTestDb } from '../helpers/db.js';
import { demoBot, FixtureDriver } from './drive.js';
import { EXPECTED_SLA } from './expected-2026-10.js';

useTestDb();

let bot: BotConfig;
let events: TicketEventRecord[];

beforeAll(async () => {
  await ensureTicketIndexes();
  bot = demoBot();
  const driver = new FixtureDriver(bot, STEPS);
  await driver.runUntil(AS_OF);
  events = await TicketEvent.find({ bot: 'demo' }).sort({ no: 1, seq: 1 }).lean<TicketEventRecord[]>();
});

const asOf = () => new Date(AS_OF);

describe('monthly SLA report over a seeded month', () => {
  it('equals the hand-computed figures', async () => {
    const { report } = await monthData(bot, MONTH, asOf());
    const { inspections: _i, ...figures } = report;
    expect(figures).toEqual(EXPECTED_SLA);
  });

  it('keeps every contract name (CONTRACTS.md SlaReport)', async () => {
    const { report } = await monthData(bot, MONTH, asOf());
    for (const k of ['bot', 'month', 'calendarUncertain', 'totals', 'byLevel', 'aggregate', 'breaches', 'bySystem', 'byDepartment'])
      expect(report).toHaveProperty(k);
    for (const k of ['tickets', 'resolved', 'closed', 'open', 'breaches', 'confirmationRate', 'satisfaction'])
      expect(report.totals).toHaveProperty(k);
    for (const b of report.byLevel) {
      for (const k of ['level', 'tickets', 'response', 'onsite', 'resolve', 'byPeriod']) expect(b).toHaveProperty(k);
      for (const p of ['work', 'off', 'holiday'] as const)
        expect(Object.keys(b.byPeriod[p]).sort()).toEqual(['onsite', 'resolve', 'response', 'tickets']);
      expect(Object.keys(b.response).sort()).toEqual(['breached', 'medianMin', 'met', 'metRate', 'p90Min', 'pending']);
    }
    for (const k of ['rate', 'target', 'pass']) expect(report.aggregate.within24h).toHaveProperty(k);
    for (const b of report.breaches) for (const k of ['no', 'target', 'dueAt', 'breachedAt', 'reason']) expect(b).toHaveProperty(k);
  });

  it('is the same when rebuilt from the event log alone (no ticket document)', async () => {
    const byNo = new Map<number, ReportEvent[]>();
    for (const e of events) byNo.set(e.no, [...(byNo.get(e.no) ?? []), e]);
    const range = monthRange(MONTH)!;
    const timelines = [...byNo]
      .map(([no, evs]) => foldTimeline({ no }, evs))
      .filter((t) => t.createdAt >= range.start && t.createdAt < range.end);
    const fromLog = buildSlaReport({ bot, month: MONTH, monthStart: range.start, timelines, asOf: asOf() });
    const { inspections: _i, ...fromDb } = (await monthData(bot, MONTH, asOf())).report;
    expect(fromLog).toEqual(fromDb);
  });

  it('agrees with the elapsed times the SLA engine wrote into the events when each target stopped', async () => {
    // Independent of the report code: claimed.responseMs, arrived.onsiteMs and the last resolved.resolveMs were
    // computed by the SLA engine at the moment; the policy gives the allowed time.
    const cal = calendarFor(bot);
    const { report } = await monthData(bot, MONTH, asOf());
    const perLevel = new Map<number, { response: number[]; onsite: number[]; resolve: number[]; met: Record<string, number> }>();
    const nos = [...new Set(events.map((e) => e.no))];
    for (const no of nos) {
      const evs = events.filter((e) => e.no === no);
      if (evs.some((e) => e.type === 'cancelled')) continue;
      const created = evs.find((e) => e.type === 'created')!;
      const level = (evs.filter((e) => e.type === 'level_changed').at(-1)?.to as number | undefined) ?? (created.level as number);
      const slot = perLevel.get(level) ?? { response: [], onsite: [], resolve: [], met: { response: 0, onsite: 0, resolve: 0 } };
      perLevel.set(level, slot);
      const allowed = (name: 'response' | 'onsite' | 'resolve', at: Date) =>
        durationMs(durationFor(bot, level as 1 | 2 | 3 | 4, name, cal.periodOf(at)), cal);
      const claimed = evs.find((e) => e.type === 'claimed');
      if (claimed) {
        slot.response.push(claimed.responseMs as number);
        if ((claimed.responseMs as number) <= allowed('response', created.at)) slot.met.response += 1;
      }
      const dispatched = evs.find((e) => e.type === 'dispatched');
      const arrived = evs.find((e) => e.type === 'arrived');
      if (dispatched && arrived) {
        slot.onsite.push(arrived.onsiteMs as number);
        if ((arrived.onsiteMs as number) <= allowed('onsite', dispatched.at)) slot.met.onsite += 1;
      }
      const lastResolved = evs.filter((e) => e.type === 'resolved').at(-1);
      const reopenedAfter = lastResolved && evs.some((e) => e.type === 'reopened' && e.seq > lastResolved.seq);
      if (lastResolved && !reopenedAfter) {
        slot.resolve.push(lastResolved.resolveMs as number);
        if ((lastResolved.resolveMs as number) <= allowed('resolve', created.at)) slot.met.resolve += 1;
      }
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
    };
    for (const b of report.byLevel) {
      const slot = perLevel.get(b.level)!;
      for (const name of ['response', 'onsite', 'resolve'] as const) {
        expect(b[name].met, `level ${b.level} ${name} met`).toBe(slot.met[name]);
        if (slot[name].length) expect(b[name].medianMin, `level ${b.level} ${name} median`).toBeCloseTo(median(slot[name]) / 60_000, 1);
        else expect(b[name].medianMin).toBeNull();
      }
    }
  });

  it('lists exactly the breaches the escalation recorded in the log, and counts sign-offs and ratings as the log does', async () => {
    const { report } = await monthData(bot, MONTH, asOf());
    const recorded = events
      .filter((e) => e.type === 'breached')
      .map((e) => ({ no: e.no, target: e.target, breachedAt: (e.breachedAt as Date).getTime() }))
      .sort((a, b) => a.breachedAt - b.breachedAt);
    expect(report.breaches.map((b) => ({ no: b.no, target: b.target, breachedAt: new Date(b.breachedAt).getTime() }))).toEqual(recorded);
    const confirmed = events.filter((e) => e.type === 'confirmed');
    const ratings = confirmed.map((e) => e.rating).filter((r): r is number => typeof r === 'number');
    expect(report.totals.confirmed).toBe(confirmed.length);
    expect(report.totals.satisfaction).toBe(Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100);
    expect(report.totals.autoClosed).toBe(events.filter((e) => e.type === 'closed' && e.auto === true).length);
    const created = events.filter((e) => e.type === 'created');
    const dropped = new Set(events.filter((e) => e.type === 'cancelled').map((e) => e.no));
    expect(report.totals.tickets).toBe(created.filter((e) => !dropped.has(e.no)).length);
    const systems: Record<string, number> = {};
    for (const e of created) if (!dropped.has(e.no)) systems[e.system as string] = (systems[e.system as string] ?? 0) + 1;
    expect(report.bySystem).toEqual(systems);
  });

  it('reports a month without tickets as zeros, rates null or vacuously passing', async () => {
    const { report } = await monthData(bot, '2026-09', asOf());
    expect(report.totals).toMatchObject({ tickets: 0, resolved: 0, open: 0, breaches: 0, confirmationRate: 0, satisfaction: null });
    expect(report.byLevel.map((b) => b.response.metRate)).toEqual([null, null, null, null]);
    expect(report.aggregate.within24h).toMatchObject({ rate: 0, pass: true, tickets: 0 });
    expect(report.breaches).toEqual([]);
  });

  it('flags a month whose holidays are not in the official data (calendarUncertain)', async () => {
    const { report } = await monthData(bot, '2031-03', asOf());
    expect(report.calendarUncertain).toBe(true);
  });
});

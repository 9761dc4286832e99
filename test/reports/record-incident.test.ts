/** The record of an incident (#17's model): one row per report, the incident counted once with its reporters. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { offlineDirectory } from '../../src/people/directory.js';
import { recordPack } from '../../src/reports/service.js';
import { claimTicket, createTicket, linkReport, resolveTicket } from '../../src/tickets/commands/index.js';
import { TicketEventBus } from '../../src/tickets/events.js';
import { ensureTicketIndexes } from '../../src/tickets/model.js';
import { useTestDb } from '../helpers/db.js';
import { demoBot } from './drive.js';

useTestDb();

const clock = new ManualClock('2026-11-03T09:00:00+08:00');
const ctx = { bot: demoBot(), clock, events: new TicketEventBus() };
const reporter = (userid: string) => ({ userid, name: userid });

beforeAll(async () => {
  await ensureTicketIndexes();
  for (const u of ['nurse01', 'nurse02', 'nurse03']) {
    const r = await createTicket(ctx, { system: 'his', level: 2, title: 'HIS登录不上', reporter: reporter(u) });
    if (!r.ok) throw new Error(r.message);
    clock.advance(60_000);
  }
  const incident = await createTicket(ctx, {
    system: 'his',
    level: 1,
    title: 'HIS 多科室无法登录',
    reporter: reporter('nurse01'),
    incident: { symptom: 'login', reports: [] },
  });
  if (!incident.ok) throw new Error(incident.message);
  for (const no of [1, 2, 3]) {
    const r = await linkReport(ctx, { incidentNo: 4, reportNo: no, actor: 'system' });
    if (!r.ok) throw new Error(r.message);
  }
  clock.advance(10 * 60_000);
  await claimTicket(ctx, { no: 4, actor: { userid: 'zhangwei' } });
  clock.advance(30 * 60_000);
  const done = await resolveTicket(ctx, { no: 4, actor: { userid: 'zhangwei' }, cause: '数据库锁表', action: '结束阻塞会话' });
  if (!done.ok) throw new Error(done.message);
});

describe('an incident in the maintenance record', () => {
  it('counts the incident once with its reporters and lists each linked report as merged, outside the SLA', async () => {
    const pack = await recordPack(ctx.bot, '2026-11', new Date('2026-11-04T09:00:00+08:00'), offlineDirectory(clock));
    expect(pack.report.totals.tickets).toBe(1);
    expect(pack.rows.map((r) => [r.no, r.closedBy, r.counted, r.response])).toEqual([
      [1, '合并到 #4', '否（合并到 #4）', '不计入'],
      [2, '合并到 #4', '否（合并到 #4）', '不计入'],
      [3, '合并到 #4', '否（合并到 #4）', '不计入'],
      [4, '', '是', '达标'],
    ]);
    // nurse01 opened the incident and one of the reports: three people reported it.
    expect(pack.rows[3]).toMatchObject({ reporters: 3, reporter: '李护士', engineer: '张伟', level: '一级' });
    expect(pack.reconciliation.note).toContain('工单总数 1 = 记录 4 行');
    expect(pack.reconciliation.excluded.merged).toBe(3);
  });
});

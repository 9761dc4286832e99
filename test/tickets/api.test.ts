import { ticketContextOf } from '../../src/service.js';
import type { Server } from 'node:http';
import { parse } from 'csv-parse/sync';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createApp } from '../../src/http/app.js';
import type { Service } from '../../src/service.js';
import { claimTicket, createTicket, resolveTicket } from '../../src/tickets/commands/index.js';
import { ticketsFeature } from '../../src/tickets/feature.js';
import { ticketRoutes } from '../../src/tickets/http/routes.js';
import { AUTO_CLOSE_JOB, CONFIRM_REMINDER_JOB } from '../../src/tickets/jobs.js';
import { getTicket } from '../../src/tickets/queries.js';
import type { TicketContext } from '../../src/tickets/types.js';
import { startTestService } from '../helpers/service.js';
import { ENGINEER, HOUR, nurse } from './helpers.js';

const TOKEN = 'test-admin-token';
// Business time 80 h in the past, so the 24 h reminder and the 72 h auto-close are already due for Agenda.
const clock = new ManualClock(new Date(Date.now() - 80 * HOUR));
let svc: Service;
let ctx: TicketContext;

const get = (path: string, token: string | null = TOKEN) =>
  fetch(svc.url + path, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } });

beforeAll(async () => {
  svc = await startTestService({ clock, features: [ticketsFeature] });
  ctx = ticketContextOf(svc.ctx, svc.ctx.bots.get('demo')!);
  const reports = [
    { system: 'lis', level: 1, title: 'LIS报告打印不出来', reporter: nurse },
    { system: 'his', level: 2, title: '门诊收费卡顿', reporter: { userid: 'clerk_he', name: '何丽', department: '收费处' } },
    { system: 'his', level: 3, title: '=HYPERLINK("http://x")', reporter: { userid: 'clerk_he', name: '何丽', department: '收费处' } },
    { system: 'pacs', level: 4, title: '申请开通阅片账号', reporter: { userid: 'doc_zhao', name: '赵医生', department: '放射科' } },
  ] as const;
  for (const r of reports) {
    const res = await createTicket(ctx, { ...r });
    if (!res.ok) throw new Error(res.message);
    clock.advance(HOUR);
  }
  await claimTicket(ctx, { no: 2, actor: ENGINEER });
}, 60_000);

async function resolvedTicket(): Promise<number> {
  const created = await createTicket(ctx, { system: 'lis', level: 2, title: '条码打印机缺纸', reporter: nurse });
  if (!created.ok) throw new Error(created.message);
  const no = created.ticket.no;
  await claimTicket(ctx, { no, actor: ENGINEER });
  const resolved = await resolveTicket(ctx, { no, actor: ENGINEER, cause: '缺纸', action: '换纸' });
  if (!resolved.ok) throw new Error(resolved.message);
  return no;
}

afterAll(async () => {
  await svc?.stop();
});

describe('admin ticket API', () => {
  it('requires the bearer ADMIN_TOKEN', async () => {
    const none = await get('/api/tickets', null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.json()).toMatchObject({ error: 'unauthorized' });
    expect((await get('/api/tickets', 'wrong-token')).status).toBe(401);
    expect((await get('/api/tickets.csv', 'test-admin-token2')).status).toBe(401);
    expect((await get('/api/tickets/demo/1', 'x')).status).toBe(401);
    expect((await get('/api/tickets')).status).toBe(200);
  });

  it('refuses everyone with a hint when ADMIN_TOKEN is not set', async () => {
    const app = createApp([ticketRoutes({ bots: svc.ctx.bots, adminToken: () => '' })]);
    const server: Server = await new Promise((res) => {
      const s = app.listen(0, '127.0.0.1', () => res(s));
    });
    try {
      const port = (server.address() as { port: number }).port;
      const r = await fetch(`http://127.0.0.1:${port}/api/tickets`, { headers: { Authorization: 'Bearer ' } });
      expect(r.status).toBe(401);
      expect((await r.json()).message).toContain('ADMIN_TOKEN is not set');
    } finally {
      server.close();
    }
  });

  it('lists tickets as contract JSON, newest first, with filters and paging', async () => {
    const all = await (await get('/api/tickets?bot=demo')).json();
    expect(all.total).toBe(4);
    expect(all.items.map((t: { no: number }) => t.no)).toEqual([4, 3, 2, 1]);
    const two = all.items.find((t: { no: number }) => t.no === 2);
    expect(two).toMatchObject({
      no: 2,
      bot: 'demo',
      level: 2,
      system: 'his',
      status: 'claimed',
      assignee: { userid: 'zhangwei', name: '张伟' },
      reporter: { userid: 'clerk_he', name: '何丽', department: '收费处' },
      parentNo: null,
    });
    expect(two.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(two.sla.response).toMatchObject({ pausedMs: 0, breachedAt: null, clock: 'wall' });
    expect(two.sla.response.metAt).toMatch(/\+08:00$/);
    expect(two.sla.onsite).toBeNull();

    const q = async (query: string) =>
      (await (await get(`/api/tickets?${query}`)).json()) as { items: Array<{ no: number }>; total: number };
    expect((await q('status=claimed')).items.map((t) => t.no)).toEqual([2]);
    expect((await q('status=open,claimed&level=1&level=2')).items.map((t) => t.no)).toEqual([2, 1]);
    expect((await q('system=his')).total).toBe(2);
    expect((await q('q=打印')).items.map((t) => t.no)).toEqual([1]);
    expect((await q('q=放射')).items.map((t) => t.no)).toEqual([4]);
    expect((await q(`q=${encodeURIComponent('#3')}`)).items.map((t) => t.no)).toEqual([3]);
    const secondAt = two.createdAt as string;
    expect((await q(`from=${encodeURIComponent(secondAt)}`)).items.map((t) => t.no)).toEqual([4, 3, 2]);
    expect((await q(`to=${encodeURIComponent(secondAt)}`)).items.map((t) => t.no)).toEqual([1]);
    const page = await q('limit=2&page=2');
    expect(page).toMatchObject({ total: 4 });
    expect(page.items.map((t) => t.no)).toEqual([2, 1]);
  });

  it('rejects bad parameters with 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['limit=1001', 'limit'],
      ['limit=0', 'limit'],
      ['page=abc', 'page'],
      ['status=bogus', 'status'],
      ['level=5', 'level'],
      ['system=LIS!', 'system'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['bot=nope', 'bot'],
      ['colour=red', 'colour'],
      ['from=2026-11-02&to=2026-11-01', 'to'],
    ];
    for (const [query, param] of cases) {
      const r = await get(`/api/tickets?${query}`);
      expect(r.status, query).toBe(400);
      const body = await r.json();
      expect(body.error).toBe('bad_request');
      expect(body.message, query).toContain(`"${param}"`);
    }
    expect((await get('/api/tickets.csv?limit=5000')).status).toBe(400);
    expect((await get('/api/tickets?limit=1000')).status).toBe(200);
  });

  it('returns one ticket with its events in order, 404 when there is none', async () => {
    const r = await get('/api/tickets/demo/2');
    expect(r.status).toBe(200);
    const t = await r.json();
    expect(t).toMatchObject({ no: 2, status: 'claimed' });
    expect(t.events.map((e: { type: string }) => e.type)).toEqual(['created', 'claimed']);
    expect(t.events[1]).toMatchObject({ seq: 2, actor: 'zhangwei', assignee: { userid: 'zhangwei', name: '张伟' } });
    expect(t.events[1].at).toMatch(/\+08:00$/);
    const missing = await get('/api/tickets/demo/999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
    expect((await get('/api/tickets/nope/1')).status).toBe(404);
    expect((await get('/api/tickets/demo/abc')).status).toBe(400);
  });

  it('exports the same filter as CSV with a BOM, Chinese intact and formulas neutralised', async () => {
    const r = await get('/api/tickets.csv?bot=demo&system=his,lis');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="tickets-demo-\d{8}-\d{4}\.csv"/);
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(Buffer.from(bytes), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((x) => x['工单号'])).toEqual(['1', '2', '3']);
    expect(rows[0]).toMatchObject({
      项目: '演示医院',
      级别: '一级/紧急',
      系统: '检验系统(LIS)',
      状态: '待接单',
      故障描述: 'LIS报告打印不出来',
      报修人: '李娜',
      科室: '检验科',
    });
    // Reported at T+1 h, claimed at T+4 h: the 1 h response target of level 2 was missed.
    expect(rows[1]).toMatchObject({ 处理人: '张伟', 状态: '处理中', 响应: '超时' });
    expect(rows[1]['报修时间']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(rows[2]['故障描述']).toBe(`'=HYPERLINK("http://x")`);
  });

  it('schedules the confirmation reminder and the auto-close from the resolution time', async () => {
    clock.set(new Date(Date.now() + HOUR));
    const no = await resolvedTicket();
    const resolvedAt = (await getTicket('demo', no))!.resolvedAt!;
    const jobs = await mongoose.connection.db!.collection('agendaJobs').find({ 'data.no': no }).toArray();
    const at = Object.fromEntries(jobs.map((j) => [j.name, new Date(j.data.dueAt).getTime() - resolvedAt.getTime()]));
    expect(at).toEqual({ [CONFIRM_REMINDER_JOB]: 24 * HOUR, [AUTO_CLOSE_JOB]: 72 * HOUR });
  });
});

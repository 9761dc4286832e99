import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayjs } from '../../src/time.js';
import { AS_OF } from '../fixtures/reports-month-2026-10.js';
import { EXPECTED_SLA } from './expected-2026-10.js';
import { type ReportHarness, startWithFixture } from './service-helpers.js';

let h: ReportHarness;
const auth = { Authorization: 'Bearer test-admin-token' };
const get = (path: string, headers: Record<string, string> = auth) => fetch(`${h.service.url}${path}`, { headers });

beforeAll(async () => {
  h = await startWithFixture(AS_OF, AS_OF);
});
afterAll(async () => {
  await h?.stop();
});

/** Excel date cells hold local wall time; read them back as "YYYY-MM-DD HH:mm". */
const cellTime = (v: unknown) => (v instanceof Date ? dayjs.utc(v).format('YYYY-MM-DD HH:mm') : v);

describe('GET /api/reports/sla', () => {
  it('answers the month’s SLA JSON', async () => {
    const res = await get('/api/reports/sla?bot=demo&month=2026-10');
    expect(res.status).toBe(200);
    const body = await res.json();
    const { inspections, ...figures } = body;
    expect(figures).toEqual(EXPECTED_SLA);
    // The demo's monthly HIS inspection was due 10-01 09:00 and never done (no engine ran in this month).
    expect(inspections).toMatchObject({ planned: 1, done: 0, missed: 1, problems: 0, ticketsOpened: 0 });
    expect(inspections.items).toEqual([
      {
        plan: 'monthly-his',
        name: 'HIS月度巡检',
        period: '2026-10',
        dueAt: '2026-10-01T09:00:00+08:00',
        status: 'missed',
        doneAt: null,
        problems: 0,
      },
    ]);
  });

  it('refuses without the admin token', async () => {
    expect((await get('/api/reports/sla?bot=demo&month=2026-10', {})).status).toBe(401);
    expect((await get('/api/reports/records.xlsx?bot=demo&month=2026-10', { Authorization: 'Bearer nope' })).status).toBe(401);
  });

  it.each([
    ['/api/reports/sla?bot=demo&month=2026-13', 'month'],
    ['/api/reports/sla?bot=demo&month=202610', 'month'],
    ['/api/reports/sla?bot=demo', 'month'],
    ['/api/reports/sla?bot=nobody&month=2026-10', 'bot'],
    ['/api/reports/sla?bot=Demo!&month=2026-10', 'bot'],
    ['/api/reports/sla?month=2026-10', 'bot'],
    ['/api/reports/records.xlsx?bot=demo&month=26-10', 'month'],
    ['/api/reports/records.csv?bot=demo&month=2026-10&x=1', 'x'],
  ])('400 naming the parameter: %s', async (path, param) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe('bad_request');
    expect(body.message).toContain(`"${param}"`);
  });
});

describe('GET /api/reports/records.xlsx', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    const res = await get('/api/reports/records.xlsx?bot=demo&month=2026-10');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  });

  it('has the record sheet with Chinese headers, a frozen header row and set widths', () => {
    const ws = wb.getWorksheet('维护记录')!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 18)).toEqual([
      '工单号',
      '报修时间',
      '接单时间',
      '到场时间',
      '解决时间',
      '确认时间',
      '级别',
      '系统',
      '科室',
      '报修人',
      '工程师',
      '故障原因',
      '处理措施',
      '现场/远程',
      '响应达标',
      '到场达标',
      '解决达标',
      '评分',
    ]);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    for (let c = 1; c <= headers.length; c++) expect(ws.getColumn(c).width).toBeGreaterThan(0);
    expect(ws.rowCount).toBe(1 + 16);
  });

  it('holds one row per ticket in local time with the SLA outcome of each target', () => {
    const ws = wb.getWorksheet('维护记录')!;
    const row = (no: number) => {
      const r = ws.getRow(no + 1);
      const out: Record<string, unknown> = {};
      (ws.getRow(1).values as string[]).forEach((h, i) => {
        if (h) out[h] = cellTime(r.getCell(i).value);
      });
      return out;
    };
    expect(row(1)).toMatchObject({
      工单号: 1,
      报修时间: '2026-10-03 22:00',
      接单时间: '2026-10-03 22:20',
      到场时间: '2026-10-04 00:10',
      解决时间: '2026-10-04 03:00',
      确认时间: '2026-10-04 09:00',
      级别: '一级',
      系统: 'HIS',
      科室: '急诊科',
      报修人: '周敏',
      工程师: '张伟',
      故障原因: '数据库连接池耗尽',
      '现场/远程': '现场',
      响应达标: '达标',
      到场达标: '达标',
      解决达标: '达标',
      评分: 5,
      关闭方式: '报修人确认',
    });
    expect(row(6)).toMatchObject({ 工程师: '赵敏', 解决达标: '超时', 到场达标: '—', '现场/远程': '远程', 关闭方式: '超时自动关闭' });
    expect(row(11)).toMatchObject({ 到场达标: '超时', 评分: null });
    expect(row(12)).toMatchObject({ 关闭方式: '合并到 #11' });
    expect(row(16)).toMatchObject({ 接单时间: null, 响应达标: '超时', 解决达标: '进行中', 状态: '待接单' });
  });

  it('has the summary sheet with the month’s figures and the breach sheet', () => {
    const ws = wb.getWorksheet('汇总')!;
    const byLabel = new Map<string, unknown>();
    ws.eachRow((r) => byLabel.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(byLabel.get('工单总数')).toBe(14);
    expect(byLabel.get('超时项数')).toBe(5);
    expect(byLabel.get('确认率')).toBe('75%');
    expect(byLabel.get('满意度（平均评分）')).toBe(4);
    expect(byLabel.get('24 小时内解决')).toBe('55.6%');
    expect(byLabel.get('72 小时内解决')).toBe('88.9%');
    const levels: unknown[][] = [];
    ws.eachRow((r) => {
      if (r.getCell(2).value === '全部') levels.push((r.values as unknown[]).slice(1, 4));
    });
    expect(levels).toEqual([
      ['一级', '全部', 3],
      ['二级', '全部', 5],
      ['三级', '全部', 5],
      ['四级', '全部', 1],
    ]);
    const breaches = wb.getWorksheet('超时明细')!;
    expect(breaches.rowCount).toBe(1 + 5);
    expect(cellTime(breaches.getRow(3).getCell(5).value)).toBe('2026-10-21 09:00');
  });
});

describe('GET /api/reports/records.pdf', () => {
  it('is a PDF attachment of the acceptance pack; bad parameters get 400 JSON', async () => {
    const res = await get('/api/reports/records.pdf?bot=demo&month=2026-10');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const buf = Buffer.from(await res.arrayBuffer());
    expect(buf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const bad = await get('/api/reports/records.pdf?bot=demo&month=2026-1');
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('"month"');
    expect((await get('/api/reports/records.pdf?bot=demo&month=2026-10', {})).status).toBe(401);
  });
});

describe('GET /api/reports/records.csv', () => {
  it('is the record sheet as UTF-8 CSV with BOM, Chinese intact', async () => {
    const res = await get('/api/reports/records.csv?bot=demo&month=2026-10');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const buf = Buffer.from(await res.arrayBuffer());
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(buf.toString('utf8').slice(1), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(16);
    expect(rows[0]).toMatchObject({ 工单号: '1', 报修时间: '2026-10-03 22:00', 科室: '急诊科', 故障原因: '数据库连接池耗尽', 评分: '5' });
    expect(rows[2]).toMatchObject({ 工单号: '3', 解决时间: '2026-10-12 11:00', 关闭方式: '超时自动关闭' });
  });
});

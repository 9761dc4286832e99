/** The monthly maintenance record as an Excel workbook (汇总 / 维护记录 / 超时明细 / 巡检) and the CSV ticket sheet. */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { BotConfig } from '../config/bots.js';
import { local } from '../time.js';
import { LEVEL_NAME, PERIOD_NAME, pct, TARGET_NAME } from './labels.js';
import { localText, RECORD_COLUMNS, type RecordRow, recordRow, safeText } from './records.js';
import type { SlaReport, Stat } from './sla-report.js';
import type { Timeline } from './timeline.js';

const TIME_FORMAT = 'yyyy-mm-dd hh:mm';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

/** Excel has no time zones: a date cell holds the local wall time (written as if it were UTC). */
export function excelLocal(d: Date): Date {
  return new Date(d.getTime() + local(d).utcOffset() * 60_000);
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.fill = HEADER_FILL;
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
}

function addRecordSheet(wb: ExcelJS.Workbook, rows: RecordRow[]): void {
  const ws = wb.addWorksheet('维护记录', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  // An empty style object makes exceljs drop the width: pass a style only where there is one.
  ws.columns = RECORD_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.time ? { style: { numFmt: TIME_FORMAT } } : {}),
  }));
  styleHeader(ws.getRow(1));
  for (const r of rows) {
    const cells: Record<string, unknown> = {};
    for (const c of RECORD_COLUMNS) {
      const v = r[c.key];
      cells[c.key] = v instanceof Date ? excelLocal(v) : typeof v === 'string' ? safeText(v) : v;
    }
    ws.addRow(cells);
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: RECORD_COLUMNS.length } };
}

const statCells = (s: Stat): Array<string | number | null> => [s.met, s.breached, s.pending, pct(s.metRate), s.medianMin, s.p90Min];

function addSummarySheet(wb: ExcelJS.Workbook, bot: BotConfig, report: SlaReport): void {
  const ws = wb.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [{ width: 22 }, { width: 12 }, ...Array.from({ length: 18 }, () => ({ width: 10 }))];
  const title = ws.addRow([`${bot.name} 维保服务月度报告 ${report.month}`]);
  title.font = { bold: true, size: 14 };
  const t = report.totals;
  const rows: Array<[string, string | number | null]> = [
    ['统计截至', report.asOf.replace('T', ' ').slice(0, 16)],
    ['日历提示', report.calendarUncertain ? '本月节假日数据未收录，按周一至周五计算' : '正常'],
    ['工单总数', t.tickets],
    ['已解决', t.resolved],
    ['已关闭', t.closed],
    ['未解决', t.open],
    ['超时项数', t.breaches],
    ['确认率', pct(t.confirmationRate)],
    ['报修人确认', t.confirmed],
    ['超时自动关闭', t.autoClosed],
    ['重开工单', t.reopened],
    ['满意度（平均评分）', t.satisfaction],
    ['评分数', t.ratings],
    ['已取消', t.cancelled],
    ['合并重复报修', t.merged],
  ];
  for (const r of rows) ws.addRow(r).getCell(1).font = { bold: true };
  ws.addRow([]);
  const agg = report.aggregate;
  ws.addRow([`汇总指标（${agg.levels.map((l) => LEVEL_NAME[l]).join('、')}）`, '达成', '目标', '结果', '工单数']).font = { bold: true };
  ws.addRow([
    '24 小时内解决',
    pct(agg.within24h.rate),
    pct(agg.within24h.target),
    agg.within24h.pass ? '达标' : '未达标',
    agg.within24h.tickets,
  ]);
  ws.addRow([
    '72 小时内解决',
    pct(agg.within72h.rate),
    pct(agg.within72h.target),
    agg.within72h.pass ? '达标' : '未达标',
    agg.within72h.tickets,
  ]);
  ws.addRow([]);
  const head = ['级别', '时段', '工单数'];
  for (const target of ['response', 'onsite', 'resolve'] as const) {
    const n = TARGET_NAME[target];
    head.push(`${n}达标`, `${n}超时`, `${n}进行中`, `${n}达标率`, `${n}中位(分钟)`, `${n}P90(分钟)`);
  }
  styleHeader(ws.addRow(head));
  for (const b of report.byLevel) {
    ws.addRow([LEVEL_NAME[b.level], '全部', b.tickets, ...statCells(b.response), ...statCells(b.onsite), ...statCells(b.resolve)]).font = {
      bold: true,
    };
    for (const p of ['work', 'off', 'holiday'] as const) {
      const x = b.byPeriod[p];
      ws.addRow([
        LEVEL_NAME[b.level],
        PERIOD_NAME[p],
        x.tickets,
        ...statCells(x.response),
        ...statCells(x.onsite),
        ...statCells(x.resolve),
      ]);
    }
  }
  ws.addRow([]);
  ws.addRow(['按系统', '工单数']).font = { bold: true };
  for (const [k, n] of Object.entries(report.bySystem)) ws.addRow([bot.systems.find((s) => s.id === k)?.name ?? k, n]);
  ws.addRow([]);
  ws.addRow(['按科室', '工单数']).font = { bold: true };
  for (const [k, n] of Object.entries(report.byDepartment)) ws.addRow([safeText(k), n]);
  if (report.inspections) {
    const i = report.inspections;
    ws.addRow([]);
    ws.addRow(['巡检', '计划', '完成', '逾期未完成', '进行中', '发现问题', '开单']).font = { bold: true };
    ws.addRow(['', i.planned, i.done, i.missed, i.inProgress, i.problems, i.ticketsOpened]);
  }
}

function addBreachSheet(wb: ExcelJS.Workbook, bot: BotConfig, report: SlaReport): void {
  const ws = wb.addWorksheet('超时明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '工单号', key: 'no', width: 8 },
    { header: '级别', key: 'level', width: 6 },
    { header: '系统', key: 'system', width: 16 },
    { header: '指标', key: 'target', width: 8 },
    { header: '时限', key: 'dueAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '超时时间', key: 'breachedAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '完成时间', key: 'stoppedAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '原因', key: 'reason', width: 40 },
  ];
  styleHeader(ws.getRow(1));
  for (const b of report.breaches) {
    ws.addRow({
      no: b.no,
      level: LEVEL_NAME[b.level],
      system: bot.systems.find((s) => s.id === b.system)?.name ?? b.system,
      target: TARGET_NAME[b.target],
      dueAt: excelLocal(new Date(b.dueAt)),
      breachedAt: excelLocal(new Date(b.breachedAt)),
      stoppedAt: b.stoppedAt ? excelLocal(new Date(b.stoppedAt)) : null,
      reason: safeText(b.reason),
    });
  }
}

function addInspectionSheet(wb: ExcelJS.Workbook, report: SlaReport): void {
  if (!report.inspections?.items.length) return;
  const ws = wb.addWorksheet('巡检', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '巡检计划', key: 'name', width: 20 },
    { header: '周期', key: 'period', width: 12 },
    { header: '应完成', key: 'dueAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '状态', key: 'status', width: 10 },
    { header: '完成时间', key: 'doneAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '发现问题', key: 'problems', width: 10 },
  ];
  styleHeader(ws.getRow(1));
  const status: Record<string, string> = { done: '已完成', pending: '待开始', in_progress: '进行中', missed: '逾期未完成' };
  for (const i of report.inspections.items) {
    ws.addRow({
      name: i.name,
      period: i.period,
      dueAt: excelLocal(new Date(i.dueAt)),
      status: status[i.status] ?? i.status,
      doneAt: i.doneAt ? excelLocal(new Date(i.doneAt)) : null,
      problems: i.problems,
    });
  }
}

export async function buildWorkbook(bot: BotConfig, report: SlaReport, timelines: Timeline[], asOf: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '维保助手';
  wb.created = asOf;
  addSummarySheet(wb, bot, report);
  addRecordSheet(
    wb,
    [...timelines].sort((a, b) => a.no - b.no).map((t) => recordRow(bot, t, asOf)),
  );
  addBreachSheet(wb, bot, report);
  addInspectionSheet(wb, report);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The 维护记录 sheet as CSV: UTF-8 with BOM so Excel opens the Chinese correctly. */
export function buildRecordsCsv(bot: BotConfig, timelines: Timeline[], asOf: Date): string {
  const rows = [...timelines]
    .sort((a, b) => a.no - b.no)
    .map((t) => {
      const r = recordRow(bot, t, asOf);
      return RECORD_COLUMNS.map((c) => {
        const v = r[c.key];
        return v instanceof Date ? localText(v) : typeof v === 'string' ? safeText(v) : (v ?? '');
      });
    });
  return `\uFEFF${stringify([RECORD_COLUMNS.map((c) => c.header), ...rows], { record_delimiter: '\r\n' })}`;
}

/** The monthly maintenance record as an Excel workbook (汇总 / 维护记录 / 超时明细 / 巡检 / 转信息科) and the CSV ticket sheet. */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { local } from '../time.js';
import { LEVEL_NAME, PERIOD_NAME, pct, TARGET_NAME } from './labels.js';
import { localText, RECORD_COLUMNS, type RecordRow, safeText } from './records.js';
import type { RecordPack } from './pack.js';
import type { Stat } from './sla-report.js';

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
  // The fix history and the description run over several lines.
  for (const key of ['history', 'title', 'cause', 'action', 'comment']) ws.getColumn(key).alignment = { wrapText: true, vertical: 'top' };
}

const statCells = (s: Stat): Array<string | number | null> => [s.met, s.breached, s.pending, pct(s.metRate), s.medianMin, s.p90Min];

/** Excel header/footer codes treat "&" as a control character. */
const hf = (text: string) => text.replaceAll('&', '&&');

/**
 * Print setup of every sheet: A4 landscape, one page wide (as many pages tall as needed), the header rows
 * repeated on each page, the title in the page header and "第 n 页 / 共 m 页" in the footer.
 */
export function printSetup(ws: ExcelJS.Worksheet, title: string, headerRows = '1:1'): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: headerRows,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { oddHeader: `&C&"-,Bold"${hf(title)}`, oddFooter: '&C第 &P 页 / 共 &N 页' };
}

function signoffText(pack: RecordPack): string {
  const s = pack.signoff.signed;
  if (s) return `${s.name} 于 ${local(s.at).format('YYYY-MM-DD HH:mm')} 在企业微信签收（月报签收）`;
  const last = pack.signoff.events.at(-1);
  if (last?.type === 'withdrawn')
    return `尚未签收（${last.name} 于 ${local(last.at).format('YYYY-MM-DD HH:mm')} 撤回签收，原因：${last.reason ?? ''}）`;
  return '尚未签收';
}

/** The signature lines of both parties (also in the PDF). */
export function signatureLines(pack: RecordPack): Array<[string, string, string]> {
  return [
    [`甲方（医院）：${pack.title.hospital}`, '负责人签字：________________', '日期：______年____月____日'],
    [`乙方（维保单位）：${pack.title.vendor || '________________'}`, '负责人签字：________________', '日期：______年____月____日'],
  ];
}

function addSummarySheet(wb: ExcelJS.Workbook, pack: RecordPack): void {
  const { bot, report, title } = pack;
  const ws = wb.addWorksheet('汇总');
  ws.columns = [{ width: 26 }, { width: 30 }, { width: 30 }, { width: 12 }, ...Array.from({ length: 16 }, () => ({ width: 10 }))];
  const head = ws.addRow([title.title]);
  head.font = { bold: true, size: 16 };
  ws.mergeCells(1, 1, 1, 8);
  const block: Array<[string, string]> = [
    ['甲方（医院）', title.hospital],
    ['项目名称', title.project],
    ['合同编号', title.contractNo],
    ['乙方（维保单位）', title.vendor],
    ['服务期', title.servicePeriod],
    ['记录月份', title.month],
    ['统计截至', local(title.asOf).format('YYYY-MM-DD HH:mm')],
    ['生成时间', local(title.generatedAt).format('YYYY-MM-DD HH:mm')],
    ['甲方签收', signoffText(pack)],
  ];
  for (const r of block) ws.addRow(r.map(safeText)).getCell(1).font = { bold: true };
  ws.addRow([]);
  styleHeader(ws.addRow(['合同指标', '合同目标', '本月实际', '结果']));
  for (const h of pack.headlines) {
    const row = ws.addRow([h.label, h.target, h.actual, h.result]);
    if (h.result === '未达标') row.getCell(4).font = { bold: true, color: { argb: 'FFC00000' } };
  }
  ws.addRow([]);
  const t = report.totals;
  const rows: Array<[string, string | number | null]> = [
    ['日历提示', report.calendarUncertain ? '本月节假日数据未收录，按周一至周五计算' : '正常'],
    ['工单总数', t.tickets],
    ['记录行数', pack.reconciliation.rows],
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
    ['报修人撤销', t.withdrawn],
    ['合并重复报修', t.merged],
    ['转信息科', t.referred],
    ['核对说明', pack.reconciliation.note],
  ];
  for (const r of rows) ws.addRow(r).getCell(1).font = { bold: true };
  ws.addRow([]);
  const agg = report.aggregate;
  ws.addRow([`汇总指标（${agg.levels.map((l) => LEVEL_NAME[l]).join('、')}）`, '达成', '目标', '结果', '工单数']).font = { bold: true };
  for (const [label, a] of [
    ['24 小时内解决', agg.within24h],
    ['72 小时内解决', agg.within72h],
  ] as const) {
    ws.addRow([label, pct(a.rate), pct(a.target), a.tickets === 0 ? '—' : a.pass ? '达标' : '未达标', a.tickets]);
  }
  ws.addRow([]);
  const levelHead = ['级别', '时段', '工单数'];
  for (const target of ['response', 'onsite', 'resolve'] as const) {
    const n = TARGET_NAME[target];
    levelHead.push(`${n}达标`, `${n}超时`, `${n}进行中`, `${n}达标率`, `${n}中位(分钟)`, `${n}P90(分钟)`);
  }
  styleHeader(ws.addRow(levelHead));
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
  ws.addRow([]);
  ws.addRow(['双方确认', '本记录经双方核对无误。']).font = { bold: true };
  for (const line of signatureLines(pack)) {
    const row = ws.addRow(line.map(safeText));
    row.height = 30;
    row.alignment = { vertical: 'bottom' };
  }
  printSetup(ws, title.title);
}

function addBreachSheet(wb: ExcelJS.Workbook, pack: RecordPack): void {
  const { bot } = pack;
  const ws = wb.addWorksheet('超时明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '工单号', key: 'no', width: 8 },
    { header: '级别', key: 'level', width: 6 },
    { header: '系统', key: 'system', width: 16 },
    { header: '指标', key: 'target', width: 8 },
    { header: '时限', key: 'dueAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '实际完成时间', key: 'stoppedAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '超出（分钟）', key: 'overMin', width: 12 },
    { header: '原因', key: 'reason', width: 36 },
    { header: '超时说明', key: 'explanation', width: 36 },
    { header: '说明人', key: 'explainedBy', width: 10 },
    { header: '说明时间', key: 'explainedAt', width: 17, style: { numFmt: TIME_FORMAT } },
  ];
  styleHeader(ws.getRow(1));
  for (const b of pack.breaches) {
    ws.addRow({
      no: b.no,
      level: LEVEL_NAME[b.level],
      system: bot.systems.find((s) => s.id === b.system)?.name ?? b.system,
      target: TARGET_NAME[b.target],
      dueAt: excelLocal(new Date(b.dueAt)),
      stoppedAt: b.stoppedAt ? excelLocal(new Date(b.stoppedAt)) : '未完成',
      overMin: b.overMin,
      reason: safeText(b.reason),
      explanation: b.explanation ? safeText(b.explanation) : '（未说明）',
      explainedBy: b.explainedBy,
      explainedAt: b.explainedAt ? excelLocal(b.explainedAt) : null,
    });
  }
  printSetup(ws, pack.title.title);
}

const INSPECTION_STATUS: Record<string, string> = { done: '已完成', pending: '待开始', in_progress: '进行中', missed: '逾期未完成' };

function addInspectionSheet(wb: ExcelJS.Workbook, pack: RecordPack): void {
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
  for (const i of pack.report.inspections?.items ?? []) {
    ws.addRow({
      name: i.name,
      period: i.period,
      dueAt: excelLocal(new Date(i.dueAt)),
      status: INSPECTION_STATUS[i.status] ?? i.status,
      doneAt: i.doneAt ? excelLocal(new Date(i.doneAt)) : null,
      problems: i.problems,
    });
  }
  printSetup(ws, pack.title.title);
}

function addReferralSheet(wb: ExcelJS.Workbook, pack: RecordPack): void {
  const ws = wb.addWorksheet('转信息科', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '工单号', key: 'no', width: 8 },
    { header: '报修时间', key: 'createdAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '转交时间', key: 'referredAt', width: 17, style: { numFmt: TIME_FORMAT } },
    { header: '系统', key: 'system', width: 16 },
    { header: '科室', key: 'department', width: 12 },
    { header: '报修人', key: 'reporter', width: 10 },
    { header: '信息科接收人', key: 'to', width: 12 },
    { header: '问题描述', key: 'title', width: 40 },
    { header: '状态', key: 'status', width: 10 },
    { header: '说明', key: 'note', width: 20 },
  ];
  styleHeader(ws.getRow(1));
  for (const r of pack.referrals) {
    ws.addRow({
      ...r,
      createdAt: excelLocal(r.createdAt),
      referredAt: excelLocal(r.referredAt),
      department: safeText(r.department),
      title: safeText(r.title),
      note: '不计入维保服务考核',
    });
  }
  printSetup(ws, pack.title.title);
}

/** The acceptance workbook: 汇总 (cover), 维护记录, 超时明细, 巡检, 转信息科. */
export async function buildWorkbook(pack: RecordPack): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '维保助手';
  wb.created = pack.title.generatedAt;
  wb.title = pack.title.title;
  addSummarySheet(wb, pack);
  addRecordSheet(wb, pack.rows);
  printSetup(wb.getWorksheet('维护记录')!, pack.title.title);
  addBreachSheet(wb, pack);
  addInspectionSheet(wb, pack);
  addReferralSheet(wb, pack);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The 维护记录 sheet as CSV: UTF-8 with BOM so Excel opens the Chinese correctly. */
export function buildRecordsCsv(rows: RecordRow[]): string {
  const cells = rows.map((r) =>
    RECORD_COLUMNS.map((c) => {
      const v = r[c.key];
      return v instanceof Date ? localText(v) : typeof v === 'string' ? safeText(v) : (v ?? '');
    }),
  );
  return `\uFEFF${stringify([RECORD_COLUMNS.map((c) => c.header), ...cells], { record_delimiter: '\r\n' })}`;
}

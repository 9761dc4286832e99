/**
 * The acceptance pack as PDF (`/api/reports/records.pdf`), for e-mail and archive: the same RecordPack as the
 * workbook, drawn with pdfkit on A4 landscape. The CJK font is Noto Sans Hans (SIL OFL 1.1) shipped in the npm
 * package @embedpdf/fonts-sc and embedded as a subset of the glyphs used (nothing is downloaded at run time).
 *
 * Pages: the summary (title block, chart of the month's daily volume and SLA attainment, contract targets with
 * pass/fail, reconciliation, signature lines), then 维护记录 with `record.rowsPerPage` tickets per page, then
 * 超时明细, 巡检 and 转信息科. Every page has the title in its header and "第 n 页 / 共 m 页" in its footer.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { local } from '../time.js';
import { LEVEL_NAME, pct, TARGET_NAME } from './labels.js';
import type { DayPoint, RecordPack } from './pack.js';
import type { RecordRow } from './records.js';
import { signatureLines } from './workbook.js';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const REGULAR = join(FONT_DIR, 'NotoSansHans-Regular.otf');
const BOLD = join(FONT_DIR, 'NotoSansHans-Bold.otf');

/** A4 landscape in points, and the margins. */
const PAGE = { width: 841.89, height: 595.28 };
const M = { left: 32, right: 32, top: 40, bottom: 36 };
const INNER_W = PAGE.width - M.left - M.right;

type Doc = PDFKit.PDFDocument;

interface Column<R> {
  header: string;
  /** Share of the table width (the widths are scaled to fit). */
  width: number;
  value(row: R): string;
  align?: 'left' | 'center' | 'right';
}

const time = (d: Date | string | null | undefined): string => (d ? local(d).format('MM-DD HH:mm') : '');
const text = (v: unknown): string => (v === null || v === undefined ? '' : v instanceof Date ? time(v) : String(v));

function heading(doc: Doc, title: string): void {
  doc.font('bold').fontSize(13).fillColor('#000').text(title, M.left, M.top, { width: INNER_W });
  doc.moveDown(0.3);
}

/**
 * A table that starts a new page every `perPage` rows (header repeated), rows of fixed height with text clipped to
 * the cell. Returns the y below the last row.
 */
/** The thin grey line between the rows of a table, across the page at height `y` (pt). */
function rowRule(doc: Doc, y: number): void {
  doc
    .moveTo(M.left, y)
    .lineTo(M.left + INNER_W, y)
    .lineWidth(0.3)
    .strokeColor('#999')
    .stroke();
}

function table<R>(
  doc: Doc,
  title: string,
  columns: Array<Column<R>>,
  rows: R[],
  perPage: number,
  opts: { newPage: boolean; y?: number; maxRowH?: number; note?: string } = { newPage: true },
): number {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * INNER_W);
  const headerH = 18;
  const chunks = rows.length
    ? Array.from({ length: Math.ceil(rows.length / perPage) }, (_, i) => rows.slice(i * perPage, (i + 1) * perPage))
    : [[]];
  let y = opts.y ?? M.top;
  chunks.forEach((chunk, i) => {
    if (opts.newPage || i > 0) {
      doc.addPage();
      y = M.top;
    }
    if (opts.newPage || i > 0 || opts.y === undefined) {
      heading(doc, i === 0 ? title : `${title}（续）`);
      if (opts.note) doc.font('regular').fontSize(8).fillColor('#333').text(opts.note, M.left, doc.y, { width: INNER_W });
      y = doc.y + 4;
    }
    const rowH = Math.min(opts.maxRowH ?? 1000, Math.max(14, Math.floor((PAGE.height - M.bottom - 10 - y - headerH) / perPage)));
    let x = M.left;
    doc.rect(M.left, y, INNER_W, headerH).fill('#D9E1F2');
    doc.font('bold').fontSize(8).fillColor('#000');
    columns.forEach((c, j) => {
      doc.text(c.header, x + 2, y + 5, { width: widths[j] - 4, height: headerH - 4, align: 'center', lineBreak: false, ellipsis: true });
      x += widths[j];
    });
    y += headerH;
    // Tight leading so a row of the record holds two or three lines of its history.
    doc.font('regular').fontSize(7);
    for (const r of chunk) {
      x = M.left;
      rowRule(doc, y);
      columns.forEach((c, j) => {
        doc
          .fillColor('#000')
          .text(c.value(r), x + 2, y + 2, { width: widths[j] - 4, height: rowH - 3, align: c.align ?? 'left', ellipsis: true });
        x += widths[j];
      });
      y += rowH;
    }
    rowRule(doc, y);
    if (chunk.length === 0) {
      doc
        .font('regular')
        .fontSize(9)
        .fillColor('#555')
        .text('（本月无）', M.left, y + 6);
      y += 20;
    }
  });
  return y;
}

/** Daily tickets as bars (left axis) and the day's SLA attainment as a line (right axis, 0–100 %). */
function chart(doc: Doc, days: DayPoint[], x0: number, y0: number, w: number, h: number): void {
  doc.font('bold').fontSize(9).fillColor('#000').text('本月每日工单量与 SLA 达标率', x0, y0, { width: w, align: 'center' });
  const top = y0 + 16;
  const left = x0 + 24;
  const right = x0 + w - 30;
  const bottom = top + h - 34;
  const plotW = right - left;
  const plotH = bottom - top;
  const maxN = Math.max(1, ...days.map((d) => d.tickets));
  const step = maxN <= 5 ? 1 : Math.ceil(maxN / 5);
  const axisMax = Math.ceil(maxN / step) * step;
  doc.lineWidth(0.5).strokeColor('#000').moveTo(left, top).lineTo(left, bottom).lineTo(right, bottom).lineTo(right, top).stroke();
  doc.font('regular').fontSize(6.5).fillColor('#333');
  for (let v = 0; v <= axisMax; v += step) {
    const y = bottom - (v / axisMax) * plotH;
    doc.text(String(v), x0, y - 3, { width: 20, align: 'right', lineBreak: false });
    if (v > 0) doc.moveTo(left, y).lineTo(right, y).lineWidth(0.2).strokeColor('#ccc').stroke();
  }
  for (const p of [0, 50, 100]) doc.text(`${p}%`, right + 3, bottom - (p / 100) * plotH - 3, { width: 26, lineBreak: false });
  const slot = plotW / days.length;
  days.forEach((d, i) => {
    const bh = (d.tickets / axisMax) * plotH;
    if (bh > 0) doc.rect(left + i * slot + slot * 0.15, bottom - bh, slot * 0.7, bh).fill('#5B9BD5');
    if (i === 0 || (i + 1) % 5 === 0)
      doc.fillColor('#333').text(String(i + 1), left + i * slot - 4, bottom + 3, { width: slot + 8, align: 'center', lineBreak: false });
  });
  let pen = false;
  doc.lineWidth(1.2).strokeColor('#C00000');
  days.forEach((d, i) => {
    if (d.rate === null) {
      pen = false;
      return;
    }
    const x = left + i * slot + slot / 2;
    const y = bottom - d.rate * plotH;
    if (pen) doc.lineTo(x, y);
    else doc.moveTo(x, y);
    pen = true;
  });
  doc.stroke();
  days.forEach((d, i) => {
    if (d.rate !== null) doc.circle(left + i * slot + slot / 2, bottom - d.rate * plotH, 1.5).fill('#C00000');
  });
  const ly = bottom + 14;
  doc.rect(left, ly, 8, 6).fill('#5B9BD5');
  doc
    .fillColor('#000')
    .fontSize(7)
    .text('当日新建工单（左轴）', left + 11, ly - 1, { lineBreak: false });
  doc
    .moveTo(left + 110, ly + 3)
    .lineTo(left + 124, ly + 3)
    .lineWidth(1.2)
    .strokeColor('#C00000')
    .stroke();
  doc.fillColor('#000').text('当日工单各项时限达标率（右轴）', left + 127, ly - 1, { lineBreak: false });
}

function signoffLine(pack: RecordPack): string {
  const s = pack.signoff.signed;
  return s ? `甲方签收：${s.name} 于 ${local(s.at).format('YYYY-MM-DD HH:mm')} 在企业微信签收（月报签收）` : '甲方签收：尚未签收';
}

/** The summary; returns the y below it. */
function summaryPage(doc: Doc, pack: RecordPack): number {
  const t = pack.title;
  doc.font('bold').fontSize(16).fillColor('#000').text(t.title, M.left, M.top, { width: INNER_W, align: 'center' });
  const blockTop = doc.y + 6;
  const block: Array<[string, string]> = [
    ['甲方（医院）', t.hospital],
    ['项目名称', t.project],
    ['合同编号', t.contractNo],
    ['乙方（维保单位）', t.vendor],
    ['服务期', t.servicePeriod],
    ['记录月份', t.month],
    ['统计截至', local(t.asOf).format('YYYY-MM-DD HH:mm')],
    ['生成时间', local(t.generatedAt).format('YYYY-MM-DD HH:mm')],
  ];
  let y = blockTop;
  for (const [k, v] of block) {
    doc.font('bold').fontSize(9).text(k, M.left, y, { width: 90, lineBreak: false });
    doc.font('regular').text(v || '—', M.left + 92, y, { width: 270, lineBreak: false, ellipsis: true });
    y += 14;
  }
  doc.font('bold').fontSize(9).text(signoffLine(pack), M.left, y, { width: 370 });
  y = doc.y + 4;
  const r = pack.report.totals;
  doc
    .font('regular')
    .fontSize(8.5)
    .text(
      `工单总数 ${r.tickets}（已解决 ${r.resolved}，未解决 ${r.open}），超时 ${r.breaches} 项，确认率 ${pct(r.confirmationRate)}，满意度 ${r.satisfaction ?? '—'}`,
      M.left,
      y,
      { width: 370 },
    );
  doc
    .fontSize(7.5)
    .fillColor('#333')
    .text(pack.reconciliation.note, M.left, doc.y + 2, { width: 370 });
  const chartTop = blockTop;
  const textBottom = doc.y;
  chart(doc, pack.daily, M.left + 390, chartTop, INNER_W - 390, 150);
  y = Math.max(textBottom, chartTop + 154) + 6;
  const rows = pack.headlines;
  const cols: Array<Column<(typeof rows)[number]>> = [
    { header: '合同指标', width: 2.2, value: (h) => h.label },
    { header: '合同目标', width: 4, value: (h) => h.target },
    { header: '本月实际', width: 2.6, value: (h) => h.actual },
    { header: '结果', width: 0.8, value: (h) => h.result, align: 'center' },
  ];
  doc.fillColor('#000');
  return table(doc, '', cols, rows, rows.length, { newPage: false, y, maxRowH: 13 });
}

function signatures(doc: Doc, pack: RecordPack, below: number): void {
  // The signature block goes under the summary when it fits, else on its own page.
  let y = below + 12;
  if (y > PAGE.height - M.bottom - 70) {
    doc.addPage();
    y = M.top;
  }
  doc.font('bold').fontSize(9).fillColor('#000').text('本记录经双方核对无误，确认如下：', M.left, y);
  y = doc.y + 10;
  for (const [party, sign, date] of signatureLines(pack)) {
    doc.font('regular').fontSize(9).text(party, M.left, y, { width: 300, lineBreak: false, ellipsis: true });
    doc.text(sign, M.left + 310, y, { width: 220, lineBreak: false });
    doc.text(date, M.left + 540, y, { width: 220, lineBreak: false });
    y += 22;
  }
}

const recordColumns: Array<Column<RecordRow>> = [
  { header: '工单号', width: 0.6, value: (r) => `#${text(r.no)}`, align: 'center' },
  { header: '报修时间', width: 1, value: (r) => text(r.createdAt) },
  { header: '级别', width: 0.55, value: (r) => text(r.level), align: 'center' },
  { header: '系统', width: 1.3, value: (r) => text(r.system) },
  { header: '科室', width: 0.9, value: (r) => text(r.department) },
  { header: '报修人', width: 1, value: (r) => `${text(r.reporter)}${Number(r.reporters) > 1 ? `等${r.reporters}人` : ''}` },
  { header: '工程师', width: 0.7, value: (r) => text(r.engineer) },
  { header: '问题描述', width: 2.2, value: (r) => text(r.title) },
  { header: '处理经过', width: 3.6, value: (r) => text(r.history) || [text(r.cause), text(r.action)].filter(Boolean).join('；') },
  { header: '响应', width: 0.55, value: (r) => text(r.response), align: 'center' },
  { header: '到场', width: 0.55, value: (r) => text(r.onsite), align: 'center' },
  { header: '解决', width: 0.55, value: (r) => text(r.resolve), align: 'center' },
  { header: '评分/评价', width: 1.3, value: (r) => [text(r.rating), text(r.comment)].filter(Boolean).join(' ') },
  { header: '关闭方式', width: 0.95, value: (r) => text(r.closedBy) || text(r.status) },
];

/** Renders the pack; resolves to the PDF bytes. */
export function buildPdf(pack: RecordPack): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: M.top, bottom: 0, left: M.left, right: M.right },
    bufferPages: true,
    info: { Title: pack.title.title, Author: pack.title.vendor || '维保助手', Creator: '维保助手', CreationDate: pack.title.generatedAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  signatures(doc, pack, summaryPage(doc, pack));
  const per = pack.bot.record.rowsPerPage;
  table(doc, `维护记录（共 ${pack.rows.length} 行）`, recordColumns, pack.rows, per, { newPage: true, note: pack.reconciliation.note });
  table(
    doc,
    '超时明细',
    [
      { header: '工单号', width: 0.6, value: (b) => `#${b.no}`, align: 'center' },
      { header: '级别', width: 0.6, value: (b) => LEVEL_NAME[b.level], align: 'center' },
      { header: '指标', width: 0.6, value: (b) => TARGET_NAME[b.target], align: 'center' },
      { header: '时限', width: 1, value: (b) => time(b.dueAt) },
      { header: '实际完成', width: 1, value: (b) => (b.stoppedAt ? time(b.stoppedAt) : '未完成') },
      { header: '超出(分钟)', width: 0.8, value: (b) => String(b.overMin), align: 'right' },
      { header: '原因', width: 3, value: (b) => b.reason },
      { header: '超时说明', width: 3, value: (b) => b.explanation ?? '（未说明）' },
      { header: '说明人', width: 0.8, value: (b) => b.explainedBy ?? '' },
    ],
    pack.breaches,
    per,
  );
  table(
    doc,
    '巡检',
    [
      { header: '巡检计划', width: 2, value: (i) => i.name },
      { header: '周期', width: 1, value: (i) => i.period },
      { header: '应完成', width: 1.2, value: (i) => time(i.dueAt) },
      {
        header: '状态',
        width: 1,
        value: (i) => ({ done: '已完成', pending: '待开始', in_progress: '进行中', missed: '逾期未完成' })[i.status] ?? i.status,
      },
      { header: '完成时间', width: 1.2, value: (i) => time(i.doneAt) },
      { header: '发现问题', width: 0.8, value: (i) => String(i.problems), align: 'right' },
    ],
    pack.report.inspections?.items ?? [],
    per,
  );
  table(
    doc,
    '转信息科（不计入维保服务考核）',
    [
      { header: '工单号', width: 0.6, value: (r) => `#${r.no}`, align: 'center' },
      { header: '报修时间', width: 1, value: (r) => time(r.createdAt) },
      { header: '转交时间', width: 1, value: (r) => time(r.referredAt) },
      { header: '系统', width: 1.2, value: (r) => r.system },
      { header: '科室', width: 1, value: (r) => r.department },
      { header: '报修人', width: 0.8, value: (r) => r.reporter },
      { header: '接收人', width: 0.8, value: (r) => r.to },
      { header: '问题描述', width: 3, value: (r) => r.title },
      { header: '状态', width: 0.8, value: (r) => r.status },
    ],
    pack.referrals,
    per,
  );
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.font('regular').fontSize(7.5).fillColor('#666');
    doc.text(pack.title.title, M.left, 16, { width: INNER_W, align: 'center', lineBreak: false });
    doc.text(`第 ${i + 1} 页 / 共 ${range.count} 页`, M.left, PAGE.height - 24, { width: INNER_W, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

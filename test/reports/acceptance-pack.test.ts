/**
 * Issue #12 acceptance: a month (November 2026, demo bot) driven through the real commands — tickets opened and
 * linked as the conversation engine does, worked through the chat commands engineers, reporters and leads send,
 * breaches recorded as the escalation job records them — then the acceptance pack read back: the workbook with
 * exceljs, the PDF with pdfjs-dist, every figure checked against a recomputation from the raw event log.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatCommandMessage, CommandRegistry, ticketCommands } from '../../src/bot/commands/index.js';
import { parseCommand } from '../../src/bot/grammar.js';
import { contentText } from '../../src/bot/presenters/content.js';
import { ManualClock } from '../../src/clock.js';
import type { BotConfig } from '../../src/config/bots.js';
import { Directory } from '../../src/people/directory.js';
import { explainBreachHandler, signMonthHandler, withdrawSignoffHandler } from '../../src/reports/commands.js';
import { monthRange } from '../../src/reports/month.js';
import { recordPack, recordsPdf, recordsWorkbook } from '../../src/reports/service.js';
import { buildSlaReport } from '../../src/reports/sla-report.js';
import { foldTimeline, type ReportEvent } from '../../src/reports/timeline.js';
import { autoCloseTicket, createTicket, mergeIntoTicket, recordBreach } from '../../src/tickets/commands/index.js';
import { TicketEventBus } from '../../src/tickets/events.js';
import { ensureTicketIndexes, TicketEvent } from '../../src/tickets/model.js';
import { isEventOf, type Level, type TicketEventRecord } from '../../src/tickets/types.js';
import { dayjs } from '../../src/time.js';
import { WecomClient } from '../../src/wecom/client.js';
import { RateLimiter } from '../../src/wecom/rate-limit.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { useTestDb } from '../helpers/db.js';
import { demoBot } from './drive.js';

useTestDb();

const MONTH = '2026-11';
const clock = new ManualClock('2026-11-01T00:00:00+08:00');
let bot: BotConfig;
let sim: WecomSimulator;
let directory: Directory;
const replies: Record<string, string> = {};

const at = (local: string) => clock.set(dayjs.tz(local, 'Asia/Shanghai').toDate());
const bus = new TicketEventBus();
const ctx = () => ({ bot, clock, events: bus });
/** The ticket verbs and, as the reports feature contributes them, its own. */
const commands = new CommandRegistry();

/** One chat message as the engine hands it to the command map. */
async function say(when: string, userid: string, text: string): Promise<string> {
  at(when);
  const parsed = parseCommand(text);
  if (!parsed) throw new Error(`not a command: ${text}`);
  const msg: ChatCommandMessage = { bot: bot.id, from: { userid }, chatId: 'wr_demo', channel: 'aibot', text };
  const r = await commands.run(ctx(), msg, parsed);
  const words = contentText(r.reply);
  replies[`${when} ${userid} ${text}`] = words;
  return words;
}

/** A report the conversation engine turned into a ticket (the reporter's name is the userid, as WeCom sends it). */
async function report(when: string, userid: string, level: Level, system: string, title: string): Promise<number> {
  at(when);
  const r = await createTicket(ctx(), {
    system,
    level,
    title,
    reporter: { userid, name: userid },
    chat: { chatId: 'wr_demo', channel: 'aibot' },
  });
  if (!r.ok) throw new Error(r.message);
  return r.doc.no;
}

/** Another person reporting the same outage: the engine links the report to the open ticket. */
async function alsoReports(when: string, no: number, userid: string): Promise<void> {
  at(when);
  const r = await mergeIntoTicket(ctx(), { no, reporter: { userid, name: userid }, text: '我这边也打不开' });
  if (!r.ok) throw new Error(r.message);
}

/** A report out of the vendor's scope, passed to the 信息科 contact as the conversation engine opens it (#17). */
async function referral(when: string, userid: string, title: string): Promise<number> {
  at(when);
  const r = await createTicket(ctx(), {
    system: 'other',
    level: 3,
    title,
    reporter: { userid, name: userid },
    chat: { chatId: 'wr_demo', channel: 'aibot' },
    referTo: { userid: 'wanglei', name: '王磊' },
  });
  if (!r.ok) throw new Error(r.message);
  return r.doc.no;
}

async function job<T extends { ok: boolean }>(when: string, run: () => Promise<T>): Promise<void> {
  at(when);
  const r = await run();
  if (!r.ok) throw new Error(`job refused at ${when}`);
}

let wb: ExcelJS.Workbook;
let pdfText: string[];
let events: TicketEventRecord[];
const EXPORT_AT = '2026-12-01 11:00';

beforeAll(async () => {
  await ensureTicketIndexes();
  bot = demoBot();
  sim = new WecomSimulator({ bots: [bot], clock });
  const url = await sim.start();
  directory = new Directory({ clock, client: new WecomClient(url, clock), limiter: new RateLimiter(clock) });
  commands.add('bot', ticketCommands);
  commands.add('reports', { 月报签收: signMonthHandler, 月报撤回: withdrawSignoffHandler, 超时说明: explainBreachHandler });

  // #1 一级 HIS outage reported by three nurses (one of them twice): an incident with three reporters.
  expect(await report('2026-11-03 09:00', 'nurse01', 1, 'his', '门诊收费系统全部无法登录')).toBe(1);
  await alsoReports('2026-11-03 09:05', 1, 'nurse02');
  await alsoReports('2026-11-03 09:07', 1, 'nurse03');
  await alsoReports('2026-11-03 09:09', 1, 'nurse02');
  await say('2026-11-03 09:10', 'zhangwei', '接单 1');
  await say('2026-11-03 10:00', 'zhangwei', '解决 1 原因:数据库锁表 处理:结束阻塞会话并优化索引');
  await say('2026-11-03 10:30', 'nurse01', '确认 1 5 处理很及时');

  // #2 二级 LIS: resolved, rejected by the reporter, resolved again; rated with a comment.
  expect(await report('2026-11-05 10:00', 'lab01', 2, 'lis', '生化结果传不到LIS')).toBe(2);
  await say('2026-11-05 10:20', 'liuyang', '接单 2');
  await say('2026-11-05 11:00', 'liuyang', '解决 2 原因:接口服务停止 处理:重启接口服务');
  await say('2026-11-05 12:00', 'lab01', '未解决 2 仍有部分结果未回传');
  await say('2026-11-05 15:00', 'liuyang', '解决 2 原因:中间表积压 处理:清理中间表并补传结果');
  await say('2026-11-05 16:00', 'lab01', '确认 2 4 第二次才彻底解决');

  // #3 三级 EMR: cancelled by a lead.
  expect(await report('2026-11-10 10:00', 'clerk01', 3, 'emr', '病历打印预览空白')).toBe(3);
  await say('2026-11-10 10:30', 'wanglei', '取消 3 重复报修');

  // #4 二级 PACS: nobody claims within the hour; the escalation records the breach; claimed 11:30.
  expect(await report('2026-11-12 09:00', 'nurse04', 2, 'pacs', '影像调阅很慢，急诊在等')).toBe(4);
  await job('2026-11-12 10:00', () => recordBreach(ctx(), { no: 4, target: 'response' }));
  await say('2026-11-12 11:30', 'chenjing', '接单 4');
  await say('2026-11-12 16:00', 'chenjing', '解决 4 原因:存储阵列坏盘 处理:更换硬盘并重建阵列');
  await say('2026-11-12 17:00', 'nurse04', '确认 4 3');

  // #5 三级 nursing: resolved, never confirmed: auto-closed after 72 h.
  expect(await report('2026-11-16 14:00', 'nurse02', 3, 'nursing', 'PDA扫码偶尔无响应')).toBe(5);
  await say('2026-11-16 14:30', 'chenjing', '接单 5');
  await say('2026-11-17 10:00', 'chenjing', '解决 5 原因:无线漫游参数不当 处理:调整AP漫游阈值');
  await job('2026-11-20 10:00', () => autoCloseTicket(ctx(), { no: 5 }));

  // #6 一级 HIS at night: on-site visit within the off-hours 2 h.
  expect(await report('2026-11-18 20:00', 'doctor01', 1, 'his', '急诊医生站无法开医嘱')).toBe(6);
  await say('2026-11-18 20:10', 'zhangwei', '接单 6');
  await say('2026-11-18 20:15', 'zhangwei', '派现场 6');
  await say('2026-11-18 21:40', 'zhangwei', '到场 6');
  await say('2026-11-18 23:00', 'zhangwei', '解决 6 原因:医生站证书过期 处理:更新证书');
  await say('2026-11-19 08:00', 'doctor01', '确认 6 5');

  // #7 三级 EMR: the reporter withdraws it (撤销) before anyone claims it.
  expect(await report('2026-11-20 09:00', 'nurse03', 3, 'emr', '护理记录模板打不开')).toBe(7);
  await say('2026-11-20 09:20', 'nurse03', '撤销 7 重启电脑后好了');

  // #8 三级 printer (other): the hospital's own hardware, referred to the 信息科.
  expect(await referral('2026-11-24 15:00', 'clerk01', '门诊二楼收费处打印机卡纸')).toBe(8);

  // #9 三级 LIS late on the last day: unclaimed when the month is signed; the response breach is recorded.
  expect(await report('2026-11-30 22:00', 'lab01', 3, 'lis', '检验报告打印偶发乱码')).toBe(9);
  await job('2026-12-01 01:00', () => recordBreach(ctx(), { no: 9, target: 'response' }));

  // Sign-off: accepted, a late explanation refused, the sign-off withdrawn, the explanation given, accepted again.
  await say('2026-12-01 09:50', 'zhangwei', '月报签收 2026-11');
  await say('2026-12-01 10:00', 'xuli', '月报签收 2026-11');
  await say('2026-12-01 10:05', 'chenjing', '超时说明 4 等待厂家备件');
  await say('2026-12-01 10:10', 'wanglei', '月报签收 2026-11');
  await say('2026-12-01 10:15', 'wanglei', '月报撤回 2026-11');
  await say('2026-12-01 10:20', 'wanglei', '月报撤回 2026-11 补录超时说明');
  await say('2026-12-01 10:22', 'chenjing', '超时说明 2 等待厂家备件');
  await say('2026-12-01 10:25', 'chenjing', '超时说明 4 响应 等待厂家备件');
  await say('2026-12-01 10:30', 'xuli', '月报签收 2026-11');
  // After the sign-off: #9 is claimed. The signed record stays as it was signed.
  await say('2026-12-01 10:40', 'liuyang', '接单 9');

  at(EXPORT_AT);
  wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await recordsWorkbook(bot, MONTH, clock.now(), directory)) as never);
  const pdf = await recordsPdf(bot, MONTH, clock.now(), directory);
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  pdfText = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pdfText.push(content.items.map((x) => ('str' in x ? x.str : '')).join(''));
  }
  events = await TicketEvent.find({ bot: 'demo' }).sort({ no: 1, seq: 1 }).lean<TicketEventRecord[]>();
}, 120_000);

afterAll(async () => {
  await sim?.stop();
});

/** A sheet's rows as objects keyed by the header row. */
function rowsOf(name: string, headerRow = 1): Array<Record<string, unknown>> {
  const ws = wb.getWorksheet(name)!;
  const headers = ws.getRow(headerRow).values as unknown[];
  const out: Array<Record<string, unknown>> = [];
  ws.eachRow((r, n) => {
    if (n <= headerRow) return;
    const o: Record<string, unknown> = {};
    headers.forEach((h, i) => {
      if (typeof h === 'string') {
        const v = r.getCell(i).value;
        o[h] = v instanceof Date ? dayjs.utc(v).format('YYYY-MM-DD HH:mm') : v;
      }
    });
    out.push(o);
  });
  return out;
}

/** The cover as label → value (column 1 → 2) and the headline table as label → [target, actual, result]. */
function cover(): { values: Map<string, unknown>; rows: unknown[][] } {
  const ws = wb.getWorksheet('汇总')!;
  const values = new Map<string, unknown>();
  const rows: unknown[][] = [];
  ws.eachRow((r) => {
    values.set(String(r.getCell(1).value), r.getCell(2).value);
    rows.push((r.values as unknown[]).slice(1));
  });
  return { values, rows };
}

describe('the sign-off in chat', () => {
  it('answers each step as a lead, an engineer and a corrector would expect', () => {
    expect(replies['2026-12-01 09:50 zhangwei 月报签收 2026-11']).toBe('月报签收仅限信息科负责人和项目经理。');
    expect(replies['2026-12-01 10:00 xuli 月报签收 2026-11']).toContain('✅ 已签收 2026-11 维护记录（徐丽');
    expect(replies['2026-12-01 10:05 chenjing 超时说明 4 等待厂家备件']).toBe(
      '#4 所在的 2026-11 维护记录已由 徐丽 签收，需先「月报撤回 2026-11 原因」再补充说明。',
    );
    expect(replies['2026-12-01 10:10 wanglei 月报签收 2026-11']).toBe(
      '2026-11 维护记录已由 徐丽 于 12-01 10:00 签收；如需更正请先「月报撤回 2026-11 原因」。',
    );
    expect(replies['2026-12-01 10:15 wanglei 月报撤回 2026-11']).toBe('请写明撤回原因，例如：月报撤回 2026-11 补录超时说明');
    expect(replies['2026-12-01 10:20 wanglei 月报撤回 2026-11 补录超时说明']).toContain('已撤回 2026-11 维护记录的签收');
    expect(replies['2026-12-01 10:22 chenjing 超时说明 2 等待厂家备件']).toBe('#2 没有超时记录，无需说明');
    expect(replies['2026-12-01 10:25 chenjing 超时说明 4 响应 等待厂家备件']).toBe('已记录 #4 的超时说明');
  });

  it('keeps every sign-off step as an auditable event and exports the record as it stood when signed', async () => {
    const pack = await recordPack(bot, MONTH, clock.now(), directory);
    expect(pack.signoff.events.map((e) => [e.type, e.by, dayjs(e.at).tz('Asia/Shanghai').format('HH:mm'), e.reason])).toEqual([
      ['signed', 'xuli', '10:00', null],
      ['withdrawn', 'wanglei', '10:20', '补录超时说明'],
      ['signed', 'xuli', '10:30', null],
    ]);
    // #9 was claimed at 10:40, after the standing sign-off: the signed record still shows it unclaimed.
    const seven = rowsOf('维护记录').find((r) => r.工单号 === 9)!;
    expect(seven).toMatchObject({ 接单时间: null, 状态: '待接单', 响应达标: '超时' });
    expect(cover().values.get('统计截至')).toBe('2026-12-01 10:30');
  });
});

describe('the workbook read back with exceljs', () => {
  it('opens with the title block, the sign-off and the contract targets with pass/fail and —', () => {
    const { values, rows } = cover();
    expect(rows[0][0]).toBe('演示市第一人民医院 医院信息系统运维服务项目 维护记录（2026-11）');
    expect(
      Object.fromEntries(
        ['甲方（医院）', '项目名称', '合同编号', '乙方（维保单位）', '服务期', '记录月份', '生成时间', '甲方签收'].map((k) => [
          k,
          values.get(k),
        ]),
      ),
    ).toEqual({
      '甲方（医院）': '演示市第一人民医院',
      项目名称: '医院信息系统运维服务项目',
      合同编号: 'YS-2026-HIS-001',
      '乙方（维保单位）': '演示软件科技有限公司',
      服务期: '2026-01-01 至 2026-12-31',
      记录月份: '2026-11',
      生成时间: '2026-12-01 11:00',
      甲方签收: '徐丽 于 2026-12-01 10:30 在企业微信签收（月报签收）',
    });
    const headline = (label: string) => rows.find((r) => r[0] === label)?.slice(1, 4);
    expect(headline('一级故障 响应')).toEqual(['≤ 30分钟', '2/2 达标（100%）', '达标']);
    expect(headline('一级故障 到场')).toEqual(['工作时间 ≤ 1小时，非工作时间 ≤ 2小时，节假日 ≤ 2小时', '1/1 达标（100%）', '达标']);
    expect(headline('二级故障 响应')).toEqual(['≤ 1小时', '1/2 达标（50%）', '未达标']);
    expect(headline('四级故障 响应')).toEqual(['≤ 24小时', '无', '—']);
    expect(headline('三级故障 解决')).toEqual(['≤ 72小时', '1/1 达标（100%），进行中 1', '达标']);
    expect(headline('二级、三级、四级故障 24小时内解决率')).toEqual(['≥ 80%（24小时内解决）', '3/3（100%）', '达标']);
  });

  it('reconciles 工单总数 with the row count and counts cancellations apart', () => {
    const { values } = cover();
    expect(values.get('工单总数')).toBe(6);
    expect(values.get('记录行数')).toBe(9);
    expect(values.get('已取消')).toBe(1);
    expect(values.get('报修人撤销')).toBe(1);
    expect(values.get('转信息科')).toBe(1);
    expect(values.get('核对说明')).toBe(
      '工单总数 6 = 记录 9 行 − 已取消 1 − 报修人撤销 1 − 合并重复报修 0 − 转信息科 1（以上不计入服务考核，见「计入考核」列）',
    );
    expect(rowsOf('维护记录')).toHaveLength(9);
  });

  it('shows people by name, department and phone from the WeCom directory, never as userids', () => {
    const rows = rowsOf('维护记录');
    expect(rows[0]).toMatchObject({ 报修人: '李护士', 科室: '心血管内科', 联系电话: '13700000001', 工程师: '张伟' });
    expect(rows[1]).toMatchObject({ 报修人: '孙丽', 科室: '检验科', 工程师: '刘洋' });
    const userids = ['nurse01', 'lab01', 'clerk01', 'nurse04', 'nurse02', 'doctor01', 'zhangwei', 'liuyang', 'chenjing'];
    for (const r of rows)
      for (const k of ['报修人', '工程师', '处理经过']) for (const u of userids) expect(String(r[k] ?? '')).not.toContain(u);
  });

  it('holds each ticket’s full history, reporter count, rating comment and how it closed', () => {
    const rows = rowsOf('维护记录');
    expect(rows[0]).toMatchObject({ 报修人数: 3, 评分: 5, 评价: '处理很及时', 关闭方式: '报修人确认', 计入考核: '是' });
    expect(rows[1].处理经过).toBe(
      [
        '11-05 11:00 刘洋 解决：原因：接口服务停止；处理：重启接口服务',
        '11-05 12:00 孙丽 未解决：原因：仍有部分结果未回传',
        '11-05 15:00 刘洋 解决：原因：中间表积压；处理：清理中间表并补传结果',
      ].join('\n'),
    );
    expect(rows[1]).toMatchObject({ 故障原因: '中间表积压', 处理措施: '清理中间表并补传结果', 评分: 4, 评价: '第二次才彻底解决' });
    expect(rows[2]).toMatchObject({
      响应达标: '不计入',
      到场达标: '不计入',
      解决达标: '不计入',
      关闭方式: '已取消',
      计入考核: '否（已取消）',
    });
    expect(rows[4]).toMatchObject({ 关闭方式: '超时自动关闭', 评分: null });
    expect(rows[5]).toMatchObject({ '现场/远程': '现场', 到场达标: '达标', 关闭方式: '报修人确认' });
    expect(rows[6]).toMatchObject({ 响应达标: '不计入', 关闭方式: '报修人撤销', 计入考核: '否（报修人撤销）', 状态: '已撤销' });
    expect(rows[7]).toMatchObject({ 响应达标: '不计入', 关闭方式: '转信息科', 计入考核: '否（转信息科）', 状态: '已转信息科' });
  });

  it('lists breaches with the deadline, the real completion, the overrun and the engineer’s explanation', () => {
    expect(rowsOf('超时明细')).toEqual([
      {
        工单号: 4,
        级别: '二级',
        系统: '影像系统(PACS)',
        指标: '响应',
        时限: '2026-11-12 10:00',
        实际完成时间: '2026-11-12 11:30',
        '超出（分钟）': 90,
        原因: '响应用时 2 小时 30 分钟，时限 1 小时',
        超时说明: '等待厂家备件',
        说明人: '陈静',
        说明时间: '2026-12-01 10:25',
      },
      {
        工单号: 9,
        级别: '三级',
        系统: '检验系统(LIS)',
        指标: '响应',
        时限: '2026-12-01 01:00',
        实际完成时间: '未完成',
        '超出（分钟）': 570,
        原因: '截至统计时仍未接单，时限 3 小时',
        超时说明: '（未说明）',
        说明人: null,
        说明时间: null,
      },
    ]);
  });

  it('has the 巡检 sheet and the referrals to the 信息科 apart from the vendor’s figures', () => {
    expect(rowsOf('巡检')[0]).toMatchObject({ 巡检计划: 'HIS月度巡检', 周期: '2026-11' });
    expect(rowsOf('转信息科')).toEqual([
      {
        工单号: 8,
        报修时间: '2026-11-24 15:00',
        转交时间: '2026-11-24 15:00',
        系统: '硬件/网络(信息科)',
        科室: '门诊部',
        报修人: '吴静',
        信息科接收人: '王磊',
        问题描述: '门诊二楼收费处打印机卡纸',
        状态: '已转信息科',
        说明: '不计入维保服务考核',
      },
    ]);
  });

  it('prints every sheet landscape, one page wide, header rows repeated, title on top and 第 n 页 / 共 m 页 below', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '维护记录', '超时明细', '巡检', '转信息科']);
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup, ws.name).toMatchObject({
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        paperSize: 9,
      });
      expect(ws.pageSetup.printTitlesRow, ws.name).toBe('1:1');
      expect(ws.headerFooter.oddHeader, ws.name).toContain('演示市第一人民医院 医院信息系统运维服务项目 维护记录（2026-11）');
      expect(ws.headerFooter.oddFooter, ws.name).toBe('&C第 &P 页 / 共 &N 页');
    }
  });
});

describe('the PDF of the same pack', () => {
  it('opens with the title block, the chart, the targets and both signature lines on the summary page', () => {
    // pdf.js returns each drawn string as an item; compare without the spacing between items.
    const squash = (s: string) => s.replace(/\s+/g, '');
    const first = squash(pdfText[0]);
    for (const s of [
      '演示市第一人民医院 医院信息系统运维服务项目 维护记录（2026-11）',
      '合同编号YS-2026-HIS-001',
      '乙方（维保单位）演示软件科技有限公司',
      '服务期2026-01-01 至 2026-12-31',
      '甲方签收：徐丽 于 2026-12-01 10:30 在企业微信签收（月报签收）',
      '本月每日工单量与 SLA 达标率',
      '二级故障 响应≤ 1小时1/2 达标（50%）未达标',
      '甲方（医院）：演示市第一人民医院',
      '乙方（维保单位）：演示软件科技有限公司',
      '日期：______年____月____日',
    ])
      expect(first).toContain(squash(s));
  });

  it('puts record.rowsPerPage tickets on each record page and numbers every page', async () => {
    const per = 3;
    const small = { ...bot, record: { ...bot.record, rowsPerPage: per } };
    const pdf = await recordsPdf(small, MONTH, clock.now(), directory);
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf) }).promise;
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++)
      pages.push((await (await doc.getPage(i)).getTextContent()).items.map((x) => ('str' in x ? x.str : '')).join('|'));
    const recordPages = pages.filter((p) => /(^|\|)维护记录（共 9 行）(（续）)?\|/.test(p));
    expect(recordPages).toHaveLength(Math.ceil(9 / per));
    // Each row starts with its ticket number cell followed by the report time.
    const ticketsOn = recordPages.map((p) => [...p.matchAll(/\|#(\d+)\|[\s|]*11-\d\d \d\d:\d\d\|/g)].map((m) => Number(m[1])));
    expect(ticketsOn).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    pages.forEach((p, i) => {
      expect(p).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
      expect(p).toContain('演示市第一人民医院 医院信息系统运维服务项目 维护记录（2026-11）');
    });
    expect(pdfText.join('')).toContain('等待厂家备件');
    expect(pages.find((p) => p.includes('转信息科（不计入维保服务考核）'))).toContain('门诊二楼收费处打印机卡纸');
  });
});

describe('every figure against the event log', () => {
  it('equals a recomputation from the raw events', () => {
    const signedAt = dayjs.tz('2026-12-01 10:30', 'Asia/Shanghai').valueOf();
    const log = events.filter((e) => e.at.getTime() <= signedAt);
    const nos = [...new Set(log.map((e) => e.no))];
    const has = (no: number, type: string) => log.some((e) => e.no === no && e.type === type);
    const withdrawn = (no: number) => log.some((e) => e.no === no && e.type === 'cancelled' && e.withdrawn === true);
    const counted = nos.filter((no) => !has(no, 'cancelled') && !has(no, 'referred'));
    const { values } = cover();
    expect(values.get('工单总数')).toBe(counted.length);
    expect(values.get('已取消')).toBe(nos.filter((no) => has(no, 'cancelled') && !withdrawn(no)).length);
    expect(values.get('报修人撤销')).toBe(nos.filter(withdrawn).length);
    expect(values.get('转信息科')).toBe(nos.filter((no) => has(no, 'referred')).length);
    const ratings = log
      .filter(isEventOf('confirmed'))
      .filter((e) => counted.includes(e.no))
      .flatMap((e) => (e.rating === null ? [] : [e.rating]));
    expect(values.get('满意度（平均评分）')).toBe(Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100);
    expect(values.get('超时项数')).toBe(log.filter((e) => e.type === 'breached').length);
    const rows = rowsOf('维护记录');
    for (const r of rows) {
      const no = r.工单号 as number;
      const mine = log.filter((e) => e.no === no);
      expect(r.报修人数, `#${no} reporters`).toBe(1 + mine.filter(isEventOf('merged')).filter((e) => 'counted' in e && e.counted).length);
      const lines = String(r.处理经过 ?? '')
        .split('\n')
        .filter(Boolean);
      expect(
        lines.filter((l) => / 解决：/.test(l)),
        `#${no} resolutions`,
      ).toHaveLength(mine.filter((e) => e.type === 'resolved').length);
      expect(
        lines.filter((l) => / 未解决：/.test(l)),
        `#${no} rejections`,
      ).toHaveLength(mine.filter((e) => e.type === 'rejected').length);
      const comment = mine.find((e) => e.type === 'confirmed')?.comment ?? null;
      expect(r.评价 || null, `#${no} comment`).toBe(comment);
    }
    const explained = log.filter((e) => e.type === 'explained').at(-1)!;
    expect(rowsOf('超时明细').find((b) => b.工单号 === explained.no)?.超时说明).toBe(explained.text);
  });

  it('rebuilds the same SLA figures from the event log alone', async () => {
    const pack = await recordPack(bot, MONTH, clock.now(), directory);
    const asOf = pack.title.asOf;
    const byNo = new Map<number, ReportEvent[]>();
    for (const e of events) byNo.set(e.no, [...(byNo.get(e.no) ?? []), e]);
    const range = monthRange(MONTH)!;
    const timelines = [...byNo]
      .map(([no, evs]) => foldTimeline({ no }, evs, asOf))
      .filter((t) => t.createdAt >= range.start && t.createdAt < range.end);
    const fromLog = buildSlaReport({ bot, month: MONTH, monthStart: range.start, timelines, asOf });
    const { inspections: _i, ...fromDb } = pack.report;
    expect(fromLog).toEqual(fromDb);
  });
});

/**
 * `npm run bench -- records`: the acceptance pack for a busy month (synthetic tickets folded from events, no
 * database): workbook and PDF build times, median of 3 runs each, with the sizes.
 */
import { loadBots } from '../../src/config/bots.js';
import { buildPack } from '../../src/reports/pack.js';
import { buildPdf } from '../../src/reports/pdf.js';
import { buildSlaReport } from '../../src/reports/sla-report.js';
import { foldTimeline, type ReportEvent } from '../../src/reports/timeline.js';
import { buildWorkbook } from '../../src/reports/workbook.js';
import { LEVELS, type Repair, type TicketEventPayload } from '../../src/tickets/types.js';
import { dayjs, ZONE } from '../../src/time.js';
import type { BenchResult } from './timing.js';

const TICKETS = 300;
const MIN = 60_000;

export async function recordsBench(): Promise<BenchResult> {
  const bot = loadBots('bots', {}).get('demo')!;
  const start = dayjs.tz('2026-11-01', ZONE).toDate();
  const systems = bot.systems.map((s) => s.id);
  const timelines = Array.from({ length: TICKETS }, (_, i) => {
    const no = i + 1;
    const at = new Date(start.getTime() + i * 137 * MIN);
    const nurse = `nurse${no % 40}`;
    const engineer = { userid: 'zhangwei', name: '张伟' };
    const ev = (dt: number, payload: TicketEventPayload, actor = engineer.userid): ReportEvent => ({
      bot: bot.id,
      no,
      seq: 0,
      actor,
      at: new Date(at.getTime() + dt * MIN),
      ...payload,
    });
    const level = LEVELS[no % 4] ?? 3;
    const repair = (cause: string, action: string): Repair => ({ cause, action, mode: 'remote' });
    const events = [
      ev(
        0,
        {
          type: 'created',
          level,
          system: systems[no % systems.length] ?? 'his',
          title: `第${no}号故障：检验报告打印不出来，急诊在等`,
          reporter: { userid: nurse, name: nurse, department: null },
          triageReason: null,
          channel: 'aibot',
        },
        nurse,
      ),
      ev(10 + (no % 50), { type: 'claimed', assignee: engineer, responseMs: null }),
      ev(120 + (no % 300), { type: 'resolved', repair: repair('接口服务停止', '重启接口服务并补传结果') }),
      ...(no % 7 === 0
        ? [
            ev(200 + (no % 300), { type: 'rejected', reason: '仍有部分结果未回传' }, nurse),
            ev(200 + (no % 300), { type: 'reopened', status: 'claimed', assignee: engineer }),
            ev(400 + (no % 300), { type: 'resolved', repair: repair('中间表积压', '清理中间表') }),
          ]
        : []),
      ev(600 + (no % 300), { type: 'confirmed', rating: 1 + (no % 5), comment: no % 3 ? '处理及时' : null }, nurse),
      ev(600 + (no % 300), { type: 'closed', auto: false }, nurse),
    ].map((e, seq) => ({ ...e, seq: seq + 1 }));
    return foldTimeline({ no }, events);
  });
  const asOf = dayjs.tz('2026-12-01 09:00', ZONE).toDate();
  const report = buildSlaReport({ bot, month: '2026-11', monthStart: start, timelines, asOf });
  const pack = buildPack({
    bot,
    month: '2026-11',
    report,
    timelines,
    people: new Map(),
    asOf,
    generatedAt: asOf,
    signoff: { signed: null, events: [] },
  });
  const time = async (fn: () => Promise<Buffer>) => {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      bytes = (await fn()).length;
      ms.push(performance.now() - t0);
    }
    return { ms: ms.sort((a, b) => a - b)[1], bytes };
  };
  const xlsx = await time(() => buildWorkbook(pack));
  const pdf = await time(() => buildPdf(pack));
  return {
    name: `records (${TICKETS} tickets)`,
    runs: 3,
    medianUs: pdf.ms * 1000,
    p99Us: pdf.ms * 1000,
    note: `PDF median ${(pdf.ms / 1000).toFixed(2)} s (${Math.round(pdf.bytes / 1024)} KB); workbook median ${(xlsx.ms / 1000).toFixed(2)} s (${Math.round(xlsx.bytes / 1024)} KB)`,
  };
}

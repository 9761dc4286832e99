/** Inspections in the monthly report: planned (from the plans), done, overdue, problems found. */
import type { BotConfig } from '../config/bots.js';
import type { InspectionSummary } from '../reports/sla-report.js';
import { toIso } from '../time.js';
import { Inspection, type InspectionDoc, inspectionId } from './model.js';
import { occurrencesBetween } from './schedule.js';

const HOUR = 3_600_000;

export async function inspectionSummary(bot: BotConfig, start: Date, end: Date, asOf: Date): Promise<InspectionSummary> {
  const records = await Inspection.find({ bot: bot.id, dueAt: { $gte: start, $lt: end } }).lean<InspectionDoc[]>();
  const byId = new Map(records.map((r) => [r._id, r]));
  const items: InspectionSummary['items'] = [];
  for (const plan of bot.inspections) {
    for (const occ of occurrencesBetween(plan, start, end)) {
      const rec = byId.get(inspectionId(bot.id, plan.id, occ.period));
      const overdue = asOf.getTime() >= occ.dueAt.getTime() + plan.escalateAfterHours * HOUR;
      const status = rec?.status === 'done' ? 'done' : overdue ? 'missed' : (rec?.status ?? 'pending');
      items.push({
        plan: plan.id,
        name: plan.name,
        period: occ.period,
        dueAt: toIso(occ.dueAt),
        status,
        doneAt: toIso(rec?.doneAt ?? null),
        problems: rec?.items.filter((x) => x.value === 'issue').length ?? 0,
      });
    }
  }
  const opened = records.flatMap((r) => r.items.filter((x) => x.ticketNo !== null));
  return {
    planned: items.length,
    done: items.filter((i) => i.status === 'done').length,
    missed: items.filter((i) => i.status === 'missed').length,
    inProgress: items.filter((i) => i.status === 'pending' || i.status === 'in_progress').length,
    problems: items.reduce((n, i) => n + i.problems, 0),
    ticketsOpened: opened.length,
    items,
  };
}

/** Reports feature: the admin report routes, 日报/月报 in chat, and the minute tick for digests and inspections. */
import { onChecklistDone } from '../bot/checklist.js';
import { registerCommand } from '../bot/commands/index.js';
import { firstStarts, ServiceMeta } from '../db/first-start.js';
import { inspectionDepsFor } from '../inspections/deps.js';
import { Inspection } from '../inspections/model.js';
import { completeInspection, inspectionTick } from '../inspections/run.js';
import { log } from '../log.js';
import type { Feature, FeatureFactory, ServiceContext } from '../service.js';
import { messengerFor } from '../wecom/feature.js';
import { dailyDigestHandler, explainBreachHandler, monthlyReportHandler, signMonthHandler, withdrawSignoffHandler } from './commands.js';
import { ReportRun, sendDueDigests } from './digest-job.js';
import { reportRoutes } from './routes.js';
import { RecordSignoff } from './signoff.js';

export const REPORTS_TICK_JOB = 'reports:tick';

/** One pass of the tick: due digests, then inspections; a failure of one never stops the other. */
export async function runReportsTick(ctx: ServiceContext): Promise<void> {
  const now = ctx.clock.now();
  let started: Map<string, Date>;
  try {
    started = await firstStarts(ctx.bots.keys(), now);
  } catch (e) {
    log.error({ err: (e as Error).message }, 'reports tick: first start unreadable');
    return;
  }
  try {
    await sendDueDigests(ctx.bots, messengerFor(ctx), now, started);
  } catch (e) {
    log.error({ err: (e as Error).message }, 'digest tick failed');
  }
  try {
    await inspectionTick(inspectionDepsFor(ctx), now, started);
  } catch (e) {
    log.error({ err: (e as Error).message }, 'inspection tick failed');
  }
}

export const reportsFeature: FeatureFactory = (ctx): Feature => {
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'reports',
    routers: [reportRoutes(ctx)],
    async init() {
      await Promise.all([
        ReportRun.createIndexes(),
        Inspection.createIndexes(),
        ServiceMeta.createIndexes(),
        RecordSignoff.createIndexes(),
      ]);
      // Recorded before the first tick, so the first tick after a first start never catches up on earlier periods.
      await firstStarts(ctx.bots.keys(), ctx.clock.now());
      ctx.scheduler.agenda.define(REPORTS_TICK_JOB, async () => runReportsTick(ctx));
      registerCommand('日报', dailyDigestHandler);
      registerCommand('月报', monthlyReportHandler);
      registerCommand('月报签收', signMonthHandler);
      registerCommand('月报撤回', withdrawSignoffHandler);
      registerCommand('超时说明', explainBreachHandler);
      unsubscribe = onChecklistDone(async (result) => {
        if (result.ref && ctx.bots.has(result.bot)) await completeInspection(inspectionDepsFor(ctx), result);
      });
    },
    async start() {
      // One schedule for all bots and instances (Agenda `every` keeps a single job per name).
      await ctx.scheduler.agenda.every('1 minute', REPORTS_TICK_JOB);
    },
    stop() {
      unsubscribe?.();
    },
  };
};

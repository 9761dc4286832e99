/** Reports feature: the admin report routes, 日报/月报 in chat, and the minute tick that sends due digests. */
import { firstStarts, ServiceMeta } from '../db/first-start.js';
import { log } from '../log.js';
import type { Feature, FeatureFactory, ServiceContext } from '../service.js';
import { dailyDigestHandler, explainBreachHandler, monthlyReportHandler, signMonthHandler, withdrawSignoffHandler } from './commands.js';
import { ReportRun, sendDueDigests } from './digest-job.js';
import { reportRoutes } from './routes.js';
import { RecordSignoff } from './signoff.js';

export const REPORTS_TICK_JOB = 'reports:tick';

/** One pass of the tick at the service's now: due digests. Never throws (the next tick tries again). */
export async function runReportsTick(ctx: ServiceContext): Promise<void> {
  const now = ctx.clock.now();
  try {
    await sendDueDigests(ctx.bots, ctx.registry.port('messenger'), now, await firstStarts(ctx.bots.keys(), now));
  } catch (e) {
    log.error({ err: (e as Error).message }, 'digest tick failed');
  }
}

export const reportsFeature: FeatureFactory = (ctx): Feature => ({
  name: 'reports',
  routers: [reportRoutes(ctx)],
  commands: {
    日报: dailyDigestHandler,
    月报: monthlyReportHandler,
    月报签收: signMonthHandler,
    月报撤回: withdrawSignoffHandler,
    超时说明: explainBreachHandler,
  },
  // One schedule for all bots and instances (Agenda `every` keeps a single job per name).
  jobs: [{ name: REPORTS_TICK_JOB, every: '1 minute', run: () => runReportsTick(ctx) }],
  async init() {
    await Promise.all([ReportRun.createIndexes(), ServiceMeta.createIndexes(), RecordSignoff.createIndexes()]);
    // Recorded before the first tick, so the first tick after a first start never catches up on earlier periods.
    await firstStarts(ctx.bots.keys(), ctx.clock.now());
  },
});

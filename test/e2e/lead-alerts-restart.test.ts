/**
 * Issue 17: every lead alert is sent exactly once per event, restart included. The service is stopped twice in the
 * middle of the story, and each time every ticket event ever committed is put back as undelivered — as if each
 * delivery had been cut off by a crash — so the restarted service's repair sweep hears all of them again. The
 * leads and the group must still have each alert once. One simulator (one fake WeCom) across the three services.
 */
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { loadBots } from '../../src/config/bots.js';
import { parseInstant } from '../../src/time.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { type BotHarness, noIn, START, startBotHarness, webhookTexts } from '../bot/helpers.js';
import { testDbName } from '../helpers/db.js';

const bots = loadBots('bots', {});
bots.get('demo')!.incidents.growthAlerts = [3];
const sim = new WecomSimulator({ bots: bots.values(), clock: new ManualClock(START) });
const dbName = testDbName();
let h: BotHarness | null = null;
afterAll(async () => {
  await h?.stop();
  await sim.stop();
});

const at = (s: string) => parseInstant(s) as Date;
const LEADS = ['wanglei', 'xuli'];

async function start(now: string): Promise<BotHarness> {
  h = await startBotHarness({ bots, sim, dbName, start: at(now) });
  return h;
}

/** Stops the service and marks every committed event of every ticket undelivered (the repair sweep re-delivers it). */
async function crashAndRestart(now: string): Promise<BotHarness> {
  await h!.stop();
  h = null;
  const client = await MongoClient.connect(inject('mongoUri'));
  try {
    const db = client.db(dbName);
    const events = await db.collection('ticket_events').find({}).toArray();
    const byTicket = new Map<number, typeof events>();
    for (const e of events) byTicket.set(e.no as number, [...(byTicket.get(e.no as number) ?? []), e]);
    for (const [no, list] of byTicket) {
      const pending = list.map(({ _id, ...e }) => ({ ...e, writtenAt: new Date(0) }));
      await db.collection('tickets').updateOne({ bot: 'demo', no }, { $set: { pending } });
    }
    expect(byTicket.size).toBeGreaterThan(0);
  } finally {
    await client.close();
  }
  const next = await start(now);
  // The start-up repair has delivered them all again (each processor ran without failing): nothing is left pending.
  expect(await mongoose.connection.db!.collection('tickets').countDocuments({ 'pending.0': { $exists: true } })).toBe(0);
  await next.settle();
  return next;
}

describe('lead alerts are sent exactly once per event, across restarts with every event delivered again', () => {
  it('one of each kind, before and after two restarts', async () => {
    await sim.start();
    let s = await start('2026-11-18T10:00');
    const say = async (from: string, text: string) => {
      const r = await s.say(from, text);
      await s.settle();
      return r;
    };
    // Before the first restart: 一级 opened, raised to 一级, 一级 paused, an incident declared and grown.
    const urgent = noIn(await say('n_sf', '门诊收费处 HIS结算不了 窗口排了好多病人'));
    const raised = noIn(await say('n_xn', '心内科 HIS 开医嘱报错，分机6601'));
    await say('zhangwei', `改级 ${raised} 1 影响全院门诊`);
    await say('zhangwei', `接单 ${urgent}`);
    await say('zhangwei', `挂起 ${urgent} 等待医保中心恢复接口`);
    const incident = noIn(await say('lab_a', 'LIS全部登不上了 整个检验科都进不去'));
    await say('lab_b', '急诊科 LIS也登不进去了 大家都登不上');
    await say('lab_c', '儿科 LIS也登不进去了 大家都登不上');

    s = await crashAndRestart('2026-11-18T10:20');
    // Between the restarts: a rejected resolution, a rating of 2, a breach jumped to, a late claim.
    await say('zhangwei', `解决 ${raised} 原因:医嘱模板缓存 处理:清缓存`);
    await say('n_xn', `未解决 ${raised} 还是报错`);
    await say('zhangwei', `解决 ${raised} 原因:医嘱模板损坏 处理:重建模板`);
    await s.sayApp('n_xn', '好了 但是太慢了 2分');
    const late = noIn(await say('n_pf', '皮肤科 HIS 开检查单报错，分机6605'));
    s.clock.set(at('2026-11-18T11:21'));
    await s.service.ctx.scheduler.runDue();
    const breachOf = (u: string) => s.dms(u).filter((m) => m.text?.includes('🔴 响应超时') && m.text.includes(`#${late} `));
    await sim.waitFor(() => LEADS.every((u) => breachOf(u).length > 0), { timeoutMs: 15_000 });
    await s.settle();
    await say('zhangwei', `接单 ${late}`);

    s = await crashAndRestart('2026-11-18T11:25');
    const alerts = (lead: string, head: string, no: number) => s.dms(lead).filter((m) => m.text?.includes(`${head}#${no}`) ?? false);
    for (const lead of LEADS) {
      expect(alerts(lead, '【一级报修】', urgent)).toHaveLength(1);
      expect(alerts(lead, '【升为一级】', raised)).toHaveLength(1);
      expect(alerts(lead, '【一级挂起】', urgent)).toHaveLength(1);
      expect(alerts(lead, '【故障事件】', incident)).toHaveLength(1);
      expect(alerts(lead, '【故障事件扩大】', incident)).toHaveLength(1);
      expect(alerts(lead, '【解决后重新打开】', raised)).toHaveLength(1);
      expect(alerts(lead, '【低评分】', raised)).toHaveLength(1);
      expect(breachOf(lead)).toHaveLength(1);
      expect(alerts(lead, '【超时后接单】', late)).toHaveLength(1);
    }
    expect(webhookTexts(sim).filter((p) => p.includes(`#${late} `) && p.includes('已接单，正在处理'))).toHaveLength(1);
    expect((await s.ticket(raised)).status).toBe('closed');
  });
});

/**
 * Issue 6 escalation through the real production path: reports come in through the WeCom simulator, the full
 * service (Agenda jobs, outbox, WeCom messenger) chases the deadlines, and what the engineers, the leads and
 * the group receive is read back from the simulator.
 *
 * The manual clock starts on a fixed date in the real past on purpose. Agenda runs a job when the REAL time
 * reaches its nextRunAt, and escalation jobs are scheduled at the service-clock instant of their step; a job
 * that runs before the service clock says it is due re-checks and retries a second later. So with the clock
 * in the real past every step job is polled about once a second and fires within ~1–2 s of the clock
 * reaching it; with the clock after the real now (as ticket-lifecycle.test.ts does) a step scheduled at
 * clock time would not run before the real time got there.
 */
import mongoose from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import { ESCALATION_JOB } from '../../src/sla/jobs.js';
import { parseInstant } from '../../src/time.js';
import { type BotHarness, noIn, startBotHarness, webhookTexts } from '../bot/helpers.js';
import { testDbName } from '../helpers/db.js';

/** Wednesday 2026-11-11, 09:00 local: working time, HIS goes to 张伟 (primary), 赵敏 is the backup. */
const DAY = '2026-11-11';
const at = (s: string) => parseInstant(s) as Date;
const WAIT_MS = 10_000;

const WORD = { response: '响应', onsite: '到场', resolve: '解决' } as const;
type TargetName = keyof typeof WORD;

const harnesses: BotHarness[] = [];
async function harness(start: string, dbName?: string): Promise<BotHarness> {
  const h = await startBotHarness({ start: at(start), dbName });
  harnesses.push(h);
  return h;
}
// One service at a time (they share mongoose's default connection).
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
});

/**
 * The escalation steps of one ticket and target a user received, in order: "50%", "75%", "100%" (the breach
 * notice), "100%+k" (the k-th repeat). Read from the message titles (src/sla/messages.ts).
 */
function stepsTo(texts: string[], no: number, target: TargetName): string[] {
  const w = WORD[target];
  const re = new RegExp(`(?:⏰ ${w}时限已过 (\\d+%)|🔴 ${w}超时|仍未${w}（第 (\\d+) 次催办）)`);
  return texts.flatMap((t) => {
    if (!t.includes(`#${no} `)) return [];
    const m = re.exec(t);
    if (!m) return [];
    return [m[1] ?? (m[2] ? `100%+${m[2]}` : '100%')];
  });
}
const dmSteps = (h: BotHarness, user: string, no: number, target: TargetName) =>
  stepsTo(
    h.dms(user).map((m) => m.text ?? ''),
    no,
    target,
  );
const groupSteps = (h: BotHarness, no: number, target: TargetName) => stepsTo(webhookTexts(h.sim), no, target);

/** Waits (on the simulator's events) until `check` holds. */
async function until(h: BotHarness, what: string, check: () => boolean): Promise<void> {
  await h.sim
    .waitFor(() => check(), { timeoutMs: WAIT_MS })
    .catch(() => {
      throw new Error(`timed out waiting for ${what}`);
    });
}

/** Runs what is due by the service clock, then waits until `user` has received `step` of the target. */
async function stepArrives(h: BotHarness, user: string, no: number, target: TargetName, step: string): Promise<void> {
  await h.service.ctx.scheduler.runDue();
  await until(h, `${target} ${step} to ${user}`, () => dmSteps(h, user, no, target).includes(step));
  await h.settle();
}

/** Runs every job due by the service clock as set now and waits until what it sent was delivered. */
async function runDue(h: BotHarness): Promise<void> {
  await h.service.ctx.scheduler.runDue();
  await h.settle();
}

async function pendingJobs(no: number): Promise<string[]> {
  const jobs = await mongoose.connection.db!.collection('agendaJobs').find({ name: ESCALATION_JOB, 'data.no': no }).toArray();
  return jobs.map((j) => `${j.data.target}:${j.data.step}`).sort();
}

async function report(h: BotHarness, from: string, text: string): Promise<number> {
  const reply = await h.say(from, text);
  expect(reply).toMatch(/^@\S+ 已登记 #\d+/);
  return noIn(reply);
}

const HIS_LEVEL2 = 'HIS医生站开医嘱报错，心内科，分机6601';
const reminded = (t: { events: Array<{ type: string; target?: unknown; step?: unknown }> }, target: TargetName) =>
  t.events.filter((e) => e.type === 'reminded' && e.target === target).map((e) => e.step);

describe('escalation through the production service and the WeCom simulator', () => {
  it('unclaimed level 2: 50 % primary, 75 % + backup, 100 % breach to leads and group, then 4 repeats and no more', async () => {
    const h = await harness(`${DAY}T09:00`);
    const no = await report(h, 'nurse_a', HIS_LEVEL2);
    let t = await h.ticket(no);
    expect(t).toMatchObject({ level: 2, system: 'his', status: 'open' });
    expect(t.sla.response.dueAt).toBe(`${DAY}T10:00:00+08:00`);

    // 29 min: the 50 % job looks at the clock and stays quiet.
    h.clock.set(at(`${DAY}T09:29`));
    await runDue(h);
    expect(dmSteps(h, 'zhangwei', no, 'response')).toEqual([]);

    h.clock.set(at(`${DAY}T09:30`));
    await stepArrives(h, 'zhangwei', no, 'response', '50%');
    expect(h.dms('zhangwei').at(-1)?.text).toContain('剩余 30 分钟');
    expect(dmSteps(h, 'zhaomin', no, 'response')).toEqual([]);

    h.clock.set(at(`${DAY}T09:45`));
    await stepArrives(h, 'zhaomin', no, 'response', '75%');
    await stepArrives(h, 'zhangwei', no, 'response', '75%');
    for (const lead of ['wanglei', 'xuli']) expect(dmSteps(h, lead, no, 'response')).toEqual([]);
    expect(groupSteps(h, no, 'response')).toEqual([]);

    h.clock.set(at(`${DAY}T10:00`));
    for (const u of ['wanglei', 'xuli', 'zhangwei']) await stepArrives(h, u, no, 'response', '100%');
    await until(h, 'breach in the group', () => groupSteps(h, no, 'response').includes('100%'));
    expect(webhookTexts(h.sim).find((m) => m.includes('🔴 响应超时'))).toMatch(new RegExp(`^<@zhangwei> .*\\n#${no} `));
    t = await h.ticket(no);
    expect(t.sla.response.breachedAt).toBe(`${DAY}T10:00:00+08:00`);
    expect(t.events.filter((e) => e.type === 'breached')).toEqual([
      expect.objectContaining({ target: 'response', actor: 'system', breachedAt: `${DAY}T10:00:00+08:00` }),
    ]);

    // The repeats, every 30 min.
    for (const [k, time] of ['10:30', '11:00', '11:30', '12:00'].entries()) {
      h.clock.set(at(`${DAY}T${time}`));
      for (const u of ['wanglei', 'xuli', 'zhangwei']) await stepArrives(h, u, no, 'response', `100%+${k + 1}`);
      await until(h, `repeat ${k + 1} in the group`, () => groupSteps(h, no, 'response').includes(`100%+${k + 1}`));
    }
    // Nothing is left to chase on the response target.
    await expect.poll(() => pendingJobs(no)).toEqual(['resolve:50%']);

    // Well beyond: the next morning the resolve target (2 working days, 50 % = Thu 09:00) speaks; the
    // response target has had every chance to speak again by then.
    h.clock.set(at('2026-11-12T09:00'));
    await stepArrives(h, 'zhangwei', no, 'resolve', '50%');

    const repeats = ['100%', '100%+1', '100%+2', '100%+3', '100%+4'];
    expect(dmSteps(h, 'zhangwei', no, 'response')).toEqual(['50%', '75%', ...repeats]);
    expect(dmSteps(h, 'zhaomin', no, 'response')).toEqual(['75%']);
    for (const lead of ['wanglei', 'xuli']) expect(dmSteps(h, lead, no, 'response')).toEqual(repeats);
    expect(groupSteps(h, no, 'response')).toEqual(repeats);
    t = await h.ticket(no);
    expect(reminded(t, 'response')).toEqual(['50%', '75%', ...repeats]);
    expect(t.events.filter((e) => e.type === 'breached')).toHaveLength(1);
    // Escalation is the staff's business: the reporter is not chased.
    expect(dmSteps(h, 'nurse_a', no, 'response')).toEqual([]);

    // 日报 still works with a breached ticket in it, and lists the breach.
    const digest = (await h.sayApp('wanglei', '日报')).join('\n');
    expect(digest).toContain(`#${no} 响应超时`);
  });

  it('claimed before 50 %: no response reminder ever; the resolve reminders go to the assignee, also after a transfer', async () => {
    const h = await harness(`${DAY}T09:00`);
    const no = await report(h, 'nurse_b', HIS_LEVEL2);
    h.clock.set(at(`${DAY}T09:10`));
    // 刘洋 takes it although HIS is 张伟's: the resolve chase follows the assignee, not the on-duty engineer.
    expect(await h.say('liuyang', `接单 ${no}`)).toContain(`已接单 **#${no}**`);
    await expect.poll(() => pendingJobs(no)).toEqual(['resolve:50%']);

    // Past the response deadline and a repeat: the resolve job runs, nothing about the response is sent.
    h.clock.set(at(`${DAY}T10:31`));
    await runDue(h);
    for (const u of ['zhangwei', 'liuyang', 'zhaomin', 'wanglei', 'xuli']) expect(dmSteps(h, u, no, 'response')).toEqual([]);
    expect(groupSteps(h, no, 'response')).toEqual([]);

    // Resolve: 2 working days of 10 h from Wed 09:00 → 50 % Thu 09:00, 75 % Thu 14:00.
    h.clock.set(at('2026-11-12T09:00'));
    await stepArrives(h, 'liuyang', no, 'resolve', '50%');
    // A lead hands it to 陈静: the next reminder chases her (and the backup), no longer 刘洋.
    h.clock.set(at('2026-11-12T10:00'));
    expect((await h.sayApp('wanglei', `转派 ${no} chenjing 刘洋外出`)).join()).toContain(`已将 **#${no}** 转派给 陈静`);
    h.clock.set(at('2026-11-12T14:00'));
    await stepArrives(h, 'chenjing', no, 'resolve', '75%');
    await stepArrives(h, 'zhaomin', no, 'resolve', '75%');
    expect(dmSteps(h, 'liuyang', no, 'resolve')).toEqual(['50%']);
    expect(dmSteps(h, 'chenjing', no, 'resolve')).toEqual(['75%']);
    expect(dmSteps(h, 'zhangwei', no, 'resolve')).toEqual([]);
    for (const u of ['zhangwei', 'liuyang', 'chenjing', 'zhaomin', 'wanglei', 'xuli']) expect(dmSteps(h, u, no, 'response')).toEqual([]);

    const t = await h.ticket(no);
    expect(t.sla.response).toMatchObject({ metAt: `${DAY}T09:10:00+08:00`, breachedAt: null });
    expect(reminded(t, 'response')).toEqual([]);
    expect(t.events.filter((e) => e.type === 'breached')).toEqual([]);
  });

  it('挂起 / 恢复 in chat: nothing fires while paused, the resolve reminder comes at the shifted time', async () => {
    const h = await harness(`${DAY}T09:00`);
    const no = await report(h, 'nurse_c', HIS_LEVEL2);
    h.clock.set(at(`${DAY}T09:05`));
    await h.say('zhangwei', `接单 ${no}`);
    expect((await h.ticket(no)).sla.resolve.dueAt).toBe('2026-11-13T09:00:00+08:00');

    h.clock.set(at(`${DAY}T10:00`));
    expect(await h.say('zhangwei', `挂起 ${no} 等待厂家远程支持`)).toContain(`**#${no}** 已挂起`);
    await expect.poll(() => pendingJobs(no)).toEqual([]);

    // Past the unshifted 50 % (Thu 09:00) while paused.
    h.clock.set(at('2026-11-12T10:00'));
    const resumed = await h.say('zhangwei', `恢复 ${no}`);
    // Paused 10 working hours (Wed 10–18, Thu 08–10): every resolve instant moves 10 working hours on.
    expect(resumed).toContain(`**#${no}** 已恢复处理，解决时限顺延至`);
    const t = await h.ticket(no);
    expect(t.sla.resolve).toMatchObject({ dueAt: '2026-11-16T09:00:00+08:00', pausedMs: 24 * 3600_000 });
    await expect.poll(() => pendingJobs(no)).toEqual(['resolve:50%']);
    await runDue(h);
    expect(dmSteps(h, 'zhangwei', no, 'resolve')).toEqual([]);

    h.clock.set(at('2026-11-13T08:59'));
    await runDue(h);
    expect(dmSteps(h, 'zhangwei', no, 'resolve')).toEqual([]);

    h.clock.set(at('2026-11-13T09:00'));
    await stepArrives(h, 'zhangwei', no, 'resolve', '50%');
    expect(dmSteps(h, 'zhangwei', no, 'resolve')).toEqual(['50%']);
  });

  it('改级 12 1 <原因>: the response deadline moves and the reminders follow it', async () => {
    const h = await harness(`${DAY}T09:00`);
    const no = await report(h, 'nurse_d', HIS_LEVEL2);
    h.clock.set(at(`${DAY}T09:10`));
    expect(await h.say('wanglei', `改级 ${no} 1 影响全院门诊`)).toContain(`**#${no}** 已改为一级`);
    const t = await h.ticket(no);
    expect(t.level).toBe(1);
    // Level 1: 30 min from the original start.
    expect(t.sla.response.dueAt).toBe(`${DAY}T09:30:00+08:00`);

    h.clock.set(at(`${DAY}T09:14`));
    await runDue(h);
    expect(dmSteps(h, 'zhangwei', no, 'response')).toEqual([]);
    h.clock.set(at(`${DAY}T09:15`));
    await stepArrives(h, 'zhangwei', no, 'response', '50%');
    h.clock.set(at(`${DAY}T09:22:30`));
    await stepArrives(h, 'zhaomin', no, 'response', '75%');
    h.clock.set(at(`${DAY}T09:30`));
    await stepArrives(h, 'wanglei', no, 'response', '100%');
    await stepArrives(h, 'zhangwei', no, 'response', '100%');
    expect((await h.ticket(no)).sla.response.breachedAt).toBe(`${DAY}T09:30:00+08:00`);
    expect(dmSteps(h, 'zhangwei', no, 'response')).toEqual(['50%', '75%', '100%']);
  });

  it('a reminder due while the service is down fires once after the restart', async () => {
    const dbName = testDbName();
    const first = await harness(`${DAY}T09:00`, dbName);
    const no = await report(first, 'nurse_e', HIS_LEVEL2);
    await expect.poll(() => pendingJobs(no)).toEqual(['resolve:50%', 'response:50%']);
    await first.stop();
    harnesses.splice(harnesses.indexOf(first), 1);

    // Down over the 50 % instant (09:30).
    const second = await harness(`${DAY}T09:31`, dbName);
    await stepArrives(second, 'zhangwei', no, 'response', '50%');
    // On to the next step: by then the 50 % job has had every chance to fire again.
    second.clock.set(at(`${DAY}T09:45`));
    await stepArrives(second, 'zhangwei', no, 'response', '75%');

    expect(dmSteps(first, 'zhangwei', no, 'response')).toEqual([]);
    expect(dmSteps(second, 'zhangwei', no, 'response')).toEqual(['50%', '75%']);
    expect(reminded(await second.ticket(no), 'response')).toEqual(['50%', '75%']);
  });
});

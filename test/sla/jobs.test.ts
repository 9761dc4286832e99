import { ticketContextOf } from '../../src/service.js';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { Service } from '../../src/service.js';
import type { EscalationNotifier } from '../../src/sla/escalation.js';
import { createSlaFeature } from '../../src/sla/feature.js';
import { ESCALATION_JOB, RECONCILE_JOB, scheduleStep } from '../../src/sla/jobs.js';
import { changeLevel, claimTicket, createTicket, pauseTicket, resumeTicket } from '../../src/tickets/commands/index.js';
import { ticketsFeature } from '../../src/tickets/feature.js';
import { getTicket, listEvents } from '../../src/tickets/queries.js';
import { parseInstant, toIso } from '../../src/time.js';
import { testDbName } from '../helpers/db.js';
import { startTestService } from '../helpers/service.js';
import { RecordingNotifier } from './notifier.js';
import { isEscalation } from '../../src/tickets/types.js';

const at = (s: string) => parseInstant(s)!;
// Services share mongoose's default connection: one runs at a time, each test stops its own.
const services: Service[] = [];

async function start(clock: ManualClock, notify: EscalationNotifier, dbName: string): Promise<Service> {
  const svc = await startTestService({
    clock,
    dbName,
    processEvery: 100,
    features: [ticketsFeature, (ctx) => createSlaFeature(ctx, { notify })],
  });
  services.push(svc);
  // The start-up sweep runs as a job: let it finish before the test changes tickets, so it never races the test.
  await expect
    .poll(() =>
      mongoose.connection.db!.collection('agendaJobs').countDocuments({ name: RECONCILE_JOB, repeatInterval: null, lastFinishedAt: null }),
    )
    .toBe(0);
  return svc;
}

afterAll(async () => {
  for (const s of services) await s.stop();
});

async function jobTimes(no: number) {
  const jobs = await mongoose.connection.db!.collection('agendaJobs').find({ name: ESCALATION_JOB, 'data.no': no }).toArray();
  return Object.fromEntries(jobs.map((j) => [`${j.data.target}:${j.data.step}`, toIso(j.data.at)]));
}

async function jobsOf(no: number) {
  const jobs = await mongoose.connection.db!.collection('agendaJobs').find({ name: ESCALATION_JOB, 'data.no': no }).toArray();
  return jobs.map((j) => `${j.data.target}:${j.data.step}`).sort();
}

async function newTicket(svc: Service, system = 'his'): Promise<number> {
  const r = await createTicket(ticketContextOf(svc.ctx, svc.ctx.bots.get('demo')!), {
    system,
    level: 1,
    title: '收费系统无法登录',
    reporter: { userid: 'nurse01', name: '李护士' },
  });
  if (!r.ok) throw new Error(r.message);
  return r.ticket.no;
}

/**
 * Holds the service's next write of a `response` step job until `release()`: the test changes the ticket while a
 * sync that read it earlier is between its read and its write (the interleaving that left stale jobs).
 */
function holdNextResponseWrite(svc: Service): { reached: Promise<void>; release: () => void } {
  const scheduler = svc.ctx.scheduler;
  const write = scheduler.scheduleAt.bind(scheduler);
  let reached!: () => void;
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const wasReached = new Promise<void>((r) => {
    reached = r;
  });
  const hold = { reached: wasReached, release };
  let armed = true;
  scheduler.scheduleAt = async (name, data, due, opts) => {
    if (armed && name === ESCALATION_JOB && (data as { target?: string }).target === 'response') {
      armed = false;
      reached();
      await released;
    }
    return write(name, data, due, opts);
  };
  return hold;
}

describe('escalation jobs in Agenda', () => {
  it('keeps one job per (ticket, target, step), fires when due and stops on claim', async () => {
    const clock = new ManualClock('2026-11-20T10:00:00+08:00');
    const notify = new RecordingNotifier();
    const svc = await start(clock, notify, testDbName());
    const no = await newTicket(svc);

    // Creation schedules the first step of each running target (the new-ticket ping is the bot notifier's).
    expect(await jobsOf(no)).toEqual(['resolve:50%', 'response:50%']);
    expect(notify.sent).toEqual([]);

    // Nothing runs before its time on the service clock, however long the test takes in real time.
    clock.set(at('2026-11-20T10:14'));
    await svc.ctx.scheduler.runDue();
    expect(notify.about(no, 'response:50%')).toEqual([]);

    clock.set(at('2026-11-20T10:16'));
    await svc.ctx.scheduler.runDue();
    expect(notify.about(no, 'response:50%').map((s) => s.userids)).toEqual([['zhangwei']]);
    expect(await jobsOf(no)).toEqual(['resolve:50%', 'response:75%']);

    clock.set(at('2026-11-20T10:20'));
    expect((await claimTicket(ticketContextOf(svc.ctx, svc.ctx.bots.get('demo')!), { no, actor: { userid: 'zhangwei' } })).ok).toBe(true);
    expect(await jobsOf(no)).toEqual(['resolve:50%']);
    await svc.stop();
  });

  it('a reminder scheduled before a restart fires once after it', async () => {
    const dbName = testDbName();
    const clock = new ManualClock('2026-11-20T10:00:00+08:00');
    const first = new RecordingNotifier();
    const svc1 = await start(clock, first, dbName);
    const no = await newTicket(svc1, 'lis');
    await svc1.stop();

    clock.set(at('2026-11-20T10:16'));
    const second = new RecordingNotifier();
    const svc2 = await start(clock, second, dbName);
    await svc2.ctx.scheduler.runDue();
    // Move on to the next step: by then the 50 % job has had every chance to fire again.
    clock.set(at('2026-11-20T10:23'));
    await svc2.ctx.scheduler.runDue();

    expect(first.about(no, 'response:50%')).toHaveLength(0);
    expect(second.about(no, 'response:50%')).toHaveLength(1);
    // The step is recorded right after its notification was queued.
    const steps = async () =>
      (await listEvents('demo', no))
        .filter(isEscalation)
        .filter((e) => e.target === 'response')
        .map((e) => e.step);
    expect(await steps()).toEqual(['50%', '75%']);
    await svc2.stop();
  });

  it('pause removes the chase, resume and a level change reschedule it', async () => {
    const clock = new ManualClock('2026-11-20T10:00:00+08:00');
    const svc = await start(clock, new RecordingNotifier(), testDbName());
    const ctx = ticketContextOf(svc.ctx, svc.ctx.bots.get('demo')!);
    const no = await newTicket(svc);
    clock.set(at('2026-11-20T10:05'));
    await claimTicket(ctx, { no, actor: { userid: 'zhangwei' } });
    expect(await jobsOf(no)).toEqual(['resolve:50%']);

    clock.set(at('2026-11-20T11:00'));
    await pauseTicket(ctx, { no, actor: { userid: 'zhangwei' }, reason: '等待医保中心' });
    expect(await jobsOf(no)).toEqual([]);

    // Paused 3.5 h: the resolve 50 % moves from 22:00 to 01:30.
    clock.set(at('2026-11-20T14:30'));
    await resumeTicket(ctx, { no, actor: { userid: 'zhangwei' } });
    expect((await jobTimes(no))['resolve:50%']).toBe('2026-11-21T01:30:00+08:00');

    // Level 1 → 3: resolve 72 h from 10:00, 50 % = 36 h + 3.5 h paused → 11-22 01:30.
    clock.set(at('2026-11-20T15:00'));
    await changeLevel(ctx, { no, actor: { userid: 'xuli' }, level: 3, reason: '影响范围小' });
    expect((await jobTimes(no))['resolve:50%']).toBe('2026-11-22T01:30:00+08:00');
    await svc.stop();
  });

  it('a step whose run failed (the outbox was down) is run again and fires once', async () => {
    const clock = new ManualClock('2026-11-20T10:00:00+08:00');
    const notify = new RecordingNotifier();
    let failures = 0;
    const flaky: EscalationNotifier = {
      async toUsers(bot, userids, content, opts) {
        if (opts?.idempotencyKey?.includes(':response:50%') && failures++ === 0) throw new Error('outbox unavailable');
        return notify.toUsers(bot, userids, content, opts);
      },
      toGroup: (bot, content, opts) => notify.toGroup(bot, content, opts),
    };
    const svc = await start(clock, flaky, testDbName());
    const no = await newTicket(svc);
    clock.set(at('2026-11-20T10:16'));
    await svc.ctx.scheduler.runDue();
    expect(failures).toBe(1);
    expect(notify.about(no, 'response:50%')).toEqual([]);
    // Tried again later (the shared job backoff); what is due now runs it again, and it fires once.
    await svc.ctx.scheduler.runDue();
    expect(failures).toBe(2);
    expect(notify.about(no, 'response:50%')).toHaveLength(1);
    clock.set(at('2026-11-20T10:23'));
    await svc.ctx.scheduler.runDue();
    expect(notify.about(no, 'response:75%')).toHaveLength(1);
    expect(notify.about(no, 'response:50%')).toHaveLength(1);
    expect((await listEvents('demo', no)).filter(isEscalation).map((e) => e.step)).toEqual(['50%', '75%']);
    await svc.stop();
  });
  for (const sweep of ['start-up', 'periodic'] as const) {
    it(`a ${sweep} sweep that read a ticket before its claim leaves no response step behind the claim`, async () => {
      const clock = new ManualClock('2026-11-20T10:00:00+08:00');
      const svc = await start(clock, new RecordingNotifier(), testDbName());
      const ctx = ticketContextOf(svc.ctx, svc.ctx.bots.get('demo')!);
      const no = await newTicket(svc);
      expect(await jobsOf(no)).toEqual(['resolve:50%', 'response:50%']);

      // The sweep reads the open ticket and is held just before it writes the response step …
      const hold = holdNextResponseWrite(svc);
      const since = sweep === 'periodic' ? at('2026-11-20T09:30') : undefined;
      const swept = svc.ctx.registry.port('slaJobs').reconcileAll(svc.ctx.bots, since);
      await hold.reached;
      // … while the engineer claims it (stored at once; the claim's own job sync comes after the sweep's turn).
      clock.set(at('2026-11-20T10:05'));
      const claimed = claimTicket(ctx, { no, actor: { userid: 'zhangwei' } });
      await expect.poll(async () => (await getTicket('demo', no))?.status).toBe('claimed');
      hold.release();
      expect((await claimed).ok).toBe(true);
      expect(await swept).toBeGreaterThanOrEqual(1);

      expect(await jobsOf(no)).toEqual(['resolve:50%']);
      await svc.stop();
    });
  }

  it('a response step job left from before the claim (another instance wrote it) re-checks the ticket and says nothing', async () => {
    const clock = new ManualClock('2026-11-20T10:00:00+08:00');
    const notify = new RecordingNotifier();
    const svc = await start(clock, notify, testDbName());
    const ctx = ticketContextOf(svc.ctx, svc.ctx.bots.get('demo')!);
    const no = await newTicket(svc);
    clock.set(at('2026-11-20T10:05'));
    expect((await claimTicket(ctx, { no, actor: { userid: 'zhangwei' } })).ok).toBe(true);
    const data = { bot: 'demo', no, target: 'response' as const, step: '50%', at: '2026-11-20T10:15:00+08:00' };
    await scheduleStep(svc.ctx.scheduler, data, 'insertOnly');
    expect(await jobsOf(no)).toEqual(['resolve:50%', 'response:50%']);

    clock.set(at('2026-11-20T10:16'));
    await svc.ctx.scheduler.runDue();
    expect(notify.about(no, 'response:50%')).toEqual([]);
    expect(await jobsOf(no)).toEqual(['resolve:50%']);
    await svc.stop();
  });
});

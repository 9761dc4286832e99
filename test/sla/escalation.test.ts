import { TicketEventBus } from '../../src/tickets/events.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { loadBots } from '../../src/config/bots.js';
import { escalateTarget, type EscalationDeps } from '../../src/sla/escalation.js';
import { changeLevel, claimTicket, createTicket, pauseTicket, resumeTicket, transferTicket } from '../../src/tickets/commands/index.js';
import { ensureTicketIndexes } from '../../src/tickets/model.js';
import { getTicket, listEvents } from '../../src/tickets/queries.js';
import { isEscalation, type TargetName } from '../../src/tickets/types.js';
import { parseInstant, toIso } from '../../src/time.js';
import { useTestDb } from '../helpers/db.js';
import { RecordingNotifier } from './notifier.js';

useTestDb();
const bot = loadBots('bots', {}).get('demo')!;
const at = (s: string) => parseInstant(s)!;
const clock = new ManualClock('2026-11-20T10:00:00+08:00');
const ctx = { bot, clock, events: new TicketEventBus() };

function setup() {
  const notify = new RecordingNotifier();
  const deps: EscalationDeps = { bots: new Map([['demo', bot]]), clock, notify, events: ctx.events };
  const run = (no: number, target: TargetName, when: string) => escalateTarget(deps, { bot: 'demo', no, target }, at(when));
  return { notify, run };
}

async function newTicket(level: 1 | 2 | 3 | 4, system: string, when: string): Promise<number> {
  clock.set(at(when));
  const r = await createTicket(ctx, {
    system,
    level,
    title: '测试故障',
    reporter: { userid: 'nurse01', name: '李护士', department: '检验科' },
  });
  if (!r.ok) throw new Error(r.message);
  return r.ticket.no;
}

beforeAll(async () => {
  await ensureTicketIndexes();
});

describe('escalation steps of an unclaimed level-1 ticket (response due 10:30)', () => {
  it('walks 50 %, 75 %, breach and four repeats, each once', async () => {
    const { notify, run } = setup();
    const no = await newTicket(1, 'his', '2026-11-20T10:00');

    expect((await run(no, 'response', '2026-11-20T10:10')).fired).toBeNull();
    expect(notify.sent).toHaveLength(0);

    // 50 %: the on-duty primary (zhangwei covers HIS), since nobody claimed yet.
    const half = await run(no, 'response', '2026-11-20T10:15');
    expect(half.fired?.key).toBe('50%');
    expect(toIso(half.next!.at)).toBe('2026-11-20T10:22:30+08:00');
    expect(notify.sent).toHaveLength(1);
    expect(notify.sent[0]).toMatchObject({ kind: 'users', userids: ['zhangwei'] });
    expect(notify.text(notify.sent[0])).toContain('响应时限已过 50%');

    // Firing again (a duplicate or late job) does nothing.
    expect((await run(no, 'response', '2026-11-20T10:16')).fired).toBeNull();
    expect(notify.sent).toHaveLength(1);

    // 75 %: also the backup.
    expect((await run(no, 'response', '2026-11-20T10:22:30')).fired?.key).toBe('75%');
    expect(notify.sent[1].userids).toEqual(['zhangwei', 'zhaomin']);

    // 100 %: breach recorded on the ticket and in its events; the engineer is asked to claim, the leads hear it
    // with what they can do (进度, 转派 — leads cannot claim), the group gets a mention.
    const due = await run(no, 'response', '2026-11-20T10:30');
    expect(due).toMatchObject({ breached: true, fired: { key: '100%' } });
    const t = await getTicket('demo', no);
    expect(toIso(t!.sla.response.breachedAt)).toBe('2026-11-20T10:30:00+08:00');
    const users = notify.sent[2];
    expect(users.userids).toEqual(['zhangwei']);
    expect(notify.text(users)).toContain('响应超时');
    expect(notify.text(users)).toContain(`「接单 ${no}」`);
    const leads = notify.sent[3];
    expect(leads.userids).toEqual(['wanglei', 'xuli']);
    expect(notify.text(leads)).toContain('响应超时');
    expect(notify.text(leads)).toContain(`「转派 ${no} @赵敏」`);
    expect(notify.text(leads)).not.toMatch(/(?<!待)接单/);
    const group = notify.sent[4];
    expect(group.kind).toBe('group');
    expect(notify.text(group)).toMatch(/^<@zhangwei> /);

    // Repeats every 30 minutes, four times, then silence.
    expect((await run(no, 'response', '2026-11-20T10:59')).fired).toBeNull();
    for (const [k, when] of ['11:00', '11:30', '12:00', '12:30'].entries()) {
      expect((await run(no, 'response', `2026-11-20T${when}`)).fired?.key).toBe(`100%+${k + 1}`);
    }
    expect(await run(no, 'response', '2026-11-20T15:00')).toMatchObject({ fired: null, next: null });
    expect(notify.text(notify.sent.at(-2)!)).toContain('第 4 次催办');
    expect(notify.sent).toHaveLength(5 + 4 * 3);

    const events = await listEvents('demo', no);
    expect(events.filter((e) => e.type === 'breached')).toHaveLength(1);
    expect(events.filter(isEscalation).map((e) => e.step)).toEqual(['50%', '75%', '100%', '100%+1', '100%+2', '100%+3', '100%+4']);
  });

  it('after downtime only the latest overdue step speaks, to everyone the skipped steps would have told; the breach is recorded', async () => {
    const { notify, run } = setup();
    const no = await newTicket(1, 'lis', '2026-11-20T10:00');
    const out = await run(no, 'response', '2026-11-20T10:40');
    expect(out).toMatchObject({ breached: true, fired: { key: '100%' }, done: ['50%', '75%', '100%'] });
    expect(notify.sent.map((s) => s.kind)).toEqual(['users', 'users', 'group']);
    // The backup (75 %) is told although the 75 % step never spoke on its own.
    expect(notify.sent[0].userids).toEqual(['liuyang', 'zhaomin']);
    expect(notify.text(notify.sent[0])).toContain('响应超时');
    expect(notify.sent[1].userids).toEqual(['wanglei', 'xuli']);
    const reminded = (await listEvents('demo', no)).filter((e) => e.type === 'reminded');
    expect(reminded).toEqual([expect.objectContaining({ step: '100%', skipped: ['50%', '75%'] })]);
  });
});

describe('who is chased', () => {
  it('a claimed ticket: the response clock stopped, resolve reminders go to the assignee', async () => {
    const { notify, run } = setup();
    const no = await newTicket(1, 'lis', '2026-11-20T10:00');
    clock.set(at('2026-11-20T10:05'));
    expect((await claimTicket(ctx, { no, actor: { userid: 'liuyang' } })).ok).toBe(true);
    expect(await run(no, 'response', '2026-11-20T10:40')).toMatchObject({ fired: null, next: null });
    // Resolve 24 h wall: 50 % at 22:00 (off-hours; chenjing would be on rotation next week, zhangwei this week).
    const half = await run(no, 'resolve', '2026-11-20T22:00');
    expect(half.fired?.key).toBe('50%');
    expect(notify.sent[0].userids).toEqual(['liuyang']);
  });

  it('after a transfer the new assignee is chased, with the backup at 75 %', async () => {
    const { notify, run } = setup();
    const no = await newTicket(1, 'pacs', '2026-11-20T10:00');
    clock.set(at('2026-11-20T10:05'));
    await claimTicket(ctx, { no, actor: { userid: 'chenjing' } });
    clock.set(at('2026-11-20T11:00'));
    expect((await transferTicket(ctx, { no, actor: { userid: 'chenjing' }, to: 'liuyang', reason: '换人' })).ok).toBe(true);
    await run(no, 'resolve', '2026-11-21T04:00');
    expect(notify.sent[0].userids).toEqual(['liuyang', 'zhaomin']);
  });

  it('an unclaimed off-hours ticket chases the rotation engineer', async () => {
    const { notify, run } = setup();
    const no = await newTicket(2, 'lis', '2026-11-21T10:00'); // Saturday: zhangwei's rotation week
    await run(no, 'response', '2026-11-21T10:30');
    expect(notify.sent[0].userids).toEqual(['zhangwei']);
  });
});

describe('pause, resume and level change', () => {
  it('pausing stops the chase; resuming moves the resolve deadline by exactly the paused time', async () => {
    const { notify, run } = setup();
    const no = await newTicket(1, 'his', '2026-11-20T10:00');
    clock.set(at('2026-11-20T10:05'));
    await claimTicket(ctx, { no, actor: { userid: 'zhangwei' } });
    const before = (await getTicket('demo', no))!.sla.resolve.dueAt;
    clock.set(at('2026-11-20T12:00'));
    expect((await pauseTicket(ctx, { no, actor: { userid: 'zhangwei' }, reason: '等待厂家' })).ok).toBe(true);
    expect(await run(no, 'resolve', '2026-11-20T22:00')).toMatchObject({ fired: null, next: null });
    clock.set(at('2026-11-20T15:30'));
    expect((await resumeTicket(ctx, { no, actor: { userid: 'zhangwei' } })).ok).toBe(true);
    const after = (await getTicket('demo', no))!.sla.resolve;
    expect(new Date(after.dueAt).getTime() - new Date(before).getTime()).toBe(3.5 * 3600_000);
    expect(after.pausedMs).toBe(3.5 * 3600_000);
    // 50 % moved from 22:00 to 01:30.
    expect((await run(no, 'resolve', '2026-11-20T22:00')).fired).toBeNull();
    expect((await run(no, 'resolve', '2026-11-21T01:30')).fired?.key).toBe('50%');
    expect(notify.sent).toHaveLength(1);
  });

  it('a level change recomputes the deadlines from the original start, and the chase follows', async () => {
    const { run } = setup();
    const no = await newTicket(3, 'his', '2026-11-20T10:00');
    expect(toIso((await getTicket('demo', no))!.sla.response.dueAt)).toBe('2026-11-20T13:00:00+08:00');
    clock.set(at('2026-11-20T10:10'));
    expect((await changeLevel(ctx, { no, actor: { userid: 'wanglei' }, level: 1, reason: '全院收费停了' })).ok).toBe(true);
    const t = (await getTicket('demo', no))!;
    expect(toIso(t.sla.response.dueAt)).toBe('2026-11-20T10:30:00+08:00');
    expect(toIso(t.sla.resolve.dueAt)).toBe('2026-11-21T10:00:00+08:00');
    expect((await run(no, 'response', '2026-11-20T10:15')).fired?.key).toBe('50%');
  });

  it('a looser level after a breach clears it and chases the new deadline', async () => {
    const { notify, run } = setup();
    const no = await newTicket(1, 'his', '2026-11-20T10:00');
    expect((await run(no, 'response', '2026-11-20T10:31')).breached).toBe(true);
    clock.set(at('2026-11-20T10:40'));
    await changeLevel(ctx, { no, actor: { userid: 'wanglei' }, level: 3, reason: '仅个别电脑' });
    const t = (await getTicket('demo', no))!;
    expect(t.sla.response.breachedAt).toBeNull();
    expect(t.sla.response.escalated).toEqual([]);
    // Level 3 response: 3 h → 50 % at 11:30 (already notified steps 50/75 moved later, so they are due again).
    const out = await run(no, 'response', '2026-11-20T11:31');
    expect(out.fired?.key).toBe('50%');
    expect((await run(no, 'response', '2026-11-20T13:00')).breached).toBe(true);
    expect(notify.sent.filter((s) => s.kind === 'group')).toHaveLength(2);
  });
});

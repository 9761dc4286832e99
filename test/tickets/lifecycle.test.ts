import { afterAll, describe, expect, it } from 'vitest';
import { applyChange, repairPending } from '../../src/tickets/apply.js';
import {
  addProgress,
  arriveOnsite,
  autoCloseTicket,
  cancelTicket,
  changeLevel,
  claimTicket,
  confirmTicket,
  dispatchOnsite,
  mergeIntoTicket,
  pauseTicket,
  recordBreach,
  rejectResolution,
  remindConfirmation,
  resolveTicket,
  resumeTicket,
  transferTicket,
} from '../../src/tickets/commands/index.js';
import type { TicketEventNotice } from '../../src/tickets/events.js';
import { ensureTicketIndexes, Ticket, TicketEvent } from '../../src/tickets/model.js';
import { getTicket, getTicketWithEvents, listEvents } from '../../src/tickets/queries.js';
import { replay } from '../../src/tickets/replay.js';
import type { CommandResult, TicketDoc } from '../../src/tickets/types.js';
import { useTestDb } from '../helpers/db.js';
import { ENGINEER, ENGINEER2, HOUR, LEAD, MIN, newTicket, nurse, STRANGER, testCtx } from './helpers.js';

useTestDb();
const ctx = testCtx();

function ok(r: CommandResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r;
}
function refused(r: CommandResult) {
  if (r.ok) throw new Error(`expected a refusal, got ${r.event.type}`);
  return r;
}
const types = async (no: number) => (await listEvents('demo', no)).map((e) => e.type);

describe('ticket lifecycle', () => {
  it('runs report → claim → progress → dispatch → arrive → resolve → confirm with a complete, ordered log', async () => {
    await ensureTicketIndexes();
    const t = await newTicket(ctx);
    expect(t.status).toBe('open');
    expect(t.sla.response.dueAt.getTime() - t.createdAt.getTime()).toBe(1 * HOUR); // level 2 response: 1 h

    ctx.clock.advance(12 * MIN);
    const claimed = ok(await claimTicket(ctx, { no: t.no, actor: ENGINEER }));
    expect(claimed.ticket.assignee).toEqual({ userid: 'zhangwei', name: '张伟' });
    expect(claimed.doc.sla.response.metAt).toEqual(ctx.clock.now());
    expect(claimed.doc.sla.response.elapsedMs).toBe(12 * MIN);

    ctx.clock.advance(5 * MIN);
    ok(await addProgress(ctx, { no: t.no, actor: ENGINEER, text: '远程查看，打印服务无响应' }));
    ok(await dispatchOnsite(ctx, { no: t.no, actor: ENGINEER }));
    ctx.clock.advance(40 * MIN);
    const arrived = ok(await arriveOnsite(ctx, { no: t.no, actor: ENGINEER }));
    expect(arrived.doc.sla.onsite?.metAt).toEqual(ctx.clock.now());
    ctx.clock.advance(30 * MIN);
    const resolved = ok(await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: '打印服务卡死', action: '重启打印服务' }));
    expect(resolved.ticket.repair).toEqual({ cause: '打印服务卡死', action: '重启打印服务', category: null, mode: 'onsite' });
    const confirmed = ok(await confirmTicket(ctx, { no: t.no, actor: { userid: nurse.userid }, rating: 5 }));
    expect(confirmed.events.map((e) => e.type)).toEqual(['confirmed', 'closed']);
    expect(confirmed.ticket.status).toBe('closed');
    expect(confirmed.ticket.confirmation).toMatchObject({ by: 'nurse_li', rating: 5, auto: false });

    const full = (await getTicketWithEvents('demo', t.no))!;
    expect(full.events.map((e) => e.type)).toEqual([
      'created',
      'claimed',
      'progress',
      'dispatched',
      'arrived',
      'resolved',
      'confirmed',
      'closed',
    ]);
    expect(full.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(full.events[1]).toMatchObject({ actor: 'zhangwei', at: '2026-11-23T10:12:00+08:00' });
    expect(full.version).toBe(8);
  });

  it('reopens a rejected resolution to the same engineer and lets the resolution clock run again', async () => {
    const t = await newTicket(ctx);
    ok(await claimTicket(ctx, { no: t.no, actor: ENGINEER }));
    ok(await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: '缓存', action: '清缓存' }));
    refused(await rejectResolution(ctx, { no: t.no, actor: { userid: nurse.userid }, reason: ' ' }));
    const reopened = ok(await rejectResolution(ctx, { no: t.no, actor: { userid: nurse.userid }, reason: '还是打印不出来' }));
    expect(reopened.events.map((e) => e.type)).toEqual(['rejected', 'reopened']);
    expect(reopened.ticket).toMatchObject({ status: 'claimed', assignee: { userid: 'zhangwei' }, repair: null });
    expect(reopened.doc.sla.resolve.metAt).toBeNull();
    ok(await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: '驱动损坏', action: '重装驱动' }));
    ok(await confirmTicket(ctx, { no: t.no, actor: { userid: nurse.userid } }));
    expect(await types(t.no)).toEqual(['created', 'claimed', 'resolved', 'rejected', 'reopened', 'resolved', 'confirmed', 'closed']);
  });

  it('pauses with a reason and resumes to the previous status, moving the deadline by the paused time', async () => {
    const t = await newTicket(ctx, { level: 1 });
    ok(await claimTicket(ctx, { no: t.no, actor: ENGINEER }));
    ok(await dispatchOnsite(ctx, { no: t.no, actor: ENGINEER }));
    ok(await arriveOnsite(ctx, { no: t.no, actor: ENGINEER }));
    const due = t.sla.resolve.dueAt.getTime();
    const noReason = refused(await pauseTicket(ctx, { no: t.no, actor: ENGINEER, reason: '' }));
    expect(noReason.message).toContain('挂起原因');
    const paused = ok(await pauseTicket(ctx, { no: t.no, actor: ENGINEER, reason: '等待厂商补丁' }));
    expect(paused.ticket.pause).toMatchObject({ reason: '等待厂商补丁', from: 'onsite' });
    expect(refused(await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: 'a', action: 'b' })).message).toContain(`恢复 ${t.no}`);
    ctx.clock.advance(2 * HOUR);
    const resumed = ok(await resumeTicket(ctx, { no: t.no, actor: ENGINEER }));
    expect(resumed.ticket.status).toBe('onsite');
    expect(resumed.ticket.pause).toBeNull();
    expect(resumed.doc.sla.resolve.dueAt.getTime()).toBe(due + 2 * HOUR);
    expect(resumed.doc.sla.resolve.pausedMs).toBe(2 * HOUR);
    expect(resumed.event).toMatchObject({ type: 'resumed', to: 'onsite', pausedMs: 2 * HOUR });
  });

  it('transfers to another engineer only, after which the previous engineer is politely turned away', async () => {
    const t = await newTicket(ctx);
    ok(await claimTicket(ctx, { no: t.no, actor: ENGINEER }));
    expect(refused(await transferTicket(ctx, { no: t.no, actor: ENGINEER, to: 'nurse_li' })).code).toBe('not_engineer');
    expect(refused(await transferTicket(ctx, { no: t.no, actor: ENGINEER2, to: 'liuyang' })).message).toContain('由 张伟 负责');
    const moved = ok(await transferTicket(ctx, { no: t.no, actor: ENGINEER, to: 'liuyang', reason: '检验系统专长' }));
    expect(moved.ticket.assignee).toEqual({ userid: 'liuyang', name: '刘洋' });
    expect(moved.event).toMatchObject({ type: 'transferred', from: { userid: 'zhangwei' }, to: { userid: 'liuyang', name: '刘洋' } });
    expect(refused(await pauseTicket(ctx, { no: t.no, actor: ENGINEER, reason: 'x' })).code).toBe('not_assignee');
    ok(await resolveTicket(ctx, { no: t.no, actor: ENGINEER2, cause: '配置', action: '改配置' }));
  });

  it('lets only a lead cancel, with a reason; reporters and strangers are refused politely', async () => {
    const t = await newTicket(ctx);
    const byStranger = refused(await cancelTicket(ctx, { no: t.no, actor: STRANGER, reason: '不需要了' }));
    expect(byStranger).toMatchObject({ code: 'forbidden', message: '抱歉，只有负责人可以取消工单' });
    expect(refused(await cancelTicket(ctx, { no: t.no, actor: ENGINEER, reason: '重复' })).code).toBe('forbidden');
    expect(refused(await cancelTicket(ctx, { no: t.no, actor: LEAD, reason: '' })).code).toBe('reason_required');
    const cancelled = ok(await cancelTicket(ctx, { no: t.no, actor: LEAD, reason: '重复报修' }));
    expect(cancelled.ticket.status).toBe('cancelled');
    expect(refused(await claimTicket(ctx, { no: t.no, actor: ENGINEER })).message).toBe(`#${t.no} 已取消，无需接单`);
  });

  it('refuses a reporter claiming and illegal transitions with short Chinese answers, never an exception', async () => {
    const t = await newTicket(ctx);
    expect(refused(await claimTicket(ctx, { no: t.no, actor: { userid: nurse.userid } }))).toMatchObject({
      code: 'forbidden',
      message: '抱歉，只有工程师可以接单',
    });
    expect(refused(await arriveOnsite(ctx, { no: t.no, actor: ENGINEER })).code).toBe('not_claimed');
    ok(await claimTicket(ctx, { no: t.no, actor: ENGINEER }));
    expect(refused(await arriveOnsite(ctx, { no: t.no, actor: ENGINEER })).message).toContain(`派现场 ${t.no}`);
    expect(refused(await confirmTicket(ctx, { no: t.no, actor: { userid: nurse.userid } })).code).toBe('bad_status');
    expect(refused(await confirmTicket(ctx, { no: t.no, actor: STRANGER })).code).toBe('forbidden');
    expect(refused(await resumeTicket(ctx, { no: t.no, actor: ENGINEER })).code).toBe('bad_status');
    expect(refused(await claimTicket(ctx, { no: 99999, actor: ENGINEER }))).toMatchObject({
      code: 'not_found',
      message: '未找到工单 #99999',
    });
    ok(await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: 'a', action: 'b' }));
    expect(refused(await confirmTicket(ctx, { no: t.no, actor: { userid: nurse.userid }, rating: 6 })).code).toBe('bad_rating');
  });

  it('changes the level with a reason and recomputes the deadlines from the original start', async () => {
    const t = await newTicket(ctx, { level: 3 });
    expect(t.sla.response.dueAt.getTime() - t.createdAt.getTime()).toBe(3 * HOUR);
    expect(refused(await changeLevel(ctx, { no: t.no, actor: { userid: nurse.userid }, level: 1, reason: '急' })).code).toBe('forbidden');
    expect(refused(await changeLevel(ctx, { no: t.no, actor: ENGINEER, level: 3, reason: 'x' })).code).toBe('same_level');
    expect(refused(await changeLevel(ctx, { no: t.no, actor: ENGINEER, level: 1, reason: '' })).code).toBe('reason_required');
    ctx.clock.advance(10 * MIN);
    const r = ok(await changeLevel(ctx, { no: t.no, actor: ENGINEER, level: 1, reason: '全院无法出报告' }));
    expect(r.ticket.level).toBe(1);
    expect(r.doc.sla.response.dueAt.getTime() - t.createdAt.getTime()).toBe(30 * MIN);
    expect(r.doc.sla.resolve.dueAt.getTime() - t.createdAt.getTime()).toBe(24 * HOUR);
    expect(r.event).toMatchObject({ type: 'level_changed', from: 3, to: 1, reason: '全院无法出报告' });
  });

  it('merges later reports of the same fault into the first ticket', async () => {
    const parent = await newTicket(ctx);
    const dup = await newTicket(ctx, { reporter: { userid: 'nurse_wang', name: '王芳', department: '急诊科' } });
    const r = ok(
      await mergeIntoTicket(ctx, {
        no: parent.no,
        reporter: { userid: 'nurse_wang', name: '王芳', department: '急诊科' },
        childNo: dup.no,
      }),
    );
    ok(
      await mergeIntoTicket(ctx, {
        no: parent.no,
        reporter: { userid: 'doc_zhao', name: '赵医生', department: '急诊科' },
        text: '急诊也打不了',
      }),
    );
    const again = ok(await mergeIntoTicket(ctx, { no: parent.no, reporter: { userid: 'doc_zhao', name: '赵医生' } }));
    expect(r.event).toMatchObject({ type: 'merged', childNo: dup.no, counted: true });
    expect(again.ticket).toMatchObject({ reporterCount: 3, departments: ['检验科', '急诊科'], children: [dup.no] });
    expect(again.ticket.subscribers.map((s) => s.userid)).toEqual(['nurse_wang', 'doc_zhao']);
    const child = (await getTicket('demo', dup.no))!;
    expect(child).toMatchObject({ status: 'cancelled', parentNo: parent.no });
    expect(await types(dup.no)).toEqual(['created', 'merged', 'cancelled']);
    // A merged reporter may confirm the fix too.
    ok(await claimTicket(ctx, { no: parent.no, actor: ENGINEER }));
    ok(await resolveTicket(ctx, { no: parent.no, actor: ENGINEER, cause: 'a', action: 'b' }));
    ok(await confirmTicket(ctx, { no: parent.no, actor: { userid: 'doc_zhao' }, rating: 4 }));
  });

  it('reminds once per resolution and auto-closes an unconfirmed resolution, ignoring stale jobs', async () => {
    const t = await newTicket(ctx);
    ok(await claimTicket(ctx, { no: t.no, actor: ENGINEER }));
    const first = ok(await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: 'a', action: 'b' }));
    const firstAt = first.doc.resolvedAt!;
    ok(await rejectResolution(ctx, { no: t.no, actor: { userid: nurse.userid }, reason: '没好' }));
    ctx.clock.advance(HOUR);
    const second = ok(await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: 'c', action: 'd' }));
    expect(refused(await remindConfirmation(ctx, { no: t.no, resolvedAt: firstAt })).code).toBe('stale');
    expect(refused(await autoCloseTicket(ctx, { no: t.no, resolvedAt: firstAt })).code).toBe('stale');
    ctx.clock.advance(24 * HOUR);
    const reminded = ok(await remindConfirmation(ctx, { no: t.no, resolvedAt: second.doc.resolvedAt! }));
    expect(reminded.event).toMatchObject({ type: 'reminded', kind: 'confirmation', to: ['nurse_li'], actor: 'system' });
    expect(refused(await remindConfirmation(ctx, { no: t.no })).code).toBe('already_reminded');
    ctx.clock.advance(48 * HOUR);
    const closed = ok(await autoCloseTicket(ctx, { no: t.no, resolvedAt: second.doc.resolvedAt! }));
    expect(closed.ticket).toMatchObject({ status: 'closed', confirmation: { by: 'system', auto: true, rating: null } });
    expect(closed.event).toMatchObject({ type: 'closed', auto: true, afterHours: 72 });
    expect(refused(await autoCloseTicket(ctx, { no: t.no })).code).toBe('bad_status');
  });

  it('records a missed deadline once', async () => {
    const t = await newTicket(ctx, { level: 1 });
    ctx.clock.advance(31 * MIN);
    const b = ok(await recordBreach(ctx, { no: t.no, target: 'response' }));
    expect(b.doc.sla.response.breachedAt).toEqual(t.sla.response.dueAt);
    expect(b.ticket.sla.response.breachedAt).toBe(b.ticket.sla.response.dueAt);
    expect(b.event).toMatchObject({ type: 'breached', target: 'response', actor: 'system' });
    expect(refused(await recordBreach(ctx, { no: t.no, target: 'response' })).code).toBe('no_breach');
  });

  it('applies set and push paths identically to the stored ticket and the returned one', async () => {
    const t = await newTicket(ctx);
    const photo = { kind: 'image', mediaId: 'media-1' };
    const r = ok(
      await applyChange(ctx, {
        no: t.no,
        command: 'supplement',
        from: ['open'],
        actor: 'nurse_li',
        build: () => ({
          set: { 'reporter.contact': '8123' },
          push: { attachments: photo },
          events: [{ type: 'progress', kind: 'note', text: '补充图片' }],
        }),
      }),
    );
    const stored = (await getTicket('demo', t.no))!;
    expect(r.doc.attachments).toEqual([photo]);
    expect(stored.attachments).toEqual([photo]);
    expect(stored.reporter).toEqual(r.doc.reporter);
    expect(r.doc.reporter).toMatchObject({ userid: 'nurse_li', contact: '8123', department: '检验科' });
    expect(stored.version).toBe(r.doc.version);
  });

  it('finishes a change interrupted between the ticket update and the log (crash repair)', async () => {
    const t = await newTicket(ctx);
    // What a crash right after the atomic ticket update leaves behind: the event only in the ticket's outbox.
    const at = ctx.clock.now();
    const lost = {
      bot: 'demo',
      no: t.no,
      seq: 2,
      type: 'progress',
      actor: 'zhangwei',
      at,
      text: '排查中',
      writtenAt: new Date(Date.now() - 60_000),
    };
    await Ticket.updateOne({ bot: 'demo', no: t.no }, { $set: { version: 2 }, $push: { pending: lost } });
    expect(await TicketEvent.countDocuments({ bot: 'demo', no: t.no })).toBe(1);
    expect(await types(t.no)).toEqual(['created', 'progress']); // readers already see it

    const heard: TicketEventNotice[] = [];
    const off = ctx.events.add({
      name: 'test',
      applicableEvents: 'all',
      on: (n) => {
        heard.push(n);
      },
    });
    try {
      expect(await repairPending(new Map([['demo', ctx.bot]]), ctx.events)).toBe(1);
      expect(await repairPending(new Map([['demo', ctx.bot]]), ctx.events)).toBe(0);
    } finally {
      off();
    }
    expect(heard.map((n) => [n.ticket.no, n.event.type])).toEqual([[t.no, 'progress']]);
    expect(await TicketEvent.countDocuments({ bot: 'demo', no: t.no })).toBe(2);
    expect((await getTicket('demo', t.no))!.pending).toEqual([]);
    // The next change continues the sequence.
    ok(await claimTicket(ctx, { no: t.no, actor: ENGINEER }));
    expect((await listEvents('demo', t.no)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

afterAll(async () => {
  // Replay == state for every ticket this file made.
  const tickets = await Ticket.find({ bot: 'demo' }).lean<TicketDoc[]>();
  expect(tickets.length).toBeGreaterThan(5);
  for (const t of tickets) {
    const state = replay(await listEvents('demo', t.no));
    expect({ no: t.no, status: state.status, assignee: state.assignee, level: state.level, parentNo: state.parentNo }).toEqual({
      no: t.no,
      status: t.status,
      assignee: t.assignee ? { userid: t.assignee.userid, name: t.assignee.name } : null,
      level: t.level,
      parentNo: t.parentNo,
    });
    expect(state.reporterCount).toBe(t.reporterCount);
  }
});

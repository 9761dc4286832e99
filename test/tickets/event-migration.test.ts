import { describe, expect, it } from 'vitest';
import { foldTimeline } from '../../src/reports/timeline.js';
import { addProgress, claimTicket, remindConfirmation, resolveTicket, supplementTicket } from '../../src/tickets/commands/index.js';
import { TicketEvent } from '../../src/tickets/model.js';
import { getTicket, listEvents } from '../../src/tickets/queries.js';
import { replay } from '../../src/tickets/replay.js';
import { type CommandResult, upgradeEvent } from '../../src/tickets/types.js';
import { useTestDb } from '../helpers/db.js';
import { ENGINEER, newTicket, testCtx } from './helpers.js';

useTestDb();
const ctx = testCtx();

function ok(r: CommandResult) {
  if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
  return r;
}

const envelope = { bot: 'demo', no: 1, seq: 2, actor: 'system', at: new Date('2026-11-02T09:00:00+08:00') };

describe('ticket events: reminded and progress say which kind they are', () => {
  it('an engineer note, a reporter supplement and a confirmation reminder are written with their kinds', async () => {
    const t = await newTicket(ctx, { reporter: { userid: 'nurse_zhou', name: '周敏' } });
    ok(await supplementTicket(ctx, { no: t.no, actor: { userid: 'nurse_zhou' }, contact: '8823' }));
    ok(await claimTicket(ctx, { no: t.no, actor: ENGINEER }));
    ok(await addProgress(ctx, { no: t.no, actor: ENGINEER, text: '正在查接口日志' }));
    ok(await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: '接口服务停止', action: '重启接口服务', mode: 'remote' }));
    ok(await remindConfirmation(ctx, { no: t.no }));
    const kinds = (await listEvents('demo', t.no)).flatMap((e) =>
      e.type === 'progress' || e.type === 'reminded' ? [`${e.type}:${e.kind}`] : [],
    );
    expect(kinds).toEqual(['progress:supplement', 'progress:note', 'reminded:confirmation']);
  });
});

describe('the migration rule for events stored before their kinds', () => {
  it('an escalation step names its target; the old confirmation reminder (kind "confirm") is a confirmation', () => {
    const step = { ...envelope, type: 'reminded' as const, target: 'response', step: '50%', skipped: [], to: ['zhangwei'], group: false };
    expect(upgradeEvent(step)).toMatchObject({ type: 'reminded', kind: 'escalation', target: 'response', step: '50%' });
    expect(upgradeEvent({ ...envelope, type: 'reminded', kind: 'confirm', to: ['nurse_li'] })).toMatchObject({
      kind: 'confirmation',
      to: ['nurse_li'],
    });
    expect(upgradeEvent({ ...envelope, type: 'reminded', to: ['nurse_li'] })).toMatchObject({ kind: 'confirmation' });
  });

  it('a progress event with changed fields or a picture is a supplement, plain text is a note; kinds already there stay', () => {
    expect(upgradeEvent({ ...envelope, type: 'progress', text: '报修人补充：科室 急诊', fields: { department: '急诊' } })).toMatchObject({
      kind: 'supplement',
      fields: { department: '急诊' },
    });
    const picture = { kind: 'image', mediaId: 'm1' };
    expect(upgradeEvent({ ...envelope, type: 'progress', text: '报修人补充：图片', attachment: picture })).toMatchObject({
      kind: 'supplement',
    });
    expect(upgradeEvent({ ...envelope, type: 'progress', text: '已远程重启' })).toMatchObject({ kind: 'note', text: '已远程重启' });
    expect(upgradeEvent({ ...envelope, type: 'progress', kind: 'note', text: '带字段的笔记', fields: {} })).toMatchObject({ kind: 'note' });
    expect(upgradeEvent({ ...envelope, type: 'claimed', assignee: { userid: 'zhangwei', name: '张伟' }, responseMs: 1 })).toEqual({
      ...envelope,
      type: 'claimed',
      assignee: { userid: 'zhangwei', name: '张伟' },
      responseMs: 1,
    });
  });

  it('old-shape events already in the log are read with their kinds: the API, replay and the record fold agree', async () => {
    const t = await newTicket(ctx, { reporter: { userid: 'nurse_zhou', name: '周敏', department: '门诊' } });
    const at = new Date(t.createdAt.getTime() + 60_000);
    // What an earlier version wrote: no kinds.
    await TicketEvent.collection.insertMany([
      {
        bot: 'demo',
        no: t.no,
        seq: 2,
        type: 'progress',
        actor: 'nurse_zhou',
        at,
        text: '报修人补充：科室 急诊',
        fields: { department: '急诊' },
      },
      { bot: 'demo', no: t.no, seq: 3, type: 'progress', actor: 'zhangwei', at, text: '已远程查看' },
      {
        bot: 'demo',
        no: t.no,
        seq: 4,
        type: 'reminded',
        actor: 'system',
        at,
        target: 'response',
        step: '50%',
        skipped: [],
        dueAt: t.sla.response.dueAt,
        to: ['zhangwei'],
        group: false,
      },
    ]);
    const events = await listEvents('demo', t.no);
    expect(events.map((e) => ('kind' in e ? `${e.type}:${e.kind}` : e.type))).toEqual([
      'created',
      'progress:supplement',
      'progress:note',
      'reminded:escalation',
    ]);
    expect(replay(events)).toMatchObject({ department: '急诊', status: 'open' });
    const doc = (await getTicket('demo', t.no))!;
    expect(foldTimeline(doc, events)).toMatchObject({ status: 'open', claimedAt: null, breaches: [] });
  });
});

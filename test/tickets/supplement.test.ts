import { describe, expect, it } from 'vitest';
import { cancelTicket, changeLevel, supplementTicket } from '../../src/tickets/commands/index.js';
import { getTicket, listEvents } from '../../src/tickets/queries.js';
import { replay } from '../../src/tickets/replay.js';
import type { CommandResult } from '../../src/tickets/types.js';
import { useTestDb } from '../helpers/db.js';
import { ENGINEER, LEAD, newTicket, nurse, STRANGER, testCtx } from './helpers.js';

useTestDb();
const ctx = testCtx();

function ok(r: CommandResult) {
  if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
  return r;
}

describe('supplementTicket: details added after the ticket opened', () => {
  it('changes the ticket fields through the one write path and records them as a progress event with fields', async () => {
    const t = await newTicket(ctx, { system: 'other', level: 1, reporter: { userid: 'nurse_zhou', name: '周敏' } });
    const r = ok(
      await supplementTicket(ctx, {
        no: t.no,
        actor: { userid: 'nurse_zhou' },
        system: 'his',
        department: '急诊',
        contact: '8823',
        symptom: '挂号界面白屏',
      }),
    );
    expect(r.ticket).toMatchObject({
      system: 'his',
      level: 1,
      reporter: { department: '急诊', contact: '8823' },
      departments: ['急诊'],
      version: 2,
    });
    expect(r.ticket.description).toMatch(/挂号界面白屏$/);
    expect(r.event).toMatchObject({
      type: 'progress',
      actor: 'nurse_zhou',
      seq: 2,
      fields: { system: 'his', department: '急诊', contact: '8823', symptom: '挂号界面白屏' },
    });
    expect(r.event.type === 'progress' && r.event.text).toBe('报修人补充：系统 HIS；科室 急诊；联系方式 8823；现象 挂号界面白屏');
    const stored = await getTicket('demo', t.no);
    expect(stored).toMatchObject({ system: 'his', reporter: { department: '急诊', contact: '8823' }, pending: [] });

    // Replay reproduces the system and the place; the level is left alone, and a later 改级 still applies.
    ok(await changeLevel(ctx, { no: t.no, actor: ENGINEER, level: 2, reason: '仅个别窗口' }));
    const state = replay(await listEvents('demo', t.no));
    expect(state).toMatchObject({ system: 'his', department: '急诊', level: 2, status: 'open' });
  });

  it('only what differs counts; an unknown system is ignored; nothing new is refused without an event', async () => {
    const t = await newTicket(ctx);
    const r = await supplementTicket(ctx, { no: t.no, actor: nurse, system: 'no-such', department: nurse.department });
    expect(r).toMatchObject({ ok: false, code: 'nothing' });
    expect((await listEvents('demo', t.no)).map((e) => e.type)).toEqual(['created']);
    expect(replay(await listEvents('demo', t.no)).system).toBe('lis');
  });

  it('takes a screenshot onto the ticket', async () => {
    const t = await newTicket(ctx);
    const attachment = { kind: 'image' as const, url: 'https://example.invalid/a.png', name: 'm1' };
    const r = ok(await supplementTicket(ctx, { no: t.no, actor: nurse, attachment }));
    expect(r.ticket.attachments).toEqual([attachment]);
    expect(r.event).toMatchObject({ type: 'progress', text: '报修人补充：图片', fields: {}, attachment });
    expect(replay(await listEvents('demo', t.no)).system).toBe('lis');
  });

  it('refuses strangers and finished tickets politely; staff may fill in what they learned', async () => {
    const t = await newTicket(ctx);
    expect(await supplementTicket(ctx, { no: t.no, actor: STRANGER, contact: '123' })).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: `抱歉，只有报修人可以补充 #${t.no}`,
    });
    ok(await supplementTicket(ctx, { no: t.no, actor: ENGINEER, contact: '8899' }));
    ok(await cancelTicket(ctx, { no: t.no, actor: LEAD, reason: '重复' }));
    expect(await supplementTicket(ctx, { no: t.no, actor: nurse, contact: '1' })).toMatchObject({ ok: false, code: 'bad_status' });
    expect((await getTicket('demo', t.no))?.reporter.contact).toBe('8899');
  });
});

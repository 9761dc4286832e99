import { describe, expect, it } from 'vitest';
import {
  addProgress,
  arriveOnsite,
  cancelTicket,
  changeLevel,
  chaseTicket,
  claimTicket,
  confirmTicket,
  dispatchOnsite,
  noteTicket,
  pauseTicket,
  rejectResolution,
  resolveTicket,
  resumeTicket,
  transferTicket,
  withdrawTicket,
} from '../../src/tickets/commands/index.js';
import { allows, type TicketCommand } from '../../src/tickets/lifecycle.js';
import type { CommandResult, TicketContext, TicketStatus } from '../../src/tickets/types.js';
import { useTestDb } from '../helpers/db.js';
import { ENGINEER, ENGINEER2, LEAD, newTicket, nurse, testCtx } from './helpers.js';

useTestDb();
const ctx = testCtx();

function ok(r: CommandResult) {
  if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
  return r;
}

/** How a fresh ticket reaches each status, through the commands. */
const REACH: Record<string, (ctx: TicketContext, no: number) => Promise<void>> = {
  open: async () => {},
  claimed: async (c, no) => void ok(await claimTicket(c, { no, actor: ENGINEER })),
  onsite_dispatched: async (c, no) => {
    await REACH.claimed(c, no);
    ok(await dispatchOnsite(c, { no, actor: ENGINEER }));
  },
  onsite: async (c, no) => {
    await REACH.onsite_dispatched(c, no);
    ok(await arriveOnsite(c, { no, actor: ENGINEER }));
  },
  paused: async (c, no) => {
    await REACH.claimed(c, no);
    ok(await pauseTicket(c, { no, actor: ENGINEER, reason: '等厂家备件' }));
  },
  resolved: async (c, no) => {
    await REACH.claimed(c, no);
    ok(await resolveTicket(c, { no, actor: ENGINEER, cause: '服务停止', action: '重启服务' }));
  },
  closed: async (c, no) => {
    await REACH.resolved(c, no);
    ok(await confirmTicket(c, { no, actor: { userid: nurse.userid }, rating: 5 }));
  },
  cancelled: async (c, no) => void ok(await cancelTicket(c, { no, actor: LEAD, reason: '重复报修' })),
};

/** Each command with inputs a permitted person would give, so only the status can stand in its way. */
const TRY: Array<[TicketCommand, (c: TicketContext, no: number) => Promise<CommandResult>]> = [
  ['claim', (c, no) => claimTicket(c, { no, actor: ENGINEER2 })],
  ['dispatch', (c, no) => dispatchOnsite(c, { no, actor: LEAD })],
  ['arrive', (c, no) => arriveOnsite(c, { no, actor: LEAD })],
  ['progress', (c, no) => addProgress(c, { no, actor: LEAD, text: '已远程查看' })],
  ['transfer', (c, no) => transferTicket(c, { no, actor: LEAD, to: ENGINEER2.userid })],
  ['pause', (c, no) => pauseTicket(c, { no, actor: LEAD, reason: '等厂家' })],
  ['resume', (c, no) => resumeTicket(c, { no, actor: LEAD })],
  ['resolve', (c, no) => resolveTicket(c, { no, actor: LEAD, cause: '配置错误', action: '改正配置' })],
  ['confirm', (c, no) => confirmTicket(c, { no, actor: { userid: nurse.userid } })],
  ['reject', (c, no) => rejectResolution(c, { no, actor: { userid: nurse.userid }, reason: '还是打不开' })],
  ['cancel', (c, no) => cancelTicket(c, { no, actor: LEAD, reason: '误报' })],
  ['withdraw', (c, no) => withdrawTicket(c, { no, actor: { userid: nurse.userid }, reason: '自己好了' })],
  ['changeLevel', (c, no) => changeLevel(c, { no, actor: LEAD, level: 1, reason: '影响扩大' })],
  [
    'chase',
    (c, no) =>
      chaseTicket(c, { no, actor: { userid: nurse.userid }, to: [ENGINEER.userid], escalateTo: [], waitedMinutes: 40, text: '还没人来' }),
  ],
  ['note', (c, no) => noteTicket(c, { no, actor: { userid: nurse.userid }, text: '病人等着用血' })],
];

describe('one lifecycle table', () => {
  it('every command succeeds exactly in the statuses the table allows it from, else says the status is wrong', async () => {
    const disagreements: string[] = [];
    for (const [status, reach] of Object.entries(REACH)) {
      for (const [command, run] of TRY) {
        const t = await newTicket(ctx);
        await reach(ctx, t.no);
        const r = await run(ctx, t.no);
        const expected = allows(command, status as TicketStatus);
        if (r.ok !== expected) disagreements.push(`${command} from ${status}: ${r.ok ? 'done' : `${r.code} ${r.message}`}`);
        else if (!r.ok && !['bad_status', 'already_claimed'].includes(r.code))
          disagreements.push(`${command} from ${status}: refused for another reason (${r.code} ${r.message})`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { claimTicket, createTicket } from '../../src/tickets/commands/index.js';
import { ensureTicketIndexes, TicketEvent } from '../../src/tickets/model.js';
import { getTicket } from '../../src/tickets/queries.js';
import { useTestDb } from '../helpers/db.js';
import { demoBot, newTicket, nurse, testCtx } from './helpers.js';

useTestDb();

describe('tickets under concurrency', () => {
  it('lets exactly one of 10 simultaneous claims win; the nine others are told who has it', async () => {
    await ensureTicketIndexes();
    const ctx = testCtx();
    const t = await newTicket(ctx);
    const bot = ctx.bot;
    // Ten engineers (four from the file, six more added to the roster for this test) press 接单 at once.
    const extra = Array.from({ length: 6 }, (_, i) => ({ userid: `eng${i}`, name: `工程师${i}`, skills: ['*'] }));
    const many = { ...ctx, bot: { ...bot, roster: { ...bot.roster, engineers: [...bot.roster.engineers, ...extra] } } };
    const engineers = many.bot.roster.engineers.map((e) => e.userid);
    expect(engineers).toHaveLength(10);

    const results = await Promise.all(engineers.map((userid) => claimTicket(many, { no: t.no, actor: { userid } })));
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(9);
    const stored = (await getTicket('demo', t.no))!;
    const winner = stored.assignee!;
    for (const r of losers) expect(r).toMatchObject({ ok: false, code: 'already_claimed', message: `#${t.no} 已由 ${winner.name} 接单` });
    expect(await TicketEvent.countDocuments({ bot: 'demo', no: t.no, type: 'claimed' })).toBe(1);
    expect(stored.version).toBe(2);
  });

  it('gives 200 simultaneous reports 200 distinct consecutive numbers', async () => {
    const ctx = testCtx(demoBot('storm'));
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => createTicket(ctx, { system: 'his', level: 3, title: `门诊挂号卡顿 ${i}`, reporter: nurse })),
    );
    const ms = performance.now() - started;
    const numbers = results.map((r) => (r.ok ? r.ticket.no : -1)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await TicketEvent.countDocuments({ bot: 'storm', type: 'created' })).toBe(200);
    console.info(`200 concurrent creates: ${ms.toFixed(0)} ms`);
  });
});

import { ticketContextOf } from '../../src/service.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { Service } from '../../src/service.js';
import { claimTicket, resolveTicket } from '../../src/tickets/commands/index.js';
import { ticketsFeature } from '../../src/tickets/feature.js';
import { getTicket, listEvents } from '../../src/tickets/queries.js';
import { startTestService } from '../helpers/service.js';
import { demoBot, ENGINEER, HOUR, newTicket } from './helpers.js';

// The service clock sits years behind real time: jobs go by the service clock only, and the test moves it.
const clock = new ManualClock('2024-03-04T10:00:00+08:00');
const bot = demoBot();
let service: Service;

beforeAll(async () => {
  service = await startTestService({ features: [ticketsFeature], clock });
});
afterAll(() => service.stop());

const runDue = () => service.ctx.scheduler.runDue();

describe('resolution jobs', () => {
  it('remind and auto-close by the service clock, once each', async () => {
    const ctx = ticketContextOf(service.ctx, service.ctx.bots.get('demo') ?? bot);
    const t = await newTicket(ctx);
    await claimTicket(ctx, { no: t.no, actor: ENGINEER });
    await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: '打印服务挂起', action: '重启打印服务' });

    // Nothing is due by the service clock yet.
    expect(await runDue()).toBe(0);
    clock.advance(bot.tickets.confirmReminderHours * HOUR - 1000);
    expect(await runDue()).toBe(0);
    expect((await listEvents('demo', t.no)).map((e) => e.type)).not.toContain('reminded');

    // Past the reminder time: one reminder, still open for confirmation; running what is due again repeats nothing.
    clock.advance(2000);
    expect(await runDue()).toBe(1);
    expect(await runDue()).toBe(0);
    expect((await listEvents('demo', t.no)).filter((e) => e.type === 'reminded')).toHaveLength(1);
    expect((await getTicket('demo', t.no))?.status).toBe('resolved');

    // Past the auto-close time: closed by the system and recorded as auto-closed.
    clock.advance((bot.tickets.autoCloseHours - bot.tickets.confirmReminderHours) * HOUR);
    expect(await runDue()).toBe(1);
    const closed = await getTicket('demo', t.no);
    expect(closed?.status).toBe('closed');
    expect(closed?.confirmation).toMatchObject({ by: 'system', auto: true });
    const events = await listEvents('demo', t.no);
    expect(events.filter((e) => e.type === 'closed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'reminded')).toHaveLength(1);
  });
});

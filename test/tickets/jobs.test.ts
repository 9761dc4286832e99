import { ticketContextOf } from '../../src/service.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { Service } from '../../src/service.js';
import { claimTicket, resolveTicket } from '../../src/tickets/commands/index.js';
import { ticketsFeature } from '../../src/tickets/feature.js';
import { AUTO_CLOSE_JOB, CONFIRM_REMINDER_JOB } from '../../src/tickets/jobs.js';
import { getTicket, listEvents } from '../../src/tickets/queries.js';
import { startTestService } from '../helpers/service.js';
import { demoBot, ENGINEER, HOUR, newTicket } from './helpers.js';

// The service clock sits years behind Agenda's real time, so every job is "overdue" for Agenda at once:
// the jobs must go by the service clock, not act early.
const clock = new ManualClock('2024-03-04T10:00:00+08:00');
const bot = demoBot();
let service: Service;

beforeAll(async () => {
  service = await startTestService({ features: [ticketsFeature], clock, processEvery: 50 });
});
afterAll(() => service.stop());

function nextRun(name: string): Promise<void> {
  return new Promise((res) => service.ctx.scheduler.agenda.once(`complete:${name}`, () => res()));
}

describe('resolution jobs', () => {
  it('remind and auto-close by the service clock, once each', async () => {
    const ctx = ticketContextOf(service.ctx, service.ctx.bots.get('demo') ?? bot);
    const t = await newTicket(ctx);
    await claimTicket(ctx, { no: t.no, actor: ENGINEER });
    const remindRan = nextRun(CONFIRM_REMINDER_JOB);
    const closeRan = nextRun(AUTO_CLOSE_JOB);
    await resolveTicket(ctx, { no: t.no, actor: ENGINEER, cause: '打印服务挂起', action: '重启打印服务' });

    // Both jobs run at once (real time is past their dates) but nothing is due by the service clock.
    await Promise.all([remindRan, closeRan]);
    expect((await getTicket('demo', t.no))?.status).toBe('resolved');
    expect((await listEvents('demo', t.no)).map((e) => e.type)).not.toContain('reminded');

    // Past the reminder time: one reminder, still open for confirmation.
    clock.advance(bot.tickets.confirmReminderHours * HOUR + 1000);
    await nextRun(CONFIRM_REMINDER_JOB);
    expect((await listEvents('demo', t.no)).filter((e) => e.type === 'reminded')).toHaveLength(1);
    expect((await getTicket('demo', t.no))?.status).toBe('resolved');

    // Past the auto-close time: closed by the system and recorded as auto-closed.
    clock.advance((bot.tickets.autoCloseHours - bot.tickets.confirmReminderHours) * HOUR);
    await nextRun(AUTO_CLOSE_JOB);
    const closed = await getTicket('demo', t.no);
    expect(closed?.status).toBe('closed');
    expect(closed?.confirmation).toMatchObject({ by: 'system', auto: true });
    const events = await listEvents('demo', t.no);
    expect(events.filter((e) => e.type === 'closed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'reminded')).toHaveLength(1);
  });
});

import { TicketEventBus } from '../../src/tickets/events.js';
import { ManualClock } from '../../src/clock.js';
import { type BotConfig, loadBots } from '../../src/config/bots.js';
import { createTicket } from '../../src/tickets/commands/index.js';
import type { CreateTicketInput } from '../../src/tickets/commands/create-ticket.js';
import type { TicketContext, TicketDoc } from '../../src/tickets/types.js';

export function demoBot(id = 'demo'): BotConfig {
  const bot = loadBots('bots', {}).get('demo')!;
  return { ...bot, id };
}

/** A Monday in working hours, so period = work. */
export const START = '2026-11-23T10:00:00+08:00';

export function testCtx(bot = demoBot(), start = START): TicketContext & { clock: ManualClock } {
  return { bot, clock: new ManualClock(start), events: new TicketEventBus() };
}

export const nurse = { userid: 'nurse_li', name: '李娜', department: '检验科' };
export const ENGINEER = { userid: 'zhangwei' };
export const ENGINEER2 = { userid: 'liuyang' };
export const LEAD = { userid: 'wanglei' };
export const STRANGER = { userid: 'visitor_x', name: '路人' };

export async function newTicket(ctx: TicketContext, over: Partial<CreateTicketInput> = {}): Promise<TicketDoc> {
  const r = await createTicket(ctx, {
    system: 'lis',
    level: 2,
    title: 'LIS报告打印不出来',
    description: '检验科报告打印机无响应，急',
    reporter: nurse,
    chat: { chatId: 'chat-1', channel: 'aibot' },
    ...over,
  });
  if (!r.ok) throw new Error(r.message);
  return r.doc;
}

export const MIN = 60_000;
export const HOUR = 60 * MIN;

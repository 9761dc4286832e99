import { describe, expect, it } from 'vitest';
import { noticesFor } from '../../src/bot/presenters/notices.js';
import { loadBots } from '../../src/config/bots.js';
import type { TicketDoc, TicketEventRecord } from '../../src/tickets/types.js';

const bot = loadBots('bots', {}).get('demo')!;
const ticket = {
  no: 3,
  reporter: { userid: 'nurse_a', name: 'nurse_a' },
  subscribers: [],
  assignee: null,
  system: 'pacs',
  status: 'resolved',
  title: 'PACS影像全院调阅不了',
} as unknown as TicketDoc;
const event = (payload: Record<string, unknown>) =>
  ({ bot: 'demo', no: 3, seq: 5, type: 'reminded', actor: 'system', at: new Date(), ...payload }) as TicketEventRecord;

describe('reminded events', () => {
  it('the confirmation reminder asks the reporter to confirm', () => {
    expect(noticesFor(bot, ticket, event({ kind: 'confirmation', to: ['nurse_a'] }))).toEqual([
      { userids: ['nurse_a'], text: expect.stringContaining('#3 影像系统(PACS) PACS影像全院调阅不了 已处理好，还在等您确认') },
    ]);
  });

  it('a closed or reopened ticket is never "还在等您确认"', () => {
    for (const status of ['closed', 'claimed', 'cancelled'])
      expect(noticesFor(bot, { ...ticket, status } as TicketDoc, event({ kind: 'confirmation', to: ['nurse_a'] }))).toEqual([]);
  });

  it('an SLA escalation (also recorded as reminded) is not turned into a "please confirm" for the engineers', () => {
    expect(noticesFor(bot, ticket, event({ target: 'resolve', step: '50%', to: ['chenjing'] }))).toEqual([]);
  });
});

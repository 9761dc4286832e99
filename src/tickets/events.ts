import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import type { TicketDoc, TicketEventRecord } from './types.js';

/** What listeners hear after a change is committed: the ticket as stored after the change, and one event. */
export interface TicketEventNotice {
  bot: BotConfig;
  ticket: TicketDoc;
  event: TicketEventRecord;
}
export type TicketEventListener = (notice: TicketEventNotice) => void | Promise<void>;

const listeners = new Set<TicketEventListener>();

/**
 * Subscribes to committed ticket events (SLA escalation, notifier). Delivery is at least once: after a crash
 * the repair sweep re-delivers events whose delivery was not confirmed, so listeners must be idempotent
 * (e.g. unique Agenda jobs). Listeners should be quick (enqueue, don't send): commands wait for them.
 * Returns the unsubscribe function.
 */
export function onTicketEvent(listener: TicketEventListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Calls every listener for each event in order; a failing listener is logged and never fails the change.
 * Returns false when one failed (e.g. the database went away mid-notification): the caller then leaves the
 * events pending, so the repair sweep delivers them again instead of the card or group post being lost.
 */
export async function emitTicketEvents(bot: BotConfig, ticket: TicketDoc, events: TicketEventRecord[]): Promise<boolean> {
  let delivered = true;
  for (const event of events) {
    for (const listener of [...listeners]) {
      try {
        await listener({ bot, ticket, event });
      } catch (e) {
        delivered = false;
        log.error({ bot: bot.id, no: ticket.no, seq: event.seq, type: event.type, err: (e as Error).message }, 'ticket listener failed');
      }
    }
  }
  return delivered;
}

import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import type { EventType, TicketDoc, TicketEventRecord } from './types.js';

/** What processors hear after a change is committed: the ticket as stored after the change, and one event. */
export interface TicketEventNotice {
  bot: BotConfig;
  ticket: TicketDoc;
  event: TicketEventRecord;
}

/**
 * A feature's reaction to committed ticket events (notifier, SLA escalation, resolution jobs), in the manner of
 * Outline's processors: it names the event types it handles and is only called for those. Delivery is at least
 * once: after a crash the repair sweep re-delivers events whose delivery was not confirmed, so processors must be
 * idempotent (e.g. unique Agenda jobs, outbox keys). They should be quick (enqueue, don't send): commands wait.
 */
export interface TicketEventProcessor {
  /** For logs. */
  name: string;
  /** The event types this processor handles; `'all'` for every type. */
  applicableEvents: readonly EventType[] | 'all';
  on(notice: TicketEventNotice): void | Promise<void>;
}

/**
 * One service's ticket-event processors. Each service owns its bus (built by startService from what the
 * features contribute), so two services in one process never hear each other's processors.
 */
export class TicketEventBus {
  private readonly processors: TicketEventProcessor[] = [];

  constructor(processors: readonly TicketEventProcessor[] = []) {
    this.processors.push(...processors);
  }

  /** Adds a processor (tests observe events this way). Returns the function that removes it again. */
  add(processor: TicketEventProcessor): () => void {
    this.processors.push(processor);
    return () => {
      const i = this.processors.indexOf(processor);
      if (i >= 0) this.processors.splice(i, 1);
    };
  }

  /**
   * Calls every applicable processor for each event in order; a failing processor is logged and never fails the
   * change. Returns false when one failed (e.g. the database went away mid-notification): the caller then leaves
   * the events pending, so the repair sweep delivers them again instead of the card or group post being lost.
   */
  async emit(bot: BotConfig, ticket: TicketDoc, events: readonly TicketEventRecord[]): Promise<boolean> {
    let delivered = true;
    for (const event of events) {
      for (const p of [...this.processors]) {
        if (p.applicableEvents !== 'all' && !p.applicableEvents.includes(event.type)) continue;
        try {
          await p.on({ bot, ticket, event });
        } catch (e) {
          delivered = false;
          log.error(
            { bot: bot.id, no: ticket.no, seq: event.seq, type: event.type, processor: p.name, err: (e as Error).message },
            'ticket event processor failed',
          );
        }
      }
    }
    return delivered;
  }
}

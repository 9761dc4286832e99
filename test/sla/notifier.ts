import { EventEmitter } from 'node:events';
import type { EscalationNotifier } from '../../src/sla/escalation.js';
import type { OutboundContent } from '../../src/wecom/types.js';

export interface Sent {
  kind: 'users' | 'group';
  bot: string;
  userids: string[];
  content: OutboundContent;
  key?: string;
}

/**
 * Records what escalation hands to its notifier (the seam the WeCom messenger plugs into), deduplicating
 * idempotency keys the way the outbox does, and lets tests wait for a message instead of sleeping.
 */
export class RecordingNotifier implements EscalationNotifier {
  readonly sent: Sent[] = [];
  private readonly keys = new Set<string>();
  private readonly events = new EventEmitter();

  async toUsers(bot: string, userids: string[], content: OutboundContent, opts?: { idempotencyKey?: string }) {
    this.record({ kind: 'users', bot, userids, content, key: opts?.idempotencyKey });
  }
  async toGroup(bot: string, content: OutboundContent, opts?: { idempotencyKey?: string }) {
    this.record({ kind: 'group', bot, userids: [], content, key: opts?.idempotencyKey });
  }

  private record(s: Sent): void {
    if (s.key && this.keys.has(s.key)) return;
    if (s.key) this.keys.add(s.key);
    this.sent.push(s);
    this.events.emit('sent', s);
  }

  text(s: Sent): string {
    const c = s.content;
    return c.type === 'markdown' ? c.markdown : c.type === 'text' ? c.text : JSON.stringify(c.card);
  }

  /** Messages whose key mentions the ticket and step, e.g. ("1", "response:50%"). */
  about(no: number, part: string): Sent[] {
    return this.sent.filter((s) => s.key?.includes(`:${no}:${part}`));
  }

  waitFor(pred: (s: Sent) => boolean, timeoutMs = 20_000): Promise<Sent> {
    const found = this.sent.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        this.events.off('sent', on);
        rej(new Error('timed out waiting for a notification'));
      }, timeoutMs);
      const on = (s: Sent) => {
        if (!pred(s)) return;
        clearTimeout(timer);
        this.events.off('sent', on);
        res(s);
      };
      this.events.on('sent', on);
    });
  }
}

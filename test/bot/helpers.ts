import { ManualClock } from '../../src/clock.js';
import { type BotConfig, loadBots } from '../../src/config/bots.js';
import type { Service } from '../../src/service.js';
import type { TicketWithEvents } from '../../src/tickets/presenter.js';
import { InboxModel } from '../../src/wecom/inbox.js';
import { OutboxModel } from '../../src/wecom/outbox.js';
import { type Received, WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { startTestService } from '../helpers/service.js';

/** A Wednesday, 10:00 local: working time, so HIS goes to 张伟 and LIS to 刘洋 (bots/demo.json). */
export const START = '2026-11-18T10:00:00+08:00';
export const GROUP = 'wr_ward_group';

export interface BotHarness {
  service: Service;
  sim: WecomSimulator;
  clock: ManualClock;
  url: string;
  /** A group @mention through the smart bot; resolves with the bot's answer (response_url markdown) or null. */
  say(from: string, text: string, chatId?: string): Promise<string | null>;
  /** A 1:1 message to the self-built app; resolves with the app's answers to that user sent meanwhile. */
  sayApp(from: string, text: string): Promise<string[]>;
  /** Texts, markdown (`text` too, with `markdown: true`) and cards the app sent to one user (message/send), in order. */
  dms(userid: string): Array<{ text?: string; markdown?: boolean; card?: Record<string, unknown> }>;
  /** Everything processed: the inbox is empty and the outbox delivered what it holds. */
  settle(): Promise<void>;
  ticket(no: number): Promise<TicketWithEvents>;
  tickets(query?: string): Promise<{ items: TicketWithEvents[]; total: number }>;
  stop(): Promise<void>;
}

export interface BotHarnessOptions {
  /** Bot files as loaded from bots/ (tests may pass an adjusted copy, e.g. a bigger roster). */
  bots?: Map<string, BotConfig>;
  /**
   * Where the manual clock starts (default START). Agenda runs jobs by the real time, so jobs the service
   * schedules from a clock in the real past (a resolution's reminder and auto-close) fire at once; tests
   * that need them not to start the clock after the real now.
   */
  start?: string | Date;
  /** Reuse a database (a restart: start a second harness on the first one's data). Default: a fresh one. */
  dbName?: string;
}

/** The production service (all features) against the WeCom simulator, with a manual clock. */
export async function startBotHarness(opts: BotHarnessOptions = {}): Promise<BotHarness> {
  const clock = new ManualClock(opts.start ?? START);
  const bots = opts.bots ?? loadBots('bots', {});
  const sim = new WecomSimulator({ bots: bots.values(), clock });
  const simUrl = await sim.start();
  const service = await startTestService({
    bots,
    clock,
    dbName: opts.dbName,
    envOverrides: { WECOM_API_BASE: simUrl, WECOM_MAX_SKEW_S: '0' },
  });
  const url = service.url;
  const auth = { headers: { authorization: 'Bearer test-admin-token' } };

  async function settle(): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const busy = await InboxModel.countDocuments({ status: { $in: ['pending', 'processing'] } });
      if (busy === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    for (let i = 0; i < 400; i++) {
      const busy = await OutboxModel.countDocuments({
        $or: [{ status: 'sending' }, { status: 'pending', nextAttemptAt: { $lte: clock.now() } }],
      });
      if (busy === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const dms = (userid: string) =>
    sim
      .delivered('message/send')
      .filter((r) => r.body?.touser === userid)
      .map((r) => {
        const b = r.body as {
          msgtype?: string;
          template_card?: Record<string, unknown>;
          text?: { content: string };
          markdown?: { content: string };
        };
        if (b.msgtype === 'template_card') return { card: b.template_card };
        return b.msgtype === 'markdown' ? { text: b.markdown?.content, markdown: true } : { text: b.text?.content };
      });

  return {
    service,
    sim,
    clock,
    url,
    async say(from, text, chatId = GROUP) {
      const before = sim.received('response_url').length;
      await sim.sendAibotText({ bot: 'demo', serviceUrl: url, from, chatId, text });
      await settle();
      const after = sim.received('response_url');
      if (after.length === before) return null;
      return (after.at(-1)?.body as { markdown: { content: string } }).markdown.content;
    },
    async sayApp(from, text) {
      const before = dms(from).length;
      await sim.sendAppText({ bot: 'demo', serviceUrl: url, from, text });
      await settle();
      return dms(from)
        .slice(before)
        .map((m) => m.text ?? JSON.stringify(m.card));
    },
    dms,
    settle,
    async ticket(no) {
      const res = await fetch(`${url}/api/tickets/demo/${no}`, auth);
      if (res.status !== 200) throw new Error(`ticket ${no}: HTTP ${res.status}`);
      return (await res.json()) as TicketWithEvents;
    },
    async tickets(query = '') {
      const res = await fetch(`${url}/api/tickets?bot=demo&limit=1000${query}`, auth);
      return (await res.json()) as { items: TicketWithEvents[]; total: number };
    },
    async stop() {
      await service.stop();
      await sim.stop();
    },
  };
}

export function webhookTexts(sim: WecomSimulator): string[] {
  return sim.delivered('webhook/send').map((r: Received) => {
    const b = r.body as { markdown?: { content: string }; text?: { content: string } };
    return b.markdown?.content ?? b.text?.content ?? '';
  });
}

/** The ticket number quoted in a reply ("#12"). */
export function noIn(text: string | null | undefined): number {
  const m = /#(\d+)/.exec(text ?? '');
  if (!m) throw new Error(`no ticket number in: ${text}`);
  return Number(m[1]);
}

import { ManualClock } from '../../src/clock.js';
import { type BotConfig, loadBots } from '../../src/config/bots.js';
import { createWecomFeature, wecomFeature } from '../../src/wecom/feature.js';
import { features as productionFeatures } from '../../src/features.js';
import type { Service } from '../../src/service.js';
import type { LongConnectionTuning } from '../../src/wecom/longconn/index.js';
import type { TicketWithEvents } from '../../src/tickets/presenter.js';
import { InboxModel } from '../../src/wecom/inbox.js';
import { DEMO_PEOPLE, type Received, WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { startTestService } from '../helpers/service.js';
import { settleWecom } from '../helpers/settle.js';

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
  /** The texts (and markdown texts) among `dms(userid)`, cards left out, in order. */
  dmTexts(userid: string): string[];
  /** Everything processed: the inbox is empty and the outbox delivered what it holds. */
  settle(): Promise<void>;
  /** Resolves once a message with this msgid is in the inbox (frames arrive asynchronously). */
  stored(msgId: string): Promise<void>;
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
  /**
   * How the demo smart bot reaches the service: `callback` (default: HTTP callbacks) or `longConnection` (the
   * service dials the simulator's WebSocket; `say` then reads the answer from the `aibot_respond_msg` frame).
   */
  mode?: 'callback' | 'longConnection';
  /** Long connection timings (tests shorten backoff and leases instead of sleeping). */
  longConnection?: LongConnectionTuning;
  /** Reuse a running simulator (a second service instance on the same fake WeCom). */
  sim?: WecomSimulator;
}

/** The answer text of a smart-bot reply: response_url markdown, or the stream content of a respond frame. */
function replyText(r: Received | undefined): string | null {
  const b = r?.body as { markdown?: { content: string }; stream?: { content: string } } | undefined;
  return b?.markdown?.content ?? b?.stream?.content ?? null;
}

/** The production service (all features) against the WeCom simulator, with a manual clock. */
export async function startBotHarness(opts: BotHarnessOptions = {}): Promise<BotHarness> {
  const clock = new ManualClock(opts.start ?? START);
  const bots = opts.bots ?? loadBots('bots', {});
  const mode = opts.mode ?? 'callback';
  const ownSim = !opts.sim;
  const sim = opts.sim ?? new WecomSimulator({ bots: bots.values(), clock });
  const simUrl = ownSim ? await sim.start() : sim.url;
  const demo = bots.get('demo');
  if (demo && mode === 'longConnection') demo.wecom.aibot = { ...demo.wecom.aibot, mode, wsUrl: sim.wsUrl };
  const tuned = (ctx: Parameters<typeof wecomFeature>[0]) =>
    createWecomFeature(ctx, { longConnection: { reconnectMinMs: 20, reconnectMaxMs: 200, ...opts.longConnection } });
  const service = await startTestService({
    bots,
    clock,
    dbName: opts.dbName,
    envOverrides: { WECOM_API_BASE: simUrl, WECOM_MAX_SKEW_S: '0' },
    features: productionFeatures.map((f) => (f === wecomFeature ? tuned : f)),
  });
  if (mode === 'longConnection' && ownSim) await sim.longConnection.waitForConnection('demo');
  const replyKind = mode === 'longConnection' ? 'aibot_respond_msg' : 'response_url';
  const url = service.url;
  const auth = { headers: { authorization: 'Bearer test-admin-token' } };

  let said = 0;
  async function arrived(msgId: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      if (await InboxModel.exists({ msgId })) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`message ${msgId} never reached the inbox`);
  }

  const settle = (): Promise<void> => settleWecom(clock);

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
      const before = sim.received(replyKind).length;
      const msgId = `say${++said}_${Date.now().toString(36)}`;
      await sim.sendAibotText({ bot: 'demo', serviceUrl: url, from, chatId, text, msgId });
      // A callback is stored before WeCom's POST returns; a frame only once the socket delivered it.
      if (mode === 'longConnection') await arrived(msgId);
      await settle();
      const after = sim.received(replyKind);
      if (after.length === before) return null;
      return replyText(after.at(-1));
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
    dmTexts: (userid) => dms(userid).flatMap((m) => (m.text ? [m.text] : [])),
    settle,
    stored: arrived,
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
      if (ownSim) {
        await sim.stop();
        assertNoReplacementChar(sim);
        assertRightForReaders(sim, bots.values());
      }
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

/**
 * Acceptance (issue #16): no reply the test suite makes the bot send contains U+FFFD (text cut inside a
 * character). Every harness checks everything its simulator received when it stops.
 */
export function assertNoReplacementChar(sim: WecomSimulator): void {
  const bad = sim.received().filter((r) => JSON.stringify(r.body ?? null).includes('\ufffd'));
  if (bad.length) throw new Error(`U+FFFD in ${bad.length} message(s) sent to WeCom, first: ${JSON.stringify(bad[0].body).slice(0, 300)}`);
}

/** The words of a message WeCom received (text, markdown, stream, card), without its addressing fields. */
function shownText(r: Received): string {
  const b = (r.body ?? {}) as Record<string, unknown>;
  const parts: unknown[] = [
    (b.text as { content?: unknown })?.content,
    (b.markdown as { content?: unknown })?.content,
    (b.stream as { content?: unknown })?.content,
    b.template_card,
  ];
  return parts
    .filter((p) => p !== undefined)
    .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
    .join('\n');
}

/** An 18-digit identity number, an 11-digit mobile, a record number's value (what masking leaves is "***"). */
const GROUP_FORBIDDEN: Array<[string, RegExp]> = [
  ['identity number', /(?<![0-9*])[0-9]{17}[0-9Xx](?![0-9])/],
  ['mobile number', /(?<![0-9*])1[3-9][0-9]{9}(?![0-9])/],
  ['record number', /(住院号|病案号|门诊号|病历号)\s*(是|为|[:：])?\s*[A-Za-z0-9]{3,}/],
];

/**
 * Acceptance (issue #16), over every message a harness made the bot send, so inputs no test foresaw are covered:
 * - nothing the group reads (group replies, group robot posts, app group chats) carries an identity number, a
 *   mobile (staff included: DESIGN.md privacy) or a 住院号/病案号 value;
 * - nothing a reporter reads (their replies and direct messages) carries the triage reason ("判定依据") or the raw
 *   userid of someone whose name is known (the WeCom directory of the simulator, the roster, the bot file).
 */
export function assertRightForReaders(sim: WecomSimulator, bots: Iterable<BotConfig>): void {
  const staff = new Set<string>();
  const named = new Set(DEMO_PEOPLE.map((p) => p.userid));
  for (const bot of bots) {
    const { engineers, leads, itContact } = bot.roster;
    for (const p of [...engineers, ...leads, itContact]) {
      staff.add(p.userid);
      named.add(p.userid);
    }
    for (const p of bot.directory.people) named.add(p.userid);
  }
  const problems: string[] = [];
  for (const r of sim.received()) {
    if (r.errcode !== 0) continue;
    const text = shownText(r);
    if (!text) continue;
    const body = (r.body ?? {}) as { touser?: string; chatid?: string };
    const inGroup = r.kind === 'webhook/send' || r.kind === 'appchat/send' || (r.kind === 'response_url' && !!r.replyTo?.chatId);
    const reader = r.kind === 'response_url' ? r.replyTo?.userid : r.kind === 'message/send' ? body.touser : undefined;
    if (inGroup) {
      for (const [what, re] of GROUP_FORBIDDEN) if (re.test(text)) problems.push(`${what} in a group post: ${text.slice(0, 200)}`);
    }
    if (reader && !staff.has(reader)) {
      if (text.includes('判定依据')) problems.push(`判定依据 to reporter ${reader}: ${text.slice(0, 200)}`);
      // A raw userid shown as a word ("@nurse01 已登记", "报修：nurse01"); WeCom renders a "<@userid>" mention as the
      // name, and a userid inside a longer token (an e-mail address) is not one.
      const words = text.replace(/<@[^>]+>/g, '');
      const raw = [...named].find((u) => new RegExp(`(?<![A-Za-z0-9_.-])${u}(?![A-Za-z0-9_@.-])`).test(words));
      if (raw) problems.push(`raw userid ${raw} to reporter ${reader}: ${text.slice(0, 200)}`);
    }
  }
  if (problems.length) throw new Error(`${problems.length} message(s) wrong for their readers, first: ${problems[0]}`);
}

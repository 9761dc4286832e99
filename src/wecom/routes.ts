import Router from '@koa/router';
import type { Context } from 'koa';
import type { BotConfig } from '../config/bots.js';
import type { Clock } from '../clock.js';
import { HttpError } from '../http/middleware/errors.js';
import { log } from '../log.js';
import { admitCallback, chatAllowed } from './admit.js';
import { type Creds, fresh, openEnvelope, readQuery, seal, signatureMatches } from './crypto.js';
import type { Inbox, InboxDoc } from './inbox.js';
import { toMessage } from './inbox.js';
import { aibotDraft, appDraft, appEnvelope, type Draft, ParseError } from './parse.js';
import type { InboundMessage } from './types.js';

export interface CallbackDeps {
  bots: Map<string, BotConfig>;
  clock: Clock;
  maxSkewS: number;
  inbox: Inbox;
  /** Template-card click: the updated card to answer with, within WeCom's 5 s. */
  onCardEvent(msg: InboundMessage): Promise<object | null>;
  cardTimeoutMs?: number;
}

type Channel = 'aibot' | 'app';

/** `GET|POST /wecom/:bot/aibot` (smart bot, JSON, receiveid "") and `/wecom/:bot/app` (app, XML, receiveid corpid). */
export function wecomRoutes(deps: CallbackDeps): Router {
  const router = new Router();
  for (const channel of ['aibot', 'app'] as const) {
    router.get(`/wecom/:bot/${channel}`, (ctx) => verifyUrl(ctx, deps, channel));
    router.post(`/wecom/:bot/${channel}`, (ctx) => receive(ctx, deps, channel));
  }
  return router;
}

function setup(ctx: Context, deps: CallbackDeps, channel: Channel) {
  const bot = deps.bots.get(ctx.params.bot);
  if (!bot) throw new HttpError(404, 'unknown_bot');
  const q = readQuery(ctx.querystring);
  if (!q) throw new HttpError(400, 'bad_query');
  const { msg_signature, timestamp, nonce } = q;
  if (!msg_signature || !timestamp || !nonce || !/^\d{1,12}$/.test(timestamp)) throw new HttpError(400, 'missing_params');
  if (!fresh(timestamp, deps.clock.now(), deps.maxSkewS)) throw new HttpError(401, 'stale_timestamp');
  const creds: Creds = channel === 'aibot' ? bot.wecom.aibot : bot.wecom.app;
  const receiveId = channel === 'aibot' ? '' : bot.wecom.corpId;
  return { bot, q: { msg_signature, timestamp, nonce, echostr: q.echostr }, creds, receiveId };
}

function open(creds: Creds, q: { msg_signature: string; timestamp: string; nonce: string }, encrypted: string, receiveId: string): string {
  const r = openEnvelope(creds, q, encrypted, receiveId);
  if (!r.ok) throw new HttpError(r.failure.status, r.failure.code);
  return r.plaintext;
}

/** URL verification: answer the bare decrypted echostr (no quotes, no newline) well within 1 s. */
function verifyUrl(ctx: Context, deps: CallbackDeps, channel: Channel): void {
  const { q, creds, receiveId, bot } = setup(ctx, deps, channel);
  if (!q.echostr) throw new HttpError(400, 'missing_echostr');
  const plain = open(creds, q, q.echostr, receiveId);
  log.info({ bot: bot.id, channel }, 'wecom url verified');
  ctx.status = 200;
  ctx.type = 'text/plain';
  ctx.body = plain;
}

// The encrypted field as WeCom writes it: base64 only, in CDATA or bare (app XML) or a JSON string (smart bot).
const XML_ENCRYPT = /<Encrypt>\s*(?:<!\[CDATA\[)?([A-Za-z0-9+/=]+)(?:\]\]>)?\s*<\/Encrypt>/;
const JSON_ENCRYPT = /"encrypt"\s*:\s*"([A-Za-z0-9+/=\\]+)"/;

/**
 * Finds the encrypted field with one linear regex scan, without parsing the body, so the signature can be
 * checked before any parser runs on unauthenticated input (a forged body costs a scan and a SHA-1, not a parse).
 */
function scanEnvelope(channel: Channel, raw: string): string {
  const m = (channel === 'app' ? XML_ENCRYPT : JSON_ENCRYPT).exec(raw);
  if (!m) throw new ParseError('no encrypted field');
  return channel === 'app' ? m[1] : m[1].replaceAll('\\/', '/'); // JSON may escape "/" as "\/"
}

/** The full parse of the outer envelope, done only after the signature matched. */
function envelopeOf(channel: Channel, raw: string): string {
  if (channel === 'app') return appEnvelope(raw);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ParseError('malformed json');
  }
  const enc = (body as { encrypt?: unknown } | null)?.encrypt;
  if (typeof enc !== 'string' || !enc) throw new ParseError('no encrypt');
  return enc;
}

async function receive(ctx: Context, deps: CallbackDeps, channel: Channel): Promise<void> {
  const { bot, q, creds, receiveId } = setup(ctx, deps, channel);
  const raw = typeof ctx.state.rawBody === 'string' ? ctx.state.rawBody : '';
  let draft: Draft;
  try {
    const scanned = scanEnvelope(channel, raw);
    if (!signatureMatches(creds, q.timestamp, q.nonce, scanned, q.msg_signature)) throw new HttpError(401, 'bad_signature');
    const encrypted = envelopeOf(channel, raw);
    // The signed field must be the one the document really carries (not a decoy before the real element).
    if (encrypted !== scanned) throw new ParseError('ambiguous envelope');
    const plain = open(creds, q, encrypted, receiveId);
    draft = channel === 'aibot' ? aibotDraft(plain) : appDraft(plain);
  } catch (e) {
    if (e instanceof ParseError) throw new HttpError(400, 'malformed_body');
    throw e;
  }
  if (!chatAllowed(bot, draft)) {
    log.info({ bot: bot.id, channel, chatId: draft.chatId }, 'wecom chat not allowed');
    throw new HttpError(403, 'chat_not_allowed');
  }
  if (draft.type === 'stream') return answerStream(ctx, creds, q, draft);

  const isCard = draft.type === 'event' && draft.event?.name === 'template_card_event';
  const doc = await admitCallback(deps.inbox, bot, channel, draft, raw, deps.clock.now(), { answeredInline: isCard });
  ctx.status = 200;
  ctx.body = '';
  if (!doc || draft.ignored) return;
  if (!isCard) {
    void deps.inbox.process(doc);
    return;
  }
  const card = await answerCardInTime(deps, doc);
  if (card && channel === 'aibot') {
    const reply = seal(creds, JSON.stringify({ response_type: 'update_template_card', template_card: card }), '', q.nonce, q.timestamp);
    ctx.type = 'application/json';
    ctx.body = reply;
  }
}

/** Runs the card handler with a deadline; WeCom drops a card event not answered within 5 s. */
async function answerCardInTime(deps: CallbackDeps, doc: InboxDoc): Promise<object | null> {
  const msg = toMessage(doc);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((res) => {
    timer = setTimeout(() => res('late'), deps.cardTimeoutMs ?? 4000);
  });
  const run = deps.onCardEvent(msg).then(
    async (card) => {
      await deps.inbox.markDone(doc._id);
      return card;
    },
    async (e: unknown) => {
      await deps.inbox.markFailed(doc._id, 1, (e as Error)?.message ?? 'error');
      return null;
    },
  );
  const result = await Promise.race([run, deadline]);
  clearTimeout(timer);
  if (result === 'late') {
    log.warn({ inboxId: String(doc._id) }, 'card event answer too slow; finishing in background');
    return null;
  }
  return result;
}

/**
 * We never open a stream (replies go through response_url / the outbox), so a refresh for any stream id is
 * answered as finished: WeCom then stops polling.
 */
function answerStream(ctx: Context, creds: Creds, q: { timestamp: string; nonce: string }, draft: Draft): void {
  const plain = JSON.stringify({ msgtype: 'stream', stream: { id: draft.streamId ?? '', finish: true, content: '' } });
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = seal(creds, plain, '', q.nonce, q.timestamp);
}

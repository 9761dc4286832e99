import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** What a callback says, before it gets an inbox id. */
export interface Draft {
  dedupeKey: string;
  msgId: string;
  type: 'text' | 'image' | 'event' | 'stream';
  chatType: 'group' | 'single';
  chatId: string | null;
  from: { userid: string };
  rawText: string;
  event?: { name: string; eventKey?: string; taskId?: string; cardType?: string; responseCode?: string };
  responseUrl?: string;
  imageUrl?: string;
  streamId?: string;
  /** Message types we acknowledge but do not hand to the bot (voice, file, feedback events, …). */
  ignored?: boolean;
}

export class ParseError extends Error {}

// No entity expansion, no DTDs, every value a string (64-bit MsgId must not become a lossy number).
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  numberParseOptions: { hex: false, leadingZeros: false, eNotation: false },
});

/** Parses a flat `<xml>…</xml>` document into string fields; CDATA and plain text alike. */
export function parseXmlFields(xml: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ParseError('dtd not allowed');
  if (XMLValidator.validate(xml) !== true) throw new ParseError('malformed xml');
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new ParseError('malformed xml');
  }
  const root = (doc as Record<string, unknown>)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new ParseError('no <xml> root');
  return root as Record<string, unknown>;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The outer app envelope: `<xml><ToUserName/><Encrypt/><AgentID/></xml>`. */
export function appEnvelope(body: string): string {
  const f = parseXmlFields(body);
  const enc = str(f.Encrypt);
  if (!enc) throw new ParseError('no Encrypt');
  return enc;
}

/** The decrypted app message (text, image, events incl. template_card_event). */
export function appDraft(xml: string): Draft {
  const f = parseXmlFields(xml);
  const from = str(f.FromUserName);
  const msgType = str(f.MsgType);
  const createTime = str(f.CreateTime) ?? '';
  if (!from || !msgType) throw new ParseError('missing FromUserName/MsgType');
  const base = { chatType: 'single' as const, chatId: null, from: { userid: from } };
  if (msgType === 'event') {
    const name = str(f.Event) ?? '';
    const eventKey = str(f.EventKey);
    const taskId = str(f.TaskId);
    const event = { name, eventKey, taskId, cardType: str(f.CardType), responseCode: str(f.ResponseCode) };
    const key = ['evt', from, createTime, name, eventKey ?? '', taskId ?? ''].join(':');
    return {
      ...base,
      dedupeKey: key,
      msgId: key,
      type: 'event',
      rawText: '',
      event,
      ignored: name !== 'template_card_event' && name !== 'enter_agent',
    };
  }
  const msgId = str(f.MsgId);
  if (!msgId) throw new ParseError('missing MsgId');
  if (msgType === 'text') return { ...base, dedupeKey: msgId, msgId, type: 'text', rawText: str(f.Content) ?? '' };
  if (msgType === 'image') return { ...base, dedupeKey: msgId, msgId, type: 'image', rawText: '', imageUrl: str(f.PicUrl) };
  return { ...base, dedupeKey: msgId, msgId, type: 'text', rawText: '', ignored: true };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/** The decrypted smart-bot JSON callback (text, mixed, image, stream refresh, events). */
export function aibotDraft(json: string): Draft {
  let d: Json | undefined;
  try {
    d = obj(JSON.parse(json));
  } catch {
    throw new ParseError('malformed json');
  }
  if (!d) throw new ParseError('not an object');
  const s = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const msgId = s(d.msgid);
  const msgType = s(d.msgtype);
  const userid = s(obj(d.from)?.userid);
  if (!msgId || !msgType || !userid) throw new ParseError('missing msgid/msgtype/from.userid');
  const chatType = d.chattype === 'group' ? 'group' : 'single';
  const base = {
    dedupeKey: msgId,
    msgId,
    chatType: chatType as 'group' | 'single',
    chatId: str(d.chatid) ?? null,
    from: { userid },
    responseUrl: str(d.response_url),
  };
  switch (msgType) {
    case 'text':
      return { ...base, type: 'text', rawText: str(obj(d.text)?.content) ?? '' };
    case 'voice':
      return { ...base, type: 'text', rawText: str(obj(d.voice)?.content) ?? '' };
    case 'mixed': {
      const items = obj(d.mixed)?.msg_item;
      const texts = Array.isArray(items) ? items.map((i) => str(obj(obj(i)?.text)?.content)).filter((t): t is string => !!t) : [];
      return { ...base, type: 'text', rawText: texts.join('\n') };
    }
    case 'image':
      return { ...base, type: 'image', rawText: '', imageUrl: str(obj(d.image)?.url) };
    case 'stream':
      return { ...base, type: 'stream', rawText: '', streamId: str(obj(d.stream)?.id) ?? '', ignored: true };
    case 'event': {
      const ev = obj(d.event);
      const name = str(ev?.eventtype) ?? '';
      const detail = obj(ev?.[name]) ?? {};
      const event = {
        name,
        eventKey: str(detail.event_key),
        taskId: str(detail.task_id),
        cardType: str(detail.card_type),
      };
      return { ...base, type: 'event', rawText: '', event, ignored: name !== 'template_card_event' && name !== 'enter_chat' };
    }
    default:
      return { ...base, type: 'text', rawText: '', ignored: true };
  }
}

/**
 * Removes the bot's @mention. WeCom puts "@名字" plus a (often U+2005) space where the user typed it; we
 * strip the configured names anywhere, and in group chats a leading @token when no name matched.
 */
export function stripMentions(text: string, names: string[], group: boolean): string {
  let t = text.replace(/[\u2005\u00a0\u3000]/g, ' ');
  let matched = false;
  for (const n of names) {
    if (!n) continue;
    const re = new RegExp(`@${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\s|$)`, 'g');
    if (re.test(t)) {
      matched = true;
      t = t.replace(re, ' ');
    }
  }
  if (!matched && group) t = t.replace(/^\s*@\S+(\s+|$)/, '');
  return t
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

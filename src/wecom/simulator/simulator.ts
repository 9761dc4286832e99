import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import type { BotConfig } from '../../config/bots.js';
import { type Clock, systemClock } from '../../clock.js';
import { parseXmlFields } from '../parse.js';
import { AibotSocketSide, type SocketKind } from './longconn.js';

export type SimKind =
  | 'gettoken'
  | 'message/send'
  | 'update_template_card'
  | 'appchat/send'
  | 'webhook/send'
  | 'response_url'
  | 'user/get'
  | 'department/get'
  | SocketKind;

/** A member of the fake corp's directory (what `user/get` answers). */
export interface SimPerson {
  userid: string;
  name: string;
  /** Department ids; the first is the main department. */
  department: number[];
  mobile?: string;
}

/** The demo corp's departments (`department/get`). */
export const DEMO_DEPARTMENTS: Record<number, string> = {
  1: '演示市第一人民医院',
  2: '信息科',
  3: '心血管内科',
  4: '检验科',
  5: '急诊科',
  6: '门诊部',
  7: '演示软件运维组',
};

/** The demo corp's people: the demo roster, nurses and clerks the tests and the playground write as. */
export const DEMO_PEOPLE: SimPerson[] = [
  { userid: 'zhangwei', name: '张伟', department: [7], mobile: '13800000001' },
  { userid: 'liuyang', name: '刘洋', department: [7], mobile: '13800000002' },
  { userid: 'chenjing', name: '陈静', department: [7], mobile: '13800000003' },
  { userid: 'zhaomin', name: '赵敏', department: [7], mobile: '13800000004' },
  { userid: 'wanglei', name: '王磊', department: [2], mobile: '13900000001' },
  { userid: 'xuli', name: '徐丽', department: [2], mobile: '13900000002' },
  // nurse01–03 carry the names bots/demo.json gives them (the playground lists those), so the demo reads one name.
  { userid: 'nurse01', name: '李护士', department: [3], mobile: '13700000001' },
  { userid: 'nurse02', name: '周婷', department: [5], mobile: '13700000002' },
  { userid: 'nurse03', name: '孙悦', department: [4], mobile: '13700000003' },
  { userid: 'nurse04', name: '陈晓燕', department: [5], mobile: '13700000004' },
  { userid: 'doctor01', name: '周杰', department: [5], mobile: '13700000011' },
  { userid: 'lab01', name: '孙丽', department: [4], mobile: '13700000021' },
  { userid: 'clerk01', name: '吴静', department: [6], mobile: '13700000031' },
];

/** One request the fake WeCom received, decoded. */
export interface Received {
  kind: SimKind;
  at: Date;
  query: Record<string, string>;
  body: Record<string, unknown> | null;
  /** What the simulator answered (0 = accepted). */
  errcode: number;
  /** The bot the request belongs to (by token, webhook key or response code), when known. */
  bot?: string;
  /** Position in the log, from 1 upwards: `GET /_sim/received?since=<seq>` returns what came after it. */
  seq: number;
  /** response_url calls: the conversation of the callback that carried the URL (group chat or 1:1). */
  replyTo?: { chatId?: string; userid: string };
  /**
   * message/send with `enable_duplicate_check: 1` whose body equals one accepted within its
   * `duplicate_check_interval` (seconds, WeCom's default 1800): WeCom answers 0 but shows the user nothing.
   */
  duplicate?: boolean;
}

export interface CallbackResult {
  status: number;
  body: string;
  /** The decrypted passive reply (JSON for the smart bot, XML text for the app), or null for an empty answer. */
  reply: unknown;
}

interface Fault {
  kind: SimKind | '*';
  count: number;
  errcode?: number;
  errmsg?: string;
  hangMs?: number;
  /** No answer until this settles (holdNext); then like a hang that ran out. */
  held?: Promise<void>;
}

export interface SimulatorOptions {
  bots: Iterable<BotConfig>;
  port?: number;
  host?: string;
  /** Clock for token expiry and the webhook 20/min check (tests pass their ManualClock). */
  clock?: Clock;
  tokenTtlS?: number;
  /** Where the control endpoints (/_sim/send, /_sim/click) deliver callbacks unless a request names another. */
  serviceUrl?: string;
  /** The corp directory `user/get` answers from (default DEMO_PEOPLE) and its departments (default DEMO_DEPARTMENTS). */
  people?: SimPerson[];
  departments?: Record<number, string>;
}

const ROUTES: Record<string, SimKind> = {
  '/cgi-bin/message/send': 'message/send',
  '/cgi-bin/message/update_template_card': 'update_template_card',
  '/cgi-bin/appchat/send': 'appchat/send',
  '/cgi-bin/user/get': 'user/get',
  '/cgi-bin/department/get': 'department/get',
};

/**
 * A small fake WeCom: the API endpoints the service calls (recorded, failure-injectable) and a sender of
 * correctly encrypted and signed callbacks (smart-bot JSON and app XML) to the service.
 */
export class WecomSimulator extends EventEmitter {
  private server: Server | undefined;
  private log: Received[] = [];
  private faults: Fault[] = [];
  private releases: Array<() => void> = [];
  private tokens = new Map<string, { bot: string; expiresAt: number; revoked: boolean }>();
  private responseCodes = new Map<string, { bot: string; used: boolean; replyTo?: { chatId?: string; userid: string } }>();
  private webhookTimes = new Map<string, number[]>();
  private readonly bots: Map<string, BotConfig>;
  private readonly clock: Clock;
  private readonly tokenTtlS: number;
  private readonly people: Map<string, SimPerson>;
  private readonly departments: Record<number, string>;
  private seq = 0;
  private logSeq = 0;
  url = '';
  /** The smart bot's long-connection endpoint (`ws://…`, same port as `url`): point `wecom.aibot.wsUrl` here. */
  wsUrl = '';
  /** WeCom's side of the long connection (bots in `longConnection` mode get their callbacks as frames). */
  readonly longConnection: AibotSocketSide;

  constructor(private readonly opts: SimulatorOptions) {
    super();
    this.bots = new Map([...opts.bots].map((b) => [b.id, b]));
    this.clock = opts.clock ?? systemClock;
    this.tokenTtlS = opts.tokenTtlS ?? 7200;
    this.longConnection = new AibotSocketSide({
      bots: this.bots,
      clock: this.clock,
      record: (r) => this.record(r),
      takeFault: (kind) => this.takeFault(kind),
    });
    this.people = new Map((opts.people ?? DEMO_PEOPLE).map((p) => [p.userid, p]));
    this.departments = opts.departments ?? DEMO_DEPARTMENTS;
  }

  /** Adds or changes a member of the fake directory (a rename shows once the service's cache expires). */
  setPerson(p: SimPerson): void {
    this.people.set(p.userid, p);
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server = server;
    this.longConnection.attach(server);
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => res());
    });
    const { port } = server.address() as AddressInfo;
    this.url = `http://${this.opts.host ?? '127.0.0.1'}:${port}`;
    this.wsUrl = `ws://${this.opts.host ?? '127.0.0.1'}:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    for (const release of this.releases) release();
    this.longConnection.close();
    s.closeAllConnections();
    await new Promise<void>((res) => s.close(() => res()));
  }

  // ---- what it received ----

  received(kind?: SimKind): Received[] {
    return kind ? this.log.filter((r) => r.kind === kind) : [...this.log];
  }

  /** Accepted (errcode 0) requests of a kind that reached someone (WeCom's duplicate check drops repeats). */
  delivered(kind: SimKind): Received[] {
    return this.received(kind).filter((r) => r.errcode === 0 && !r.duplicate);
  }

  /** What was received after position `cursor` (0 = everything still in the log), oldest first. */
  receivedSince(cursor: number, kind?: SimKind): Received[] {
    return this.log.filter((r) => r.seq > cursor && (!kind || r.kind === kind));
  }

  /** The position of the last request received (the cursor to pass to `receivedSince` next). */
  get cursor(): number {
    return this.logSeq;
  }

  /** Forgets what was received (positions keep counting, so an old cursor never re-reads new requests). */
  clear(): void {
    this.log = [];
  }

  /** Resolves as soon as `predicate` holds over everything received (event-driven, no polling). */
  waitFor(predicate: (all: Received[]) => boolean, opts: { timeoutMs?: number } = {}): Promise<Received[]> {
    if (predicate(this.log)) return Promise.resolve([...this.log]);
    return new Promise((resolve, reject) => {
      const onReceived = () => {
        if (!predicate(this.log)) return;
        cleanup();
        resolve([...this.log]);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`simulator waitFor timed out after ${opts.timeoutMs ?? 5000} ms (${this.log.length} requests received)`));
      }, opts.timeoutMs ?? 5000);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('received', onReceived);
      };
      this.on('received', onReceived);
    });
  }

  // ---- failure injection ----

  /** The next `count` calls of `kind` ('*' = any) answer `errcode`. */
  failNext(kind: SimKind | '*', errcode: number, count = 1, errmsg = 'simulated failure'): void {
    this.faults.push({ kind, count, errcode, errmsg });
  }

  /** The next `count` calls of `kind` get no answer for `ms` (a timeout for the caller). */
  hangNext(kind: SimKind | '*', ms: number, count = 1): void {
    this.faults.push({ kind, count, hangMs: ms });
  }

  /**
   * The next `count` calls of `kind` get no answer until the returned function is called; then each is recorded
   * and dropped like a hang that ran out (errcode -999). Lets a test show that something happened while WeCom was
   * still silent, and end the silence when it has seen it, instead of picking a hang long enough to be safe.
   * `stop()` releases what is still held.
   */
  holdNext(kind: SimKind | '*', count = 1): () => void {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    this.releases.push(release);
    this.faults.push({ kind, count, held });
    return release;
  }

  /** Every access token issued so far becomes invalid (calls with it get 42001). */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }

  // ---- the fake API ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://sim');
    const query = Object.fromEntries(u.searchParams);
    if (u.pathname.startsWith('/_sim/')) return this.control(u.pathname, req, res, query);
    const raw = await readBody(req);
    let body: Record<string, unknown> | null = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
    }
    const kind: SimKind | undefined =
      u.pathname === '/cgi-bin/gettoken'
        ? 'gettoken'
        : u.pathname === '/cgi-bin/webhook/send'
          ? 'webhook/send'
          : u.pathname === '/cgi-bin/aibot/response'
            ? 'response_url'
            : ROUTES[u.pathname];
    if (!kind) return json(res, 404, { errcode: 404, errmsg: 'unknown path' });

    const fault = this.takeFault(kind);
    if (fault?.hangMs || fault?.held) {
      await (fault.held ?? new Promise((r) => setTimeout(r, fault.hangMs).unref()));
      this.record({ kind, query, body, errcode: -999 });
      if (!res.destroyed) res.destroy();
      return;
    }
    const answer = fault ? { errcode: fault.errcode ?? -1, errmsg: fault.errmsg } : this.answer(kind, query, body);
    const replyTo = kind === 'response_url' ? this.responseCodes.get(query.response_code ?? '')?.replyTo : undefined;
    this.record({
      kind,
      query,
      body,
      errcode: Number(answer.errcode ?? 0),
      bot: answer.bot as string | undefined,
      ...(replyTo ? { replyTo } : {}),
    });
    delete answer.bot;
    json(res, 200, { errmsg: 'ok', ...answer });
  }

  private answer(kind: SimKind, q: Record<string, string>, body: Record<string, unknown> | null): Record<string, unknown> {
    if (kind === 'gettoken') {
      const bot = [...this.bots.values()].find((b) => b.wecom.corpId === q.corpid);
      if (!bot) return { errcode: 40013, errmsg: 'invalid corpid' };
      if (bot.wecom.secret !== q.corpsecret) return { errcode: 40001, errmsg: 'invalid credential' };
      const token = `simtok_${++this.seq}_${randomBytes(6).toString('hex')}`;
      this.tokens.set(token, { bot: bot.id, expiresAt: this.clock.now().getTime() + this.tokenTtlS * 1000, revoked: false });
      return { errcode: 0, access_token: token, expires_in: this.tokenTtlS, bot: bot.id };
    }
    if (kind === 'webhook/send') {
      const bot = [...this.bots.values()].find((b) => b.wecom.webhookKey && b.wecom.webhookKey === q.key);
      if (!bot) return { errcode: 93000, errmsg: 'invalid webhook url' };
      if (!this.webhookSlot(q.key)) return { errcode: 45009, errmsg: 'api freq out of limit', bot: bot.id };
      return { errcode: 0, bot: bot.id };
    }
    if (kind === 'response_url') {
      const code = this.responseCodes.get(q.response_code ?? '');
      if (!code) return { errcode: 40008, errmsg: 'invalid response_code' };
      if (code.used) return { errcode: 60140, errmsg: 'response_code already used' };
      code.used = true;
      return { errcode: 0, bot: code.bot };
    }
    const tok = q.access_token ? this.tokens.get(q.access_token) : undefined;
    if (!q.access_token) return { errcode: 41001, errmsg: 'access_token missing' };
    if (!tok) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (tok.revoked || tok.expiresAt <= this.clock.now().getTime()) return { errcode: 42001, errmsg: 'access_token expired', bot: tok.bot };
    if (kind === 'user/get') {
      const p = this.people.get(q.userid ?? '');
      if (!p) return { errcode: 60111, errmsg: 'invalid userid', bot: tok.bot };
      return {
        errcode: 0,
        bot: tok.bot,
        userid: p.userid,
        name: p.name,
        department: p.department,
        main_department: p.department[0],
        ...(p.mobile ? { mobile: p.mobile } : {}),
        status: 1,
      };
    }
    if (kind === 'department/get') {
      const name = this.departments[Number(q.id)];
      if (!name) return { errcode: 60123, errmsg: 'invalid party id', bot: tok.bot };
      return { errcode: 0, bot: tok.bot, department: { id: Number(q.id), name, parentid: 1 } };
    }
    if (!body) return { errcode: 47001, errmsg: 'data format error', bot: tok.bot };
    return { errcode: 0, bot: tok.bot, ...(kind === 'message/send' ? { invaliduser: '', msgid: `simmsg_${++this.seq}` } : {}) };
  }

  /** WeCom's group robot limit: 20 messages per rolling minute per key; more are refused. */
  private webhookSlot(key: string): boolean {
    const now = this.clock.now().getTime();
    const times = (this.webhookTimes.get(key) ?? []).filter((t) => t > now - 60_000);
    if (times.length >= 20) {
      this.webhookTimes.set(key, times);
      return false;
    }
    times.push(now);
    this.webhookTimes.set(key, times);
    return true;
  }

  /**
   * WeCom's message/send duplicate check: with `enable_duplicate_check: 1`, a body identical to one accepted within
   * `duplicate_check_interval` seconds (default 1800, at most 4 h) is acknowledged but not shown again.
   */
  private isDuplicate(body: Record<string, unknown> | null): boolean {
    if (!body || Number(body.enable_duplicate_check) !== 1) return false;
    const windowMs = Number(body.duplicate_check_interval ?? 1800) * 1000;
    const since = this.clock.now().getTime() - windowMs;
    const same = JSON.stringify(body);
    return this.log.some(
      (e) => e.kind === 'message/send' && e.errcode === 0 && !e.duplicate && e.at.getTime() >= since && JSON.stringify(e.body) === same,
    );
  }

  private takeFault(kind: SimKind): Fault | undefined {
    const f = this.faults.find((x) => x.count > 0 && (x.kind === kind || (x.kind === '*' && kind !== 'gettoken')));
    if (!f) return undefined;
    f.count--;
    this.faults = this.faults.filter((x) => x.count > 0);
    return f;
  }

  private record(r: Omit<Received, 'at' | 'seq'>): void {
    const duplicate = r.kind === 'message/send' && r.errcode === 0 && this.isDuplicate(r.body) ? { duplicate: true } : {};
    const entry: Received = { ...r, ...duplicate, at: this.clock.now(), seq: ++this.logSeq };
    this.log.push(entry);
    this.emit('received', entry);
  }

  // ---- callbacks to the service ----

  private bot(id: string): BotConfig {
    const b = this.bots.get(id);
    if (!b) throw new Error(`simulator: unknown bot ${id}`);
    return b;
  }

  /** A response_url the service can use once (like WeCom's, valid for this simulator's lifetime). */
  newResponseUrl(bot: string, replyTo?: { chatId?: string; userid: string }): string {
    const code = randomBytes(12).toString('hex');
    this.responseCodes.set(code, { bot, used: false, ...(replyTo ? { replyTo } : {}) });
    return `${this.url}/cgi-bin/aibot/response?response_code=${code}`;
  }

  /**
   * Posts any smart-bot JSON payload, encrypted and signed, and decrypts the passive reply. A bot in
   * `longConnection` mode gets it as a frame on its WebSocket instead (serviceUrl unused); a card click then
   * waits up to WeCom's 5 s for the `aibot_respond_update_msg` and returns it as the reply.
   */
  async sendAibot(a: {
    bot: string;
    serviceUrl: string;
    payload: Record<string, unknown>;
    timestamp?: string;
    nonce?: string;
  }): Promise<CallbackResult> {
    const bot = this.bot(a.bot);
    if (bot.wecom.aibot.mode === 'longConnection') {
      // Over the long connection the answer goes back on the socket with the frame's req_id, not a response_url.
      const { response_url: _unused, ...body } = a.payload;
      const reqId = this.longConnection.push(bot.id, body);
      const event = (a.payload.event as { eventtype?: string } | undefined)?.eventtype;
      const reply = event === 'template_card_event' ? await this.longConnection.waitForUpdate(reqId) : null;
      return { status: 200, body: '', reply };
    }
    return this.post(a.serviceUrl, `/wecom/${bot.id}/aibot`, bot.wecom.aibot, '', a.payload, a, (enc) => JSON.stringify({ encrypt: enc }));
  }

  /** Posts an app XML message (fields → `<xml>`), encrypted and signed, and decrypts the passive reply. */
  async sendApp(a: {
    bot: string;
    serviceUrl: string;
    fields: Record<string, string | number>;
    timestamp?: string;
    nonce?: string;
  }): Promise<CallbackResult> {
    const bot = this.bot(a.bot);
    const inner = toXml({ ToUserName: bot.wecom.corpId, ...a.fields, AgentID: bot.wecom.agentId });
    return this.post(a.serviceUrl, `/wecom/${bot.id}/app`, bot.wecom.app, bot.wecom.corpId, inner, a, (enc) =>
      toXml({ ToUserName: bot.wecom.corpId, Encrypt: enc, AgentID: bot.wecom.agentId }),
    );
  }

  /**
   * The fields every smart-bot callback from a person carries (智能机器人接收消息): message id, bot id, the group
   * (`chatid`, group chats only) or 1:1, the sender, and a fresh response_url for the answer.
   */
  private aibotEnvelope(a: { bot: string; from: string; chatId?: string }, msgId?: string): Record<string, unknown> {
    return {
      msgid: msgId ?? this.msgId(),
      aibotid: `aibot_${a.bot}`,
      ...(a.chatId ? { chatid: a.chatId } : {}),
      chattype: a.chatId ? 'group' : 'single',
      from: { userid: a.from },
      response_url: this.newResponseUrl(a.bot, { chatId: a.chatId, userid: a.from }),
    };
  }

  /** The simulator clock in Unix seconds, as WeCom's CreateTime / create_time. */
  private unixNow(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** A user @-mentions the smart bot in a group (chatId given) or writes to it 1:1. */
  sendAibotText(a: {
    bot: string;
    serviceUrl: string;
    from: string;
    chatId?: string;
    text: string;
    msgId?: string;
  }): Promise<CallbackResult> {
    return this.sendAibot({
      bot: a.bot,
      serviceUrl: a.serviceUrl,
      payload: {
        ...this.aibotEnvelope(a, a.msgId),
        msgtype: 'text',
        text: { content: a.text },
      },
    });
  }

  /** A user writes to the self-built app 1:1. */
  sendAppText(a: { bot: string; serviceUrl: string; from: string; text: string; msgId?: string }): Promise<CallbackResult> {
    return this.sendApp({
      bot: a.bot,
      serviceUrl: a.serviceUrl,
      fields: {
        FromUserName: a.from,
        CreateTime: this.unixNow(),
        MsgType: 'text',
        Content: a.text,
        MsgId: a.msgId ?? String(4_000_000_000_000_000_000n + BigInt(++this.seq)),
      },
    });
  }

  /** A user clicks a template-card button (smart bot or app). */
  sendCardEvent(a: {
    bot: string;
    serviceUrl: string;
    channel: 'aibot' | 'app';
    from: string;
    eventKey: string;
    taskId: string;
    chatId?: string;
    cardType?: string;
  }): Promise<CallbackResult> {
    const cardType = a.cardType ?? 'button_interaction';
    if (a.channel === 'app') {
      return this.sendApp({
        bot: a.bot,
        serviceUrl: a.serviceUrl,
        fields: {
          FromUserName: a.from,
          CreateTime: this.unixNow(),
          MsgType: 'event',
          Event: 'template_card_event',
          EventKey: a.eventKey,
          TaskId: a.taskId,
          CardType: cardType,
          ResponseCode: `simrc_${randomBytes(8).toString('hex')}`,
        },
      });
    }
    return this.sendAibot({
      bot: a.bot,
      serviceUrl: a.serviceUrl,
      payload: {
        ...this.aibotEnvelope(a),
        create_time: this.unixNow(),
        msgtype: 'event',
        event: { eventtype: 'template_card_event', template_card_event: { card_type: cardType, event_key: a.eventKey, task_id: a.taskId } },
      },
    });
  }

  /** The GET URL check WeCom does when the callback URL is saved; returns the service's answer. */
  async verifyUrl(a: {
    bot: string;
    serviceUrl: string;
    channel: 'aibot' | 'app';
    echo?: string;
  }): Promise<{ status: number; body: string; echo: string }> {
    const bot = this.bot(a.bot);
    const creds = a.channel === 'aibot' ? bot.wecom.aibot : bot.wecom.app;
    const echo = a.echo ?? String(Math.floor(Math.random() * 1e18));
    const enc = encrypt(creds.encodingAesKey, echo, a.channel === 'aibot' ? '' : bot.wecom.corpId);
    const ts = String(this.unixNow());
    const nonce = String(Math.floor(Math.random() * 1e9));
    const sig = getSignature(creds.token, ts, nonce, enc);
    const qs = `msg_signature=${sig}&timestamp=${ts}&nonce=${nonce}&echostr=${encodeURIComponent(enc)}`;
    const res = await fetch(`${a.serviceUrl}/wecom/${bot.id}/${a.channel}?${qs}`);
    return { status: res.status, body: await res.text(), echo };
  }

  private msgId(): string {
    return `sim${Date.now().toString(36)}${(++this.seq).toString(36)}${randomBytes(4).toString('hex')}`;
  }

  private async post(
    serviceUrl: string,
    path: string,
    creds: { token: string; encodingAesKey: string },
    receiveId: string,
    payload: Record<string, unknown> | string,
    a: { timestamp?: string; nonce?: string },
    wrap: (enc: string) => string,
  ): Promise<CallbackResult> {
    const plain = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const enc = encrypt(creds.encodingAesKey, plain, receiveId);
    const ts = a.timestamp ?? String(this.unixNow());
    const nonce = a.nonce ?? String(Math.floor(Math.random() * 1e9));
    const sig = getSignature(creds.token, ts, nonce, enc);
    const res = await fetch(`${serviceUrl}${path}?msg_signature=${sig}&timestamp=${ts}&nonce=${nonce}`, {
      method: 'POST',
      headers: { 'content-type': path.endsWith('/app') ? 'text/xml' : 'application/json' },
      body: wrap(enc),
    });
    const body = await res.text();
    return { status: res.status, body, reply: res.status === 200 && body ? openReply(creds, receiveId, nonce, body) : null };
  }

  // ---- control API for the standalone simulator ----

  private async control(path: string, req: IncomingMessage, res: ServerResponse, q: Record<string, string>): Promise<void> {
    try {
      if (path === '/_sim/received') {
        // `since` is the last `seq` the caller has seen; the answer's X-Sim-Cursor is the one to pass next time.
        const since = q.since === undefined ? 0 : Number(q.since);
        if (!Number.isInteger(since) || since < 0)
          return json(res, 400, { error: 'since must be a non-negative integer (a seq seen before)' });
        res.setHeader('X-Sim-Cursor', String(this.logSeq));
        return json(res, 200, this.receivedSince(since, q.kind as SimKind | undefined));
      }
      const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
      const serviceUrl = String(body.serviceUrl ?? this.opts.serviceUrl ?? 'http://127.0.0.1:3000');
      const bot = String(body.bot ?? [...this.bots.keys()][0]);
      const from = String(body.from ?? 'nurse01');
      if (path === '/_sim/send') {
        const text = String(body.text ?? '');
        const r =
          body.channel === 'app'
            ? await this.sendAppText({ bot, serviceUrl, from, text })
            : await this.sendAibotText({ bot, serviceUrl, from, text, chatId: body.chatId ? String(body.chatId) : undefined });
        return json(res, 200, r);
      }
      if (path === '/_sim/click') {
        const r = await this.sendCardEvent({
          bot,
          serviceUrl,
          from,
          channel: body.channel === 'app' ? 'app' : 'aibot',
          eventKey: String(body.eventKey ?? ''),
          taskId: String(body.taskId ?? ''),
          chatId: body.chatId ? String(body.chatId) : undefined,
        });
        return json(res, 200, r);
      }
      if (path === '/_sim/response-urls') {
        // For load generators that sign their own callbacks: `count` (1–10 000) fresh response_url's of `bot`.
        const count = Number(body.count ?? 1);
        if (!Number.isInteger(count) || count < 1 || count > 10_000)
          return json(res, 400, { error: 'count must be an integer from 1 to 10000' });
        if (!this.bots.has(bot)) return json(res, 404, { error: `unknown bot ${bot}` });
        return json(res, 200, { urls: Array.from({ length: count }, () => this.newResponseUrl(bot)) });
      }
      if (path === '/_sim/fail') {
        this.failNext((body.kind as SimKind) ?? '*', Number(body.errcode ?? -1), Number(body.count ?? 1));
        return json(res, 200, { ok: true });
      }
      if (path === '/_sim/expire-tokens') {
        this.expireTokens();
        return json(res, 200, { ok: true });
      }
      json(res, 404, { error: 'unknown control path' });
    } catch (e) {
      json(res, 400, { error: (e as Error).message });
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function cdata(v: string): string {
  return `<![CDATA[${v.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export function toXml(fields: Record<string, string | number>): string {
  const inner = Object.entries(fields)
    .map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`))
    .join('');
  return `<xml>${inner}</xml>`;
}

/** Checks the passive reply's signature like WeCom would, then decrypts it. */
function openReply(creds: { token: string; encodingAesKey: string }, receiveId: string, nonce: string, body: string): unknown {
  let enc: string;
  let sig: string;
  let ts: string;
  let replyNonce: string;
  if (body.trimStart().startsWith('<')) {
    const f = parseXmlFields(body);
    enc = String(f.Encrypt ?? '');
    sig = String(f.MsgSignature ?? '');
    ts = String(f.TimeStamp ?? '');
    replyNonce = String(f.Nonce ?? '');
  } else {
    const j = JSON.parse(body) as Record<string, unknown>;
    enc = String(j.encrypt ?? '');
    sig = String(j.msgsignature ?? '');
    ts = String(j.timestamp ?? '');
    replyNonce = String(j.nonce ?? '');
  }
  if (replyNonce !== nonce) throw new Error('passive reply does not reuse the callback nonce');
  if (getSignature(creds.token, ts, replyNonce, enc) !== sig) throw new Error('passive reply has a bad signature');
  const opened = decrypt(creds.encodingAesKey, enc);
  if (opened.id !== receiveId) throw new Error('passive reply has the wrong receiveid');
  return body.trimStart().startsWith('<') ? opened.message : JSON.parse(opened.message);
}

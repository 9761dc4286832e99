/**
 * /playground: a browser page that behaves like a WeCom group with the bot, through the real path only. The page
 * posts to /playground/api/*, which makes the in-process WeCom simulator encrypt and sign a real callback to
 * /wecom/<bot>/aibot or /app; everything the service sends reaches the simulator and is streamed back to the
 * page (server-sent events). It also moves the demo clock and resets the demo.
 */
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import { Ajv } from 'ajv';
import type { Context } from 'koa';
import mongoose from 'mongoose';
import type { OffsetClock } from '../clock.js';
import type { BotConfig } from '../config/bots.js';
import { firstStarts } from '../db/first-start.js';
import { HttpError } from '../http/middleware/errors.js';
import { log } from '../log.js';
import type { Feature, FeatureFactory, ServiceContext } from '../service.js';
import { local, zoned } from '../time.js';
import type { Received, WecomSimulator } from '../wecom/simulator/simulator.js';
import { Feed, type FeedItem } from './feed.js';
import { type StaticFiles, staticFiles } from '../web/static.js';

export interface PlaygroundDeps {
  sim: WecomSimulator;
  clock: OffsetClock;
  /** The built pages (default: dist/web). */
  web?: StaticFiles;
}

/** A person a visitor can be: a reporter of the bot file's directory, an engineer or a lead of the roster. */
export interface Person {
  userid: string;
  name: string;
  role: 'reporter' | 'engineer' | 'lead';
  /** Reporters: their department; engineers: their skills in words. */
  note: string;
}

export function peopleOf(bot: BotConfig): Person[] {
  const names = new Map<string, string>(bot.systems.map((s) => [s.id, s.name]));
  const staff = new Set([...bot.roster.engineers, ...bot.roster.leads].map((p) => p.userid));
  return [
    ...bot.directory.people
      .filter((p) => !staff.has(p.userid))
      .map((r) => ({ userid: r.userid, name: r.name, role: 'reporter' as const, note: r.department ?? '' })),
    ...bot.roster.engineers.map((e) => ({
      userid: e.userid,
      name: e.name,
      role: 'engineer' as const,
      note: e.skills.includes('*') ? '全部系统（备岗）' : e.skills.map((s) => names.get(s) ?? s).join('、'),
    })),
    ...bot.roster.leads.map((l) => ({ userid: l.userid, name: l.name, role: 'lead' as const, note: '信息科 / 项目负责人' })),
  ];
}

const ajv = new Ajv({ allErrors: false, strict: false });
const sendSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['as', 'text', 'to'],
  properties: {
    as: { type: 'string', minLength: 1, maxLength: 64 },
    text: { type: 'string', minLength: 1, maxLength: 2000 },
    to: { enum: ['group', 'app'] },
  },
};
const clickSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['as', 'taskId', 'eventKey', 'to'],
  properties: {
    as: { type: 'string', minLength: 1, maxLength: 64 },
    taskId: { type: 'string', minLength: 1, maxLength: 128 },
    eventKey: { type: 'string', minLength: 1, maxLength: 128 },
    to: { enum: ['group', 'app'] },
  },
};
const clockSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: { action: { enum: ['plus10m', 'plus1h', 'morning'] } },
};
const validators = { send: ajv.compile(sendSchema), click: ajv.compile(clickSchema), clock: ajv.compile(clockSchema) };

/** Parses and checks a JSON body; 400 with a short Chinese hint for the page. */
function bodyOf<T>(k: Context, which: keyof typeof validators): T {
  let data: unknown;
  try {
    data = JSON.parse(typeof k.state.rawBody === 'string' && k.state.rawBody ? k.state.rawBody : 'null');
  } catch {
    throw new HttpError(400, 'bad_json', '请求不是有效的 JSON');
  }
  const validate = validators[which];
  if (!validate(data)) {
    const e = validate.errors?.[0];
    throw new HttpError(400, 'bad_request', `参数不正确：${e?.instancePath || '/'} ${e?.message ?? ''}`.trim());
  }
  return data as T;
}

/** The service's own URL as seen by this request (works with PORT=0, any HOST, IPv4 or IPv6). */
function selfUrl(k: Context): string {
  const { localAddress, localPort } = k.req.socket;
  const host = localAddress?.includes(':') ? `[${localAddress}]` : (localAddress ?? '127.0.0.1');
  return `http://${host}:${localPort}`;
}

const MIN = 60_000;

/** Offset to add so the clock shows the next `hh:mm` (the digest time) strictly after now. */
function untilNext(now: Date, hhmm: string): number {
  let at = zoned(`${local(now).format('YYYY-MM-DD')} ${hhmm}`);
  if (at.valueOf() <= now.getTime()) at = at.add(1, 'day');
  return at.valueOf() - now.getTime();
}

/** Empties every collection (recurring job definitions stay), for the reset button. */
async function emptyDatabase(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  for (const c of await db.collections()) {
    if (c.collectionName.startsWith('system.')) continue;
    await c.deleteMany(c.collectionName === 'agendaJobs' ? { repeatInterval: null } : {});
  }
}

export function playgroundFeature(deps: PlaygroundDeps): FeatureFactory {
  return (ctx: ServiceContext): Feature => createPlayground(ctx, deps);
}

function createPlayground(ctx: ServiceContext, deps: PlaygroundDeps): Feature {
  const bot = [...ctx.bots.values()][0];
  const { sim, clock } = deps;
  const web = deps.web ?? staticFiles();
  const feed = new Feed(() => clock.now(), bot.playground.chatId);
  const people = peopleOf(bot);
  const known = new Map(people.map((p) => [p.userid, p]));
  const streams = new Set<PassThrough>();

  const onReceived = (r: Received) => {
    feed.fromWecom(r);
  };
  const clockState = () => ({ now: clock.now().toISOString(), offsetMs: clock.offsetMs });
  const broadcast = (event: string, data: unknown) => {
    for (const s of streams) s.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  feed.on('item', (i: FeedItem) => {
    for (const s of streams) s.write(`id: ${i.id}\nevent: item\ndata: ${JSON.stringify(i)}\n\n`);
  });
  feed.on('reset', () => broadcast('reset', clockState()));

  const person = (userid: string): void => {
    if (!known.has(userid)) throw new HttpError(400, 'unknown_person', `没有这个演示人员：${userid}`);
  };
  const mentionsBot = (text: string) => bot.wecom.mentionNames.some((n) => text.includes(`@${n}`));

  const router = new Router();
  router.get('/playground', (k) => {
    if (!web.serve(k, '/playground.html')) throw new HttpError(503, 'not_built', '前端尚未构建：请运行 npm run build:web');
  });
  router.get('/playground/api/state', (k) => {
    k.body = {
      bot: { id: bot.id, name: bot.name, mentionName: bot.wecom.mentionNames[0] ?? '维保助手', digestTime: bot.digest.time },
      group: { chatId: bot.playground.chatId, name: bot.playground.groupName },
      people,
      clock: clockState(),
    };
  });
  router.get('/playground/api/events', (k) => {
    const last = Number(k.query.since ?? k.get('Last-Event-ID') ?? 0);
    const since = Number.isInteger(last) && last >= 0 ? last : 0;
    k.req.socket.setTimeout(0);
    k.req.socket.setNoDelay(true);
    k.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
    const stream = new PassThrough();
    streams.add(stream);
    const ping = setInterval(() => stream.write(': ping\n\n'), 15_000);
    const close = () => {
      clearInterval(ping);
      streams.delete(stream);
      stream.end();
    };
    k.req.on('close', close);
    stream.on('close', close);
    k.status = 200;
    k.body = stream;
    stream.write('retry: 1000\n\n');
    stream.write(`event: clock\ndata: ${JSON.stringify(clockState())}\n\n`);
    for (const i of feed.since(since)) stream.write(`id: ${i.id}\nevent: item\ndata: ${JSON.stringify(i)}\n\n`);
  });
  router.post('/playground/api/send', async (k) => {
    const b = bodyOf<{ as: string; text: string; to: 'group' | 'app' }>(k, 'send');
    person(b.as);
    const text = b.text.trim();
    if (!text) throw new HttpError(400, 'empty', '请输入消息内容');
    if (b.to === 'group') {
      feed.add({ pane: 'group', from: b.as, kind: 'text', text });
      if (!mentionsBot(text)) {
        // As in WeCom: the smart bot only receives group messages that @-mention it.
        feed.add({ pane: 'group', from: 'system', kind: 'notice', text: `这条消息没有 @${bot.wecom.mentionNames[0]}，机器人收不到` });
        k.body = { delivered: false };
        return;
      }
      const res = await sim.sendAibotText({ bot: bot.id, serviceUrl: selfUrl(k), from: b.as, chatId: bot.playground.chatId, text });
      if (res.status !== 200) throw new HttpError(502, 'callback_refused', `回调被拒绝（HTTP ${res.status}）`);
      feed.fromPassiveReply(res, 'aibot', b.as);
    } else {
      feed.add({ pane: `app:${b.as}`, from: b.as, kind: 'text', text });
      const res = await sim.sendAppText({ bot: bot.id, serviceUrl: selfUrl(k), from: b.as, text });
      if (res.status !== 200) throw new HttpError(502, 'callback_refused', `回调被拒绝（HTTP ${res.status}）`);
      feed.fromPassiveReply(res, 'app', b.as);
    }
    k.body = { delivered: true };
  });
  router.post('/playground/api/click', async (k) => {
    const b = bodyOf<{ as: string; taskId: string; eventKey: string; to: 'group' | 'app' }>(k, 'click');
    person(b.as);
    const channel = b.to === 'group' ? 'aibot' : 'app';
    const res = await sim.sendCardEvent({
      bot: bot.id,
      serviceUrl: selfUrl(k),
      channel,
      from: b.as,
      eventKey: b.eventKey,
      taskId: b.taskId,
      ...(channel === 'aibot' ? { chatId: bot.playground.chatId } : {}),
    });
    if (res.status !== 200) throw new HttpError(502, 'callback_refused', `回调被拒绝（HTTP ${res.status}）`);
    feed.fromPassiveReply(res, channel, b.as);
    k.body = { delivered: true };
  });
  router.post('/playground/api/clock', async (k) => {
    const { action } = bodyOf<{ action: 'plus10m' | 'plus1h' | 'morning' }>(k, 'clock');
    const ms = action === 'plus10m' ? 10 * MIN : action === 'plus1h' ? 60 * MIN : untilNext(clock.now(), bot.digest.time);
    clock.advance(ms);
    // Jobs scheduled before the jump are now due by the demo clock: run them (and the digest/inspection ticks) now.
    const pulled = await ctx.scheduler.runDue(clock.now(), { recurring: true });
    const now = local(clock.now()).format('MM-DD HH:mm');
    feed.add({ pane: 'group', from: 'system', kind: 'notice', text: `时间快进 ${Math.round(ms / MIN)} 分钟，现在是 ${now}` });
    broadcast('clock', clockState());
    log.info({ offsetMin: Math.round(clock.offsetMs / MIN), pulled }, 'playground clock moved');
    k.body = { ...clockState(), jobsDue: pulled };
  });
  router.post('/playground/api/reset', async (k) => {
    clock.reset();
    await emptyDatabase();
    // A message claimed before the collections were emptied may still be on its way to WeCom: let it land before
    // the log is cleared, or it would show up in the emptied playground.
    await ctx.registry.port('messenger').idle();
    await firstStarts(ctx.bots.keys(), clock.now());
    sim.clear();
    feed.clear();
    log.info('playground reset');
    k.body = clockState();
  });

  return {
    name: 'playground',
    routers: [router],
    start() {
      sim.on('received', onReceived);
    },
    drain() {
      for (const s of streams) s.end();
      streams.clear();
    },
    stop() {
      sim.off('received', onReceived);
    },
  };
}

import { encrypt, getSignature } from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { Service } from '../../src/service.js';
import { InboxModel } from '../../src/wecom/inbox.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { startTestService } from '../helpers/service.js';
import { SAMPLE, startHarness, testBots, type Harness } from './helpers.js';

// The official weworkapi sample callback (Sample.cpp / Sample.py of WXBizMsgCrypt).
const ECHO = {
  msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const POST = {
  msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
};
const sampleXml = (enc: string) =>
  `<xml><ToUserName><![CDATA[${SAMPLE.corpId}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
const qs = (q: Record<string, string>) =>
  Object.entries(q)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');

/** Signs `enc` correctly for the sample token, as someone who knows the token (but not the key) could. */
function signed(enc: string, ts = '1409659813', nonce = '42') {
  return { msg_signature: getSignature(SAMPLE.token, ts, nonce, enc), timestamp: ts, nonce };
}

describe('official sample vectors against the running service', () => {
  let service: Service;
  let sim: WecomSimulator;
  beforeAll(async () => {
    const bots = testBots();
    sim = new WecomSimulator({ bots: bots.values() });
    const simUrl = await sim.start();
    // The production feature list: what a deployment runs.
    service = await startTestService({ bots, envOverrides: { WECOM_API_BASE: simUrl, WECOM_MAX_SKEW_S: '0' } });
  });
  afterAll(async () => {
    await service.stop();
    await sim.stop();
  });

  it('answers the GET URL check with exactly the bare echostr plaintext', async () => {
    const res = await fetch(`${service.url}/wecom/sample/app?${qs(ECHO)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1616140317555161061');
  });

  it("keeps '+' in echostr when the client does not percent-encode it", async () => {
    const raw = `msg_signature=${ECHO.msg_signature}&timestamp=${ECHO.timestamp}&nonce=${ECHO.nonce}&echostr=${ECHO.echostr.replaceAll('/', '%2F').replaceAll('=', '%3D')}`;
    const res = await fetch(`${service.url}/wecom/sample/app?${raw}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1616140317555161061');
  });

  it('accepts the sample POST and stores the decrypted text message with its 64-bit MsgId intact', async () => {
    const res = await fetch(
      `${service.url}/wecom/sample/app?${qs({ msg_signature: POST.msg_signature, timestamp: POST.timestamp, nonce: POST.nonce })}`,
      {
        method: 'POST',
        body: sampleXml(POST.encrypt),
      },
    );
    expect(res.status).toBe(200);
    const doc = await InboxModel.findOne({ bot: 'sample', channel: 'app' }).lean();
    expect(doc).toMatchObject({
      msgId: '4561255354251345929',
      dedupeKey: '4561255354251345929',
      type: 'text',
      text: 'hello',
      chatType: 'single',
    });
    expect(doc?.from.userid).toBe('mycreate');
  });

  it('answers 404 JSON for an unknown bot', async () => {
    const res = await fetch(`${service.url}/wecom/nobody/app?${qs(ECHO)}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'unknown_bot' });
  });
});

describe('rejected callbacks store nothing and leave the service healthy', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    const bots = testBots();
    const restricted = structuredClone(bots.get('demo'));
    if (restricted) {
      restricted.id = 'restricted';
      restricted.wecom.allowedChats = ['wr_allowed'];
      bots.set('restricted', restricted);
    }
    h = await startHarness({ bots, onMessage: async () => {} });
    url = h.service.url;
  });
  afterAll(() => h.stop());

  const post = (path: string, q: Record<string, string>, body: string | Uint8Array<ArrayBuffer>) =>
    fetch(`${url}${path}?${qs(q)}`, { method: 'POST', body });

  it('bad signature → 401', async () => {
    const q = { msg_signature: POST.msg_signature.replace(/^./, '0'), timestamp: POST.timestamp, nonce: POST.nonce };
    const res = await post('/wecom/sample/app', q, sampleXml(POST.encrypt));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'bad_signature' });
    const get = await fetch(`${url}/wecom/sample/app?${qs({ ...ECHO, nonce: '1' })}`);
    expect(get.status).toBe(401);
  });

  it('wrong receiveid → 403 (app: corpid; smart bot: empty)', async () => {
    const enc = encrypt(SAMPLE.aesKey, '<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><MsgId>1</MsgId></xml>', 'wx_other_corp');
    expect((await post('/wecom/sample/app', signed(enc), sampleXml(enc))).status).toBe(403);
    const enc2 = encrypt(SAMPLE.aesKey, JSON.stringify({ msgid: 'x', msgtype: 'text', from: { userid: 'u' } }), SAMPLE.corpId);
    const res = await post('/wecom/sample/aibot', signed(enc2), JSON.stringify({ encrypt: enc2 }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'wrong_receiveid' });
  });

  it('tampered ciphertext (re-signed by someone with the token) → rejected', async () => {
    const buf = Buffer.from(POST.encrypt, 'base64');
    for (const pos of [3, 40, buf.length - 20]) {
      const t = Buffer.from(buf);
      t[pos] ^= 0x5a;
      const enc = t.toString('base64');
      const res = await post('/wecom/sample/app', signed(enc), sampleXml(enc));
      expect([400, 403]).toContain(res.status);
    }
  });

  it('malformed XML / JSON → 400', async () => {
    const cases: [string, string, Record<string, string>][] = [
      ['/wecom/sample/app', '<xml><Encrypt>abc', signed('abc')],
      ['/wecom/sample/app', 'not xml at all', signed('x')],
      ['/wecom/sample/app', '<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>', signed('b')],
      ['/wecom/sample/aibot', '{"encrypt":', signed('x')],
      ['/wecom/sample/aibot', '{"encrypt":42}', signed('42')],
    ];
    for (const [path, body, q] of cases) expect((await post(path, q, body)).status, body).toBe(400);
    // Properly encrypted and signed, but the plaintext inside is not a message.
    const bad = encrypt(SAMPLE.aesKey, '<xml><FromUserName>u', SAMPLE.corpId);
    expect((await post('/wecom/sample/app', signed(bad), sampleXml(bad))).status).toBe(400);
    const badJson = encrypt(SAMPLE.aesKey, '{"msgid": "1", ', '');
    expect((await post('/wecom/sample/aibot', signed(badJson), JSON.stringify({ encrypt: badJson }))).status).toBe(400);
    const noFrom = encrypt(SAMPLE.aesKey, JSON.stringify({ msgid: '1', msgtype: 'text' }), '');
    expect((await post('/wecom/sample/aibot', signed(noFrom), JSON.stringify({ encrypt: noFrom }))).status).toBe(400);
    // Missing query parameters.
    expect((await post('/wecom/sample/app', {}, sampleXml(POST.encrypt))).status).toBe(400);
  });

  it('oversized body → 413: callbacks are capped at 64 KB (WeCom sends a few KB)', async () => {
    const res = await post('/wecom/sample/app', signed('x'), new Uint8Array(1024 * 1024 + 10).fill(97));
    expect(res.status).toBe(413);
    const justOver = await post('/wecom/sample/aibot', signed('x'), new Uint8Array(64 * 1024 + 1).fill(97));
    expect(justOver.status).toBe(413);
    expect(await justOver.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('checks the signature before parsing: a large forged body that would not even parse gets 401, not 400', async () => {
    const enc = Buffer.alloc(48, 7).toString('base64');
    const forged = { msg_signature: '0'.repeat(40), timestamp: '1409659813', nonce: '42' };
    const xml = `<xml><Encrypt><![CDATA[${enc}]]></Encrypt>${'<a><b>'.repeat(9000)}`;
    const res = await post('/wecom/sample/app', forged, xml);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'bad_signature' });
    const json = `{"encrypt":"${enc}","x":[${'['.repeat(20000)}`;
    expect((await post('/wecom/sample/aibot', forged, json)).status).toBe(401);
    // Correctly signed, the same broken body is then parsed and refused as malformed.
    expect((await post('/wecom/sample/app', signed(enc), xml)).status).toBe(400);
  });

  it('a decoy encrypted field before the real one is refused', async () => {
    const decoy = Buffer.alloc(48, 9).toString('base64');
    const body = `<xml><ToUserName>x</ToUserName><Encrypt>${decoy}</Encrypt><Encrypt><![CDATA[${POST.encrypt}]]></Encrypt></xml>`;
    const res = await post('/wecom/sample/app', signed(decoy), body);
    expect(res.status).toBe(400);
  });

  it('a group chat not in allowedChats → 403; an allowed one is accepted', async () => {
    const denied = await h.sim.sendAibotText({ bot: 'restricted', serviceUrl: url, from: 'u1', chatId: 'wr_other', text: '@维保助手 hi' });
    expect(denied.status).toBe(403);
    const ok = await h.sim.sendAibotText({ bot: 'restricted', serviceUrl: url, from: 'u1', chatId: 'wr_allowed', text: '@维保助手 hi' });
    expect(ok.status).toBe(200);
    await InboxModel.deleteMany({ bot: 'restricted' });
  });

  it('survives random bodies (fuzz): only 4xx, nothing stored, still healthy', async () => {
    let seed = 20261116;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const randStr = (n: number) =>
      Array.from({ length: n }, () => String.fromCodePoint(Math.floor(rnd() * 0xd000) + (rnd() < 0.1 ? 0x10000 : 0))).join('');
    const bodies = [
      () => randStr(Math.floor(rnd() * 300)),
      () => Buffer.from(Array.from({ length: Math.floor(rnd() * 500) }, () => Math.floor(rnd() * 256))).toString('latin1'),
      () => `<xml><Encrypt><![CDATA[${Buffer.from(randStr(40)).toString('base64')}]]></Encrypt></xml>`,
      () => JSON.stringify({ encrypt: Buffer.from(randStr(64)).toString('base64') }),
      () => `<xml>${'<a>'.repeat(Math.floor(rnd() * 200))}`,
      () => JSON.stringify({ encrypt: { nested: [1, 2, { x: null }] } }),
      () => '',
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const path = pick(['/wecom/sample/app', '/wecom/sample/aibot', '/wecom/demo/app', '/wecom/demo/aibot']);
      const body = pick(bodies)();
      const encMatch = /CDATA\[(.*?)\]\]/.exec(body)?.[1] ?? (/"encrypt":"(.*?)"/.exec(body)?.[1] || 'x');
      const q =
        rnd() < 0.5
          ? signed(encMatch, String(Math.floor(rnd() * 2e9)), String(i))
          : { msg_signature: randStr(5), timestamp: 'x', nonce: '' };
      const res = rnd() < 0.2 ? await fetch(`${url}${path}?${qs({ ...q, echostr: body.slice(0, 100) })}`) : await post(path, q, body);
      statuses.add(res.status);
      expect(res.status, `request ${i}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `request ${i}`).toBeLessThan(500);
    }
    expect([...statuses].every((s) => [400, 401, 403].includes(s))).toBe(true);
    // Broken percent-encoding in the query string.
    const broken = await fetch(`${url}/wecom/sample/app?msg_signature=%E0%A4%A&timestamp=1&nonce=1&echostr=%`);
    expect(broken.status).toBe(400);
  });

  it('after all that: nothing stored, /healthz 200', async () => {
    expect(await InboxModel.find({}, { bot: 1, channel: 1, msgId: 1, type: 1 }).lean()).toEqual([]);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('timestamp window', () => {
  it('rejects a callback older than WECOM_MAX_SKEW_S with 401 and accepts a fresh one', async () => {
    const clock = new ManualClock('2026-11-16T09:00:00+08:00');
    const h = await startHarness({ clock, env: { WECOM_MAX_SKEW_S: '300' }, onMessage: async () => {} });
    try {
      const stale = await h.sim.sendAibotText({ bot: 'demo', serviceUrl: h.service.url, from: 'u1', text: 'hi' });
      expect(stale.status).toBe(200); // simulator signs with the same clock: fresh
      const old = String(Math.floor(clock.now().getTime() / 1000) - 301);
      const res = await h.sim.sendAibot({
        bot: 'demo',
        serviceUrl: h.service.url,
        timestamp: old,
        payload: { msgid: 'old1', msgtype: 'text', chattype: 'single', from: { userid: 'u1' }, text: { content: 'hi' } },
      });
      expect(res.status).toBe(401);
      expect(await InboxModel.countDocuments({ msgId: 'old1' })).toBe(0);
    } finally {
      await h.stop();
    }
  });
});

/** The simulator's record of what "WeCom" received: a cursor to read only what is new, and a readable line per request. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { loadBots } from '../../src/config/bots.js';
import { describeReceived } from '../../src/wecom/simulator/describe.js';
import { type Received, WecomSimulator } from '../../src/wecom/simulator/simulator.js';

const clock = new ManualClock('2026-11-16T09:00:00+08:00');
const sim = new WecomSimulator({ bots: loadBots('bots', {}).values(), clock });

beforeAll(async () => {
  await sim.start();
});
afterAll(() => sim.stop());

async function webhook(content: string): Promise<void> {
  const res = await fetch(`${sim.url}/cgi-bin/webhook/send?key=demo-webhook-key`, {
    method: 'POST',
    body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
  });
  expect(((await res.json()) as { errcode: number }).errcode).toBe(0);
}

async function since(cursor?: string): Promise<{ items: Received[]; next: string | null; status: number }> {
  const res = await fetch(`${sim.url}/_sim/received${cursor === undefined ? '' : `?since=${cursor}`}`);
  const body = (await res.json()) as Received[];
  return { items: body, next: res.headers.get('x-sim-cursor'), status: res.status };
}

describe('GET /_sim/received?since=<cursor>', () => {
  it('returns only what arrived after the cursor, and the cursor to use next', async () => {
    await webhook('第一条');
    await webhook('第二条');
    const all = await since();
    expect(all.items.map((r) => r.seq)).toEqual([1, 2]);
    expect(all.next).toBe('2');
    await webhook('第三条');
    const fresh = await since(all.next!);
    expect(fresh.items.map((r) => (r.body as { markdown: { content: string } }).markdown.content)).toEqual(['第三条']);
    expect(fresh.next).toBe('3');
    expect((await since(fresh.next!)).items).toEqual([]);
  });

  it('a cursor stays valid after the log is cleared: nothing old comes back, nothing new is skipped', async () => {
    const before = sim.cursor;
    sim.clear();
    await webhook('清空之后');
    const fresh = await since(String(before));
    expect(fresh.items).toHaveLength(1);
    expect(fresh.items[0].seq).toBe(before + 1);
  });

  it('refuses a cursor that is not a number with 400 and a short reason', async () => {
    const bad = await since('abc');
    expect(bad.status).toBe(400);
  });
});

describe('POST /_sim/response-urls (load generators signing their own callbacks)', () => {
  const mint = async (body: object) => {
    const res = await fetch(`${sim.url}/_sim/response-urls`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { urls?: string[]; error?: string } };
  };

  it('mints fresh response_url codes the simulator then accepts once each, logged under the bot', async () => {
    const { status, body } = await mint({ bot: 'demo', count: 3 });
    expect(status).toBe(200);
    expect(new Set(body.urls).size).toBe(3);
    const post = (url: string) =>
      fetch(url, { method: 'POST', body: JSON.stringify({ msgtype: 'markdown', markdown: { content: '已登记' } }) }).then(
        async (r) => ((await r.json()) as { errcode: number }).errcode,
      );
    const url = body.urls![0];
    expect(await post(url)).toBe(0);
    expect(await post(url)).not.toBe(0); // a response_url answers once, as WeCom's does
    const code = new URL(url).searchParams.get('response_code');
    const logged = (await since()).items.filter((r) => r.kind === 'response_url' && r.query.response_code === code);
    expect(logged[0].bot).toBe('demo');
  });

  it('refuses an unknown bot (404) and a count out of 1–10 000 (400) with a short reason', async () => {
    expect((await mint({ bot: 'nope', count: 1 })).status).toBe(404);
    const tooMany = await mint({ bot: 'demo', count: 10_001 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatch(/count/);
  });
});

describe('console line for a received request', () => {
  it('says what kind, to whom and the outcome, without the message text unless asked', async () => {
    const r: Received = {
      kind: 'message/send',
      at: clock.now(),
      query: {},
      body: { touser: 'zhangwei', msgtype: 'text', text: { content: '患者张三 床号12' } },
      errcode: 0,
      seq: 7,
    };
    const line = describeReceived(r);
    expect(line).toBe('WeCom ← 应用消息 → zhangwei text 21 字节 ok');
    expect(line).not.toContain('张三');
    expect(describeReceived(r, { withText: true })).toContain('「患者张三 床号12」');
    const card: Received = {
      ...r,
      body: { touser: 'liuyang', msgtype: 'template_card', template_card: { main_title: { title: '#3 一级 检验系统(LIS)' } } },
      errcode: 45009,
    };
    expect(describeReceived(card)).toBe('WeCom ← 应用消息 → liuyang 卡片「#3 一级 检验系统(LIS)」 失败 errcode 45009');
  });
});

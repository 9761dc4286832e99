/**
 * The long connection's upkeep as an operator sees it: /healthz names its state, a half-open connection is found
 * by the heartbeat and replaced, and a connection kicked by another client does not fight back in a loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BotHarness, noIn, startBotHarness } from '../bot/helpers.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness({
    mode: 'longConnection',
    longConnection: { heartbeatMs: 100, kickedHoldMs: 60_000, downAfterMs: 300 },
  });
});
afterAll(() => h.stop());

const health = async () => {
  const res = await fetch(`${h.url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** Polls a condition no event announces (bounded, fails loudly). */
async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('long connection upkeep', () => {
  it('/healthz reports the bot’s long connection as connected', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', db: 'up', scheduler: 'up', wecom: { demo: 'connected' } } });
  });

  it('a connection that stops answering heartbeats is dropped and dialled again, and keeps answering', async () => {
    const before = h.sim.longConnection.subscriptions('demo');
    h.sim.longConnection.mutePings('demo');
    try {
      await h.sim.longConnection.waitForSubscriptions('demo', before + 1, 10_000);
    } finally {
      h.sim.longConnection.mutePings('demo', false);
    }
    const reply = await h.say('nurse_g', '@维保助手 排队叫号屏不显示，门诊部，分机2100');
    expect(noIn(reply)).toBeGreaterThan(0);
    await waitUntil(async () => (await health()).status === 200);
  });

  it('kicked by another client with the same bot id: no reconnect loop, and /healthz degrades to down', async () => {
    const before = h.sim.longConnection.subscriptions('demo');
    const bot = h.service.ctx.bots.get('demo')?.wecom.aibot;
    const intruder = new WebSocket(h.sim.wsUrl);
    await new Promise((r) => intruder.once('open', r));
    intruder.send(
      JSON.stringify({
        cmd: 'aibot_subscribe',
        headers: { req_id: 'aibot_subscribe_x' },
        body: { bot_id: bot?.botId, secret: bot?.secret },
      }),
    );
    await h.sim.longConnection.waitForSubscriptions('demo', before + 1);
    await waitUntil(async () => (await health()).status === 503);
    expect(await health()).toEqual({ status: 503, body: { status: 'degraded', db: 'up', scheduler: 'up', wecom: { demo: 'down' } } });
    // A service that dialled back would kick the intruder within its backoff (20–400 ms here); watch well past it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.sim.longConnection.subscriptions('demo')).toBe(before + 1);
    expect(intruder.readyState).toBe(WebSocket.OPEN);
    intruder.close();
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBots, parseBot } from '../../src/config/bots.js';
import { ConfigError } from '../../src/config/errors.js';

const demo = JSON.parse(readFileSync('bots/demo.json', 'utf8'));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('wecom.aibot.mode in the bot file', () => {
  it('the demo bot stays on the callback URL unless WECOM_AIBOT_MODE says otherwise', () => {
    const aibot = loadBots('bots', {}).get('demo')?.wecom.aibot;
    expect(aibot).toMatchObject({ mode: 'callback', wsUrl: 'wss://openws.work.weixin.qq.com' });
  });

  it('takes the long connection, its bot id, secret and a private WeCom endpoint from the environment', () => {
    const env = {
      WECOM_AIBOT_MODE: 'longConnection',
      WECOM_AIBOT_BOT_ID: 'aibMyBot',
      WECOM_AIBOT_SECRET: 's3cret',
      WECOM_AIBOT_WS_URL: 'wss://wecom.hospital.local/ws',
    };
    expect(loadBots('bots', env).get('demo')?.wecom.aibot).toMatchObject({
      mode: 'longConnection',
      botId: 'aibMyBot',
      secret: 's3cret',
      wsUrl: 'wss://wecom.hospital.local/ws',
    });
  });

  it('refuses an unknown mode and a long connection without its secret, naming the JSON path', () => {
    const bad = structuredClone(demo);
    bad.wecom.aibot.mode = 'websocket';
    expect(errorOf(() => parseBot(bad, 'bots/demo.json', {})).message).toBe(
      'bots/demo.json: /wecom/aibot/mode must be one of ["callback","longConnection"]',
    );
    const noSecret = structuredClone(demo);
    noSecret.wecom.aibot.mode = 'longConnection';
    delete noSecret.wecom.aibot.secret;
    expect(errorOf(() => parseBot(noSecret, 'bots/demo.json', {})).message).toBe(
      'bots/demo.json: /wecom/aibot must have property "secret"',
    );
    const http = structuredClone(demo);
    http.wecom.aibot.wsUrl = 'https://openws.work.weixin.qq.com';
    expect(errorOf(() => parseBot(http, 'bots/demo.json', {})).path).toBe('/wecom/aibot/wsUrl');
  });
});

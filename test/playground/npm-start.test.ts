/**
 * `npm start` as a newcomer runs it: on the demo credentials it prints one line to open the playground, runs the
 * WeCom simulator in the same process (a readable line per message "WeCom" received, no send failures), and stops
 * cleanly. With real credentials there is no playground (404) and no simulator.
 */
import { createInterface } from 'node:readline';
import { describe, expect, inject, it } from 'vitest';
import { playgroundMode } from '../../src/playground/mode.js';
import { loadBots } from '../../src/config/bots.js';
import { loadEnv } from '../../src/config/env.js';
import { testDbName } from '../helpers/db.js';
import { spawnEntry, waitForLog } from '../helpers/process.js';

/** Collects stdout lines and resolves when one matches. */
function lines(child: ReturnType<typeof spawnEntry>['child']) {
  const seen: string[] = [];
  const waiters: Array<{ re: RegExp; res: (l: string) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    seen.push(l);
    for (const w of [...waiters]) if (w.re.test(l)) w.res(l);
  });
  return {
    seen,
    waitFor(re: RegExp, ms = 60_000): Promise<string> {
      const hit = seen.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((res, rej) => {
        const t = setTimeout(() => rej(new Error(`no stdout line matching ${re} within ${ms} ms`)), ms);
        waiters.push({
          re,
          res: (l) => {
            clearTimeout(t);
            res(l);
          },
        });
      });
    },
  };
}

describe('npm start with the demo credentials', () => {
  it('prints "open …/playground", serves it, logs what WeCom received in words, and exits 0 on SIGTERM', async () => {
    const env = { PORT: '0', MONGODB_URI: `${inject('mongoUri')}/${testDbName()}`, LOG_LEVEL: 'warn' };
    const run = spawnEntry('src/main.ts', env);
    const out = lines(run.child);
    const open = await out.waitFor(/^open http:\/\/127\.0\.0\.1:\d+\/playground$/);
    const base = open.slice('open '.length).replace(/\/playground$/, '');
    const page = await fetch(`${base}/playground`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>维保助手');

    const sent = await fetch(`${base}/playground/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'nurse01', to: 'group', text: '@维保助手 检验科LIS报告全部打印不出来，急，分机8823' }),
    });
    expect(await sent.json()).toEqual({ delivered: true });
    await out.waitFor(/^WeCom ← 应用消息 → \w+ 卡片「#1【一级\/紧急】检验系统\(LIS\)」 ok$/);
    await out.waitFor(/^WeCom ← 智能机器人回复 → 群 wr_demo（回复 nurse01） markdown \d+ 字节 ok$/);
    // The message text (which may name patients) is not in the console.
    expect(out.seen.join('\n')).not.toContain('打印不出来');
    expect(out.seen.join('\n') + run.stderr()).not.toMatch(/send failed|wecom message failed/);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe('npm start with real WeCom credentials', () => {
  it('serves no playground and starts no simulator', async () => {
    const env = {
      PORT: '0',
      MONGODB_URI: `${inject('mongoUri')}/${testDbName()}`,
      LOG_LEVEL: 'info',
      WECOM_CORP_ID: 'ww0123456789abcdef',
      WECOM_SECRET: 'a-real-looking-secret',
    };
    const run = spawnEntry('src/main.ts', env);
    const started = await waitForLog(run.child, 'service started');
    const res = await fetch(`${started.url as string}/playground`);
    expect(res.status).toBe(404);
    expect((await fetch(`${started.url as string}/playground/api/state`)).status).toBe(404);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe('when the playground runs', () => {
  const bots = (env: Record<string, string>) => loadBots('bots', env);
  const mode = (raw: Record<string, string>) => playgroundMode(loadEnv(raw, ''), bots(raw)).enabled;

  it('auto: only with the demo credentials and the default WeCom API host', () => {
    expect(mode({})).toBe(true);
    expect(mode({ WECOM_CORP_ID: 'ww0123456789abcdef' })).toBe(false);
    expect(mode({ WECOM_API_BASE: 'http://127.0.0.1:3900' })).toBe(false);
  });

  it('PLAYGROUND=on enables it even with real credentials; off disables it on the demo ones', () => {
    expect(mode({ WECOM_CORP_ID: 'ww0123456789abcdef', PLAYGROUND: 'on' })).toBe(true);
    expect(mode({ PLAYGROUND: 'off' })).toBe(false);
  });
});

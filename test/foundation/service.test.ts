import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { loadEnv } from '../../src/config/env.js';
import { startEmbedded } from '../../src/db/embedded.js';
import { startService } from '../../src/service.js';
import { spawnEntry, waitForLog } from '../helpers/process.js';
import { startTestService } from '../helpers/service.js';

describe('service', () => {
  it('answers /healthz with db and scheduler up', async () => {
    const service = await startTestService({ features: [] });
    try {
      const res = await fetch(`${service.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', db: 'up', scheduler: 'up' });
    } finally {
      await service.stop();
    }
  });

  it('reports 503 naming the database when it goes away, and stops cleanly anyway', async () => {
    const db = await startEmbedded();
    const env = loadEnv({ PORT: '0', MONGODB_URI: `${db.uri}/health`, LOG_LEVEL: 'silent' }, '');
    const service = await startService({ env, bots: loadBots('bots', {}), features: [] });
    try {
      await db.stop();
      const res = await fetch(`${service.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'degraded', db: 'down' });
    } finally {
      await service.stop();
    }
  });

  it('answers unknown routes and oversized bodies with short JSON, never a stack', async () => {
    const service = await startTestService({ features: [] });
    try {
      const missing = await fetch(`${service.url}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: 'not_found' });
      const big = await fetch(`${service.url}/healthz`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
      expect(big.status).toBe(413);
      // The unread body's connection is closed, so a stop does not wait for it.
      expect(big.headers.get('connection')).toBe('close');
      const body = await big.text();
      expect(JSON.parse(body)).toMatchObject({ error: 'payload_too_large' });
      expect(body).not.toMatch(/at .*\.ts/);
    } finally {
      await service.stop();
    }
  });
});

describe('the npm start process', () => {
  it('starts on the embedded H2 engine under DATA_DIR and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'data-'));
    const run = spawnEntry('src/main.ts', { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const started = await waitForLog(run.child, 'service started');
    const res = await fetch(`${started.url as string}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok', db: 'up', scheduler: 'up' });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(existsSync(join(dataDir, 'weibao.mv'))).toBe(true);
  });

  it('keeps what was written for the next start on the same DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'data-'));
    const env = loadEnv({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, '');
    const bots = loadBots('bots', {});
    const first = await startService({ env, bots, features: [] });
    await mongoose.connection.db!.collection('counters').insertOne({ _id: 'demo' as never, seq: 41 });
    await first.stop();

    const second = await startService({ env, bots, features: [] });
    try {
      expect(await mongoose.connection.db!.collection('counters').findOne({ _id: 'demo' as never })).toMatchObject({ seq: 41 });
    } finally {
      await second.stop();
    }
  });

  it('exits non-zero with one line naming the file and JSON path for a bad bot file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bots-'));
    const demo = JSON.parse(readFileSync('bots/demo.json', 'utf8'));
    demo.calendar.workStart = '8 点';
    writeFileSync(join(dir, 'demo.json'), JSON.stringify(demo));
    const run = spawnEntry('src/main.ts', { BOTS_DIR: dir, PORT: '0' });
    expect(await run.exited).toBe(1);
    const lines = run
      .stderr()
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(dir, 'demo.json'));
    expect(lines[0]).toContain('/calendar/workStart');
  });

  it('exits non-zero with one line when a required variable is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bots-'));
    const demo = JSON.parse(readFileSync('bots/demo.json', 'utf8'));
    demo.wecom.secret = '${HOSPITAL_APP_SECRET}';
    writeFileSync(join(dir, 'demo.json'), JSON.stringify(demo));
    const run = spawnEntry('src/main.ts', { BOTS_DIR: dir, PORT: '0' });
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim()).toBe(
      `configuration error: ${join(dir, 'demo.json')}: /wecom/secret needs environment variable HOSPITAL_APP_SECRET, which is not set`,
    );
  });
});

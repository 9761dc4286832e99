import { describe, expect, it } from 'vitest';
import { ConnectionLease, LeaseModel, linkStates } from '../../src/wecom/longconn/lease.js';
import { useTestDb } from '../helpers/db.js';

useTestDb();

/** A wall clock the test moves (the lease takes `now` as a function). */
function clock(start = Date.parse('2026-11-30T08:00:00Z')) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

describe('the long-connection lease', () => {
  it('one holder at a time; the other takes over only after expiry, and the old holder then fails to renew', async () => {
    const c = clock();
    const a = new ConnectionLease('bot1', 'A', 8000, c.now);
    const b = new ConnectionLease('bot1', 'B', 8000, c.now);
    const [gotA, gotB] = await Promise.all([a.acquire(), b.acquire()]);
    expect([gotA, gotB].filter(Boolean)).toHaveLength(1);
    const [holder, standby] = gotA ? [a, b] : [b, a];
    c.advance(6000);
    expect(await holder.renew()).toBe(true);
    c.advance(6000);
    expect(await standby.acquire()).toBe(false); // renewed 6 s ago: still valid
    c.advance(2001);
    expect(await standby.acquire()).toBe(true); // expired
    expect(await holder.renew()).toBe(false);
    expect(await LeaseModel.findById('bot1').lean()).toMatchObject({ holder: standby.holder });
  });

  it('a graceful release lets the standby in at once', async () => {
    const c = clock();
    const a = new ConnectionLease('bot2', 'A', 8000, c.now);
    const b = new ConnectionLease('bot2', 'B', 8000, c.now);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    await a.release();
    expect(await b.acquire()).toBe(true);
  });

  it('health: connected while a live holder says so; connecting, then down after the threshold without one', async () => {
    const c = clock();
    const startedAt = c.now();
    expect(await linkStates(['bot3'], 60_000, startedAt, c.now())).toEqual({ bot3: 'connecting' });
    c.advance(61_000);
    expect(await linkStates(['bot3'], 60_000, startedAt, c.now())).toEqual({ bot3: 'down' });
    const a = new ConnectionLease('bot3', 'A', 8000, c.now);
    await a.acquire();
    await a.report('connected');
    expect(await linkStates(['bot3'], 60_000, startedAt, c.now())).toEqual({ bot3: 'connected' });
    // The holder dies: its lease runs out, and a minute later the bot counts as down.
    c.advance(9000);
    expect(await linkStates(['bot3'], 60_000, startedAt, c.now())).toEqual({ bot3: 'connecting' });
    c.advance(60_000);
    expect(await linkStates(['bot3'], 60_000, startedAt, c.now())).toEqual({ bot3: 'down' });
  });
});

import { describe, expect, it } from 'vitest';
import { endStorm, joinStorm, publishStormTicket, StormLock } from '../../src/bot/storm.js';
import { useTestDb } from '../helpers/db.js';

useTestDb();

describe('storm lock', () => {
  it('of 20 concurrent reporters exactly one owns the storm and the rest learn its ticket', async () => {
    const now = () => new Date('2026-11-20T10:00:00+08:00');
    const seats = Promise.all(Array.from({ length: 20 }, () => joinStorm('demo', 'his', { now, windowMs: 30 * 60_000, pollMs: 5 })));
    // The owner publishes its ticket once it has one; followers are waiting for it.
    const published = (async () => {
      for (;;) {
        const lock = await StormLock.findById('demo:his').lean();
        if (lock) {
          await publishStormTicket('demo', 'his', lock.owner, 12);
          return;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const [all] = await Promise.all([seats, published]);
    expect(all.filter((s) => s.role === 'owner')).toHaveLength(1);
    expect(all.filter((s) => s.role === 'follower' && s.no === 12)).toHaveLength(19);
  });

  it('a lapsed or ended storm lets the next report own a new one', async () => {
    let t = new Date('2026-11-21T10:00:00+08:00').getTime();
    const now = () => new Date(t);
    const first = await joinStorm('demo', 'lis', { now, windowMs: 60_000 });
    expect(first.role).toBe('owner');
    if (first.role === 'owner') await publishStormTicket('demo', 'lis', first.token, 3);
    expect(await joinStorm('demo', 'lis', { now, windowMs: 60_000 })).toEqual({ role: 'follower', no: 3 });
    t += 61_000;
    const later = await joinStorm('demo', 'lis', { now, windowMs: 60_000 });
    expect(later.role).toBe('owner');
    if (later.role === 'owner') await publishStormTicket('demo', 'lis', later.token, 4);
    await endStorm('demo', 'lis', 4);
    expect((await joinStorm('demo', 'lis', { now, windowMs: 60_000 })).role).toBe('owner');
  });
});

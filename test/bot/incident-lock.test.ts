import { describe, expect, it } from 'vitest';
import { endIncident, IncidentLock, publishIncident, takeSeat, watchReport } from '../../src/bot/incident-lock.js';
import { useTestDb } from '../helpers/db.js';

useTestDb();

describe('incident lock', () => {
  it('of 20 concurrent declarers exactly one creates the incident and the rest learn its number', async () => {
    const now = () => new Date('2026-11-20T10:00:00+08:00');
    const seats = Promise.all(Array.from({ length: 20 }, () => takeSeat('demo', 'his', { now, pollMs: 5 })));
    // The owner publishes its incident once it has one; followers are waiting for it.
    const published = (async () => {
      for (;;) {
        const lock = await IncidentLock.findById('demo:his').lean();
        if (lock?.owner) {
          await publishIncident('demo', 'his', lock.owner, 12);
          return;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const [all] = await Promise.all([seats, published]);
    expect(all.filter((s) => s.role === 'owner')).toHaveLength(1);
    expect(all.filter((s) => s.role === 'follower' && s.no === 12)).toHaveLength(19);
  });

  it('an ended incident lets the next declarer own a new one, and its counted reports do not count again', async () => {
    const now = () => new Date('2026-11-21T10:00:00+08:00');
    const at = now();
    await watchReport('demo', 'lis', { token: 't1', no: 1, userid: 'a', department: '检验科', symptom: 'login', at }, 60_000);
    const first = await takeSeat('demo', 'lis', { now });
    expect(first.role).toBe('owner');
    if (first.role === 'owner') await publishIncident('demo', 'lis', first.token, 3);
    expect(await takeSeat('demo', 'lis', { now })).toEqual({ role: 'follower', no: 3 });
    await endIncident('demo', 'lis', 3);
    expect((await takeSeat('demo', 'lis', { now })).role).toBe('owner');
    const later = new Date(at.getTime() + 1000);
    const window = await watchReport(
      'demo',
      'lis',
      { token: 't5', no: 5, userid: 'b', department: '急诊科', symptom: 'login', at: later },
      60_000,
    );
    expect(window.map((r) => r.no)).toEqual([5]);
  });

  it('reports outside the window do not count', async () => {
    const t0 = new Date('2026-11-22T10:00:00+08:00');
    await watchReport('demo', 'pacs', { token: 't1', no: 1, userid: 'a', department: '放射科', symptom: 'slow', at: t0 }, 15 * 60_000);
    const t1 = new Date(t0.getTime() + 16 * 60_000);
    const window = await watchReport(
      'demo',
      'pacs',
      { token: 't2', no: 2, userid: 'b', department: '急诊科', symptom: 'slow', at: t1 },
      15 * 60_000,
    );
    expect(window.map((r) => r.no)).toEqual([2]);
  });
});

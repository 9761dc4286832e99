import { describe, expect, it } from 'vitest';
import type { FeatureFactory } from '../../src/service.js';
import { startTestService } from '../helpers/service.js';

describe('graceful shutdown', () => {
  it('stops taking requests and lets a running job finish before closing the database', async () => {
    let release: () => void = () => undefined;
    const finished: string[] = [];
    const slowJob: FeatureFactory = (ctx) => ({
      name: 'slow',
      init() {
        ctx.scheduler.agenda.define('slow-job', async () => {
          await new Promise<void>((res) => {
            release = res;
          });
          finished.push('slow-job');
        });
      },
    });
    const service = await startTestService({ features: [slowJob], processEvery: 50 });
    const started = new Promise<void>((res) => service.ctx.scheduler.agenda.once('start:slow-job', () => res()));
    await service.ctx.scheduler.agenda.now('slow-job', {});
    await started;

    const stopping = service.stop();
    // New requests are refused while the job is still running...
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    expect(finished).toEqual([]);
    // ...and the stop completes only after the job did.
    release();
    await stopping;
    expect(finished).toEqual(['slow-job']);
  });
});

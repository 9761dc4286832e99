/**
 * Composition of `npm start` with the playground: when `playgroundMode` says so, the WeCom simulator runs in the
 * same process on a free 127.0.0.1 port, the service's WECOM_API_BASE points at it (nothing leaves the machine),
 * the service runs on the demo clock and /playground is served.
 */
import { OffsetClock } from '../clock.js';
import { type Service, type ServiceOptions, startService } from '../service.js';
import { WecomSimulator } from '../wecom/simulator/simulator.js';
import { playgroundFeature } from './feature.js';
import { type PlaygroundMode, playgroundMode } from './mode.js';

export interface DemoAwareService {
  service: Service;
  mode: PlaygroundMode;
  /** Present when the playground runs. */
  demo?: { sim: WecomSimulator; clock: OffsetClock };
  stop(): Promise<void>;
}

type Options = ServiceOptions & Required<Pick<ServiceOptions, 'env' | 'bots' | 'features'>>;

export async function startWithPlayground(opts: Options): Promise<DemoAwareService> {
  const mode = playgroundMode(opts.env, opts.bots);
  if (!mode.enabled) {
    const service = await startService(opts);
    return { service, mode, stop: () => service.stop() };
  }
  const clock = new OffsetClock();
  const sim = new WecomSimulator({ bots: opts.bots.values(), clock, host: '127.0.0.1', port: 0 });
  const simUrl = await sim.start();
  // A bot on the long connection dials the in-process simulator's WebSocket too (nothing leaves the machine).
  for (const b of opts.bots.values()) if (b.wecom.aibot.mode === 'longConnection') b.wecom.aibot = { ...b.wecom.aibot, wsUrl: sim.wsUrl };
  let service: Service;
  try {
    service = await startService({
      ...opts,
      clock,
      env: { ...opts.env, WECOM_API_BASE: simUrl },
      features: [...opts.features, playgroundFeature({ sim, clock })],
    });
  } catch (e) {
    await sim.stop();
    throw e;
  }
  return {
    service,
    mode,
    demo: { sim, clock },
    async stop() {
      await service.stop();
      await sim.stop();
    },
  };
}

import { loadBots, type BotConfig } from '../../src/config/bots.js';
import type { Clock } from '../../src/clock.js';
import type { InboundHandler, Service } from '../../src/service.js';
import { createWecomFeature, type WecomFeature, type WecomTuning } from '../../src/wecom/feature.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import type { InboundMessage } from '../../src/wecom/types.js';
import { startTestService } from '../helpers/service.js';

/** The official weworkapi sample: token, EncodingAESKey and corpid. */
export const SAMPLE = {
  token: 'QDG6eK',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
};

/** The demo bot plus a `sample` bot whose app callback credentials are the official sample's. */
export function testBots(): Map<string, BotConfig> {
  const bots = loadBots('bots', {});
  const demo = bots.get('demo') as BotConfig;
  const sample: BotConfig = structuredClone(demo);
  sample.id = 'sample';
  sample.wecom = {
    ...demo.wecom,
    corpId: SAMPLE.corpId,
    secret: 'sample-secret',
    app: { token: SAMPLE.token, encodingAesKey: SAMPLE.aesKey },
    aibot: { ...demo.wecom.aibot, token: SAMPLE.token, encodingAesKey: SAMPLE.aesKey },
    webhookKey: 'sample-webhook-key',
    allowedChats: [],
  };
  bots.set('sample', sample);
  return bots;
}

export interface Harness {
  service: Service;
  sim: WecomSimulator;
  feature: WecomFeature;
  stop(): Promise<void>;
}

/** The whole service with the WeCom feature and a test handler, against a running simulator. */
export async function startHarness(
  opts: {
    bots?: Map<string, BotConfig>;
    clock?: Clock;
    onMessage?: (msg: InboundMessage, f: WecomFeature) => Promise<void>;
    onCardEvent?: (msg: InboundMessage, f: WecomFeature) => Promise<object | null>;
    tuning?: WecomTuning;
    env?: Record<string, string>;
    dbName?: string;
  } = {},
): Promise<Harness> {
  const bots = opts.bots ?? testBots();
  const sim = new WecomSimulator({ bots: bots.values(), clock: opts.clock });
  const simUrl = await sim.start();
  let feature!: WecomFeature;
  const inbound: InboundHandler = {
    onMessage: (m) => (opts.onMessage ? opts.onMessage(m, feature) : Promise.resolve()),
    ...(opts.onCardEvent ? { onCardEvent: (m: InboundMessage) => opts.onCardEvent?.(m, feature) ?? Promise.resolve(null) } : {}),
  };
  const service = await startTestService({
    bots,
    clock: opts.clock,
    // startTestService spreads its options last: an explicit `dbName: undefined` would drop its fresh name.
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
    envOverrides: { WECOM_API_BASE: simUrl, WECOM_MAX_SKEW_S: '0', ...opts.env },
    features: [
      (ctx) => {
        feature = createWecomFeature(ctx, { pollMs: 50, httpTimeoutMs: 1000, ...opts.tuning });
        return feature;
      },
      () => ({ name: 'test-handler', inbound }),
    ],
  });
  return {
    service,
    sim,
    feature,
    async stop() {
      await service.stop();
      await sim.stop();
    },
  };
}

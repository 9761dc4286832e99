import type { BotConfig } from '../config/bots.js';
import type { Env } from '../config/env.js';

/** The corp id `bots/demo.json` falls back to when `WECOM_CORP_ID` is unset; no real WeCom corp id looks like it. */
export const DEMO_CORP_ID = 'ww_demo_corp';
/** WECOM_API_BASE's default: anything else means the operator pointed the service somewhere on purpose. */
export const WECOM_OFFICIAL_BASE = 'https://qyapi.weixin.qq.com';

export interface PlaygroundMode {
  enabled: boolean;
  /** One short sentence for the start-up log. */
  reason: string;
}

/**
 * Whether `npm start` runs the playground with the WeCom simulator in the same process:
 * `PLAYGROUND=on` always, `off` never, `auto` (default) only when every bot has the demo credentials and
 * WECOM_API_BASE is not set to another host, so a service configured for a real WeCom never serves /playground.
 */
export function playgroundMode(env: Pick<Env, 'PLAYGROUND' | 'WECOM_API_BASE'>, bots: Map<string, BotConfig>): PlaygroundMode {
  if (env.PLAYGROUND === 'on') return { enabled: true, reason: 'PLAYGROUND=on' };
  if (env.PLAYGROUND === 'off') return { enabled: false, reason: 'PLAYGROUND=off' };
  const real = [...bots.values()].filter((b) => b.wecom.corpId !== DEMO_CORP_ID).map((b) => b.id);
  if (real.length) return { enabled: false, reason: `real WeCom credentials configured (bot ${real.join(', ')})` };
  if (env.WECOM_API_BASE.replace(/\/+$/, '') !== WECOM_OFFICIAL_BASE)
    return { enabled: false, reason: `WECOM_API_BASE points at ${env.WECOM_API_BASE}` };
  return { enabled: true, reason: 'demo credentials' };
}

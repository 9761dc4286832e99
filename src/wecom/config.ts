export interface WecomConfig {
  corpId: string;
  agentId: string;
  secret: string;
  /** Self-built app callback credentials (receiveid = corpId). */
  app: { token: string; encodingAesKey: string };
  /** Smart bot (智能机器人): callback credentials (receiveid = "") and how WeCom reaches it. */
  aibot: AibotConfig;
  /** Group robot webhook key; empty = no group posts. */
  webhookKey: string;
  /** Chats the bot answers in; empty = every chat it has been added to. */
  allowedChats: string[];
  /** Names users @-mention the smart bot by; stripped from message text. */
  mentionNames: string[];
}

/**
 * How the smart bot talks to WeCom. `callback`: WeCom posts encrypted JSON to `/wecom/<bot>/aibot` (needs a public
 * HTTPS URL). `longConnection`: the service dials WeCom's WebSocket (`wsUrl`) with `botId` + `secret` and receives the
 * same callbacks as frames (no public URL; one active connection per bot). Source: the official
 * `@wecom/aibot-node-sdk` (aibot_subscribe, aibot_msg_callback, aibot_respond_msg, aibot_send_msg).
 */
export interface AibotConfig {
  mode: 'callback' | 'longConnection';
  token: string;
  encodingAesKey: string;
  /** Long connection only: the bot id and secret from the smart bot's API settings (长连接). */
  botId?: string;
  secret?: string;
  /** Long connection only: WeCom's WebSocket endpoint (a privately deployed WeCom has its own). */
  wsUrl: string;
}

/** WeCom's public long-connection endpoint (the official SDK's default). */
export const WECOM_WS_URL = 'wss://openws.work.weixin.qq.com';

const aesKey = { type: 'string', pattern: '^[A-Za-z0-9+/]{43}$' };
const creds = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'encodingAesKey'],
  properties: { token: { type: 'string', minLength: 1 }, encodingAesKey: aesKey },
};

export const wecomSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['corpId', 'agentId', 'secret', 'app', 'aibot'],
  properties: {
    corpId: { type: 'string', minLength: 1 },
    agentId: { type: 'string', pattern: '^[0-9]+$' },
    secret: { type: 'string', minLength: 1 },
    app: creds,
    aibot: {
      type: 'object',
      additionalProperties: false,
      required: ['token', 'encodingAesKey'],
      properties: {
        mode: { enum: ['callback', 'longConnection'], default: 'callback' },
        token: { type: 'string', minLength: 1 },
        encodingAesKey: aesKey,
        botId: { type: 'string', minLength: 1 },
        secret: { type: 'string', minLength: 1 },
        wsUrl: { type: 'string', pattern: '^wss?://', default: WECOM_WS_URL },
      },
      // A long connection cannot subscribe without the bot id and secret.
      if: { properties: { mode: { const: 'longConnection' } }, required: ['mode'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, read by ajv
      then: { required: ['botId', 'secret'] },
    },
    webhookKey: { type: 'string', default: '' },
    allowedChats: { type: 'array', items: { type: 'string' }, default: [] },
    mentionNames: { type: 'array', items: { type: 'string', minLength: 1 }, default: ['维保助手'] },
  },
} as const;

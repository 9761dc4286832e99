export interface WecomConfig {
  corpId: string;
  agentId: string;
  secret: string;
  /** Self-built app callback credentials (receiveid = corpId). */
  app: { token: string; encodingAesKey: string };
  /** Smart bot (智能机器人) callback credentials (receiveid = ""). */
  aibot: { token: string; encodingAesKey: string };
  /** Group robot webhook key; empty = no group posts. */
  webhookKey: string;
  /** Chats the bot answers in; empty = every chat it has been added to. */
  allowedChats: string[];
  /** Names users @-mention the smart bot by; stripped from message text. */
  mentionNames: string[];
}

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
    aibot: creds,
    webhookKey: { type: 'string', default: '' },
    allowedChats: { type: 'array', items: { type: 'string' }, default: [] },
    mentionNames: { type: 'array', items: { type: 'string', minLength: 1 }, default: ['维保助手'] },
  },
} as const;

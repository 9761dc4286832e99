import type { Received } from './simulator.js';

const KIND_LABEL: Record<Received['kind'], string> = {
  gettoken: '取 access_token',
  'message/send': '应用消息',
  update_template_card: '更新卡片',
  'appchat/send': '应用群聊',
  'webhook/send': '群机器人',
  response_url: '智能机器人回复',
  'user/get': '读取成员',
  'department/get': '读取部门',
  aibot_respond_msg: '智能机器人长连接回复',
  aibot_respond_welcome_msg: '智能机器人欢迎语',
  aibot_respond_update_msg: '智能机器人更新卡片',
  aibot_send_msg: '智能机器人主动消息',
};

/** Who a request was addressed to, in words: "→ zhangwei", "→ 群 wr_demo", "→ 群机器人". */
function target(r: Received): string {
  const b = (r.body ?? {}) as Record<string, unknown>;
  switch (r.kind) {
    case 'message/send':
      return `→ ${String(b.touser ?? b.toparty ?? '?')}`;
    case 'appchat/send':
      return `→ 群 ${String(b.chatid ?? '?')}`;
    case 'webhook/send':
      return '→ 群（webhook）';
    case 'response_url':
      return r.replyTo?.chatId ? `→ 群 ${r.replyTo.chatId}（回复 ${r.replyTo.userid}）` : `→ ${r.replyTo?.userid ?? '单聊'}`;
    case 'update_template_card':
      return '→ 点击者的卡片';
    case 'user/get':
      return `→ ${r.query.userid ?? '?'}`;
    case 'aibot_send_msg':
      return `→ ${String(b.chatid ?? '?')}`;
    default:
      return '';
  }
}

/** The message content of a request body: its type and, for cards, the bot-written title. */
function content(r: Received, withText: boolean): string {
  const b = (r.body ?? {}) as Record<string, unknown>;
  const type = String(b.msgtype ?? (r.kind === 'update_template_card' ? 'template_card' : ''));
  if (!type) return '';
  const part = b[type] as Record<string, unknown> | undefined;
  if (type === 'template_card') {
    const card = part ?? (b.template_card as Record<string, unknown> | undefined) ?? {};
    const title = (card.main_title as { title?: string } | undefined)?.title ?? '';
    return `卡片「${title}」`;
  }
  const text = String(part?.content ?? '');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (!withText) return `${type} ${bytes} 字节`;
  const oneLine = text.replace(/\s+/g, ' ');
  return `${type}「${[...oneLine].slice(0, 60).join('')}${[...oneLine].length > 60 ? '…' : ''}」`;
}

/**
 * One readable console line for a request the fake WeCom received, e.g.
 * `WeCom ← 应用消息 → zhangwei 卡片「#3 一级 检验系统(LIS)」 ok`.
 * Message text is left out unless `withText` (it may name patients); card titles are the bot's own words.
 */
export function describeReceived(r: Received, opts: { withText?: boolean } = {}): string {
  const outcome = r.errcode === 0 ? 'ok' : `失败 errcode ${r.errcode}`;
  return ['WeCom ←', KIND_LABEL[r.kind], target(r), content(r, opts.withText ?? false), outcome].filter(Boolean).join(' ');
}

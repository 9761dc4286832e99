/** What escalation says, in short Chinese for people. Pure: content only, no sending. */
import type { BotConfig } from '../config/bots.js';
import { personName } from '../roster/roster.js';
import { levelWords, systemName } from '../tickets/labels.js';
import type { TicketDoc } from '../tickets/types.js';
import { toChatTime } from '../time.js';
import type { OutboundContent } from '../wecom/types.js';
import type { TargetName } from './config.js';
import type { PlannedStep, Target } from './policy.js';

const TARGET_WORDS: Record<TargetName, string> = { response: '响应', onsite: '到场', resolve: '解决' };
/** The chat command that stops each clock. */
const STOP_COMMAND: Record<TargetName, string> = { response: '接单', onsite: '到场', resolve: '解决' };

function minutes(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 60) return `${m} 分钟`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} 小时 ${m % 60} 分钟` : `${h} 小时`;
}

function headline(bot: BotConfig, t: TicketDoc): string {
  return `#${t.no} ${levelWords(t.level)} · ${systemName(bot, t.system)} · ${t.title}`;
}

function owner(bot: BotConfig, t: TicketDoc): string {
  return t.assignee ? (t.assignee.name ?? personName(bot, t.assignee.userid)) : '待接单';
}

/** The card that asks the on-duty engineer to claim a new ticket; the button key is `claim:<no>`. */
/** A reminder before the deadline (the 50 % / 75 % steps). */
export function reminder(bot: BotConfig, t: TicketDoc, name: TargetName, target: Target, step: PlannedStep, now: Date): OutboundContent {
  const left = new Date(target.dueAt).getTime() - now.getTime();
  return {
    type: 'markdown',
    markdown: [
      `**⏰ ${TARGET_WORDS[name]}时限已过 ${step.key}**`,
      headline(bot, t),
      `截止 ${toChatTime(target.dueAt)}（剩余 ${minutes(left)}），负责人：${owner(bot, t)}`,
      `处理后回复「${STOP_COMMAND[name]} ${t.no}」`,
    ].join('\n'),
  };
}

/** The deadline passed (the breach step and its repeats). */
export function breachNotice(
  bot: BotConfig,
  t: TicketDoc,
  name: TargetName,
  target: Target,
  step: PlannedStep,
  now: Date,
): OutboundContent {
  const over = now.getTime() - new Date(target.dueAt).getTime();
  const title = step.repeat ? `**🔴 仍未${TARGET_WORDS[name]}（第 ${step.repeat} 次催办）**` : `**🔴 ${TARGET_WORDS[name]}超时**`;
  return {
    type: 'markdown',
    markdown: [
      title,
      headline(bot, t),
      `截止 ${toChatTime(target.dueAt)}，已超时 ${minutes(over)}，负责人：${owner(bot, t)}`,
      `请回复「${STOP_COMMAND[name]} ${t.no}」或「进度 ${t.no}」`,
    ].join('\n'),
  };
}

/** The group post mentions the people being chased. */
export function withMentions(content: OutboundContent, userids: string[]): OutboundContent {
  if (content.type !== 'markdown' || userids.length === 0) return content;
  return { type: 'markdown', markdown: `${userids.map((u) => `<@${u}>`).join(' ')} ${content.markdown}` };
}

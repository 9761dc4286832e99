/**
 * What SLA escalation says: reminders before a deadline and breach notices after it. These go to backups,
 * leads and the group, so the ticket's title is masked (patient identifiers). Pure: content only, no sending.
 */
import type { BotConfig } from '../../config/bots.js';
import type { TargetName } from '../../sla/config.js';
import type { PlannedStep, Target } from '../../sla/policy.js';
import type { TicketDoc } from '../../tickets/types.js';
import type { OutboundContent } from '../../wecom/types.js';
import { leadActions } from './lead-alerts.js';
import { shownTitle } from './mask.js';
import { personName, staffPhones } from './people.js';
import { ticketSummary } from './ticket.js';
import { at, duration, levelWords, TARGET_WORDS, ticketSystem } from './words.js';

/** The chat command that stops each clock. */
const STOP_COMMAND: Record<TargetName, string> = { response: '接单', onsite: '到场', resolve: '解决' };

function headline(bot: BotConfig, t: TicketDoc): string {
  return `#${t.no} ${levelWords(t.level)} · ${ticketSystem(bot, t)} · ${shownTitle(t.title, 40, staffPhones(bot))}`;
}

function owner(bot: BotConfig, t: TicketDoc): string {
  return t.assignee ? (t.assignee.name ?? personName(bot, t.assignee.userid)) : '待接单';
}

/** The group's new-ticket post: masked, mentions the engineer who must act. */
export function newTicketGroupNote(bot: BotConfig, t: TicketDoc, primary: string, headlineWord = '新报修'): OutboundContent {
  return {
    type: 'markdown',
    markdown: [`${headlineWord} <@${primary}>`, ...ticketSummary(bot, t, { masked: true }), `回复「接单 ${t.no}」或点卡片上的接单。`].join(
      '\n',
    ),
  };
}

/**
 * Who reads an escalation message: the engineers being chased (and the group) are asked for the command that stops
 * the clock; leads cannot claim or resolve, so they are offered what they can do (进度, 转派 to the backup).
 */
export type EscalationReader = 'engineer' | 'lead';

/** One step of a running SLA target come due, as escalation (src/sla/escalation.ts) hands it over. */
export interface EscalationMoment {
  ticket: TicketDoc;
  name: TargetName;
  target: Target;
  step: PlannedStep;
}

/**
 * What a step says at `now`: before the target's deadline a reminder (the 50 % / 75 % steps: time left, the command
 * that stops the clock); at or after it a breach notice (time over; its repeats are counted 第 N 次催办). Leads get
 * what they can do instead of a command they cannot use.
 */
export function escalationNotice(bot: BotConfig, m: EscalationMoment, now: Date, reader: EscalationReader = 'engineer'): OutboundContent {
  const { ticket: t, name, target, step } = m;
  const left = new Date(target.dueAt).getTime() - now.getTime();
  const lines =
    left > 0
      ? [
          `**⏰ ${TARGET_WORDS[name]}时限已过 ${step.key}**`,
          headline(bot, t),
          `截止 ${at(target.dueAt)}（剩余 ${duration(left)}），负责人：${owner(bot, t)}`,
          reader === 'lead' ? leadActions(bot, t, now) : `处理后回复「${STOP_COMMAND[name]} ${t.no}」`,
        ]
      : [
          step.repeat ? `**🔴 仍未${TARGET_WORDS[name]}（第 ${step.repeat} 次催办）**` : `**🔴 ${TARGET_WORDS[name]}超时**`,
          headline(bot, t),
          `截止 ${at(target.dueAt)}，已超时 ${duration(-left)}，负责人：${owner(bot, t)}`,
          reader === 'lead' ? leadActions(bot, t, now) : `请回复「${STOP_COMMAND[name]} ${t.no}」或「进度 ${t.no}」`,
        ];
  return { type: 'markdown', markdown: lines.join('\n') };
}

/** The group post mentions the people being chased. */
export function withMentions(content: OutboundContent, userids: string[]): OutboundContent {
  if (content.type !== 'markdown' || userids.length === 0) return content;
  return { type: 'markdown', markdown: `${userids.map((u) => `<@${u}>`).join(' ')} ${content.markdown}` };
}

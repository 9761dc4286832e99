import type { BotConfig } from '../../config/bots.js';
import { personName } from '../../roster/roster.js';
import { levelWords } from '../../tickets/labels.js';
import type { PersonRef, TicketDoc, TicketEventRecord } from '../../tickets/types.js';
import { at, short, tag } from './format.js';
import type { ChatNotice } from './types.js';

const reporters = (t: TicketDoc) => [t.reporter.userid, ...t.subscribers.map((s) => s.userid)];
const assignee = (t: TicketDoc) => (t.assignee ? [t.assignee.userid] : []);
const confirmHint = (no: number) => `请回复「确认 ${no}」（可加 1-5 分评分），或「未解决 ${no} <原因>」`;

type Compose = (bot: BotConfig, t: TicketDoc, e: TicketEventRecord) => Array<[string[], string]>;

/** Who hears about each event, and what; types not listed are nobody else's business. */
const COMPOSE: Partial<Record<TicketEventRecord['type'], Compose>> = {
  claimed: (_b, t) => [[reporters(t), `${tag(t.no)} 已由 ${t.assignee?.name} 接单，解决时限 ${at(t.sla.resolve.dueAt)}`]],
  dispatched: (_b, t) => [[reporters(t), `${tag(t.no)} ${t.assignee?.name} 将到现场处理，${at(t.sla.onsite?.dueAt)} 前到场`]],
  arrived: (_b, t) => [[reporters(t), `${tag(t.no)} ${t.assignee?.name} 已到场`]],
  progress: (_b, t, e) => [[reporters(t), `${tag(t.no)} 进展：${short(String(e.text), 200)}`]],
  resolved: (_b, t) => [[reporters(t), `${tag(t.no)} 已解决：${short(t.repair?.action ?? '', 100)}\n${confirmHint(t.no)}`]],
  // Only the confirmation reminder is the reporter's business; SLA escalations (also `reminded`) send their own.
  reminded: (_b, t, e) =>
    e.kind === 'confirm' ? [[(e.to as string[]) ?? reporters(t), `${tag(t.no)} 已解决，等待你的确认。${confirmHint(t.no)}`]] : [],
  closed: (b, t, e) =>
    e.auto
      ? [[[...reporters(t), ...assignee(t)], `${tag(t.no)} 解决后 ${b.tickets.autoCloseHours} 小时未确认，已自动关闭`]]
      : [[assignee(t), `${tag(t.no)} 已确认关闭${t.confirmation?.rating ? `，评分 ${t.confirmation.rating} 分` : ''}`]],
  rejected: (_b, t, e) => [[assignee(t), `${tag(t.no)} 报修人反馈未解决：${short(String(e.reason), 100)}，已重新打开`]],
  paused: (_b, t, e) => [[reporters(t), `${tag(t.no)} 已挂起：${short(String(e.reason), 100)}`]],
  resumed: (_b, t) => [[reporters(t), `${tag(t.no)} 已恢复处理`]],
  transferred: (b, t, e) => {
    const from = e.from as PersonRef | null;
    const out: Array<[string[], string]> = [
      [assignee(t), `${tag(t.no)} 已转派给你${from ? `（来自 ${from.name}）` : ''}：${short(t.title)}`],
      [reporters(t), `${tag(t.no)} 改由 ${t.assignee?.name} 处理`],
    ];
    // A lead moving the ticket: the engineer who had it must hear it (when they hand it over, they said it).
    if (from) out.push([[from.userid], `${tag(t.no)} 已由 ${personName(b, e.actor)} 转派给 ${t.assignee?.name}`]);
    return out;
  },
  level_changed: (_b, t, e) => [[assignee(t), `${tag(t.no)} 级别改为${levelWords(e.to as number)}，解决时限 ${at(t.sla.resolve.dueAt)}`]],
  cancelled: (_b, t, e) => [[[...reporters(t), ...assignee(t)], `${tag(t.no)} 已取消：${short(String(e.reason), 100)}`]],
};

/**
 * The notices an event causes for people other than its actor (reporter, subscribers, assignee).
 * The notifier (a ticket-event processor) sends them, for changes from chat, cards, dialogs and jobs alike.
 */
export function noticesFor(bot: BotConfig, ticket: TicketDoc, event: TicketEventRecord): ChatNotice[] {
  const compose = COMPOSE[event.type];
  if (!compose) return [];
  const out: ChatNotice[] = [];
  for (const [ids, text] of compose(bot, ticket, event)) {
    const userids = [...new Set(ids)].filter((u) => u && u !== event.actor);
    if (userids.length) out.push({ userids, text });
  }
  return out;
}

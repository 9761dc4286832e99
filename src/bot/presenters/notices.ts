/**
 * What each ticket event tells whom (reporter, other reporters of the same fault, assignee), as text.
 * Every message names its ticket ("#2 HIS 登录报错 …") because a direct message arrives out of context.
 * Text for anyone other than the reporter and the assignee (other reporters, a previous engineer) has patient
 * identifiers masked; the reporter and the assignee see what was written.
 */
import type { BotConfig } from '../../config/bots.js';
import type { EventType, TicketDoc, TicketEventOf, TicketEventRecord } from '../../tickets/types.js';
import { whoIsOnDuty } from '../../roster/roster.js';
import { maskIdentifiers } from './mask.js';
import { nameOf, personName, staffPhones, whoWithPhone } from './people.js';
import { ticketName } from './ticket.js';
import { at, levelWords, short } from './words.js';

/** Someone other than the actor who should hear about an event (delivered by the notifier through the outbox). */
export interface ChatNotice {
  userids: string[];
  text: string;
}

const reporters = (t: TicketDoc) => [t.reporter.userid, ...(t.subscribers ?? []).map((s) => s.userid)];
const assignee = (t: TicketDoc) => (t.assignee ? [t.assignee.userid] : []);
const confirmHint = (no: number) => `请回复「确认 ${no}」（可加 1–5 分和一句评价），没解决请回复「未解决 ${no} 原因」`;

/** What one event of type K tells whom: [recipients, text] pairs. */
type Compose<K extends EventType> = (bot: BotConfig, t: TicketDoc, e: TicketEventOf<K>) => Array<[string[], string]>;

/** The engineer's new ticket, in full: level, deadlines, reporter and how to reach them. */
export function handoverText(bot: BotConfig, t: TicketDoc, from: string | null): string {
  const r = t.reporter;
  return [
    `${ticketName(bot, t)} 已转派给您${from ? `（来自 ${from}）` : ''}`,
    `级别：${levelWords(t.level)}，解决时限 ${at(t.sla.resolve.dueAt)}`,
    `报修：${[r.department, nameOf(bot, r)].filter(Boolean).join(' ')}${r.contact ? ` ${r.contact}` : ''}`,
  ].join('\n');
}

/** Who hears about each event, and what; types not listed are nobody else's business. */
const COMPOSE: { [K in EventType]?: Compose<K> } = {
  claimed: (b, t) => [
    [
      reporters(t),
      `${ticketName(b, t)}：${t.assignee ? whoWithPhone(b, t.assignee.userid) : '工程师'} 已接单，会在 ${at(t.sla.resolve.dueAt)} 前处理好`,
    ],
  ],
  dispatched: (b, t) => [[reporters(t), `${ticketName(b, t)}：${t.assignee?.name} 会在 ${at(t.sla.onsite?.dueAt)} 前到现场`]],
  arrived: (b, t) => [[reporters(t), `${ticketName(b, t)}：${t.assignee?.name} 已到现场`]],
  progress: (b, t, e) => [[reporters(t), `${ticketName(b, t)} 进展：${short(e.text, 200)}`]],
  resolved: (b, t) => [[reporters(t), `${ticketName(b, t)} 已处理好：${short(t.repair?.action ?? '', 100)}\n${confirmHint(t.no)}`]],
  // Only the confirmation reminder is the reporter's business (SLA escalations send their own), and only while
  // the ticket still waits for it: a closed or reopened ticket is not "还在等您确认".
  reminded: (b, t, e) =>
    e.kind === 'confirmation' && t.status === 'resolved'
      ? [[e.to.length ? e.to : reporters(t), `${ticketName(b, t)} 已处理好，还在等您确认。${confirmHint(t.no)}`]]
      : [],
  closed: (b, t, e) =>
    e.auto
      ? [[[...reporters(t), ...assignee(t)], `${ticketName(b, t)} 处理好后 ${b.tickets.autoCloseHours} 小时未确认，已自动关闭`]]
      : [
          [
            assignee(t),
            `${ticketName(b, t)} 已确认关闭${t.confirmation?.rating ? `，评分 ${t.confirmation.rating} 分` : ''}${t.confirmation?.comment ? `：${short(t.confirmation.comment, 60)}` : ''}`,
          ],
        ],
  rejected: (b, t, e) => [[assignee(t), `${ticketName(b, t)} 报修人反馈未解决：${short(e.reason, 100)}，已重新打开`]],
  paused: (b, t, e) => [[reporters(t), `${ticketName(b, t)} 暂时挂起：${short(e.reason, 100)}`]],
  resumed: (b, t) => [[reporters(t), `${ticketName(b, t)} 已恢复处理`]],
  transferred: (b, t, e) => {
    const from = e.from;
    const out: Array<[string[], string]> = [
      [assignee(t), handoverText(b, t, from?.name ?? null)],
      [reporters(t), `${ticketName(b, t)} 改由 ${t.assignee ? whoWithPhone(b, t.assignee.userid) : '工程师'} 处理`],
    ];
    // A lead moving the ticket: the engineer who had it must hear it (when they hand it over, they said it).
    if (from) out.push([[from.userid], `${ticketName(b, t)} 已由 ${personName(b, e.actor)} 转派给 ${t.assignee?.name}`]);
    return out;
  },
  level_changed: (b, t, e) => [[assignee(t), `${ticketName(b, t)} 级别改为${levelWords(e.to)}，解决时限 ${at(t.sla.resolve.dueAt)}`]],
  // A chase: the assignee (or the on-duty engineer while unclaimed) is nudged; a second chase within the interval
  // also reaches the backup and the leads, with what they can do (leads cannot claim).
  chased: (b, t, e) => {
    const out: Array<[string[], string]> = [[e.to, chaseNudge(b, t, e.waitedMinutes)]];
    if (e.escalateTo.length) out.push([e.escalateTo, chaseEscalation(b, t, e.waitedMinutes)]);
    return out;
  },
  noted: (b, t, e) => [[assignee(t), `${ticketName(b, t)} 报修人留言：${short(e.text, 200)}`]],
  cancelled: (b, t, e) =>
    e.recovered
      ? // Unclaimed: the on-duty engineer who got the claim card must not come.
        [
          [
            [...reporters(t), ...(t.assignee ? assignee(t) : [firstResponder(b, t)])],
            `${ticketName(b, t)} 报修人告知已恢复，已关闭，无需再处理`,
          ],
        ]
      : e.withdrawn
        ? [
            [
              [...reporters(t), ...assignee(t)],
              `${ticketName(b, t)} 报修人已撤销${e.reason ? `：${short(e.reason, 100)}` : ''}，无需再处理`,
            ],
          ]
        : [[[...reporters(t), ...assignee(t)], `${ticketName(b, t)} 已取消：${short(e.reason, 100)}`]],
};

/** Who got the new ticket's claim card: the on-duty engineer of its system when it opened. */
function firstResponder(bot: BotConfig, t: TicketDoc): string {
  return whoIsOnDuty(bot, t.system, t.createdAt).primary;
}

/** "报修人在催 #5 HIS 3床医嘱…，已等 52 分钟" (to the assignee, or the on-duty engineer with 接单). */
function chaseNudge(bot: BotConfig, t: TicketDoc, waited: number): string {
  const todo = t.assignee ? '请尽快处理并回复「进展' : '还没有人接单，请尽快「接单';
  return `报修人在催 ${ticketName(bot, t)}，已等 ${waited} 分钟。${todo} ${t.no}」`;
}

/** To the backup and the leads on a second chase: who has it, and what they can do. */
function chaseEscalation(bot: BotConfig, t: TicketDoc, waited: number): string {
  const who = t.assignee ? `处理人 ${t.assignee.name}` : '仍无人接单';
  return `报修人再次催办 ${ticketName(bot, t)}，已等 ${waited} 分钟，${who}。可回复「进度 ${t.no}」查看，「转派 ${t.no} @工程师」改派。`;
}

/**
 * The notices an event causes for people other than its actor (reporter, subscribers, assignee): one entry per
 * text, recipients deduplicated; people outside the reporter–assignee circle get a masked copy.
 */
export function noticesFor(bot: BotConfig, ticket: TicketDoc, event: TicketEventRecord): ChatNotice[] {
  return toRecipients(bot, ticket, event, composed(event.type, event, bot, ticket));
}

/** The composer of the event's own type (K ties the key to the event's shape, so no cast is needed). */
function composed<K extends EventType>(type: K, event: TicketEventOf<K>, bot: BotConfig, t: TicketDoc): Array<[string[], string]> {
  const compose: Compose<K> | undefined = COMPOSE[type];
  return compose ? compose(bot, t, event) : [];
}

function toRecipients(bot: BotConfig, ticket: TicketDoc, event: TicketEventRecord, texts: Array<[string[], string]>): ChatNotice[] {
  const inner = new Set([ticket.reporter.userid, ...assignee(ticket)]);
  const keep = staffPhones(bot);
  const out: ChatNotice[] = [];
  for (const [ids, text] of texts) {
    const userids = [...new Set(ids)].filter((u) => u && u !== event.actor);
    const near = userids.filter((u) => inner.has(u));
    const far = userids.filter((u) => !inner.has(u));
    if (near.length) out.push({ userids: near, text });
    if (far.length) out.push({ userids: far, text: maskIdentifiers(text, keep) });
  }
  return out;
}

/**
 * The reporter's message when their ticket is resolved: what was done, then the question. `asked`: a confirm
 * conversation was started in the app chat, so a number or a natural answer ("好了 谢谢 5分") is enough.
 */
export function resolvedAsk(bot: BotConfig, t: TicketDoc, asked: boolean): string {
  const repair = t.repair ? `原因：${t.repair.cause}；处理：${t.repair.action}` : '';
  const question = asked
    ? '问题解决了吗？回复编号：\n1 已解决  2 未解决\n（也可以直接说“好了 5分”，或说哪里还不行）'
    : `${confirmHint(t.no)}。`;
  return `${ticketName(bot, t)} 已处理好。${repair}\n${question}`;
}

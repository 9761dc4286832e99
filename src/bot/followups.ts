/**
 * Follow-ups (issue #17): a message from someone with an unfinished ticket in this chat that carries no new fault
 * is about that ticket, never met with the "需要报修请 @我" hint.
 *
 * - status ("好了吗", "什么时候能修好"): who has it, since when, by when, in plain words;
 * - chase ("还没人来", "5号单怎么还没人接"): the assignee, or the on-duty engineer while nobody claimed it, is
 *   nudged with the wait; a second chase within `chaseIntervalMinutes` (default: the escalation policy's
 *   `repeatEveryMin`) also reaches the backup and the leads — a `chased` event the notifier delivers once each;
 * - complaint ("你们怎么回事…没人管！！"): kept as a reporter note on the ticket (`noted`) and answered;
 * - recovered ("现在又好了 不卡了 不用来了"): "#3 已恢复？回复 1 关闭，2 仍需处理"; 1 closes it as withdrawn by the
 *   reporter with `recovered: true` (no repair record is invented).
 *
 * A message names its ticket ("5号单", "#5") or means the sender's most recent unfinished one reported here.
 */
import { whoIsOnDuty } from '../roster/roster.js';
import { chaseTicket, noteTicket } from '../tickets/commands/index.js';
import { getTicket, listEvents, ticketsOf } from '../tickets/queries.js';
import { ACTIVE, isEventOf, type TicketDoc } from '../tickets/types.js';
import { type Answer, chatIdOf, type EngineCtx, idleMinutes, ticketCtx, type Turn } from './context.js';
import { laneOf, startConversation } from './conversations.js';
import { emptyState, markAsked, promptFor, slotOf } from './forms.js';
import { fill } from './presenters/chat.js';
import { chaseReply, complaintReply, followUpStatusText } from './presenters/followups.js';
import type { TextTurn } from './steps/types.js';

export interface FollowUpSignals {
  status: boolean;
  chase: boolean;
  complaint: boolean;
  recovered: boolean;
}

const STATUS_RE =
  /吗[?？!！。\s]*$|[?？]|怎么样|进度|进展|什么时候|啥时候|几点|多久|到哪|谁(?:在)?(?:处理|负责|值班|管|来)|有人(?:管|处理|来|接)|好了没|修好|处理好/u;
const CHASE_RE =
  /还没(?:有)?人|(?:还|怎么还|咋还)(?:没|不)(?:来|到|接|处理|管|修|弄|好|人|见)|没人(?:接|来|管|处理|理|回)|人呢|人在哪|催|快点|快一点|快些|赶紧|抓紧|尽快|急死|等了|等半天|等很久|等好久|等着呢|多久了|小时了|半天了|分钟了/u;
const COMPLAINT_RE =
  /怎么回事|投诉|没人管|有没有人(?:管|理)|不管|态度(?:差|不好|恶劣)|太差|差劲|破系统|垃圾|天天(?:出|坏|卡)|老是(?:出|坏)|效率|耽误|出了事|谁负责|太慢|搞什么|离谱|无语|[!！]{2,}/u;
const RECOVERED_RE =
  /(?:好了|恢复了|恢复正常|正常了|可以用了|可以了|能用了|不卡了|能登(?:录|陆|上)?了|登上了|能打开了|打开了|出来了|没问题了)(?![吗没么嘛呢?？])|不用(?:来|修|处理|过来|弄)了|没事了|自己好/u;
const NEGATED_RE = /(?:没|不|未|还没)(?:好|恢复|正常|能用|可以|能登|打开|出来)/u;

/** What a message says about a ticket it follows up; all false = not a follow-up. */
export function followUpSignals(text: string): FollowUpSignals {
  const t = text.normalize('NFKC').replace(/\s+/g, ' ');
  const recovered = RECOVERED_RE.test(t) && !NEGATED_RE.test(t.replace(/不卡/g, ''));
  return { status: STATUS_RE.test(t), chase: CHASE_RE.test(t), complaint: COMPLAINT_RE.test(t), recovered };
}

const isFollowUp = (s: FollowUpSignals) => s.status || s.chase || s.complaint || s.recovered;

/** "5号单", "#5", "5号": the ticket a message names. */
function namedTicket(text: string): number | null {
  const m = /[#＃]\s*(\d{1,9})|(\d{1,9})\s*号\s*(?:单|工单|的单)/u.exec(text.normalize('NFKC'));
  return m ? Number(m[1] ?? m[2]) : null;
}

/**
 * The ticket a follow-up is about: the one it names, else the sender's most recent unfinished report (or one they
 * joined) from this chat (in a 1:1 chat: from any chat). Null when they have none.
 */
export async function followUpTicket(turn: Turn, text: string): Promise<TicketDoc | null> {
  const bot = turn.bot.id;
  const user = turn.msg.from.userid;
  const named = namedTicket(text);
  if (named !== null) return getTicket(bot, named);
  const mine = await ticketsOf(bot, user, 20);
  const chat = chatIdOf(turn.msg);
  const candidates = mine.filter(
    (t) =>
      (t.reporter.userid === user || t.subscribers.some((s) => s.userid === user)) &&
      [...ACTIVE, 'linked', 'resolved'].includes(t.status) &&
      (turn.msg.chatType === 'single' || t.chat?.chatId === chat),
  );
  return candidates.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.no - a.no)[0] ?? null;
}

/** The incident a linked report waits for (its status is the incident's), else the ticket itself. */
async function workedTicket(t: TicketDoc): Promise<TicketDoc> {
  if (t.status !== 'linked' || t.parentNo == null) return t;
  return (await getTicket(t.bot, t.parentNo)) ?? t;
}

/** For 值班 from someone waiting on a ticket here: how their ticket stands (else ""). */
export async function followUpStatus(turn: Turn): Promise<string> {
  const t = await followUpTicket(turn, '');
  if (!t) return '';
  return statusOf(turn, t);
}

/** The status sentence of `own` (through its incident when linked), with when the current holder took it. */
async function statusOf(turn: Turn, own: TicketDoc): Promise<string> {
  const t = await workedTicket(own);
  const taken = t.assignee
    ? (await listEvents(t.bot, t.no, t)).filter((e) => e.type === 'claimed' || e.type === 'transferred').at(-1)
    : undefined;
  return followUpStatusText(turn.bot, own, t, turn.now, taken ? new Date(taken.at) : null);
}

/**
 * Handles the message as a follow-up when it is one (signals and a ticket to follow up); undefined otherwise, so
 * the next step (a new report, small talk) takes it. A complete report of another system with no ticket named is a
 * new fault, not a follow-up.
 */
export async function handleFollowUp(ctx: EngineCtx, turn: TextTurn): Promise<Answer | undefined> {
  const signals = followUpSignals(turn.text);
  const named = namedTicket(turn.text);
  if (!isFollowUp(signals) && named === null) return undefined;
  const own = await followUpTicket(turn, turn.text);
  if (!own) return undefined;
  const tr = turn.triage();
  // "请尽快处理 PACS打不开" from someone waiting on a HIS ticket is a new fault, whatever its words.
  const newFault = (tr.intent === 'report' || tr.intent === 'request') && tr.system && tr.system !== own.system;
  if (named === null && newFault && !tr.missing.includes('symptom')) return undefined;
  if (named !== null && !isFollowUp(signals)) return undefined; // "5号单子什么时候…" is a status question (triage)
  const t = await workedTicket(own);
  const user = turn.msg.from.userid;
  const isReporter = own.reporter.userid === user;

  if (signals.recovered && isReporter && ACTIVE.includes(own.status) && !signals.chase && !signals.complaint) {
    return offerClose(ctx, turn, own);
  }
  const lines: string[] = [];
  if (signals.complaint && ACTIVE.includes(own.status)) {
    // Handled again after a crash: the note is on the ticket already, the answer is the same.
    const source = `inbox:${turn.msg.id}`;
    const kept = await sourceSeen(own, 'noted', source);
    const r = kept
      ? { ok: true }
      : await noteTicket(ticketCtx(ctx, turn.bot), { no: own.no, actor: turn.msg.from, text: turn.text, source });
    if (r.ok) lines.push(complaintReply(own));
  }
  if ((signals.chase || signals.complaint) && ACTIVE.includes(t.status)) {
    lines.push(await chase(ctx, turn, t));
  }
  lines.push(await statusOf(turn, own));
  return lines.filter(Boolean).join('\n');
}

/**
 * Records a chase on the worked ticket: the assignee, or the on-duty engineer while unclaimed; a second chase
 * within the interval (and none escalated in it yet) also the backup and the leads. Returns the reporter's line.
 */
async function chase(ctx: EngineCtx, turn: TextTurn, t: TicketDoc): Promise<string> {
  const bot = turn.bot;
  const duty = whoIsOnDuty(bot, t.system, turn.now);
  const to = [t.assignee?.userid ?? duty.primary];
  const source = `inbox:${turn.msg.id}`;
  const intervalMs = (bot.conversation.chaseIntervalMinutes ?? bot.escalation.repeatEveryMin) * 60_000;
  const chases = (await listEvents(bot.id, t.no, t)).filter(isEventOf('chased'));
  // The same message handled again after a crash: the chase is recorded (and its nudges queued) already.
  const again = chases.find((e) => e.source === source);
  if (again) return chaseReply(bot, again.to[0] ?? to[0], again.escalateTo.length > 0);
  const recent = chases.filter((e) => turn.now.getTime() - new Date(e.at).getTime() <= intervalMs);
  const escalated = recent.some((e) => e.escalateTo.length > 0);
  const escalateTo =
    recent.length > 0 && !escalated
      ? [...new Set([duty.backup, ...bot.roster.leads.map((l) => l.userid)])].filter((u) => u && !to.includes(u))
      : [];
  const waitedMinutes = (turn.now.getTime() - t.createdAt.getTime()) / 60_000;
  const r = await chaseTicket(ticketCtx(ctx, bot), {
    no: t.no,
    actor: turn.msg.from,
    to,
    escalateTo,
    waitedMinutes,
    text: turn.text,
    source,
  });
  return r.ok ? chaseReply(bot, to[0], escalateTo.length > 0) : '';
}

/** Has a `noted` event from this message been recorded on `t` already? */
async function sourceSeen(t: TicketDoc, type: 'noted', source: string): Promise<boolean> {
  return (await listEvents(t.bot, t.no, t)).filter(isEventOf(type)).some((e) => e.source === source);
}

/** "#3 已恢复？回复 1 关闭，2 仍需处理": the recovered dialog in this chat, about this ticket. */
async function offerClose(ctx: EngineCtx, turn: TextTurn, t: TicketDoc): Promise<Answer> {
  const flow = ctx.flows.form('recovered');
  const outcome = slotOf(flow, 'outcome');
  const { msg } = turn;
  await startConversation({
    key: turn.key,
    lane: laneOf(flow.id, t.no),
    channel: msg.channel,
    chatType: msg.chatType,
    flow: flow.id,
    form: markAsked(emptyState(), outcome),
    context: { no: t.no, system: t.system },
    now: turn.now,
    idleMinutes: idleMinutes(turn.bot, flow),
  });
  return fill(promptFor(outcome, turn.bot, false), { no: t.no });
}

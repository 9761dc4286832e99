/** Handlers of the verbs that change a ticket: 接单 派现场 到场 进展 解决 转派 挂起 恢复 改级 确认 未解决 取消. */
import type { BotConfig } from '../../config/bots.js';
import {
  addProgress,
  arriveOnsite,
  cancelTicket,
  changeLevel,
  claimTicket,
  confirmTicket,
  createTicket,
  dispatchOnsite,
  pauseTicket,
  rejectResolution,
  resolveTicket,
  resumeTicket,
  supplementTicket,
  transferTicket,
  withdrawTicket,
} from '../../tickets/commands/index.js';
import { engineersFor, personName, roleOf } from '../../roster/roster.js';
import { getTicket } from '../../tickets/queries.js';
import { allows } from '../../tickets/lifecycle.js';
import type { TicketContext } from '../../tickets/types.js';
import { readConfirmation } from '../answers.js';
import { systemFrom } from '../duty.js';
import { ARG_SEP, trimArg } from '../grammar.js';
import { firstResponder } from '../notifier.js';
import * as say from '../presenters/commands.js';
import { type ChatContent, plain } from '../presenters/content.js';
import { askForNumber, respond } from './reply.js';
import type { CommandHandler, Verb } from './types.js';

const claim: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ?? respond(ctx, await claimTicket(ctx, { no: p.no!, actor: msg.from }), ({ doc: t }) => say.claimed(ctx.bot, t));

const dispatch: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ?? respond(ctx, await dispatchOnsite(ctx, { no: p.no!, actor: msg.from }), ({ doc: t }) => say.dispatched(t));

const arrive: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ?? respond(ctx, await arriveOnsite(ctx, { no: p.no!, actor: msg.from }), ({ doc: t }) => say.arrived(t));

const progress: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p, ' <进展>') ??
  respond(ctx, await addProgress(ctx, { no: p.no!, actor: msg.from, text: p.rest }), ({ doc: t }) => say.progressNoted(t));

/** "原因:… 处理:…" in either order; each part runs to the next label or the end. */
export function parseRepair(text: string): { cause: string; action: string } {
  const part = (label: string, other: string) => {
    const m = new RegExp(`(?:${label})\\s*[:：]\\s*([\\s\\S]*?)(?=[\\s,，;；、。]*(?:${other})\\s*[:：]|$)`).exec(text);
    return m ? trimArg(m[1]) : '';
  };
  return { cause: part('原因', '处理|措施'), action: part('处理|措施', '原因') };
}

const resolve: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' 原因:<…> 处理:<…>');
  if (ask) return ask;
  const { cause, action } = parseRepair(p.rest);
  if (!cause || !action) {
    return { reply: say.resolveMissing(p.no!, [!cause ? '原因' : '', !action ? '处理' : ''].filter(Boolean)) };
  }
  // An unclaimed ticket nobody has: the engineer who fixed it claims and resolves in one step (both recorded).
  const before = await getTicket(ctx.bot.id, p.no!);
  let claimedToo = false;
  if (before && allows('claim', before.status) && !before.assignee && roleOf(ctx.bot, msg.from.userid) !== 'reporter') {
    const claimed = await claimTicket(ctx, { no: p.no!, actor: msg.from });
    if (!claimed.ok) return { reply: plain(claimed.message) };
    claimedToo = true;
  }
  return respond(ctx, await resolveTicket(ctx, { no: p.no!, actor: msg.from, cause, action }), ({ doc: t }) => say.resolved(t, claimedToo));
};

/** The engineer to hand over to: a userid or name after the number, else the first @mention after the verb. */
export function transferTarget(bot: BotConfig, rest: string, text?: string): { to: string | null; reason: string } {
  const find = (token: string) => bot.roster.engineers.find((e) => e.userid === token || e.name === token)?.userid;
  // The first argument, up to a space or a comma/colon of either width; the reason after it stays as written.
  const [first = ''] = rest.split(ARG_SEP, 1);
  const after = trimArg(rest.slice(first.length));
  const named = first ? find(first.replace(/^@/, '')) : undefined;
  if (named) return { to: named, reason: after };
  // The grammar strips @mentions (the bot's own among them); the ones after 转派 name the new engineer.
  const raw = text ?? '';
  const verbAt = raw.indexOf('转派');
  const mention = verbAt >= 0 ? /@([^\s,，;；、:：]+)/.exec(raw.slice(verbAt + 2))?.[1] : undefined;
  if (mention) return { to: find(mention) ?? mention, reason: rest };
  return { to: first ? first.replace(/^@/, '') : null, reason: after };
}

const transfer: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' @工程师');
  if (ask) return ask;
  const { to, reason } = transferTarget(ctx.bot, p.rest, msg.text);
  if (!to) return { reply: say.transferAsk(p.no!) };
  return respond(ctx, await transferTicket(ctx, { no: p.no!, actor: msg.from, to, reason }), ({ doc: t }) => say.transferred(t));
};

const pause: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p, ' <原因>') ??
  respond(ctx, await pauseTicket(ctx, { no: p.no!, actor: msg.from, reason: p.rest }), ({ doc: t }) => say.paused(t));

const resume: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ?? respond(ctx, await resumeTicket(ctx, { no: p.no!, actor: msg.from }), ({ doc: t }) => say.resumed(t));

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };

const relevel: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' 2 <原因>');
  if (ask) return ask;
  const m = /^([0-9一二三四])\s*级?[\s,，;；、:：]*([\s\S]*)$/u.exec(p.rest);
  if (!m) return { reply: say.relevelAsk(p.no!) };
  const level = CN_DIGITS[m[1]] ?? Number(m[1]);
  return respond(ctx, await changeLevel(ctx, { no: p.no!, actor: msg.from, level, reason: m[2] }), ({ doc: t }) => say.releveled(t));
};

const confirm: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' 5');
  if (ask) return ask;
  // "确认 12 5分 谢谢刘工", "确认 12 非常满意 中午就修好了": the rating anywhere, the words kept as the comment.
  const { rating, comment } = readConfirmation(p.rest);
  return respond(ctx, await confirmTicket(ctx, { no: p.no!, actor: msg.from, rating, comment }), ({ doc: t }) => say.confirmedReply(t));
};

const reject: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' <原因>');
  if (ask) return ask;
  const result = await rejectResolution(ctx, { no: p.no!, actor: msg.from, reason: p.rest });
  if (!result.ok && result.code === 'bad_status') {
    const again = await reportAgain(ctx, p.no!, msg.from.userid, p.rest);
    if (again) return { reply: again };
  }
  return respond(ctx, result, ({ doc: t }) => (t.status === 'open' ? say.reopenedAlone(t) : say.reopened(t)));
};

/**
 * A report closed together with its incident, and its reporter says it is still broken: a new ticket from their own
 * report (same system, level, words), rather than "已关闭，不能退回". Null when that does not apply.
 */
async function reportAgain(ctx: TicketContext, no: number, userid: string, reason: string): Promise<ChatContent | null> {
  const t = await getTicket(ctx.bot.id, no);
  if (!t || t.status !== 'closed' || t.parentNo == null || t.reporter.userid !== userid) return null;
  const made = await createTicket(ctx, {
    system: t.system,
    level: t.level,
    title: t.title,
    description: [t.description, say.stillBrokenNote(t.no, t.parentNo, reason)].join('\n'),
    triageReason: t.triageReason,
    reporter: t.reporter,
    chat: t.chat,
  });
  if (!made.ok) return plain(made.message);
  return say.reportedAgain(t.no, t.parentNo, made.doc.no);
}

/** The reporter's own report: 取消 means withdrawing it (leads cancel any ticket with a reason). */
const cancel: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' <原因>');
  if (ask) return ask;
  const t = roleOf(ctx.bot, msg.from.userid) === 'lead' ? null : await getTicket(ctx.bot.id, p.no!);
  if (t && t.reporter.userid === msg.from.userid) return withdraw(ctx, msg, p);
  return respond(ctx, await cancelTicket(ctx, { no: p.no!, actor: msg.from, reason: p.rest }), ({ doc }) => say.cancelled(doc));
};

/** 撤销 12 [原因]: the reporter withdraws their report; the engineer is told (presenters/notices.ts). */
const withdraw: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ??
  respond(ctx, await withdrawTicket(ctx, { no: p.no!, actor: msg.from, reason: p.rest }), ({ doc }) => say.withdrawn(doc));

/**
 * 改系统 12 pacs (engineers, leads): corrects a wrongly triaged system. An unclaimed ticket is pinged afresh to
 * the new system's on-duty engineer (the notifier does it on the corrected event); a claimed one moves to that
 * engineer when its assignee does not cover the new system.
 */
const resystem: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' pacs');
  if (ask) return ask;
  if (roleOf(ctx.bot, msg.from.userid) === 'reporter') return { reply: say.staffOnly('改系统') };
  if (!p.rest) return { reply: say.resystemAsk(p.no!) };
  const system = systemFrom(ctx.bot, p.rest);
  if (!system) return { reply: say.resystemUnknown(p.no!, p.rest, ctx.bot) };
  const changed = await supplementTicket(ctx, { no: p.no!, actor: msg.from, system });
  if (!changed.ok) return { reply: changed.code === 'nothing' ? say.sameSystem(p.no!) : plain(changed.message) };
  const t = changed.doc;
  const onDuty = firstResponder(ctx.bot, t.system, ctx.clock.now());
  const covers = (u: string) => u === onDuty || engineersFor(ctx.bot, t.system).some((e) => e.userid === u);
  if (t.assignee && !covers(t.assignee.userid)) {
    const moved = await transferTicket(ctx, { no: t.no, actor: msg.from, to: onDuty, reason: say.resystemReason(ctx.bot, t.system) });
    if (moved.ok) return respond(ctx, moved, ({ doc }) => say.resystemed(ctx.bot, doc, personName(ctx.bot, onDuty)));
  }
  return respond(ctx, changed, ({ doc }) => say.resystemed(ctx.bot, doc, t.status === 'open' ? personName(ctx.bot, onDuty) : null));
};

export const ticketActionHandlers: Partial<Record<Verb, CommandHandler>> = {
  接单: claim,
  派现场: dispatch,
  到场: arrive,
  进展: progress,
  解决: resolve,
  转派: transfer,
  挂起: pause,
  恢复: resume,
  改级: relevel,
  确认: confirm,
  未解决: reject,
  取消: cancel,
  撤销: withdraw,
  改系统: resystem,
};

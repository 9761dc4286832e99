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
  transferTicket,
} from '../../tickets/commands/index.js';
import { levelWords } from '../../tickets/labels.js';
import { getTicket } from '../../tickets/queries.js';
import type { TicketContext } from '../../tickets/types.js';
import { at, duration, levelAndSystem, short, tag } from './format.js';
import { askForNumber, respond } from './reply.js';
import type { CommandHandler, Verb } from './types.js';

const claim: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ??
  respond(ctx, await claimTicket(ctx, { no: p.no!, actor: msg.from }), ({ doc: t }) =>
    [
      `✅ 已接单 **${tag(t.no)}**（${levelAndSystem(ctx.bot, t)}）`,
      `报修：${[t.reporter.department, t.reporter.name].filter(Boolean).join(' ')} ${short(t.title)}`,
      `解决时限：${at(t.sla.resolve.dueAt)}`,
    ].join('\n'),
  );

const dispatch: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ??
  respond(
    ctx,
    await dispatchOnsite(ctx, { no: p.no!, actor: msg.from }),
    ({ doc: t }) => `已派现场 **${tag(t.no)}**，请于 ${at(t.sla.onsite?.dueAt)} 前到场，到场后回复「到场 ${t.no}」`,
  );

const arrive: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ??
  respond(ctx, await arriveOnsite(ctx, { no: p.no!, actor: msg.from }), ({ doc: t }) => {
    const took = duration(t.sla.onsite?.elapsedMs);
    return `已登记到场 **${tag(t.no)}**${took ? `（用时 ${took}）` : ''}`;
  });

const progress: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p, ' <进展>') ??
  respond(ctx, await addProgress(ctx, { no: p.no!, actor: msg.from, text: p.rest }), ({ doc: t }) => `已记录 **${tag(t.no)}** 进展`);

/** "原因:… 处理:…" in either order; each part runs to the next label or the end. */
export function parseRepair(text: string): { cause: string; action: string } {
  const part = (label: string, other: string) => {
    const m = new RegExp(`(?:${label})\\s*[:：]\\s*([\\s\\S]*?)(?=\\s*(?:${other})\\s*[:：]|$)`).exec(text);
    return m ? m[1].trim() : '';
  };
  return { cause: part('原因', '处理|措施'), action: part('处理|措施', '原因') };
}

const resolve: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' 原因:<…> 处理:<…>');
  if (ask) return ask;
  const { cause, action } = parseRepair(p.rest);
  if (!cause || !action) {
    const missing = [!cause && '原因', !action && '处理'].filter(Boolean).join('和');
    return { reply: `请补充${missing}：解决 ${p.no} 原因:<故障原因> 处理:<处理措施>` };
  }
  return respond(ctx, await resolveTicket(ctx, { no: p.no!, actor: msg.from, cause, action }), ({ doc: t }) => {
    const took = duration(t.sla.resolve.elapsedMs);
    return `✅ **${tag(t.no)}** 已解决${took ? `（用时 ${took}）` : ''}，已请报修人确认`;
  });
};

/** The engineer to hand over to: a userid or name after the number, else the first @mention after the verb. */
export function transferTarget(bot: BotConfig, rest: string, text?: string): { to: string | null; reason: string } {
  const find = (token: string) => bot.roster.engineers.find((e) => e.userid === token || e.name === token)?.userid;
  const [first = '', ...more] = rest.split(/\s+/).filter(Boolean);
  const named = first ? find(first.replace(/^@/, '')) : undefined;
  if (named) return { to: named, reason: more.join(' ') };
  // The grammar strips @mentions (the bot's own among them); the ones after 转派 name the new engineer.
  const raw = text ?? '';
  const verbAt = raw.indexOf('转派');
  const mention = verbAt >= 0 ? /@(\S+)/.exec(raw.slice(verbAt + 2))?.[1] : undefined;
  if (mention) return { to: find(mention) ?? mention, reason: rest };
  return { to: first ? first.replace(/^@/, '') : null, reason: more.join(' ') };
}

const transfer: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' @工程师');
  if (ask) return ask;
  const { to, reason } = transferTarget(ctx.bot, p.rest, msg.text);
  if (!to) return { reply: `请指定接手的工程师：转派 ${p.no} @userid` };
  return respond(
    ctx,
    await transferTicket(ctx, { no: p.no!, actor: msg.from, to, reason }),
    ({ doc: t }) => `已将 **${tag(t.no)}** 转派给 ${t.assignee?.name}`,
  );
};

const pause: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p, ' <原因>') ??
  respond(
    ctx,
    await pauseTicket(ctx, { no: p.no!, actor: msg.from, reason: p.rest }),
    ({ doc: t }) => `**${tag(t.no)}** 已挂起：${short(t.pause?.reason ?? '', 100)}\n处理完外部事项后回复「恢复 ${t.no}」`,
  );

const resume: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p) ??
  respond(
    ctx,
    await resumeTicket(ctx, { no: p.no!, actor: msg.from }),
    ({ doc: t }) => `**${tag(t.no)}** 已恢复处理，解决时限顺延至 ${at(t.sla.resolve.dueAt)}`,
  );

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };

const relevel: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' 2 <原因>');
  if (ask) return ask;
  const m = /^([0-9一二三四])\s*级?\s*([\s\S]*)$/.exec(p.rest);
  if (!m) return { reply: `请写明新级别和原因：改级 ${p.no} <1-4> <原因>` };
  const level = CN_DIGITS[m[1]] ?? Number(m[1]);
  return respond(
    ctx,
    await changeLevel(ctx, { no: p.no!, actor: msg.from, level, reason: m[2] }),
    ({ doc: t }) => `**${tag(t.no)}** 已改为${levelWords(t.level)}，解决时限 ${at(t.sla.resolve.dueAt)}`,
  );
};

const confirm: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' 5');
  if (ask) return ask;
  const m = /^(\d+)\s*分?\s*([\s\S]*)$/.exec(p.rest);
  const rating = m ? Number(m[1]) : null;
  const comment = m ? m[2] : p.rest;
  return respond(
    ctx,
    await confirmTicket(ctx, { no: p.no!, actor: msg.from, rating, comment }),
    ({ doc: t }) => `感谢确认，**${tag(t.no)}** 已关闭${t.confirmation?.rating ? `（评分 ${t.confirmation.rating} 分）` : ''}`,
  );
};

const reject: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' <原因>');
  if (ask) return ask;
  const result = await rejectResolution(ctx, { no: p.no!, actor: msg.from, reason: p.rest });
  if (!result.ok && result.code === 'bad_status') {
    const again = await reportAgain(ctx, p.no!, msg.from.userid, p.rest);
    if (again) return { reply: again };
  }
  return respond(ctx, result, ({ doc: t }) =>
    t.status === 'open'
      ? `**${tag(t.no)}** 已单独登记为待处理工单，值班工程师会尽快处理`
      : `**${tag(t.no)}** 已重新打开，${t.assignee?.name ?? '工程师'} 会继续处理`,
  );
};

/**
 * A report closed together with its incident, and its reporter says it is still broken: a new ticket from their own
 * report (same system, level, words), rather than "已关闭，不能退回". Null when that does not apply.
 */
async function reportAgain(ctx: TicketContext, no: number, userid: string, reason: string): Promise<string | null> {
  const t = await getTicket(ctx.bot.id, no);
  if (!t || t.status !== 'closed' || t.parentNo == null || t.reporter.userid !== userid) return null;
  const made = await createTicket(ctx, {
    system: t.system,
    level: t.level,
    title: t.title,
    description: [
      t.description,
      reason ? `（#${t.no} 随 #${t.parentNo} 关闭后仍未解决：${reason}）` : `（#${t.no} 随 #${t.parentNo} 关闭后仍未解决）`,
    ].join('\n'),
    triageReason: t.triageReason,
    reporter: t.reporter,
    chat: t.chat,
  });
  if (!made.ok) return made.message;
  return `${tag(t.no)} 已随 ${tag(t.parentNo)} 关闭，已按您的报修重新登记 **${tag(made.doc.no)}**，值班工程师会尽快处理`;
}

const cancel: CommandHandler = async (ctx, msg, p) =>
  askForNumber(p, ' <原因>') ??
  respond(ctx, await cancelTicket(ctx, { no: p.no!, actor: msg.from, reason: p.rest }), ({ doc: t }) => `**${tag(t.no)}** 已取消`);

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
};

/** Engineers correct the machine's grouping of reports: 拆分 22 15 (detach #15 from incident #22), 合并 15 到 22 (link). */
import { requireStaff } from '../../tickets/guards.js';
import { linkReport, mergeIntoTicket, splitReport } from '../../tickets/commands/index.js';
import { getTicket } from '../../tickets/queries.js';
import { ACTIVE } from '../../tickets/types.js';
import { notFound } from '../presenters/commands.js';
import { plain } from '../presenters/content.js';
import * as say from '../presenters/incidents.js';
import { askForNumber, respond } from './reply.js';
import type { CommandHandler, Verb } from './types.js';

const NO_RE = /^(?:到|进|入|into)?\s*[#＃]?\s*(\d{1,9})\s*号?/u;

/** 拆分 <incident> <report>: the report becomes its own ticket (paged like a new one). */
const split: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' <报修单号>');
  if (ask) return ask;
  const denied = requireStaff(ctx.bot, msg.from.userid, '拆分');
  if (denied) return { reply: plain(denied.message) };
  const m = NO_RE.exec(p.rest);
  if (!m) return { reply: say.splitAsk(p.no!) };
  const reportNo = Number(m[1]);
  return respond(ctx, await splitReport(ctx, { incidentNo: p.no!, reportNo, actor: msg.from.userid }), () =>
    say.splitDone(p.no!, reportNo),
  );
};

/**
 * 合并 <report> 到 <target>: into an incident the report is linked (keeps its own record); into an ordinary ticket
 * it is a duplicate of the same fault (its reporter follows the target, the duplicate is cancelled as merged).
 */
const merge: CommandHandler = async (ctx, msg, p) => {
  const ask = askForNumber(p, ' 到 22');
  if (ask) return ask;
  const denied = requireStaff(ctx.bot, msg.from.userid, '合并');
  if (denied) return { reply: plain(denied.message) };
  const m = NO_RE.exec(p.rest);
  if (!m) return { reply: say.mergeAsk(p.no!) };
  const target = Number(m[1]);
  const into = await getTicket(ctx.bot.id, target);
  if (into?.kind === 'incident') {
    return respond(ctx, await linkReport(ctx, { incidentNo: target, reportNo: p.no!, actor: msg.from.userid, from: ACTIVE }), () =>
      say.mergedIntoIncident(p.no!, target),
    );
  }
  const child = await getTicket(ctx.bot.id, p.no!);
  if (!child) return { reply: notFound(p.no!) };
  return respond(ctx, await mergeIntoTicket(ctx, { no: target, reporter: child.reporter, childNo: child.no, actor: msg.from.userid }), () =>
    say.mergedAsDuplicate(p.no!, target),
  );
};

export const incidentActionHandlers: Partial<Record<Verb, CommandHandler>> = { 拆分: split, 合并: merge };

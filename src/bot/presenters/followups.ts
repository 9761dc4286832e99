/** What a reporter hears when following up a ticket (issue #17): its status in plain words, a chase, a note. */
import type { BotConfig } from '../../config/bots.js';
import type { TicketDoc } from '../../tickets/types.js';
import { responderForReporter } from './people.js';
import { plainTime } from './ticket.js';
import { short, systemName, tag } from './words.js';

/** "#5（HIS·3床医嘱下不了）" as a reporter reads it. */
function named(bot: BotConfig, t: TicketDoc): string {
  return `${tag(t.no)}（${systemName(bot, t.system)}·${short(t.title, 20)}）`;
}

/**
 * Who has it, since when, by when: "#5（HIS·…）由 张伟 工程师（138…）处理中（10:12 接单），会在 明天 12:00 前处理好。"
 * `own` is the sender's ticket, `t` the one being worked (its incident when linked); `since` when the holder took it.
 */
export function followUpStatusText(bot: BotConfig, own: TicketDoc, t: TicketDoc, now: Date, since: Date | null): string {
  const head = own.no === t.no ? named(bot, t) : `您的报修 ${tag(own.no)} 已并入故障事件 ${named(bot, t)}，`;
  const waited = Math.max(0, Math.round((now.getTime() - t.createdAt.getTime()) / 60_000));
  const who = t.assignee ? responderForReporter(bot, t.assignee.userid) : '';
  const took = since ? `（${plainTime(since, now)} 接单）` : '';
  switch (t.status) {
    case 'open': {
      const due = t.sla.response.dueAt;
      const late = due.getTime() < now.getTime();
      return `${head}还在等工程师接单，已等 ${waited} 分钟；${late ? `响应时限 ${plainTime(due, now)} 已过，已在催办。` : `${plainTime(due, now)} 前会有工程师联系您。`}`;
    }
    case 'claimed':
      return `${head}由 ${who}处理中${took}，会在 ${plainTime(t.sla.resolve.dueAt, now)} 前处理好。`;
    case 'onsite_dispatched':
      return `${head}由 ${who}处理${took}，会在 ${t.sla.onsite ? plainTime(t.sla.onsite.dueAt, now) : '尽快'} 前到现场。`;
    case 'onsite':
      return `${head}${who}已在现场处理，会在 ${plainTime(t.sla.resolve.dueAt, now)} 前处理好。`;
    case 'paused':
      return `${head}暂时挂起：${short(t.pause?.reason ?? '', 60)}。处理人 ${who || '待定'}。`;
    case 'resolved':
      return `${head}已处理好${t.repair ? `（${short(t.repair.action, 40)}）` : ''}。如已恢复请回复「确认 ${t.no}」，没解决请回复「未解决 ${t.no} 原因」。`;
    default:
      return `${head}已结束。如问题仍在，请直接重新描述。`;
  }
}

/** "已催 张伟 工程师（138…）尽快处理。": a chase taken; `escalated`: the backup and the leads were told too. */
export function chaseReply(bot: BotConfig, nudged: string, escalated: boolean): string {
  return `已催 ${responderForReporter(bot, nudged)}尽快处理${escalated ? '，并已告知备岗工程师和信息科负责人' : ''}。`;
}

/** A complaint kept on the ticket. */
export function complaintReply(t: TicketDoc): string {
  return `您的意见已记在 ${tag(t.no)} 上，处理人会看到。`;
}

/** The reporter closed their ticket because the fault went away ("1" to the recovered offer). */
export function recoveredClosed(no: number): string {
  return `好的，${tag(no)} 已关闭（您告知已恢复），工程师不用再过来了。如再出现请重新报修。`;
}

/** "2": the ticket stays with the engineer. */
export function recoveredKept(no: number): string {
  return `好的，${tag(no)} 继续处理，工程师会联系您。`;
}

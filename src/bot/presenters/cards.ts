/** Template cards: the on-duty engineer's claim card and its state after a click (WeCom button_interaction). */
import type { BotConfig } from '../../config/bots.js';
import type { TicketDoc } from '../../tickets/types.js';
import { nameOf } from './people.js';
import { ticketHead } from './ticket.js';
import { at, clipBytes, short } from './words.js';

/** Button keys of the cards this module sends: "claim:<no>". */
export const CLAIM_KEY = /^claim:(\d{1,9})$/;

/** WeCom task ids are unique per app and limited to [a-zA-Z0-9_-@], ≤128 bytes. */
export function taskIdOf(bot: string, no: number, seq: number): string {
  return `tk_${bot}_${no}_${seq}`.replace(/[^a-zA-Z0-9_\-@]/g, '_').slice(0, 128);
}

function baseCard(bot: BotConfig, t: TicketDoc, taskId: string) {
  const dept = t.reporter.department ? ` ${t.reporter.department}` : '';
  return {
    card_type: 'button_interaction',
    source: { desc: bot.name },
    main_title: { title: ticketHead(bot, t), desc: short(t.title, 40) },
    horizontal_content_list: [
      { keyname: '报修人', value: `${nameOf(bot, t.reporter)}${dept}` },
      ...(t.reporter.contact ? [{ keyname: '联系方式', value: t.reporter.contact }] : []),
      { keyname: '响应时限', value: at(t.sla.response.dueAt) },
      ...(t.reporterCount > 1 ? [{ keyname: '报告人数', value: `${t.reporterCount} 人` }] : []),
    ],
    task_id: taskId,
  };
}

/** The on-duty engineer's card with the 接单 button; the triage reason is for them. */
export function claimCard(bot: BotConfig, t: TicketDoc, taskId: string): object {
  return {
    ...baseCard(bot, t, taskId),
    sub_title_text: t.triageReason ? `判定依据：${t.triageReason}` : '请尽快接单',
    button_list: [{ text: '接单', style: 1, key: `claim:${t.no}` }],
  };
}

/** The note on a claimed ticket's card: "已由 张伟 接单". */
export const claimedNote = (name: string): string => `已由 ${name} 接单`;

/** The same card after a click: "已由 张伟 接单" (or why the click did nothing). */
export function claimedCard(bot: BotConfig, t: TicketDoc, taskId: string, note: string): object {
  return {
    ...baseCard(bot, t, taskId),
    sub_title_text: note,
    // WeCom limits button text; cut between characters, never inside one.
    button_list: [{ text: clipBytes(note, 30), style: 2, key: `done:${t.no}` }],
  };
}

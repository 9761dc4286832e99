/**
 * What inspections (巡检) say: the assignee's card and reminder, the leads' overdue notice and report, the tickets
 * an inspection opened, and the title/description of such a ticket. Times are chat times.
 */
import type { BotConfig } from '../../config/bots.js';
import type { InspectionDoc, InspectionItem } from '../../inspections/model.js';
import { personName } from './people.js';
import { at } from './words.js';

const what = (i: Pick<InspectionDoc, 'name' | 'period'>) => `${i.name}（${i.period}）`;
const withNote = (it: Pick<InspectionItem, 'text' | 'note'>) => `${it.text}${it.note ? `：${it.note}` : ''}`;

/** The assignee's card (WeCom text_notice): what, which period, until when; the checklist follows in the chat. */
export function inspectionCard(bot: BotConfig, i: InspectionDoc): object {
  return {
    card_type: 'text_notice',
    source: { desc: bot.name },
    main_title: { title: what(i), desc: '请在本对话中逐项回复检查结果' },
    horizontal_content_list: [
      { keyname: '负责人', value: personName(bot, i.assignee) },
      { keyname: '应完成', value: at(i.dueAt) },
    ],
    card_action: { type: 1, url: 'https://work.weixin.qq.com' },
    task_id: `insp_${i._id.replace(/[^a-zA-Z0-9_@-]/g, '_')}`.slice(0, 128),
  };
}

/** The assignee's reminder; `active`: the checklist is still waiting for an answer (else it is sent again). */
export function inspectionReminder(i: InspectionDoc, active: boolean): string {
  return `提醒：${what(i)}还没有完成，${active ? '请继续回复当前检查项。' : '检查清单已重新发给您，请逐项回复。'}`;
}

/** The leads' notice of an inspection overdue by `hours`. */
export function inspectionOverdue(bot: BotConfig, i: InspectionDoc, hours: number): string {
  return [
    `**<font color="warning">巡检逾期</font>：${what(i)}**`,
    `负责人 ${personName(bot, i.assignee)} · 应完成 ${at(i.dueAt)} · 已超过 ${hours} 小时未完成`,
  ].join('\n');
}

/** The leads' short report of a finished inspection. */
export function inspectionReport(bot: BotConfig, i: InspectionDoc): string {
  const count = (v: string) => i.items.filter((x) => x.value === v).length;
  const issues = i.items.filter((x) => x.value === 'issue');
  return [
    `**巡检报告：${what(i)}**`,
    `执行 ${personName(bot, i.doneBy ?? i.assignee)} · 完成 ${at(i.doneAt)}`,
    `正常 ${count('ok')} · <font color="${issues.length ? 'warning' : 'info'}">异常 ${issues.length}</font> · 不适用 ${count('na')}`,
    ...issues.map((x) => `- ${withNote(x)}${x.ticketNo ? ` → 已开单 #${x.ticketNo}` : ''}`),
  ].join('\n');
}

/** The engineer who did the inspection hears which tickets it opened. */
export function inspectionTickets(opened: InspectionItem[]): string {
  return `巡检异常已开单：${opened.map((x) => `#${x.ticketNo} ${x.text}`).join('；')}`;
}

/** Title and description of the ticket an inspection item found wrong opens. */
export function inspectionTicketText(i: InspectionDoc, it: InspectionItem): { title: string; description: string } {
  return { title: `巡检发现：${withNote(it)}`, description: `${what(i)}检查项「${it.text}」异常${it.note ? `：${it.note}` : ''}` };
}

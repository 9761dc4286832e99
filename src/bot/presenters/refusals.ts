/**
 * Every sentence a refused ticket command answers with (issue #10 "one voice", #16 "您 everywhere").
 *
 * Commands never write Chinese: they return a refusal code (tickets/types.ts RefusalCode, which machines read) and a
 * `say` — which sentence plus the data it needs. `refusalText` is the one place that turns a `say` into words; the
 * switch is exhaustive over `RefusalSay`, so a new sentence cannot be added without its wording here.
 */
import type { TargetName } from '../../sla/config.js';
import type { Level, TicketStatus } from '../../tickets/types.js';
import { levelWords, STATUS_WORDS, TARGET_WORDS } from './words.js';

/**
 * Which refusal sentence, with its data. `no` is a ticket number; `what` is the action as people say it (接单, 确认…,
 * named by the command); `name` is a person's display name.
 */
export type RefusalSay =
  | { say: 'not_found'; no: number }
  | { say: 'not_allowed_now'; no: number }
  | { say: 'busy'; no: number }
  | { say: 'already_yours'; no: number }
  | { say: 'already_claimed'; no: number; name: string }
  | { say: 'claim_needless'; no: number; status: TicketStatus }
  | { say: 'breach_needless'; no: number }
  | { say: 'bad_level'; no: number }
  | { say: 'same_level'; no: number; level: Level }
  | { say: 'stopped'; no: number }
  | { say: 'already_reminded'; no: number }
  | { say: 'confirm_reminded'; no: number }
  | { say: 'reporter_only'; no: number; what: string }
  | { say: 'staff_only'; what: string }
  | { say: 'lead_only'; what: string }
  | { say: 'supplement_ended'; no: number }
  | { say: 'nothing_to_add' }
  | { say: 'not_incident'; no: number }
  | { say: 'merge_target_not_incident'; no: number }
  | { say: 'incident_ended'; no: number }
  | { say: 'in_incident'; no: number; incidentNo: number }
  | { say: 'merge_self' }
  | { say: 'is_incident'; no: number }
  | { say: 'linked_elsewhere'; no: number; parentNo: number }
  | { say: 'not_in_incident'; no: number; incidentNo: number }
  | { say: 'child_taken'; no: number }
  | { say: 'not_engineer'; userid: string }
  | { say: 'same_assignee'; no: number; name: string }
  | { say: 'bad_rating' }
  | { say: 'no_breach'; no: number }
  | { say: 'target_not_breached'; no: number; target: TargetName }
  | { say: 'unknown_system'; system: string }
  | { say: 'create_bad_level' }
  | { say: 'title_required' }
  | { say: 'reporter_required' }
  | { say: 'not_claimed'; no: number }
  | { say: 'not_assignee'; no: number; name: string }
  /** `first`: the command that must come first (恢复, 接单…), offered as 「<first> <no>」. */
  | { say: 'status'; no: number; status: TicketStatus; what: string; first?: string }
  | { say: 'stale'; no: number }
  | { say: 'cause_required'; no: number }
  | { say: 'action_required'; no: number }
  | { say: 'level_reason_required'; no: number; level: number | string }
  | { say: 'progress_required'; no: number }
  | { say: 'cancel_reason_required'; no: number }
  | { say: 'reject_reason_required'; no: number }
  | { say: 'breach_reason_required'; no: number }
  | { say: 'pause_reason_required'; no: number }
  /** Nothing to tell anyone (an internal no-op such as removing a report already gone). */
  | { say: 'silent' };

/** The sentence for one refusal; addresses the reader as 您. */
export function refusalText(s: RefusalSay): string {
  switch (s.say) {
    case 'not_found':
      return `未找到工单 #${s.no}`;
    case 'not_allowed_now':
      return `#${s.no} 当前状态不允许此操作`;
    case 'busy':
      return `#${s.no} 正在被频繁操作，请稍后重试`;
    case 'already_yours':
      return `#${s.no} 已由您接单`;
    case 'already_claimed':
      return `#${s.no} 已由 ${s.name} 接单`;
    case 'claim_needless':
      return `#${s.no} ${STATUS_WORDS[s.status]}，无需接单`;
    case 'breach_needless':
      return `#${s.no} 无需记录超时`;
    case 'bad_level':
      return `级别请用 1-4，如「改级 ${s.no} 2 <原因>」`;
    case 'same_level':
      return `#${s.no} 已是${levelWords(s.level)}`;
    case 'stopped':
      return `#${s.no} 的时限已停止`;
    case 'already_reminded':
      return `#${s.no} 已提醒`;
    case 'confirm_reminded':
      return `#${s.no} 已提醒过`;
    case 'reporter_only':
      return `抱歉，只有报修人可以${s.what} #${s.no}`;
    case 'staff_only':
      return `抱歉，只有工程师可以${s.what}`;
    case 'lead_only':
      return `抱歉，只有负责人可以${s.what}`;
    case 'supplement_ended':
      return `#${s.no} 已结束，如仍有问题请重新报修`;
    case 'nothing_to_add':
      return '没有需要补充的内容';
    case 'not_incident':
      return `#${s.no} 不是故障事件`;
    case 'merge_target_not_incident':
      return `#${s.no} 不是故障事件，只能合并到故障事件`;
    case 'incident_ended':
      return `#${s.no} 已结束，不能再合并`;
    case 'in_incident':
      return `#${s.no} 已在 #${s.incidentNo} 中`;
    case 'merge_self':
      return '不能合并到自身';
    case 'is_incident':
      return `#${s.no} 本身是故障事件`;
    case 'linked_elsewhere':
      return `#${s.no} 已并入 #${s.parentNo}，请先「拆分 ${s.parentNo} ${s.no}」`;
    case 'not_in_incident':
      return `#${s.no} 不在 #${s.incidentNo} 中`;
    case 'child_taken':
      return `#${s.no} 已有人处理，不能合并`;
    case 'not_engineer':
      return `${s.userid} 不是本项目工程师，无法转派`;
    case 'same_assignee':
      return `#${s.no} 已由 ${s.name} 负责`;
    case 'bad_rating':
      return '评分请用 1-5';
    case 'no_breach':
      return `#${s.no} 没有超时记录，无需说明`;
    case 'target_not_breached':
      return `#${s.no} 的${TARGET_WORDS[s.target]}没有超时`;
    case 'unknown_system':
      return `未知系统「${s.system}」`;
    case 'create_bad_level':
      return '故障级别应为 1-4';
    case 'title_required':
      return '请描述故障';
    case 'reporter_required':
      return '缺少报修人';
    case 'not_claimed':
      return `#${s.no} 尚未接单，请先「接单 ${s.no}」`;
    case 'not_assignee':
      return `#${s.no} 由 ${s.name} 负责，如需接手请让其「转派 ${s.no} @您」`;
    case 'status':
      return `#${s.no} ${STATUS_WORDS[s.status]}，不能${s.what}${s.first ? `，请先「${s.first} ${s.no}」` : ''}`;
    case 'stale':
      return `#${s.no} 已重新处理`;
    case 'cause_required':
      return `请写明原因：解决 ${s.no} 原因:<…> 处理:<…>`;
    case 'action_required':
      return `请写明处理：解决 ${s.no} 原因:<…> 处理:<…>`;
    case 'level_reason_required':
      return `请说明改级原因：改级 ${s.no} ${s.level} <原因>`;
    case 'progress_required':
      return `请写上进展内容，如「进展 ${s.no} 已重启服务」`;
    case 'cancel_reason_required':
      return `请说明取消原因：取消 ${s.no} <原因>`;
    case 'reject_reason_required':
      return `请说明哪里还有问题：未解决 ${s.no} <原因>`;
    case 'breach_reason_required':
      return `请写上超时原因，如「超时说明 ${s.no} 等待厂家备件」`;
    case 'pause_reason_required':
      return `请说明挂起原因：挂起 ${s.no} <原因>`;
    case 'silent':
      return '';
  }
}

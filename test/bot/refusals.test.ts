/** Issue #10 "one voice" / #16 "您 everywhere": every refusal sentence is worded in one presenter, addressed with 您. */
import { describe, expect, it } from 'vitest';
import { type RefusalSay, refusalText } from '../../src/bot/presenters/refusals.js';

/** One example of every sentence; typed by the union's keys, so a new sentence fails to compile until it is listed. */
const EXAMPLES: { [K in RefusalSay['say']]: Extract<RefusalSay, { say: K }> } = {
  not_found: { say: 'not_found', no: 7 },
  not_allowed_now: { say: 'not_allowed_now', no: 7 },
  busy: { say: 'busy', no: 7 },
  already_yours: { say: 'already_yours', no: 7 },
  already_claimed: { say: 'already_claimed', no: 7, name: '刘洋' },
  claim_needless: { say: 'claim_needless', no: 7, status: 'closed' },
  breach_needless: { say: 'breach_needless', no: 7 },
  bad_level: { say: 'bad_level', no: 7 },
  same_level: { say: 'same_level', no: 7, level: 2 },
  stopped: { say: 'stopped', no: 7 },
  already_reminded: { say: 'already_reminded', no: 7 },
  confirm_reminded: { say: 'confirm_reminded', no: 7 },
  reporter_only: { say: 'reporter_only', no: 7, what: '撤销' },
  staff_only: { say: 'staff_only', what: '接单' },
  lead_only: { say: 'lead_only', what: '取消工单' },
  supplement_ended: { say: 'supplement_ended', no: 7 },
  nothing_to_add: { say: 'nothing_to_add' },
  not_incident: { say: 'not_incident', no: 7 },
  merge_target_not_incident: { say: 'merge_target_not_incident', no: 7 },
  incident_ended: { say: 'incident_ended', no: 7 },
  in_incident: { say: 'in_incident', no: 7, incidentNo: 3 },
  merge_self: { say: 'merge_self' },
  is_incident: { say: 'is_incident', no: 7 },
  linked_elsewhere: { say: 'linked_elsewhere', no: 7, parentNo: 3 },
  not_in_incident: { say: 'not_in_incident', no: 7, incidentNo: 3 },
  child_taken: { say: 'child_taken', no: 7 },
  not_engineer: { say: 'not_engineer', userid: 'wangwu' },
  same_assignee: { say: 'same_assignee', no: 7, name: '刘洋' },
  bad_rating: { say: 'bad_rating' },
  no_breach: { say: 'no_breach', no: 7 },
  target_not_breached: { say: 'target_not_breached', no: 7, target: 'onsite' },
  unknown_system: { say: 'unknown_system', system: 'erp' },
  create_bad_level: { say: 'create_bad_level' },
  title_required: { say: 'title_required' },
  reporter_required: { say: 'reporter_required' },
  not_claimed: { say: 'not_claimed', no: 7 },
  not_assignee: { say: 'not_assignee', no: 7, name: '刘洋' },
  status: { say: 'status', no: 7, status: 'paused', what: '解决', first: '恢复' },
  stale: { say: 'stale', no: 7 },
  cause_required: { say: 'cause_required', no: 7 },
  action_required: { say: 'action_required', no: 7 },
  level_reason_required: { say: 'level_reason_required', no: 7, level: 2 },
  progress_required: { say: 'progress_required', no: 7 },
  cancel_reason_required: { say: 'cancel_reason_required', no: 7 },
  reject_reason_required: { say: 'reject_reason_required', no: 7 },
  breach_reason_required: { say: 'breach_reason_required', no: 7 },
  pause_reason_required: { say: 'pause_reason_required', no: 7 },
  silent: { say: 'silent' },
};

describe('refusal sentences', () => {
  it.each(Object.values(EXAMPLES).filter((s) => s.say !== 'silent'))('$say is a sentence that never says 你', (s) => {
    const text = refusalText(s);
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain('你');
  });

  it('addresses the reader as 您 and keeps the ticket and the data', () => {
    expect(refusalText(EXAMPLES.already_yours)).toBe('#7 已由您接单');
    expect(refusalText(EXAMPLES.not_assignee)).toBe('#7 由 刘洋 负责，如需接手请让其「转派 7 @您」');
    expect(refusalText(EXAMPLES.status)).toBe('#7 已挂起，不能解决，请先「恢复 7」');
    expect(refusalText({ say: 'status', no: 7, status: 'closed', what: '挂起' })).toBe('#7 已关闭，不能挂起');
    expect(refusalText(EXAMPLES.target_not_breached)).toBe('#7 的到场没有超时');
    expect(refusalText(EXAMPLES.silent)).toBe('');
  });
});

describe('one form of address', () => {
  it('no presenter module says 你 to a reader (comments may quote what people type)', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const dir = new URL('../../src/bot/presenters/', import.meta.url);
    const offending: string[] = [];
    for (const name of await readdir(dir)) {
      const code = (await readFile(new URL(name, dir), 'utf8')).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (/你(?!们|好)/.test(code)) offending.push(name);
    }
    expect(offending).toEqual([]);
  });
});

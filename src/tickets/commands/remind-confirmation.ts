import { type CommandResult, refuse, type TicketContext } from '../types.js';
import { applyResolutionJob, type ResolutionJobInput } from './resolution-job.js';

export type RemindConfirmationInput = ResolutionJobInput;

/** Once per resolution: records that the reporter was asked again to confirm. */
export function remindConfirmation(ctx: TicketContext, input: RemindConfirmationInput): Promise<CommandResult> {
  return applyResolutionJob(ctx, input, 'remindConfirmation', '提醒确认', (t, at) => {
    if (t.confirmRemindedAt) return refuse('already_reminded', { say: 'confirm_reminded', no: t.no });
    const to = [t.reporter.userid, ...t.subscribers.map((s) => s.userid)];
    return { set: { confirmRemindedAt: at }, events: [{ type: 'reminded', kind: 'confirmation', to }] };
  });
}

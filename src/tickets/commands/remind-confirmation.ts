import { applyChange } from '../apply.js';
import { requireSameResolution, requireStatus } from '../guards.js';
import { type CommandResult, refuse, type TicketContext } from '../types.js';

export interface RemindConfirmationInput {
  no: number;
  /** The resolution the reminder is about (a job from an earlier resolution then does nothing). */
  resolvedAt?: Date | string;
}

/** Once per resolution: records that the reporter was asked again to confirm. */
export function remindConfirmation(ctx: TicketContext, input: RemindConfirmationInput): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    command: 'remindConfirmation',
    actor: 'system',
    build(t, at) {
      const denied = requireStatus(t, 'remindConfirmation', '提醒确认') ?? requireSameResolution(t, input.resolvedAt);
      if (denied) return denied;
      if (t.confirmRemindedAt) return refuse('already_reminded', `#${t.no} 已提醒过`);
      const to = [t.reporter.userid, ...t.subscribers.map((s) => s.userid)];
      return { set: { confirmRemindedAt: at }, events: [{ type: 'reminded', kind: 'confirmation', to }] };
    },
  });
}

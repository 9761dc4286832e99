import { applyChange } from '../apply.js';
import { firstRefusal, requireAssignee, requireStatus } from '../guards.js';
import { resumeTargets, slaSet } from '../sla.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface ResumeTicketInput {
  no: number;
  actor: Actor;
}

/** Back to the status before the pause; paused deadlines move by the paused time. */
export function resumeTicket(ctx: TicketContext, input: ResumeTicketInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'resume',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => requireAssignee(bot, t, input.actor.userid, '恢复工单'),
        () => requireStatus(t, 'resume', '恢复'),
      );
      if (denied) return denied;
      const to = t.pause?.from ?? 'claimed';
      const pausedMs = t.pause ? at.getTime() - new Date(t.pause.at).getTime() : 0;
      return {
        set: { status: to, pause: null, ...slaSet(resumeTargets(bot, t.sla, at)) },
        events: [{ type: 'resumed', to, pausedMs }],
      };
    },
  });
}

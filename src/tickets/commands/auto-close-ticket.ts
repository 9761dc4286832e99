import { applyChange } from '../apply.js';
import { requireStatus } from '../guards.js';
import { type CommandResult, refuse, type TicketContext } from '../types.js';

export interface AutoCloseTicketInput {
  no: number;
  /** The resolution the job was scheduled for (a job from an earlier resolution then does nothing). */
  resolvedAt?: Date | string;
}

/** Resolved but never confirmed: closed by the system, recorded as auto-closed. */
export function autoCloseTicket(ctx: TicketContext, input: AutoCloseTicketInput): Promise<CommandResult> {
  const hours = ctx.bot.tickets.autoCloseHours;
  return applyChange(ctx, {
    no: input.no,
    command: 'autoClose',
    actor: 'system',
    build(t, at) {
      const denied = requireStatus(t, 'autoClose', '自动关闭');
      if (denied) return denied;
      if (input.resolvedAt && t.resolvedAt?.getTime() !== new Date(input.resolvedAt).getTime())
        return refuse('stale', `#${t.no} 已重新处理`);
      const confirmation = { by: 'system', at, rating: null, comment: null, auto: true };
      return {
        set: { status: 'closed', closedAt: at, confirmation },
        events: [{ type: 'closed', auto: true, afterHours: hours }],
      };
    },
  });
}

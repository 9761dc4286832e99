import { applyChange } from '../apply.js';
import { requireSameResolution, requireStatus } from '../guards.js';
import type { CommandResult, TicketContext } from '../types.js';

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
      const denied = requireStatus(t, 'autoClose', '自动关闭') ?? requireSameResolution(t, input.resolvedAt);
      if (denied) return denied;
      const confirmation = { by: 'system', at, rating: null, comment: null, auto: true };
      return {
        set: { status: 'closed', closedAt: at, confirmation },
        events: [{ type: 'closed', auto: true, afterHours: hours }],
      };
    },
  });
}

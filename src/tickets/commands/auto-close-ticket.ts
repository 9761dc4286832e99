import type { CommandResult, TicketContext } from '../types.js';
import { applyResolutionJob, type ResolutionJobInput } from './resolution-job.js';

export type AutoCloseTicketInput = ResolutionJobInput;

/** Resolved but never confirmed: closed by the system, recorded as auto-closed. */
export function autoCloseTicket(ctx: TicketContext, input: AutoCloseTicketInput): Promise<CommandResult> {
  const hours = ctx.bot.tickets.autoCloseHours;
  return applyResolutionJob(ctx, input, 'autoClose', '自动关闭', (_t, at) => ({
    set: { status: 'closed', closedAt: at, confirmation: { by: 'system', at, rating: null, comment: null, auto: true } },
    events: [{ type: 'closed', auto: true, afterHours: hours }],
  }));
}

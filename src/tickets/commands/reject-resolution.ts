import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireReporter, requireStatus, requireText } from '../guards.js';
import { initialTargets } from '../sla.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface RejectResolutionInput {
  no: number;
  actor: Actor;
  reason: string;
}

/**
 * "Not fixed": the ticket is reopened to its assignee and the resolution clock runs again. A report that was resolved
 * with its incident instead leaves the incident and opens as a ticket of its own (paged like a new one).
 */
export function rejectResolution(ctx: TicketContext, input: RejectResolutionInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'reject',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => requireReporter(bot, t, input.actor.userid, '退回'),
        () => requireStatus(t, 'reject', '退回'),
        () => requireText(input.reason, 'reason_required', { say: 'reject_reason_required', no: t.no }),
      );
      if (denied) return denied;
      if (t.parentNo != null) {
        // A report resolved with its incident is still broken for this reporter: it becomes a ticket of its own.
        return {
          set: {
            status: 'open',
            parentNo: null,
            assignee: null,
            repair: null,
            resolvedAt: null,
            confirmRemindedAt: null,
            // Its clocks start now: while linked, the incident's clocks were the ones that ran.
            sla: initialTargets(bot, t.level, at),
          },
          events: [
            { type: 'rejected', reason: clip(input.reason) },
            { type: 'unlinked', from: t.parentNo, status: 'open' },
          ],
        };
      }
      const resolve = { ...t.sla.resolve, metAt: null, elapsedMs: null };
      return {
        set: { status: 'claimed', repair: null, resolvedAt: null, confirmRemindedAt: null, 'sla.resolve': resolve },
        events: [
          { type: 'rejected', reason: clip(input.reason) },
          { type: 'reopened', status: 'claimed', assignee: t.assignee },
        ],
      };
    },
  });
}

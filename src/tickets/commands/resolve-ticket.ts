import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireAssignee, requireStatus, requireText, statusRefusal } from '../guards.js';
import { meet } from '../sla.js';
import type { Actor, CommandResult, Repair, TicketContext } from '../types.js';

export interface ResolveTicketInput {
  no: number;
  actor: Actor;
  cause: string;
  action: string;
  category?: string;
  /** Defaults to "onsite" when the engineer arrived on site, else "remote". */
  mode?: 'onsite' | 'remote';
}

/** Resolved with the repair record; meets the resolution target and waits for the reporter's confirmation. */
export function resolveTicket(ctx: TicketContext, input: ResolveTicketInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'resolve',
    actor: input.actor.userid,
    build(t, at) {
      const denied = firstRefusal(
        () => requireAssignee(bot, t, input.actor.userid, '解决工单'),
        () => (t.status === 'paused' ? statusRefusal(t, '解决', '恢复') : null),
        () => requireStatus(t, 'resolve', '解决'),
        () => requireText(input.cause, 'cause_required', { say: 'cause_required', no: t.no }),
        () => requireText(input.action, 'action_required', { say: 'action_required', no: t.no }),
      );
      if (denied) return denied;
      const repair: Repair = {
        cause: clip(input.cause),
        action: clip(input.action),
        ...(input.category ? { category: clip(input.category, 100) } : {}),
        mode: input.mode ?? (t.status === 'onsite' || t.sla.onsite?.metAt ? 'onsite' : 'remote'),
      };
      const resolve = meet(bot, t.sla.resolve, at);
      return {
        set: { status: 'resolved', repair, resolvedAt: at, confirmRemindedAt: null, 'sla.resolve': resolve },
        events: [{ type: 'resolved', repair, resolveMs: resolve.elapsedMs ?? null }],
      };
    },
  });
}

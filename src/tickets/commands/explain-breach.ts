import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireStaff, requireText } from '../guards.js';
import { type Actor, type CommandResult, refuse, type TargetName, type TicketContext } from '../types.js';

export interface ExplainBreachInput {
  no: number;
  actor: Actor;
  /** Why the deadline was missed, e.g. "等待厂家备件" (at most 500 characters are kept). */
  text: string;
  /** The target explained; omitted = every breached target of the ticket. */
  target?: TargetName;
}

/**
 * An engineer's (or lead's) explanation of a missed deadline (`超时说明 5 等待厂家备件`), shown in the record's
 * 超时明细. Allowed in any status, closed included (explanations often follow the fix); refused when the ticket
 * has no breach of that target. A later explanation supersedes an earlier one in the record; both stay in the log.
 */
export function explainBreach(ctx: TicketContext, input: ExplainBreachInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'explainBreach',
    actor: input.actor.userid,
    build(t) {
      const breached = (['response', 'onsite', 'resolve'] as const).filter((n) => t.sla[n]?.breachedAt);
      const denied = firstRefusal(
        () => requireStaff(bot, input.actor.userid, '填写超时说明'),
        () => requireText(input.text, 'text_required', { say: 'breach_reason_required', no: t.no }),
        () => (breached.length === 0 ? refuse('no_breach', { say: 'no_breach', no: t.no }) : null),
        () =>
          input.target && !breached.includes(input.target)
            ? refuse('no_breach', { say: 'target_not_breached', no: t.no, target: input.target })
            : null,
      );
      if (denied) return denied;
      return {
        events: [
          {
            type: 'explained',
            target: input.target ?? null,
            targets: input.target ? [input.target] : breached,
            text: clip(input.text, 500),
          },
        ],
      };
    },
  });
}

import { applyChange } from '../apply.js';
import { runningTarget } from '../sla.js';
import { type CommandResult, refuse, type TargetName, type TicketContext } from '../types.js';

export interface RecordEscalationInput {
  no: number;
  target: TargetName;
  /** The due steps carried out by this run, in plan order (e.g. ["50%", "75%"]); the last one is the one that spoke. */
  steps: string[];
  /** Who was notified (userids) and whether the group was. */
  to: string[];
  group: boolean;
}

/**
 * Records an SLA escalation step once (sla/escalation.ts runs it after sending the step's notices): the steps are
 * added to the target's `escalated` list with a `reminded` event of kind `escalation`. Refused with `stopped` when
 * the target's clock no longer runs, and `already` when every step was recorded by an earlier run.
 */
export function recordEscalation(ctx: TicketContext, input: RecordEscalationInput): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    command: 'escalate',
    actor: 'system',
    build(t) {
      const current = runningTarget(t, input.target);
      const spoke = input.steps.at(-1);
      if (!current || !spoke) return refuse('stopped', { say: 'stopped', no: t.no });
      const already = new Set(current.escalated ?? []);
      if (input.steps.every((k) => already.has(k))) return refuse('already', { say: 'already_reminded', no: t.no });
      return {
        set: { [`sla.${input.target}.escalated`]: [...already, ...input.steps.filter((k) => !already.has(k))] },
        events: [
          {
            type: 'reminded',
            kind: 'escalation',
            target: input.target,
            step: spoke,
            skipped: input.steps.slice(0, -1),
            dueAt: current.dueAt,
            to: input.to,
            group: input.group,
          },
        ],
      };
    },
  });
}

import { applyChange } from '../apply.js';
import { allows } from '../lifecycle.js';
import { type CommandResult, refuse, type TargetName, type TicketContext } from '../types.js';

export interface RecordBreachInput {
  no: number;
  target: TargetName;
  /** Defaults to the target's due time. */
  at?: Date;
}

/** The escalation scheduler records a missed deadline once per target. */
export function recordBreach(ctx: TicketContext, input: RecordBreachInput): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    command: 'recordBreach',
    actor: 'system',
    build(t) {
      const target = t.sla[input.target];
      if (!allows('recordBreach', t.status) || !target || target.metAt || target.breachedAt)
        return refuse('no_breach', { say: 'breach_needless', no: t.no });
      const breachedAt = input.at ?? target.dueAt;
      return {
        set: { [`sla.${input.target}.breachedAt`]: breachedAt },
        events: [{ type: 'breached', target: input.target, dueAt: target.dueAt, breachedAt }],
      };
    },
  });
}

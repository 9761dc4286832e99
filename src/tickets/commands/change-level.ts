import { applyChange } from '../apply.js';
import { clip, firstRefusal, requireStaff, requireStatus, requireText } from '../guards.js';
import { retargetForLevel } from '../sla.js';
import { type Actor, type CommandResult, LEVELS, type Level, refuse, type TicketContext } from '../types.js';

export interface ChangeLevelInput {
  no: number;
  actor: Actor;
  level: number;
  reason: string;
}

/** A new fault level with a reason: every deadline is recomputed from its original start. */
export function changeLevel(ctx: TicketContext, input: ChangeLevelInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'changeLevel',
    actor: input.actor.userid,
    build(t) {
      const denied = firstRefusal(
        () => requireStaff(bot, input.actor.userid, '改级'),
        () => requireStatus(t, 'changeLevel', '改级'),
        () => (LEVELS.includes(input.level as Level) ? null : refuse('bad_level', { say: 'bad_level', no: t.no })),
        () => (input.level === t.level ? refuse('same_level', { say: 'same_level', no: t.no, level: t.level }) : null),
        () => requireText(input.reason, 'reason_required', { say: 'level_reason_required', no: t.no, level: input.level }),
      );
      if (denied) return denied;
      const level = input.level as Level;
      return {
        set: { level, sla: retargetForLevel(bot, t.sla, level) },
        events: [{ type: 'level_changed', from: t.level, to: level, reason: clip(input.reason, 500) }],
      };
    },
  });
}

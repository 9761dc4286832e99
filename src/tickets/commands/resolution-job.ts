import { type ApplyOptions, applyChange } from '../apply.js';
import { requireSameResolution, requireStatus } from '../guards.js';
import type { CommandResult, TicketContext } from '../types.js';

/** What a resolution job (src/tickets/jobs.ts: confirmation reminder, auto-close) passes to its command. */
export interface ResolutionJobInput {
  no: number;
  /** The resolution the job was scheduled for (a job from an earlier resolution then does nothing: `stale`). */
  resolvedAt?: Date | string;
}

/**
 * The skeleton of a command run by a resolution job, as the system: allowed where the lifecycle table allows
 * `command` (refused `bad_status` naming `what`, e.g. 自动关闭) and only for the resolution the job was scheduled
 * for (refused `stale`); then `build` decides the change.
 */
export function applyResolutionJob(
  ctx: TicketContext,
  input: ResolutionJobInput,
  command: 'autoClose' | 'remindConfirmation',
  what: string,
  build: ApplyOptions['build'],
): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    command,
    actor: 'system',
    build(t, at) {
      return requireStatus(t, command, what) ?? requireSameResolution(t, input.resolvedAt) ?? build(t, at);
    },
  });
}

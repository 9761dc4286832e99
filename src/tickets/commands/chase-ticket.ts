import { applyChange } from '../apply.js';
import { clip, requireReporter, requireStatus } from '../guards.js';
import type { Actor, CommandResult, TicketContext } from '../types.js';

export interface ChaseTicketInput {
  no: number;
  actor: Actor;
  /** Who is nudged: the assignee, or the on-duty engineer while nobody has claimed it (userids). */
  to: string[];
  /** Also told because this is a second chase within the interval: the backup and the leads (userids). */
  escalateTo: string[];
  /** How long the reporter has waited, in minutes since the ticket opened. */
  waitedMinutes: number;
  /** The reporter's words, kept on the event (the assignee sees them; never logged). */
  text: string;
  /** The message it came from (`inbox:<id>`): a second call with the same source changes nothing. */
  source?: string;
}

/**
 * A reporter chases their ticket ("还没人来", "5号单怎么还没人接"): a `chased` event whose `to` and `escalateTo`
 * the notifier tells, once each per chase (issue #17). Only the ticket's reporters (or a lead) may chase, and only
 * while it is unfinished (the reporters of an incident's linked reports chase the incident). The decision who to tell is the caller's (src/bot/followups.ts): the interval rule needs
 * the earlier chases.
 */
export function chaseTicket(ctx: TicketContext, input: ChaseTicketInput): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    command: 'chase',
    actor: input.actor.userid,
    build(t) {
      // The reporters of an incident's linked reports chase the incident itself.
      const ofIncident = t.incident?.reports.some((r) => r.userid === input.actor.userid) ?? false;
      const denied = (ofIncident ? null : requireReporter(ctx.bot, t, input.actor.userid, '催办')) ?? requireStatus(t, 'chase', '催办');
      if (denied) return denied;
      return {
        events: [
          {
            type: 'chased',
            to: input.to,
            escalateTo: input.escalateTo,
            waitedMinutes: Math.max(0, Math.round(input.waitedMinutes)),
            text: clip(input.text, 300),
            ...(input.source ? { source: input.source } : {}),
          },
        ],
      };
    },
  });
}

import { applyChange } from '../apply.js';
import { clip, requireStatus } from '../guards.js';
import { Ticket } from '../model.js';
import { type CommandResult, type Reporter, refuse, type TicketContext, type TicketDoc } from '../types.js';

export interface MergeIntoTicketInput {
  /** The parent ticket the later report belongs to. */
  no: number;
  /** Who reported again (subscribed to the parent). */
  reporter: Reporter;
  /** Their words, kept on the event. */
  text?: string;
  /** A ticket already opened for the same fault: linked to the parent and cancelled as merged. */
  childNo?: number;
  actor?: string;
}

/**
 * Marks a duplicate: a later report of the very same fault joins an open ticket (its reporter subscribed) and, given
 * `childNo`, that duplicate ticket is cancelled as merged. Outages with many reports are incidents instead
 * (incident.ts): there each report keeps its own ticket.
 */
export async function mergeIntoTicket(ctx: TicketContext, input: MergeIntoTicketInput): Promise<CommandResult> {
  if (input.childNo !== undefined) {
    if (input.childNo === input.no) return refuse('bad_input', { say: 'merge_self' });
    const child = await Ticket.findOne({ bot: ctx.bot.id, no: input.childNo }).lean<TicketDoc>();
    if (!child) return refuse('not_found', { say: 'not_found', no: input.childNo });
    if (child.status !== 'open') return refuse('bad_status', { say: 'child_taken', no: child.no });
  }
  const actor = input.actor ?? input.reporter.userid;
  const merged = await applyChange(ctx, {
    no: input.no,
    command: 'merge',
    actor,
    build(t) {
      const denied = requireStatus(t, 'merge', '合并');
      if (denied) return denied;
      const who = { userid: input.reporter.userid, name: input.reporter.name || input.reporter.userid };
      const known = t.reporter.userid === who.userid || t.subscribers.some((s) => s.userid === who.userid);
      const dept = input.reporter.department;
      const set: Record<string, unknown> = {};
      if (dept && !t.departments.includes(dept)) set.departments = [...t.departments, dept];
      if (input.childNo !== undefined && !t.children.includes(input.childNo)) set.children = [...t.children, input.childNo];
      if (!known) {
        set.subscribers = [...t.subscribers, who];
        set.reporterCount = (t.reporterCount ?? 1) + 1;
      }
      return {
        set,
        events: [
          {
            type: 'merged',
            reporter: { ...who, department: dept ?? null },
            childNo: input.childNo ?? null,
            text: input.text ? clip(input.text, 500) : null,
            counted: !known,
          },
        ],
      };
    },
  });
  if (!merged.ok || input.childNo === undefined) return merged;
  await linkChild(ctx, input.childNo, input.no, actor);
  return merged;
}

/** The duplicate ticket points at its parent and leaves the queue. */
async function linkChild(ctx: TicketContext, childNo: number, parentNo: number, actor: string): Promise<void> {
  await applyChange(ctx, {
    no: childNo,
    command: 'mergeDuplicate',
    actor,
    build(t, at) {
      const denied = requireStatus(t, 'mergeDuplicate', '合并');
      if (denied) return denied;
      return {
        set: { parentNo, status: 'cancelled', closedAt: at },
        events: [
          { type: 'merged', into: parentNo },
          { type: 'cancelled', reason: `已合并到 #${parentNo}` },
        ],
      };
    },
  });
}

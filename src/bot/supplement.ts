/**
 * The reporter's later additions to an open ticket: details asked after a level-1 ticket opened at once, and
 * screenshots. The tickets module has no command for these yet, so this thin adapter goes through its one
 * change path (applyChange: atomic, versioned, evented) and records them as a `progress` event by the
 * reporter carrying a `supplement` / `attachment` payload.
 */
import { applyChange } from '../tickets/apply.js';
import { ACTIVE, type Attachment, type CommandResult, refuse, type TicketContext } from '../tickets/types.js';

export interface SupplementInput {
  no: number;
  actor: string;
  system?: string;
  department?: string;
  contact?: string;
  symptom?: string;
}

export function supplementTicket(ctx: TicketContext, input: SupplementInput): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    from: ACTIVE,
    actor: input.actor,
    build(t) {
      const set: Record<string, unknown> = {};
      const supplement: Record<string, string> = {};
      const notes: string[] = [];
      if (input.system && input.system !== t.system && ctx.bot.systems.some((s) => s.id === input.system)) {
        set.system = supplement.system = input.system;
        notes.push(`系统 ${ctx.bot.systems.find((s) => s.id === input.system)?.name}`);
      }
      if (input.department && input.department !== t.reporter.department) {
        set['reporter.department'] = supplement.department = input.department;
        if (!t.departments.includes(input.department)) set.departments = [...t.departments, input.department];
        notes.push(`科室 ${input.department}`);
      }
      if (input.contact && input.contact !== t.reporter.contact) {
        set['reporter.contact'] = supplement.contact = input.contact;
        notes.push(`联系方式 ${input.contact}`);
      }
      if (input.symptom) {
        set.description = t.description ? `${t.description}\n${input.symptom}` : input.symptom;
        supplement.symptom = input.symptom;
        notes.push(`现象 ${input.symptom}`);
      }
      if (!notes.length) return refuse('nothing', '没有需要补充的内容');
      return { set, events: [{ type: 'progress', text: `报修人补充：${notes.join('；')}`, supplement }] };
    },
  });
}

/** A screenshot sent while a ticket is open goes onto it. */
export function attachToTicket(ctx: TicketContext, input: { no: number; actor: string; attachment: Attachment }): Promise<CommandResult> {
  return applyChange(ctx, {
    no: input.no,
    from: ACTIVE,
    actor: input.actor,
    build() {
      return {
        push: { attachments: input.attachment },
        events: [{ type: 'progress', text: '报修人补充了图片', attachment: input.attachment }],
      };
    },
  });
}

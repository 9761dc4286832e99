import type { BotConfig } from '../../config/bots.js';
import { roleOf } from '../../roster/roster.js';
import { applyChange } from '../apply.js';
import { allows } from '../lifecycle.js';
import { clip } from '../guards.js';
import { systemName } from '../labels.js';
import {
  type Actor,
  type Attachment,
  type CommandResult,
  refuse,
  type SupplementFields,
  type TicketContext,
  type TicketDoc,
} from '../types.js';

export interface SupplementTicketInput {
  no: number;
  actor: Actor;
  /** A system id of the bot (the reporter named it after a level-1 ticket opened at once). */
  system?: string;
  /** With system `software`: the name the reporter gave it ("手麻系统"). */
  systemLabel?: string;
  department?: string;
  contact?: string;
  /** More of the symptom: appended to the description. */
  symptom?: string;
  /** A screenshot or file sent while the ticket is open. */
  attachment?: Attachment;
}

/**
 * Details added to an open ticket after it was opened: by the reporter (or anyone who reported the same fault)
 * or by staff who learned them. Recorded as a `progress` event of kind `supplement` with a `fields` payload (and `attachment`);
 * the level is never changed here (改级 does that, with a reason).
 */
export function supplementTicket(ctx: TicketContext, input: SupplementTicketInput): Promise<CommandResult> {
  const { bot } = ctx;
  return applyChange(ctx, {
    no: input.no,
    command: 'supplement',
    actor: input.actor.userid,
    build(t) {
      if (!mayAdd(bot, t, input.actor.userid)) return refuse('forbidden', { say: 'reporter_only', no: t.no, what: '补充' });
      if (!allows('supplement', t.status)) return refuse('bad_status', { say: 'supplement_ended', no: t.no });
      const { set, fields, notes } = fieldChanges(bot, t, input);
      if (input.attachment) notes.push('图片');
      if (!notes.length) return refuse('nothing', { say: 'nothing_to_add' });
      return {
        set,
        ...(input.attachment ? { push: { attachments: input.attachment } } : {}),
        events: [
          {
            type: 'progress',
            kind: 'supplement',
            text: `${roleOf(bot, input.actor.userid) === 'reporter' ? '报修人补充' : '更正'}：${notes.join('；')}`,
            fields,
            ...(input.attachment ? { attachment: input.attachment } : {}),
          },
        ],
      };
    },
  });
}

function mayAdd(bot: BotConfig, t: TicketDoc, userid: string): boolean {
  if (roleOf(bot, userid) !== 'reporter') return true;
  return t.reporter.userid === userid || t.subscribers.some((s) => s.userid === userid);
}

/** Only what differs from the ticket counts; an unknown system id is ignored rather than stored. */
function fieldChanges(bot: BotConfig, t: TicketDoc, input: SupplementTicketInput) {
  const set: Record<string, unknown> = {};
  const fields: SupplementFields = {};
  const notes: string[] = [];
  const label = input.system === 'software' && input.systemLabel ? clip(input.systemLabel, 30) : undefined;
  if (input.system && (input.system !== t.system || (label && label !== t.systemLabel)) && bot.systems.some((s) => s.id === input.system)) {
    set.system = fields.system = input.system;
    if (label) set.systemLabel = fields.systemLabel = label;
    notes.push(`系统 ${label ? `${label}（${systemName(bot, input.system)}）` : systemName(bot, input.system)}`);
  }
  const department = input.department && clip(input.department, 100);
  if (department && department !== t.reporter.department) {
    set['reporter.department'] = fields.department = department;
    if (!t.departments.includes(department)) set.departments = [...t.departments, department];
    notes.push(`科室 ${department}`);
  }
  const contact = input.contact && clip(input.contact, 100);
  if (contact && contact !== t.reporter.contact) {
    set['reporter.contact'] = fields.contact = contact;
    notes.push(`联系方式 ${contact}`);
  }
  const symptom = input.symptom && clip(input.symptom, 500);
  if (symptom) {
    set.description = clip(t.description ? `${t.description}\n${symptom}` : symptom, 4000);
    fields.symptom = symptom;
    notes.push(`现象 ${symptom}`);
  }
  return { set, fields, notes };
}

/** Checklist conversations (inspections): items walked one by one, each answered 正常 / 异常 + note / 不适用. */
import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import type { Answer, EngineCtx, Turn } from './context.js';
import { idleMinutes } from './context.js';
import {
  type ConversationDoc,
  endConversation,
  findConversations,
  findLane,
  laneOf,
  saveConversation,
  startConversation,
  touchConversation,
} from './conversations.js';
import type { ChecklistFlow } from './flows/types.js';
import { clip, emptyState } from './forms.js';
import {
  CHECKLIST_DONE,
  CHECKLIST_INTRO,
  CHECKLIST_NOTE_ASK,
  CHECKLIST_NOTED,
  checklistItem,
  checklistNotUnderstood,
  checklistResumeLead,
  fill,
} from './presenters/chat.js';

export interface ChecklistAnswer {
  item: string;
  value: string;
  note: string | null;
}

export interface ChecklistResult {
  bot: string;
  flow: string;
  userid: string;
  /** The caller's reference given to startChecklist (e.g. the inspection id). */
  ref: string | null;
  answers: ChecklistAnswer[];
  completedAt: Date;
}

/** A feature's reaction to a finished checklist (inspections store their record); contributed through `Feature.checklistHooks`. */
export type ChecklistHook = (result: ChecklistResult) => void | Promise<void>;

export interface StartChecklistInput {
  bot: string;
  userid: string;
  flow: string;
  ref?: string | null;
}

/** Item `i` (0-based) with its number, hint and answer options: "（2/12）…\n1 正常  2 异常  3 不适用". */
export function itemText(flow: ChecklistFlow, i: number): string {
  const item = flow.items[i];
  return checklistItem(
    i,
    flow.items.length,
    item.text,
    item.hint,
    flow.answers.map((a) => a.label),
  );
}

/** Sends the checklist's intro and first item to the engineer's 1:1 app chat and waits for answers there. */
export async function startChecklist(ctx: EngineCtx, input: StartChecklistInput): Promise<void> {
  const bot = ctx.bots.get(input.bot) as BotConfig;
  const flow = ctx.flows.checklist(input.flow);
  const now = ctx.clock.now();
  // A checklist started again for the same reference (the reminder after it expired) keeps the answers given.
  const key = { bot: bot.id, chat: 'single:app', userid: input.userid };
  const lane = laneOf(flow.id, input.ref);
  const before = await findLane(key, lane);
  const kept = before && before.status !== 'done' ? ((before.context.answers as ChecklistAnswer[] | undefined) ?? []) : [];
  const answers = kept.slice(0, flow.items.length - 1);
  const conv = await startConversation({
    key,
    lane,
    channel: 'app',
    chatType: 'single',
    flow: flow.id,
    form: emptyState(),
    context: { ref: input.ref ?? null, answers, awaitingNote: false },
    now,
    idleMinutes: idleMinutes(bot, flow),
  });
  const intro = fill(flow.texts.intro ?? CHECKLIST_INTRO, { title: flow.title, count: flow.items.length });
  await ctx.messenger.toUsers(
    bot.id,
    [input.userid],
    { type: 'text', text: `${intro}\n${checklistResumeLead(answers.length)}${itemText(flow, answers.length)}` },
    { idempotencyKey: `checklist:${conv._id}:${conv.rev}` },
  );
}

export interface ResumeChecklistInput extends StartChecklistInput {
  ref: string;
}

/**
 * 巡检: puts the user's open checklist for `ref` back in front of them in the app chat and returns its current
 * question ("（3/12）…") (now the one a plain answer goes to); a checklist whose conversation ended unfinished starts again with
 * the answers it had. Null when the flow is unknown.
 */
export async function resumeChecklist(ctx: EngineCtx, input: ResumeChecklistInput, now: Date): Promise<string | null> {
  const bot = ctx.bots.get(input.bot) as BotConfig;
  const flow = ctx.flows.get(input.flow);
  if (!bot || flow?.kind !== 'checklist') return null;
  const key = { bot: bot.id, chat: 'single:app', userid: input.userid };
  const open = (await findConversations(key)).find((c) => c.flow === flow.id && c.context.ref === input.ref && c.expiresAt > now);
  if (open) {
    await touchConversation(open, now, idleMinutes(bot, flow));
    const answers = (open.context.answers as ChecklistAnswer[] | undefined) ?? [];
    const question = open.context.awaitingNote ? CHECKLIST_NOTE_ASK : itemText(flow, answers.length);
    return question;
  }
  await startChecklist(ctx, input);
  return '';
}

type Parsed = { all: true } | { value: string; note: string | null } | null;

function parseItemAnswer(flow: ChecklistFlow, text: string): Parsed {
  const t = text.normalize('NFKC').trim();
  if (/^(全部|都)(正常|没问题)$/.test(t)) return { all: true };
  const num = /^(\d)(?:[\s.、:：,，]+|$)/.exec(t);
  if (num) {
    const opt = flow.answers[Number(num[1]) - 1];
    return opt ? { value: opt.value, note: t.slice(num[0].length).trim() || null } : null;
  }
  // The answer is the whole reply, or its first word before a note ("异常 磁盘空间不足"): a word inside a sentence
  // ("…已经能正常登录了") answers nothing, and the item is asked again.
  const words = flow.answers
    .flatMap((option) => [option.label, ...(option.match ?? [])].map((word) => ({ option, word: word.toLowerCase() })))
    .sort((a, b) => b.word.length - a.word.length);
  const lower = t.toLowerCase();
  const hit = words.find(({ word }) => lower.startsWith(word) && /^(?:$|[\s,，.。、:：;；!！])/u.test(lower.slice(word.length)));
  if (!hit) return null;
  const note = t.slice(hit.word.length).replace(/^[\s,，.。、:：;；!！]+|[\s,，。]+$/gu, '');
  return { value: hit.option.value, note: note || null };
}

/** One answer: to the current item, or the note an 异常 answer still needs. */
export async function continueChecklist(ctx: EngineCtx, turn: Turn, conv: ConversationDoc, text: string): Promise<Answer> {
  const flow = ctx.flows.checklist(conv.flow);
  const answers = [...((conv.context.answers as ChecklistAnswer[]) ?? [])];
  const minutes = idleMinutes(turn.bot, flow);
  if (conv.context.awaitingNote) {
    answers[answers.length - 1] = { ...answers[answers.length - 1], note: clip(text.trim(), 300) };
    return advance(ctx, turn, conv, flow, answers, CHECKLIST_NOTED);
  }
  const parsed = parseItemAnswer(flow, text);
  if (!parsed) {
    const saved = await saveConversation(conv, {}, turn.now, minutes);
    return saved ? checklistNotUnderstood(itemText(flow, answers.length)) : null;
  }
  if ('all' in parsed) {
    const ok = flow.answers[0].value;
    for (let i = answers.length; i < flow.items.length; i++) answers.push({ item: flow.items[i].id, value: ok, note: null });
    return advance(ctx, turn, conv, flow, answers, '');
  }
  answers.push({ item: flow.items[answers.length].id, value: parsed.value, note: parsed.note });
  const option = flow.answers.find((a) => a.value === parsed.value);
  if (option?.needsNote && !parsed.note) {
    const saved = await saveConversation(conv, { context: { ...conv.context, answers, awaitingNote: true } }, turn.now, minutes);
    return saved ? CHECKLIST_NOTE_ASK : null;
  }
  return advance(ctx, turn, conv, flow, answers, '');
}

async function advance(
  ctx: EngineCtx,
  turn: Turn,
  conv: ConversationDoc,
  flow: ChecklistFlow,
  answers: ChecklistAnswer[],
  lead: string,
): Promise<Answer> {
  if (answers.length < flow.items.length) {
    const saved = await saveConversation(
      conv,
      { context: { ...conv.context, answers, awaitingNote: false } },
      turn.now,
      idleMinutes(turn.bot, flow),
    );
    return saved ? [lead, itemText(flow, answers.length)].filter(Boolean).join('\n') : null;
  }
  if (!(await endConversation(conv, 'done', turn.now))) return null;
  const result: ChecklistResult = {
    bot: turn.bot.id,
    flow: flow.id,
    userid: conv.userid,
    ref: (conv.context.ref as string | null) ?? null,
    answers,
    completedAt: turn.now,
  };
  for (const hook of ctx.registry.checklistHooks) {
    try {
      await hook(result);
    } catch (e) {
      log.error({ bot: result.bot, flow: result.flow, err: (e as Error).message }, 'checklist hook failed');
    }
  }
  const count = (v: string) => answers.filter((a) => a.value === v).length;
  const done = fill(flow.texts.done ?? CHECKLIST_DONE, {
    title: flow.title,
    ok: count('ok'),
    issue: count('issue'),
    na: count('na'),
    total: answers.length,
  });
  return [lead, done].filter(Boolean).join('\n');
}

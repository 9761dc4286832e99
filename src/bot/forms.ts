import type { BotConfig } from '../config/bots.js';
import type { ChoiceOption, FormFlow, SlotDef } from './flows/types.js';
import { clipPoints } from './presenters/words.js';

/** What a form conversation has collected so far (stored on the conversation document). */
export interface FormState {
  values: Record<string, string>;
  /** How often each slot was asked. */
  asks: Record<string, number>;
  /** Optional slots the user skipped or that ran out of re-asks without a fallback. */
  skipped: string[];
  pending: string | null;
}

export type Answer = { kind: 'value'; value: string; rest: string } | { kind: 'skip' } | { kind: 'invalid' };

/** Helps a choice slot over "systems" recognise free text ("检验那边" → lis). */
export type SystemGuesser = (text: string) => string | null;

export function emptyState(): FormState {
  return { values: {}, asks: {}, skipped: [], pending: null };
}

export function slotOf(flow: FormFlow, name: string): SlotDef {
  const s = flow.slots.find((x) => x.name === name);
  if (!s) throw new Error(`flow ${flow.id} has no slot ${name}`);
  return s;
}

export function optionsOf(slot: SlotDef, bot: BotConfig): ChoiceOption[] {
  if (slot.options === 'systems') return bot.systems.map((s) => ({ value: s.id, label: s.name, match: [s.id, ...s.aliases] }));
  return slot.options ?? [];
}

/** The question with its numbered quick replies: "是哪个系统？\n1 HIS  2 LIS …". */
export function promptFor(slot: SlotDef, bot: BotConfig, retry = false): string {
  const q = retry && slot.retryPrompt ? slot.retryPrompt : slot.prompt;
  if (slot.type !== 'choice' || (slot.optionsInPrompt && !retry)) return q;
  const opts = optionsOf(slot, bot)
    .map((o, i) => `${i + 1} ${o.label}`)
    .join('  ');
  return `${q}\n${opts}`;
}

export function labelOf(slot: SlotDef, bot: BotConfig, value: string): string {
  return optionsOf(slot, bot).find((o) => o.value === value)?.label ?? value;
}

/** A slot exists only when its `when` condition holds. */
export function isActive(slot: SlotDef, values: Record<string, string>): boolean {
  if (!slot.when) return true;
  const v = values[slot.when.slot];
  const want = Array.isArray(slot.when.equals) ? slot.when.equals : [slot.when.equals];
  return v !== undefined && want.includes(v);
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase();
const trimAnswer = (s: string) => s.replace(/^[\s,，。.、:：;；!！?？]+|[\s,，。.、:：;；!！?？]+$/gu, '');

/** Reads one answer to `slot`; `rest` is what is left after the part that answered it. */
export function readAnswer(slot: SlotDef, text: string, bot: BotConfig, guessSystem?: SystemGuesser): Answer {
  const t = trimAnswer(text.normalize('NFKC'));
  if (!t) return { kind: 'invalid' };
  if (slot.skipWords?.some((w) => fold(t) === fold(w))) return { kind: 'skip' };
  if (slot.type === 'choice') return readChoice(slot, t, bot, guessSystem);
  const min = slot.minLength ?? 2;
  if ([...t].length < min) return { kind: 'invalid' };
  // "分机 8823" answers the contact question with "8823"; a free answer is taken as written (a strict slot takes
  // only what its patterns recognise).
  const picked = extractOne(slot, t);
  if (slot.strict && !picked && !accepts(slot, t)) return { kind: 'invalid' };
  // As written (NFKC would turn the Chinese commas of a repair record into ASCII ones); matching used the folded text.
  if (!picked || [...picked].length < min) return { kind: 'value', value: clip(trimAnswer(text), slot.maxLength ?? 500), rest: '' };
  const at = t.indexOf(picked);
  return { kind: 'value', value: picked, rest: at < 0 ? '' : `${t.slice(0, at)} ${t.slice(at + picked.length)}`.trim() };
}

/** A strict slot's `accept` patterns recognise the whole answer. */
function accepts(slot: SlotDef, t: string): boolean {
  return (slot.accept ?? []).some((re) => new RegExp(re, 'u').test(t));
}

/**
 * Can `text` be the answer to `slot` at all? A skip word, a choice it matches, or for a strict slot a value its
 * patterns recognise; a free text slot takes anything (too short an answer is asked again, it is not another
 * message). False: the message is something else (a follow-up, a complaint, a new report), see the engine.
 */
export function fitsSlot(slot: SlotDef, text: string, bot: BotConfig, guessSystem?: SystemGuesser): boolean {
  if (slot.type !== 'choice' && !slot.strict) return true;
  return readAnswer(slot, text, bot, guessSystem).kind !== 'invalid';
}

function readChoice(slot: SlotDef, t: string, bot: BotConfig, guessSystem?: SystemGuesser): Answer {
  const options = optionsOf(slot, bot);
  const num = /^(\d{1,2})(?:[\s.、)）]+|$)/u.exec(t);
  if (num) {
    const opt = options[Number(num[1]) - 1];
    return opt ? { kind: 'value', value: opt.value, rest: t.slice(num[0].length) } : { kind: 'invalid' };
  }
  const hit = matchOption(options, t);
  if (hit) return { kind: 'value', value: hit.option.value, rest: (t.slice(0, hit.at) + ' ' + t.slice(hit.at + hit.word.length)).trim() };
  if (slot.options === 'systems' && guessSystem) {
    const id = guessSystem(t);
    if (id && options.some((o) => o.value === id)) return { kind: 'value', value: id, rest: '' };
  }
  return { kind: 'invalid' };
}

/**
 * The option whose word occurs in the text: longest word first, then the earliest position,
 * so "没解决" beats "解决" and "未解决了" is not read as "解决了".
 */
export function matchOption(
  options: ChoiceOption[],
  text: string,
  withLabels = true,
): { option: ChoiceOption; word: string; at: number } | null {
  const hay = fold(text);
  let best: { option: ChoiceOption; word: string; at: number } | null = null;
  for (const option of options) {
    for (const word of withLabels ? [option.label, ...(option.match ?? [])] : (option.match ?? [])) {
      const at = hay.indexOf(fold(word));
      if (at < 0) continue;
      if (!best || word.length > best.word.length || (word.length === best.word.length && at < best.at)) best = { option, word, at };
    }
  }
  return best;
}

/** Values the flow's `extract` patterns (and choice words) find in a free message. */
export function extractSlots(flow: FormFlow, text: string, skip: Set<string> = new Set()): Record<string, string> {
  const found: Record<string, string> = {};
  const t = text.normalize('NFKC');
  for (const slot of flow.slots) {
    if (skip.has(slot.name)) continue;
    const v = extractOne(slot, t);
    if (v) found[slot.name] = v;
  }
  return found;
}

function extractOne(slot: SlotDef, t: string): string | null {
  for (const src of slot.extract ?? []) {
    const m = new RegExp(src, 'u').exec(t);
    const v = m ? trimAnswer(m[1] ?? m[0]) : '';
    if (v) return clip(v, slot.maxLength ?? 500);
  }
  if (slot.type === 'choice' && Array.isArray(slot.options)) {
    // In free text only the explicit match words count, not the option labels.
    const hit = matchOption(slot.options, t, false);
    if (hit) return hit.option.value;
  }
  return null;
}

/** The next slot to ask among `required`: active, not filled, not skipped. */
export function nextSlot(flow: FormFlow, required: string[], state: FormState): SlotDef | null {
  for (const name of required) {
    const slot = slotOf(flow, name);
    if (!isActive(slot, state.values)) continue;
    if (state.values[name] !== undefined || state.skipped.includes(name)) continue;
    return slot;
  }
  return null;
}

export type StepOutcome =
  | { kind: 'accepted' }
  | { kind: 'retry'; slot: SlotDef }
  | { kind: 'gave-up'; slot: SlotDef; fallback: string | null };

/**
 * Applies one answer to the pending slot: fills it (and whatever else the message carries), or counts a
 * failed ask; after `maxAsks` failures the slot takes its fallback or is left empty.
 */
export function applyAnswer(
  flow: FormFlow,
  state: FormState,
  text: string,
  bot: BotConfig,
  guessSystem?: SystemGuesser,
): { state: FormState; outcome: StepOutcome } {
  const next: FormState = { values: { ...state.values }, asks: { ...state.asks }, skipped: [...state.skipped], pending: null };
  const pending = state.pending ? slotOf(flow, state.pending) : null;
  if (!pending) return { state: next, outcome: { kind: 'accepted' } };
  const answer = readAnswer(pending, text, bot, guessSystem);
  if (answer.kind === 'skip') {
    next.skipped.push(pending.name);
    return { state: next, outcome: { kind: 'accepted' } };
  }
  if (answer.kind === 'invalid') {
    if ((next.asks[pending.name] ?? 0) < flow.maxAsks) {
      next.pending = pending.name;
      return { state: next, outcome: { kind: 'retry', slot: pending } };
    }
    if (pending.fallback) next.values[pending.name] = pending.fallback;
    else next.skipped.push(pending.name);
    return { state: next, outcome: { kind: 'gave-up', slot: pending, fallback: pending.fallback ?? null } };
  }
  next.values[pending.name] = answer.value;
  fillFromRest(flow, next, answer.rest);
  return { state: next, outcome: { kind: 'accepted' } };
}

/** "急诊科 分机 8823" answers the location and the contact at once; "未解决 还是打不开" gives the reason. */
function fillFromRest(flow: FormFlow, state: FormState, rest: string): void {
  const r = trimAnswer(rest);
  if (!r) return;
  const filled = new Set(Object.keys(state.values));
  Object.assign(state.values, extractSlots(flow, r, filled));
  const taker = flow.slots.find((s) => s.takeRest && isActive(s, state.values) && state.values[s.name] === undefined);
  if (taker && [...r].length >= (taker.minLength ?? 2)) state.values[taker.name] = clip(r, taker.maxLength ?? 500);
}

/** Records that `slot` is being asked now. */
export function markAsked(state: FormState, slot: SlotDef): FormState {
  return { ...state, pending: slot.name, asks: { ...state.asks, [slot.name]: (state.asks[slot.name] ?? 0) + 1 } };
}

/** Cuts at a character boundary (never inside a surrogate pair or an emoji sequence): `max` code points. */
export function clip(s: string, max: number): string {
  return clipPoints(s, max);
}

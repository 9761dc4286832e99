/** One choice of a `choice` slot or of a checklist answer: "1 HIS 2 LIS …" is built from these. */
export interface ChoiceOption {
  value: string;
  label: string;
  /** Words that select this option in a free-text answer ("全院", "确认", "正常"). */
  match?: string[];
  /** Report flow: choosing this option sets the ticket level (the impact question). */
  level?: 1 | 2 | 3 | 4;
  /** Checklist answers: this answer needs a short note ("异常" → what is wrong). */
  needsNote?: boolean;
}

export interface SlotCondition {
  slot: string;
  equals: string | string[];
}

export interface SlotDef {
  name: string;
  type: 'choice' | 'text';
  /** The question, asked as is (choice slots get their numbered options appended). */
  prompt: string;
  /** Asked instead of `prompt` after an answer that did not fit. */
  retryPrompt?: string;
  /** A choice slot's options, or "systems" for the bot's system catalog. */
  options?: ChoiceOption[] | 'systems';
  /** Regular expressions that pick the value out of any message (first capture group, else the whole match). */
  extract?: string[];
  /** Strict slots: whole answers that fit as written besides `extract` ("3楼护士站", "老年病科"). */
  accept?: string[];
  /**
   * Only an answer that `extract` or `accept` recognises fits (a contact is a phone or an extension, a place is a
   * place); anything else is not taken as the answer but handled as a new message (issue #17).
   */
  strict?: boolean;
  minLength?: number;
  maxLength?: number;
  /** Answers that leave an optional slot empty ("跳过", "没有"). */
  skipWords?: string[];
  /** Used when the re-ask limit is reached without a usable answer. */
  fallback?: string;
  /** A text slot that takes what is left of an answer after another slot consumed its part ("未解决 还是打不开"). */
  takeRest?: boolean;
  /** A choice slot whose prompt names its options itself ("回复 1 关闭，2 仍需处理"): they are not listed after it. */
  optionsInPrompt?: boolean;
  /** The slot only exists when another slot has this value. */
  when?: SlotCondition;
}

/** Which slots a report needs before the ticket opens, and which are asked afterwards. */
export interface LevelRequirement {
  before: string[];
  after: string[];
}

export type LevelKey = '1' | '2' | '3' | '4' | 'unknown';

export interface FlowTexts {
  cancelled: string;
  expired: string;
  /** Said when the re-ask limit is reached and the fallback value is used. */
  gaveUp?: string;
  /** Checklist: said first ({title}, {count}). */
  intro?: string;
  /** Checklist: said at the end ({ok}, {issue}, {na}, {total}). */
  done?: string;
}

interface FlowBase {
  id: string;
  title: string;
  /** Overrides the bot's conversation.idleMinutes for this flow (a checklist takes longer than a report). */
  idleMinutes?: number;
  /** How often one question is asked before giving up on it. */
  maxAsks: number;
  texts: FlowTexts;
}

/** Slot filling: the report, resolve and confirm conversations. */
export interface FormFlow extends FlowBase {
  kind: 'form';
  slots: SlotDef[];
  /** Slots every conversation of this flow needs (resolve: cause, action). */
  required: string[];
  /** Report flow: requirements per ticket level; "unknown" while triage could not tell the level. */
  byLevel?: Partial<Record<LevelKey, LevelRequirement>>;
}

export interface ChecklistItem {
  id: string;
  text: string;
  /** A hint for the engineer, shown with the item. */
  hint?: string;
}

/** A checklist walked item by item (inspections): every item gets one of `answers`, maybe with a note. */
export interface ChecklistFlow extends FlowBase {
  kind: 'checklist';
  answers: ChoiceOption[];
  items: ChecklistItem[];
}

export type Flow = FormFlow | ChecklistFlow;

export interface Flows {
  get(id: string): Flow | undefined;
  form(id: string): FormFlow;
  checklist(id: string): ChecklistFlow;
  ids(): string[];
}

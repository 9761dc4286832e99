import { type ParsedCommand, parseCommand } from '../bot/grammar.js';
import type { BotConfig } from '../config/bots.js';
import type { SystemId } from './config.js';
import { type Condition, loadTriageModel, type TriageModel } from './model.js';
import { createNormalizer } from './normalize.js';
import { createSystemDetector, type SystemVerdict } from './systems.js';
import { type Analysed, analyse, type Hit, TermMatcher } from './text.js';

export type Intent = 'report' | 'request' | 'command' | 'chat';
export type Level = 1 | 2 | 3 | 4;
export type Slot = 'system' | 'symptom' | 'impact';

export interface TriageSignals {
  /** The normalised text the model saw (never log it: it may name patients). */
  normalized: string;
  /** Cue name → the first term found. */
  cues: Record<string, string>;
  /** Dimension name → chosen value, e.g. {scope: 'wide', state: 'down'}. */
  dimensions: Record<string, string>;
  system: SystemVerdict & { rule: string | null };
  adjustments: string[];
  forced: string | null;
  command: ParsedCommand | null;
}

export interface TriageResult {
  intent: Intent;
  /** null = no ticket (command or chat). */
  level: Level | null;
  system: SystemId | null;
  /** Short Chinese explanation, stored on the ticket: "全院 + 登不进 → 一级". */
  reason: string;
  /** Slots still unknown, for the conversation to ask about. */
  missing: Slot[];
  signals: TriageSignals;
}

export type Triage = (text: string) => TriageResult;

/** WeCom text messages are at most 2048 bytes; cutting longer input bounds the work per message. */
const MAX_CHARS = 2048;

/**
 * Builds the triage function for one bot: its system catalog plus the level model of `flows/triage.json`.
 * Everything heavy (regexes, matchers) is compiled here once; a call only scans one message.
 */
export function createTriage(bot: BotConfig, model: TriageModel = loadTriageModel(process.env.FLOWS_DIR ?? 'flows')): Triage {
  const normalize = createNormalizer(model, bot.wecom.mentionNames ?? []);
  const cues = Object.entries(model.cues).map(([name, c]) => ({ name, matcher: new TermMatcher(c.terms, c.patterns) }));
  const detect = createSystemDetector(bot.systems, model.systems);
  const levelName = (l: Level) => model.levelNames[String(l) as '1'];

  return (text) => {
    const raw = text.slice(0, MAX_CHARS);
    const command = parseCommand(raw);
    const a = analyse(normalize(raw));
    const hits = new Map<string, Hit>();
    for (const c of cues) {
      const h = c.matcher.first(a);
      if (h) hits.set(c.name, h);
    }
    const facts = new Set(hits.keys());
    const system = chooseSystem(detect(a), model, facts);
    const signals: TriageSignals = {
      normalized: a.text,
      cues: Object.fromEntries([...hits].map(([k, h]) => [k, h.term])),
      dimensions: {},
      system,
      adjustments: [],
      forced: null,
      command,
    };
    if (command) return { intent: 'command', level: null, system: null, reason: commandReason(command), missing: [], signals };

    const deciding = resolveDimensions(model, facts, hits, signals);
    const intent = model.intents.find((r) => holds(r.when, facts))?.intent ?? 'chat';
    if (intent === 'chat') return chat(a, hits, signals);
    if (intent === 'request') {
      const term = hits.get('request.strong')?.term ?? hits.get('request.weak')?.term ?? '咨询';
      return {
        intent,
        level: 4,
        system: system.id,
        reason: `${term} → ${levelName(4)}`,
        missing: system.id ? [] : ['system'],
        signals,
      };
    }
    const { level, parts } = reportLevel(model, facts, hits, deciding, signals);
    return {
      intent: 'report',
      level,
      system: system.id,
      reason: `${parts.join(' + ')} → ${levelName(level)}`,
      missing: missingSlots(model, system.id, signals.dimensions, level, facts),
      signals,
    };
  };
}

function holds(c: Condition | undefined, facts: Set<string>): boolean {
  if (!c) return true;
  if (c.all && !c.all.every((f) => facts.has(f))) return false;
  if (c.any && !c.any.some((f) => facts.has(f))) return false;
  if (c.none?.some((f) => facts.has(f))) return false;
  return true;
}

function chooseSystem(verdict: SystemVerdict, model: TriageModel, facts: Set<string>): TriageSignals['system'] {
  if (verdict.mentioned.length >= 2) facts.add('multiSystem');
  // Rules may test the scored system ("not when it is insurance's own interface"); a rule's choice then replaces it.
  if (verdict.id) facts.add(`system:${verdict.id}`);
  const rule = model.systems.rules.find((r) => holds(r.when, facts));
  const id = rule ? ruleSystem(rule.system, verdict, model) : verdict.id;
  if (verdict.id && id !== verdict.id) facts.delete(`system:${verdict.id}`);
  if (id) {
    facts.add('hasSystem');
    facts.add(`system:${id}`);
  }
  return { ...verdict, id, rule: rule?.reason ?? null };
}

function ruleSystem(
  target: TriageModel['systems']['rules'][number]['system'],
  verdict: SystemVerdict,
  model: TriageModel,
): SystemId | null {
  if (target === 'named') return verdict.mentioned[0] ?? verdict.id;
  if (target === 'fallback') return model.systems.fallback;
  return target;
}

/** Picks each dimension's value; returns, per dimension, the term that decided it (for the reason). */
function resolveDimensions(model: TriageModel, facts: Set<string>, hits: Map<string, Hit>, signals: TriageSignals): Map<string, string> {
  const deciding = new Map<string, string>();
  for (const dim of model.dimensions) {
    const chosen = dim.values.find((v) => holds(v.when, facts)) ?? dim.values[dim.values.length - 1];
    signals.dimensions[dim.name] = chosen.value;
    facts.add(`${dim.name}:${chosen.value}`);
    for (const t of chosen.tags ?? []) facts.add(t);
    const cue = [...(chosen.when?.all ?? []), ...(chosen.when?.any ?? [])].find((f) => hits.has(f));
    if (cue) deciding.set(dim.name, hits.get(cue)!.term);
  }
  return deciding;
}

function reportLevel(
  model: TriageModel,
  facts: Set<string>,
  hits: Map<string, Hit>,
  deciding: Map<string, string>,
  signals: TriageSignals,
): { level: 1 | 2 | 3; parts: string[] } {
  const { row, column, table, min, max } = model.levels;
  let level: number = table[signals.dimensions[row]][signals.dimensions[column]];
  const parts = [deciding.get(column), deciding.get(row) ?? '未说明故障现象'].filter((p): p is string => !!p);
  for (const adj of model.adjust) {
    if (!holds(adj.when, facts)) continue;
    level += adj.shift;
    const term = (adj.cue && hits.get(adj.cue)?.term) || adj.label;
    signals.adjustments.push(adj.label);
    parts.push(term);
  }
  level = Math.min(max, Math.max(min, level));
  const forced = model.forced.find((f) => holds(f.when, facts));
  if (forced) {
    signals.forced = forced.reason;
    level = forced.level;
    parts.push(forced.reason);
  }
  return { level: level as 1 | 2 | 3, parts };
}

function missingSlots(
  model: TriageModel,
  system: SystemId | null,
  dims: Record<string, string>,
  level: number,
  facts: Set<string>,
): Slot[] {
  const missing: Slot[] = [];
  if (!system) missing.push('system');
  if (!facts.has('fault')) missing.push('symptom');
  // A serious fault of unknown reach could be 一级: worth asking "全科都这样，还是只有一台？".
  if (dims.scope === 'normal' && facts.has('serious') && level > model.levels.min) missing.push('impact');
  return missing;
}

function chat(a: Analysed, hits: Map<string, Hit>, signals: TriageSignals): TriageResult {
  const term = hits.get('chat')?.term;
  const reason = term ? `${term} → 不建单` : a.text ? '未识别到系统或故障 → 不建单' : '空消息 → 不建单';
  return { intent: 'chat', level: null, system: null, reason, missing: [], signals };
}

function commandReason(c: ParsedCommand): string {
  return `命令：${c.verb}${c.no !== null ? ` #${c.no}` : ''}`;
}

import { type ParsedCommand, parseCommand } from '../bot/grammar.js';
import type { BotConfig } from '../config/bots.js';
import type { SystemId } from './config.js';
import { type Clause, splitClauses, subAnalysed, subClause } from './clauses.js';
import { type ClauseRole, type Condition, loadTriageModel, type TriageModel } from './model.js';
import { createNormalizer } from './normalize.js';
import { createSystemDetector, type SystemVerdict } from './systems.js';
import { type Analysed, analyse, type Hit, TermMatcher } from './text.js';

export type Intent = 'report' | 'request' | 'command' | 'chat' | 'status';
export type Level = 1 | 2 | 3 | 4;
export type Slot = 'system' | 'symptom' | 'impact';

/** A clause dropped from the assertion, and why ("不是网络的问题" → denied). */
export interface ClauseNote {
  role: ClauseRole;
  label: string;
  /** The whole cue word that decided it. */
  term: string;
}

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
  /** Clauses that assert nothing now (negated, hypothetical, recovered, status questions, instructions to the bot). */
  clauses: ClauseNote[];
}

/** One of several faults in a message: what triage would say of that part alone. */
export interface FaultPart {
  system: SystemId;
  intent: 'report' | 'request';
  level: Level;
  reason: string;
  /** The part of the normalised message that reports it (may name patients: never log it). */
  text: string;
}

export interface TriageResult {
  intent: Intent;
  /** null = no ticket (command, chat or status question). */
  level: Level | null;
  system: SystemId | null;
  /**
   * Every system the message reports a fault or request for, the chosen one first: one entry for a single fault,
   * two or more when the message reports several ("LIS打不开，另外门诊叫号也没声音"), empty without a system.
   */
  systems: SystemId[];
  /** One entry per fault when there are several (same order as `systems`); empty for a single fault. */
  faults: FaultPart[];
  /** Short Chinese explanation, stored on the ticket: "全院 + 登不进 → 一级". */
  reason: string;
  /** Slots still unknown, for the conversation to ask about. */
  missing: Slot[];
  signals: TriageSignals;
  /**
   * The name the reporter gave a system the catalog only knows as "other software" ("手麻系统", "营养膳食"), kept on
   * the ticket; absent otherwise.
   */
  systemName?: string;
}

export type Triage = (text: string) => TriageResult;

/** WeCom text messages are at most 2048 bytes; cutting longer input bounds the work per message. */
const MAX_CHARS = 2048;

interface Assessed {
  result: TriageResult;
  facts: Set<string>;
}

/**
 * Builds the triage function for one bot: its system catalog plus the level model of `flows/triage.json`.
 * Everything heavy (regexes, matchers) is compiled here once; a call only scans one message.
 *
 * A message is read clause by clause first (issue #15): clauses that assert nothing now (negated, hypothetical,
 * recovered, status questions, instructions to the bot) are dropped, then the rest is judged; when the rest reports
 * faults of several systems in separate clauses, each part is judged alone and the most severe one is chosen.
 */
export function createTriage(bot: BotConfig, model: TriageModel = loadTriageModel(process.env.FLOWS_DIR ?? 'flows')): Triage {
  const normalize = createNormalizer(model, bot.wecom.mentionNames ?? []);
  const cues = Object.entries(model.cues).map(([name, c]) => ({ name, matcher: new TermMatcher(c.terms, c.patterns) }));
  const cueMatcher = new Map(cues.map((c) => [c.name, c.matcher]));
  const detect = createSystemDetector(bot.systems, model.systems);
  const levelName = (l: Level) => model.levelNames[String(l) as '1'];
  const systemName = new Map(bot.systems.map((s) => [s.id, s.name]));
  const cl = model.clauses;
  const separators = cl.separators.map((p) => new RegExp(p, 'g'));
  const roles = cl.roles.map((r) => ({ ...r, matcher: cueMatcher.get(r.cue)!, unless: (r.unless ?? []).map((u) => cueMatcher.get(u)!) }));
  const kept = cl.keep.map((k) => ({ name: k, matcher: cueMatcher.get(k)! }));
  const segmentCues = cl.segment.cues.map((k) => cueMatcher.get(k)!);
  const fallbackNeeds = cl.segment.fallbackNeeds;
  const marker = new RegExp(cl.segment.marker);
  const unknown = model.systems.unknown;
  const unknownPattern = unknown ? new RegExp(unknown.pattern, 'g') : null;
  const notNames = new Set(unknown?.notNames ?? []);
  const softwareIds = new Set(bot.systems.map((s) => s.id));
  const softwareAliases = new Set(bot.systems.find((s) => s.id === unknown?.system)?.aliases ?? []);

  /** Judges one piece of text as a single report (the model's decision lists and level table). */
  function assess(a: Analysed, extra: Iterable<string>, notes: ClauseNote[]): Assessed {
    const hits = new Map<string, Hit>();
    for (const c of cues) {
      const h = c.matcher.first(a);
      if (h) hits.set(c.name, h);
    }
    const facts = new Set(hits.keys());
    for (const f of extra) facts.add(f);
    const system = unknownSoftware(chooseSystem(detect(a), model, facts), a.text, facts);
    const signals: TriageSignals = {
      normalized: a.text,
      cues: Object.fromEntries([...hits].map(([k, h]) => [k, h.term])),
      dimensions: {},
      system,
      adjustments: [],
      forced: null,
      command: null,
      clauses: notes,
    };
    const deciding = resolveDimensions(model, facts, hits, signals);
    const intent = model.intents.find((r) => holds(r.when, facts))?.intent ?? 'chat';
    const named = softwareName(system, a.text);
    const base = { systems: system.id ? [system.id] : [], faults: [], signals, ...(named ? { systemName: named } : {}) };
    if (intent === 'chat' || intent === 'status') {
      const r = intent === 'status' ? statusResult(hits, signals) : chat(a, hits, signals);
      return { result: r, facts };
    }
    if (intent === 'request') {
      const term = hits.get('request.strong')?.term ?? hits.get('request.change')?.term ?? hits.get('request.weak')?.term ?? '咨询';
      return {
        result: { intent, level: 4, system: system.id, ...base, reason: `${term} → ${levelName(4)}`, missing: system.id ? [] : ['system'] },
        facts,
      };
    }
    const { level, parts } = reportLevel(model, facts, hits, deciding, signals);
    return {
      result: {
        intent: 'report',
        level,
        system: system.id,
        ...base,
        reason: `${parts.join(' + ')} → ${levelName(level)}`,
        missing: missingSlots(model, system.id, signals.dimensions, level, facts),
      },
      facts,
    };
  }

  /**
   * No catalog system found, but the text names some software ("营养膳食系统打不开"): the catalog's "other software"
   * (flows/triage.json `systems.unknown`), never the hardware catch-all. Issue #17.
   */
  function unknownSoftware(system: TriageSignals['system'], text: string, facts: Set<string>): TriageSignals['system'] {
    if (system.id !== null || !unknown || !softwareIds.has(unknown.system)) return system;
    const name = unknownName(text);
    if (!name) return system;
    facts.add('hasSystem');
    facts.add(`system:${unknown.system}`);
    return { ...system, id: unknown.system, term: name, rule: 'unknownSoftware' };
  }

  /** The reporter's name for other software: the unknown name found, or the catalog alias that matched. */
  function softwareName(system: TriageSignals['system'], text: string): string | null {
    if (!unknown || system.id !== unknown.system || !system.term) return null;
    if (system.rule === 'unknownSoftware') return system.term;
    if (!softwareAliases.has(system.term)) return null;
    // "消毒供应追溯系统": the whole name the reporter wrote around the alias, when there is one.
    const whole = unknownName(text);
    if (whole?.includes(system.term)) return whole.replace(/[a-z]+/g, (w) => w.toUpperCase());
    // "手麻" written as "手麻系统": keep the whole name; Latin names as people write them in capitals ("OA").
    const at = text.indexOf(system.term);
    const tail = at >= 0 ? /^(?:系统|软件)/.exec(text.slice(at + system.term.length))?.[0] : undefined;
    return `${system.term}${tail && !system.term.endsWith(tail) ? tail : ''}`.replace(/[a-z]+/g, (w) => w.toUpperCase());
  }

  function unknownName(text: string): string | null {
    for (const m of text.matchAll(unknownPattern!)) {
      // "今天营养膳食系统" → "营养膳食": the words right before 系统 name it; fillers in front do not.
      let name = m[1].split('的').at(-1) ?? '';
      for (let cut = true; cut; ) {
        cut = false;
        for (const w of notNames) {
          if (name.startsWith(w) && name.length > w.length) {
            name = name.slice(w.length);
            cut = true;
          }
        }
      }
      if (name.length >= 2 && !notNames.has(name)) return `${name}${m[0].slice(m[1].length)}`;
    }
    return null;
  }

  /** Splits into clauses and drops those that assert nothing now; returns what is left and why the rest went. */
  function readClauses(full: Analysed) {
    // Most messages have no such clause: one scan of the whole text saves splitting and a scan per clause.
    if (!roles.some((r) => r.matcher.first(full) !== null)) {
      return { a: full, clauses: null, notes: [] as ClauseNote[], keep: new Set<string>(), denied: [] as SystemId[] };
    }
    const clauses = splitClauses(full, separators);
    const notes: ClauseNote[] = [];
    const keep = new Set<string>();
    const denied: SystemId[] = [];
    let left: Clause[] = [];
    for (const c of clauses) {
      const hit = roleOf(c.a, full);
      if (!hit) {
        left.push(c);
        continue;
      }
      notes.push({ role: hit.role.role, label: hit.role.label, term: hit.term });
      for (const k of kept) if (k.matcher.first(c.a)) keep.add(k.name);
      if (hit.role.role === 'instruction' && hit.index > 0) left.push(subClause(c, 0, hit.index));
      else if (hit.role.role === 'recovered') left = [];
      else if (hit.role.role === 'denied') denied.push(...detect(c.a).mentioned);
    }
    if (!notes.length) return { a: full, clauses, notes, keep, denied };
    const a = analyse(left.map((c) => c.a.text).join(','));
    return { a, clauses: splitClauses(a, separators), notes, keep, denied };
  }

  function roleOf(a: Analysed, full: Analysed) {
    for (const role of roles) {
      const h = role.matcher.first(a);
      if (h && !role.unless.some((u) => u.first(full))) return { role, term: h.term, index: h.index };
    }
    return null;
  }

  /** Several faults: clauses that name another system and assert a fault of their own start a new part. */
  function severalFaults(a: Analysed, clauses: Clause[], notes: ClauseNote[]): Assessed[] | null {
    const parts: Array<{ start: number; end: number; system: SystemId | null; fault: boolean }> = [];
    for (const c of clauses) {
      const v = detect(c.a);
      const system = v.id;
      const fault = segmentCues.some((m) => m.first(c.a) !== null);
      const named = system !== null && system !== model.systems.fallback && (v.scores[system] ?? 0) >= model.systems.aliasWeight;
      const announced = named || marker.test(c.lead + c.a.text);
      const cur = parts[parts.length - 1];
      if (cur && (!system || !cur.system || system === cur.system || !fault || !cur.fault || !announced)) {
        cur.end = c.end;
        cur.system ??= system;
        cur.fault ||= fault;
      } else parts.push({ start: c.start, end: c.end, system, fault });
    }
    if (parts.filter((p) => p.system && p.fault).length < 2) return null;
    const judged: Assessed[] = [];
    for (const p of parts) {
      if (!p.system || !p.fault) continue;
      const one = assess(subAnalysed(a, p.start, p.end), [], notes);
      const r = one.result;
      if ((r.intent !== 'report' && r.intent !== 'request') || !r.system || judged.some((j) => j.result.system === r.system)) continue;
      if (r.system === model.systems.fallback && !fallbackNeeds.some((f) => one.facts.has(f))) continue;
      judged.push(one);
    }
    if (judged.length < 2) return null;
    const fallback = judged.some((j) => j.result.system === model.systems.fallback);
    if (fallback && judged.some((j) => j.result.system !== model.systems.fallback && cl.segment.sameCause.some((c) => j.facts.has(c))))
      return null;
    return judged;
  }

  return (text) => {
    const raw = text.slice(0, MAX_CHARS);
    const command = parseCommand(raw);
    const full = analyse(normalize(raw));
    if (command) {
      const { result } = assess(full, [], []);
      return {
        ...result,
        intent: 'command',
        level: null,
        system: null,
        systems: [],
        faults: [],
        reason: commandReason(command),
        missing: [],
        signals: { ...result.signals, command },
      };
    }
    const read = readClauses(full);
    const one = assess(read.a, read.keep, read.notes);
    const noted = (role: ClauseRole) => read.notes.find((n) => n.role === role);
    const status = noted('status');
    if (status && !cl.hard.some((f) => one.facts.has(f))) {
      return {
        ...one.result,
        intent: 'status',
        level: null,
        system: null,
        systems: [],
        faults: [],
        missing: [],
        reason: `${status.term} → 问进度，不建单`,
      };
    }
    const voided = noted('recovered') ?? noted('hypothetical');
    if (voided && !one.facts.has('fault')) {
      return {
        ...one.result,
        intent: 'chat',
        level: null,
        system: null,
        systems: [],
        faults: [],
        missing: [],
        reason: `${voided.term} → ${voided.label}，不建单`,
      };
    }
    if (one.result.intent === 'chat' && read.notes.length) {
      const n = read.notes[0];
      return { ...one.result, reason: `${n.term} → ${n.label}，不建单` };
    }
    const r = one.result;
    // A system rule that decided for the whole message (an interface between two systems) means one fault, not two.
    const oneRelation = r.signals.system.rule !== null && r.system !== model.systems.fallback;
    if ((r.intent === 'report' || r.intent === 'request') && !oneRelation && Object.keys(r.signals.system.scores).length >= 2) {
      const several = severalFaults(read.a, read.clauses ?? splitClauses(read.a, separators), read.notes);
      if (several) return combine(several);
    }
    if ((r.intent === 'report' || r.intent === 'request') && !r.system && read.denied.length) {
      // "HIS没问题，就是想问下怎么改密码": the denied clause still says which system the question is about.
      const system = read.denied[0];
      return { ...r, system, systems: [system], missing: r.missing.filter((m) => m !== 'system') };
    }
    return r;
  };

  /** The most severe part is the ticket's; the others follow in the order they were written. */
  function combine(parts: Assessed[]): TriageResult {
    const chosen = parts.reduce((best, p) => ((p.result.level ?? 5) < (best.result.level ?? 5) ? p : best), parts[0]);
    const ordered = [chosen, ...parts.filter((p) => p !== chosen)].map((p) => p.result);
    const faults: FaultPart[] = ordered.map((r) => ({
      system: r.system!,
      intent: r.intent as 'report' | 'request',
      level: r.level!,
      reason: r.reason,
      text: r.signals.normalized,
    }));
    const others = ordered.slice(1).map((r) => systemName.get(r.system!) ?? r.system);
    return {
      ...chosen.result,
      systems: ordered.map((r) => r.system!),
      faults,
      reason: `${chosen.result.reason}；另报：${others.join('、')}`,
    };
  }
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
    // A value that reads like the default ("the charts are all blurred" is not "everyone") explains nothing.
    if (chosen.value === dim.values[dim.values.length - 1].value) continue;
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
  const term = hits.get('chat')?.term ?? hits.get('chat.bot')?.term;
  const reason = term ? `${term} → 不建单` : a.text ? '未识别到系统或故障 → 不建单' : '空消息 → 不建单';
  return { intent: 'chat', level: null, system: null, systems: [], faults: [], reason, missing: [], signals };
}

function statusResult(hits: Map<string, Hit>, signals: TriageSignals): TriageResult {
  const term = hits.get('followUp')?.term ?? hits.get('status')?.term ?? '进度';
  return { intent: 'status', level: null, system: null, systems: [], faults: [], reason: `${term} → 问进度，不建单`, missing: [], signals };
}

function commandReason(c: ParsedCommand): string {
  return `命令：${c.verb}${c.no !== null ? ` #${c.no}` : ''}`;
}

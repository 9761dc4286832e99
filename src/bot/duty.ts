import type { BotConfig } from '../config/bots.js';
import { whoIsOnDuty } from '../roster/roster.js';
import type { CommandHandler } from './commands/types.js';
import { matchOption } from './forms.js';
import { dutyForAll, dutyForSystem, dutyUnknownSystem } from './presenters/duty.js';

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
/** Words around a system name that do not name it: "值班 检验的", "今天谁值班 his". */
const FILLER = /^(今天|现在|当前|本周|今晚|谁|是谁|在|的|系统|那边|值班|呢|？|\?)+|(的|系统|那边|值班|呢|？|\?)+$/gu;

/**
 * The system a 值班 question names: an id, a name or an alias ("lis", "检验系统"), or a part of one as people
 * say it ("检验" → 检验系统(LIS)) when exactly one system's words contain it. Null for "" (all systems);
 * undefined when the words name no system.
 */
export function systemFrom(bot: BotConfig, rest: string): string | null | undefined {
  const words = fold(rest).replace(FILLER, '');
  if (!words) return null;
  const options = bot.systems.map((s) => ({ value: s.id, label: s.name, match: [s.id, ...s.aliases] }));
  const hit = matchOption(options, words);
  if (hit) return hit.option.value;
  const containing = options.filter((o) => [o.label, ...o.match].some((w) => fold(w).includes(words)));
  return containing.length === 1 ? containing[0].value : undefined;
}

/** 值班 [系统] and 今天谁值班: who answers now (by the service's clock), for one system or grouped for all, and until when. */
export const dutyHandler: CommandHandler = async (ctx, _msg, parsed) => {
  const bot = ctx.bot;
  const now = ctx.clock.now();
  const one = systemFrom(bot, parsed.rest);
  if (one === undefined) return { reply: dutyUnknownSystem(bot, parsed.rest.trim()) };
  if (one && one !== 'other') return { reply: dutyForSystem(bot, one, whoIsOnDuty(bot, one, now)) };
  const bySystem = new Map<string, string[]>();
  let backup = '';
  for (const s of bot.systems) {
    if (s.id === 'other') continue;
    const d = whoIsOnDuty(bot, s.id, now);
    backup = d.backup;
    bySystem.set(d.primary, [...(bySystem.get(d.primary) ?? []), s.id]);
  }
  return { reply: dutyForAll(bot, bySystem, backup) };
};

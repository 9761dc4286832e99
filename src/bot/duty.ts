import type { BotConfig } from '../config/bots.js';
import { personName, whoIsOnDuty } from '../roster/roster.js';
import { toChatTime } from '../time.js';
import type { CommandHandler } from './commands/types.js';
import { matchOption } from './forms.js';
import { whoWithPhone } from './texts.js';

function systemFrom(bot: BotConfig, rest: string): string | null {
  if (!rest.trim()) return null;
  const options = bot.systems.map((s) => ({ value: s.id, label: s.name, match: [s.id, ...s.aliases] }));
  return matchOption(options, rest)?.option.value ?? null;
}

/** 值班 [系统]: who answers now (by the service's clock), for one system or grouped for all, and until when. */
export const dutyHandler: CommandHandler = async (ctx, _msg, parsed) => {
  const bot = ctx.bot;
  const now = ctx.clock.now();
  const it = bot.roster.itContact;
  const one = systemFrom(bot, parsed.rest);
  if (one && one !== 'other') {
    const d = whoIsOnDuty(bot, one, now);
    const name = bot.systems.find((s) => s.id === one)?.name ?? one;
    return { reply: `${name} 当前值班：${whoWithPhone(bot, d.primary)}，备岗 ${personName(bot, d.backup)}（至 ${toChatTime(d.until)}）` };
  }
  const bySystem = new Map<string, string[]>();
  let backup = '';
  for (const s of bot.systems) {
    if (s.id === 'other') continue;
    const d = whoIsOnDuty(bot, s.id, now);
    backup = d.backup;
    bySystem.set(d.primary, [...(bySystem.get(d.primary) ?? []), s.name]);
  }
  const lines = [...bySystem].map(([u, names]) => `${whoWithPhone(bot, u)}：${names.join('、')}`);
  return {
    reply: ['当前值班：', ...lines, `备岗：${personName(bot, backup)}`, `硬件/网络：信息科 ${whoWithPhone(bot, it.userid)}`].join('\n'),
  };
};

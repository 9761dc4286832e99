/** 值班 answers: who is on duty now, for one system or grouped for all, and until when. */
import type { BotConfig } from '../../config/bots.js';
import { type ChatContent, plain } from './content.js';
import { personName, whoWithPhone } from './people.js';
import { at, systemName } from './words.js';

export function dutyForSystem(bot: BotConfig, system: string, d: { primary: string; backup: string; until: Date }): ChatContent {
  return plain(
    `${systemName(bot, system)} 当前值班：${whoWithPhone(bot, d.primary)}，备岗 ${personName(bot, d.backup)}（至 ${at(d.until)}）`,
  );
}

/** Everyone on duty now: engineer → the systems they answer for; the backup; 信息科 for hardware and network. */
export function dutyForAll(bot: BotConfig, bySystem: Map<string, string[]>, backup: string): ChatContent {
  const lines = [...bySystem].map(([u, ids]) => `${whoWithPhone(bot, u)}：${ids.map((id) => systemName(bot, id)).join('、')}`);
  return plain(
    [
      '当前值班：',
      ...lines,
      `备岗：${personName(bot, backup)}`,
      `硬件/网络：信息科 ${whoWithPhone(bot, bot.roster.itContact.userid)}`,
    ].join('\n'),
  );
}

export const dutyUnknownSystem = (bot: BotConfig, words: string): ChatContent =>
  plain(`没认出系统「${words}」。可以这样问：值班 lis、值班 检验、今天谁值班\n系统：${bot.systems.map((s) => s.name).join('、')}`);

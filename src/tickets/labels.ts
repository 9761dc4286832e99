import type { BotConfig } from '../config/bots.js';
import type { EventType, Level, TicketStatus } from './types.js';

/** Level as people say it, after the contract (seed 001). */
export const LEVEL_WORDS: Record<Level, string> = { 1: '一级/紧急', 2: '二级/严重', 3: '三级/一般', 4: '四级/咨询' };

export const STATUS_WORDS: Record<TicketStatus, string> = {
  open: '待接单',
  claimed: '处理中',
  onsite_dispatched: '已派现场',
  onsite: '现场处理中',
  paused: '已挂起',
  resolved: '已解决待确认',
  closed: '已关闭',
  cancelled: '已取消',
  linked: '已并入故障事件',
  referred: '已转信息科',
};

export const EVENT_WORDS: Record<EventType, string> = {
  created: '报修',
  claimed: '接单',
  dispatched: '派现场',
  arrived: '到场',
  progress: '进展',
  resolved: '解决',
  confirmed: '确认',
  rejected: '未解决',
  reopened: '重新打开',
  paused: '挂起',
  resumed: '恢复',
  transferred: '转派',
  level_changed: '改级',
  merged: '合并',
  reminded: '提醒',
  breached: '超时',
  cancelled: '取消',
  closed: '关闭',
  explained: '超时说明',
  unlinked: '拆分',
  referred: '转信息科',
};

export function levelWords(level: number): string {
  return LEVEL_WORDS[level as Level] ?? `${level}级`;
}

/** The system's display name from the bot file ("检验系统(LIS)"), else its id. */
export function systemName(bot: BotConfig, system: string): string {
  return bot.systems.find((s) => s.id === system)?.name ?? system;
}

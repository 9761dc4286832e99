import type { BotConfig } from '../config/bots.js';
import type { Period, TargetName } from '../sla/config.js';

export const LEVEL_NAME: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };
export const TARGET_NAME: Record<TargetName, string> = { response: '响应', onsite: '到场', resolve: '解决' };
export const PERIOD_NAME: Record<Period, string> = { work: '工作时间', off: '非工作时间', holiday: '节假日' };
export const STATUS_NAME: Record<string, string> = {
  open: '待接单',
  claimed: '处理中',
  onsite_dispatched: '待到场',
  onsite: '已到场',
  paused: '挂起',
  resolved: '待确认',
  closed: '已关闭',
  cancelled: '已取消',
  withdrawn: '已撤销',
  referred: '已转信息科',
};

export function systemName(bot: BotConfig, id: string): string {
  return bot.systems.find((s) => s.id === id)?.name ?? id;
}

/** Short system label for chat: "检验系统(LIS)" → "LIS". */
export function systemShort(bot: BotConfig, id: string): string {
  const name = systemName(bot, id);
  return /\(([^)]+)\)/.exec(name)?.[1] ?? name;
}

/** Compact age for chat: "35分钟", "5小时20分", "2天3小时". */
export function age(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return `${min}分钟`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h}小时${min % 60}分` : `${h}小时`;
  return h % 24 ? `${Math.floor(h / 24)}天${h % 24}小时` : `${Math.floor(h / 24)}天`;
}

/** "45%" for 0.45, "—" for null. */
export function pct(x: number | null): string {
  return x === null ? '—' : `${Math.round(x * 1000) / 10}%`;
}

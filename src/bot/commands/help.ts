import { roleOf } from '../../roster/roster.js';
import type { CommandHandler } from './types.js';

const EVERYONE = ['**报修**：直接 @我 描述故障，如「LIS报告打印不出来，急」', '进度 12 ｜ 我的工单 ｜ 待接单 ｜ 值班'];
const REPORTER = ['确认 12 [1-5分] ｜ 未解决 12 <原因>'];
const ENGINEER = [
  '接单 12 ｜ 派现场 12 ｜ 到场 12',
  '进展 12 <内容>',
  '解决 12 原因:<…> 处理:<…>',
  '转派 12 @工程师 ｜ 挂起 12 <原因> ｜ 恢复 12',
  '改级 12 <1-4> <原因>',
  '拆分 22 15（把 #15 从故障事件 #22 拆出）｜ 合并 15 到 22',
];
const LEAD = ['取消 12 <原因> ｜ 日报 ｜ 月报 2026-11'];

/** Help for the sender's role; ticket numbers may be written 12, #12 or 12号. */
export const help: CommandHandler = async (ctx, msg) => {
  const role = roleOf(ctx.bot, msg.from.userid);
  const lines = [
    ...EVERYONE,
    ...(role === 'reporter' ? REPORTER : ENGINEER),
    ...(role === 'lead' ? [...REPORTER, ...LEAD] : []),
    '工单号可写作 12、#12 或 12号',
  ];
  return { reply: lines.join('\n') };
};

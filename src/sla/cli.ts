import { type CliCommand, UsageError } from '../cli-command.js';
import { parseInstant, toIso } from '../time.js';
import type { TargetName } from './config.js';
import { type Level, startTarget } from './policy.js';

const TARGETS: TargetName[] = ['response', 'onsite', 'resolve'];

/** `sla due`: the deadline a target would get if its clock started at --at. */
export const slaDueCommand: CliCommand = {
  name: 'sla due',
  usage: 'sla due --bot <id> --level <1-4> --target <response|onsite|resolve> --at <ISO-8601>',
  options: ['level', 'target', 'at'],
  async run({ bot, values }) {
    const level = Number(values.level);
    if (!/^[1-4]$/.test(values.level ?? '')) throw new UsageError('--level must be 1, 2, 3 or 4');
    const target = values.target as TargetName;
    if (!TARGETS.includes(target)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}`);
    const at = parseInstant(values.at ?? '');
    if (!at) throw new UsageError('--at must be an ISO-8601 instant, e.g. 2026-11-21T14:30:00+08:00');
    const t = startTarget(bot, level as Level, target, at);
    const out = { dueAt: toIso(t.dueAt), period: t.period, clock: t.clock, calendarUncertain: Boolean(t.calendarUncertain) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  },
};

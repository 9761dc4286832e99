import { type CliCommand, UsageError } from '../cli-command.js';
import { parseInstant, toIso } from '../time.js';
import { whoIsOnDuty } from './roster.js';

/** `roster who`: who is on duty for a system at an instant, and until when. */
export const rosterWhoCommand: CliCommand = {
  name: 'roster who',
  usage: 'roster who --bot <id> --system <id> --at <ISO-8601>',
  options: ['system', 'at'],
  async run({ bot, values }) {
    const system = values.system ?? '';
    if (!bot.systems.some((s) => s.id === system)) {
      throw new UsageError(`--system must be one of ${bot.systems.map((s) => s.id).join(', ')}`);
    }
    const at = parseInstant(values.at ?? '');
    if (!at) throw new UsageError('--at must be an ISO-8601 instant, e.g. 2026-11-21T14:30:00+08:00');
    const duty = whoIsOnDuty(bot, system, at);
    process.stdout.write(`${JSON.stringify({ primary: duty.primary, backup: duty.backup, until: toIso(duty.until) })}\n`);
  },
};

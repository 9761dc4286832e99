import './cli-stderr.js';
import { parseArgs } from 'node:util';
import { loadBots } from './config/bots.js';
import { loadEnv } from './config/env.js';
import { type CliCommand, UsageError } from './cli-command.js';
import { ConfigError } from './config/errors.js';
import { rosterWhoCommand } from './roster/cli.js';
import { slaDueCommand } from './sla/cli.js';
import { triageCommand } from './triage/cli.js';

process.env.TZ ||= 'Asia/Shanghai';

// Each module contributes its commands here.
const commands: CliCommand[] = [slaDueCommand, rosterWhoCommand, triageCommand];

function usage(): string {
  return ['usage: npm run --silent cli -- <command> [options]', ...commands.map((c) => `  ${c.usage}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const command = commands
    .filter((c) => c.name.split(' ').every((w, i) => words[i] === w))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!command) {
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  const { values } = parseArgs({
    args: argv.slice(command.name.split(' ').length),
    options: Object.fromEntries(['bot', ...command.options].map((o) => [o, { type: 'string' as const }])),
    allowPositionals: false,
    strict: true,
  });
  const env = loadEnv();
  const bots = loadBots(env.BOTS_DIR);
  const botId = values.bot ?? 'demo';
  const bot = bots.get(botId);
  if (!bot) throw new UsageError(`unknown bot "${botId}" (have: ${[...bots.keys()].join(', ')})`);
  await command.run({ bot, bots, values: values as Record<string, string | undefined> });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as Error & { code?: string };
    const msg =
      err instanceof ConfigError
        ? `configuration error: ${e.message}`
        : err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')
          ? `${e.message}\n${usage()}`
          : `error: ${e.message}`;
    process.stderr.write(`${msg}\n`);
    process.exitCode = err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  },
);

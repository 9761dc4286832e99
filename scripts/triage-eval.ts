/**
 * npm run triage:eval -- <file.jsonl> [--bot demo] [--quiet]
 * Prints level / system / ticket-or-not accuracy, the level confusion matrix and the figures per kind of message
 * (named / described system, negation, several faults, urgency, scope, request, chat, status) for a labelled JSONL file.
 */
import { parseArgs } from 'node:util';
import { loadBots } from '../src/config/bots.js';
import { loadEnv } from '../src/config/env.js';
import { createTriage } from '../src/triage/engine.js';
import { evaluate, formatReport, readLabelled } from '../src/triage/eval.js';
import { loadTriageModel } from '../src/triage/model.js';

function main(): number {
  const { values, positionals } = parseArgs({
    options: { bot: { type: 'string', default: 'demo' }, quiet: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    process.stderr.write('usage: npm run triage:eval -- <file.jsonl> [--bot demo] [--quiet]\n');
    return 2;
  }
  const env = loadEnv();
  const bot = loadBots(env.BOTS_DIR).get(values.bot!);
  if (!bot) {
    process.stderr.write(`unknown bot "${values.bot}"\n`);
    return 2;
  }
  const triage = createTriage(bot, loadTriageModel(env.FLOWS_DIR));
  const report = evaluate(triage, readLabelled(positionals[0]), bot.systems);
  process.stdout.write(`${formatReport(report, !values.quiet)}\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exitCode = 1;
}

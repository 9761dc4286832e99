import type { BotConfig } from './config/bots.js';

/** A CLI command: machine output on stdout, diagnostics on stderr, non-zero exit on failure. */
export interface CliCommand {
  /** e.g. "triage" or "sla due". */
  name: string;
  usage: string;
  /** Option names this command accepts (all strings). */
  options: string[];
  run(args: { bot: BotConfig; bots: Map<string, BotConfig>; values: Record<string, string | undefined> }): Promise<void>;
}

/** Wrong arguments: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

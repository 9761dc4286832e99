/**
 * The names this process has learned from the directory (src/people/directory.ts), readable without waiting.
 *
 * Sentences are built synchronously (src/bot/presenters), but a name may need a WeCom `user/get`. So names are
 * resolved before a message or a ticket event is processed (`Directory.warm`: the sender, the ticket's reporter,
 * assignee and subscribers) and every lookup lands here; presenters then read `knownName`. This is a cache of
 * the `directory` collection (which every instance shares), never the only copy: an instance that has not seen
 * a person yet falls back to the bot file, exactly as the directory itself does when WeCom is down.
 */
import type { BotConfig } from '../config/bots.js';

/** Key: bot id + "\0" + userid → display name. Bounded by the people of the hospital (thousands). */
const names = new Map<string, string>();

const keyOf = (bot: BotConfig, userid: string) => `${bot.id}\0${userid}`;

/** Records a name the directory resolved (WeCom's, or the bot file's when WeCom did not answer). */
export function rememberName(bot: BotConfig, userid: string, name: string): void {
  if (name && name !== userid) names.set(keyOf(bot, userid), name);
}

/** The name the directory gave for this userid in this process, or null when it has not been looked up (or is unknown). */
export function knownName(bot: BotConfig, userid: string): string | null {
  return names.get(keyOf(bot, userid)) ?? null;
}

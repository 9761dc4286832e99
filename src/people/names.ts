/**
 * The names this service has learned from the directory (src/people/directory.ts), readable without waiting.
 *
 * Sentences are built synchronously (src/bot/presenters), but a name may need a WeCom `user/get`. So names are
 * resolved before a message or a ticket event is processed (`Directory.warm`: the sender, the ticket's reporter,
 * assignee and subscribers) and every lookup lands here; presenters then read `knownName`. This is a cache of
 * the `directory` collection (which every instance shares), never the only copy: a service that has not seen
 * a person yet falls back to the bot file, exactly as the directory itself does when WeCom is down.
 *
 * The memo lives on the loaded bot configuration object (like the calendar and rotation anchors), so it goes
 * away with the service that loaded the file and two services in one process never see each other's names.
 */
import type { BotConfig } from '../config/bots.js';

/** Where a loaded bot configuration keeps its userid → display name memo (per object: nothing process-wide). */
const NAMES = Symbol('names');

type WithNames = BotConfig & { [NAMES]?: Map<string, string> };

/** The memo of this loaded bot file. Bounded by the people of the hospital (thousands). */
function namesOf(bot: BotConfig): Map<string, string> {
  const b = bot as WithNames;
  b[NAMES] ??= new Map();
  return b[NAMES];
}

/** Records a name the directory resolved (WeCom's, or the bot file's when WeCom did not answer). */
export function rememberName(bot: BotConfig, userid: string, name: string): void {
  if (name && name !== userid) namesOf(bot).set(userid, name);
}

/** The name the directory gave for this userid in this service, or null when it has not been looked up (or is unknown). */
export function knownName(bot: BotConfig, userid: string): string | null {
  return (bot as WithNames)[NAMES]?.get(userid) ?? null;
}

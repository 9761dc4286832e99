/** The ticket vocabulary lives with the bot's other words (src/bot/presenters/words.ts); re-exported for tickets/. */
export { EVENT_WORDS, LEVEL_WORDS, levelWords, STATUS_WORDS, systemName } from '../bot/presenters/words.js';

/** Report words come from the bot's one vocabulary (src/bot/presenters/words.ts); re-exported for reports/. */
export {
  duration as age,
  LEVEL_NAME,
  PERIOD_WORDS as PERIOD_NAME,
  pct,
  RECORD_STATUS_WORDS as STATUS_NAME,
  systemName,
  systemShort,
  TARGET_WORDS as TARGET_NAME,
} from '../bot/presenters/words.js';

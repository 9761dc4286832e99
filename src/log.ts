import pino from 'pino';

// Structured JSON logs. Message text and secrets never go in here: callers log ids, lengths and outcomes.
export const log = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: undefined,
  redact: { paths: ['*.text', '*.content', '*.secret', '*.token', '*.encodingAesKey', '*.authorization'], censor: '[redacted]' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = typeof log;

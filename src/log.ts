import pino from 'pino';

// Structured JSON logs. Message text and secrets never go in here: callers log ids, lengths and outcomes.
// The CLI's stdout is machine output only, so its diagnostics go to stderr (see src/cli-stderr.ts).
const destination = process.env.LOG_DESTINATION === 'stderr' ? pino.destination(2) : pino.destination(1);

export const log = pino(
  {
    level: process.env.LOG_LEVEL || 'info',
    base: undefined,
    redact: { paths: ['*.text', '*.content', '*.secret', '*.token', '*.encodingAesKey', '*.authorization'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  destination,
);

export type Logger = typeof log;

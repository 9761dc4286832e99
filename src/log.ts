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
    formatters: {
      // A field named `level` (a ticket's fault level) would overwrite pino's own level in the JSON line, and
      // log shippers would then file an info line as "3". Callers write `ticketLevel`; this catches a slip.
      log(fields) {
        if (!('level' in fields)) return fields;
        const { level, ...rest } = fields;
        return { ...rest, ticketLevel: level };
      },
    },
  },
  destination,
);

export type Logger = typeof log;

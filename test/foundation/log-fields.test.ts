import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { log } from '../../src/log.js';

describe('log fields', () => {
  it('a ticket level logged as `level` does not overwrite the log line level', () => {
    const lines: string[] = [];
    // The project's logger itself (its formatters), at info even when the test run is silent.
    const child = log.child({}, { level: 'info' });
    const stream = (log as unknown as Record<symbol, { write(s: string): void }>)[pino.symbols.streamSym];
    const write = stream.write;
    stream.write = (s: string) => {
      lines.push(s);
    };
    try {
      child.warn({ bot: 'demo', no: 7, level: 3 }, 'ticket opened from chat');
    } finally {
      stream.write = write;
    }
    const entry = JSON.parse(lines[0]);
    expect(entry.level).toBe(40);
    expect(entry.ticketLevel).toBe(3);
  });
});

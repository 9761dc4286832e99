import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Spawned {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
}

/**
 * Runs a project entry point (src/main.ts, src/cli.ts) as a real process, the way operators do: `npm start` is
 * `exec node --import tsx src/main.ts`, one node process (the `tsx` command would start a second node around it).
 */
export function spawnEntry(entry: string, env: Record<string, string>, args: string[] = []): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'Asia/Shanghai', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, stderr: () => err, exited };
}

/** Resolves with the first JSON log line on stdout that matches, e.g. the "service started" line with its URL. */
export function waitForLog(child: ChildProcess, msg: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no "${msg}" log line within ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === msg) {
          clearTimeout(timer);
          res(entry);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`process exited (${code}) before "${msg}"`));
    });
  });
}

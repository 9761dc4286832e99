import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = async (args: string[]) => {
  try {
    // `npm run cli` is `tsx src/cli.ts`; node --import tsx is the same program without tsx's wrapper process.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'Asia/Shanghai' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

describe('command line', () => {
  it('sla due prints one JSON line', async () => {
    const r = await run(['sla', 'due', '--bot', 'demo', '--level', '2', '--target', 'resolve', '--at', '2026-09-30T17:00:00+08:00']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"dueAt":"2026-10-09T17:00:00+08:00","period":"work","clock":"business","calendarUncertain":false}\n');
  });

  it('sla due flags an uncovered year', async () => {
    const r = await run(['sla', 'due', '--bot', 'demo', '--level', '3', '--target', 'onsite', '--at', '2035-03-01T10:00:00Z']);
    expect(JSON.parse(r.stdout)).toMatchObject({ clock: 'business', calendarUncertain: true });
  });

  it('roster who prints one JSON line', async () => {
    const r = await run(['roster', 'who', '--bot', 'demo', '--system', 'lis', '--at', '2026-11-21T10:00:00+08:00']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"primary":"zhangwei","backup":"zhaomin","until":"2026-11-23T08:00:00+08:00"}\n');
  });

  it.each([
    [['sla', 'due', '--level', '5', '--target', 'resolve', '--at', '2026-11-20T10:00']],
    [['sla', 'due', '--level', '1', '--target', 'fix', '--at', '2026-11-20T10:00']],
    [['sla', 'due', '--level', '1', '--target', 'resolve', '--at', 'yesterday']],
    [['sla', 'due', '--level', '1', '--target', 'resolve']],
    [['roster', 'who', '--system', 'nosuch', '--at', '2026-11-20T10:00']],
    [['roster', 'who', '--system', 'lis', '--at', '2026-11-20T10:00', '--extra', 'x']],
    [['roster', 'who', '--bot', 'nosuch', '--system', 'lis', '--at', '2026-11-20T10:00']],
  ])('bad arguments %j: message on stderr, exit 2, nothing on stdout', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.length).toBeGreaterThan(0);
  });
});

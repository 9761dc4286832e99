import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Drives the CLI exactly as the acceptance script will: npm run --silent cli -- triage --bot demo. */
function runCli(stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn('npm', ['run', '--silent', 'cli', '--', 'triage', '--bot', 'demo'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const KEYS = ['id', 'intent', 'level', 'system', 'systems', 'reason'];

describe('npm run --silent cli -- triage --bot demo', () => {
  it('answers one JSONL line per input line, in order, with exactly the contract keys and nothing else on stdout', async () => {
    const input = [
      { id: 'r1', text: '急诊挂号全部打不开，病人在等' },
      { id: 'r2', text: '请问怎么在LIS里补打报告' },
      { id: 'r3', text: '接单 12' },
      { id: 'r4', text: '谢谢' },
      { id: 5, text: '打印机卡纸了' },
      { id: 'multi', text: 'LIS打不开，另外门诊叫号也没声音' },
      { id: 'status', text: '上次报的那个修好了吗' },
    ];
    const { code, stdout } = await runCli(input.map((l) => JSON.stringify(l)).join('\n'));
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(input.length);
    const out = lines.map((l) => JSON.parse(l));
    for (const o of out) expect(Object.keys(o)).toEqual(KEYS);
    expect(out.map((o) => o.id)).toEqual(['r1', 'r2', 'r3', 'r4', 5, 'multi', 'status']);
    expect(out[0]).toMatchObject({ intent: 'report', level: 1, system: 'his' });
    expect(out[1]).toMatchObject({ intent: 'request', level: 4, system: 'lis' });
    expect(out[2]).toMatchObject({ intent: 'command', level: null, system: null });
    expect(out[3]).toMatchObject({ intent: 'chat', level: null, system: null });
    expect(out[4]).toMatchObject({ intent: 'report', level: 3, system: 'other' });
    expect(out[0].reason).toMatch(/→ 一级$/);
    expect(out[0].systems).toEqual(['his']);
    expect(out[5]).toMatchObject({ intent: 'report', level: 2, system: 'lis', systems: ['lis', 'queue'] });
    expect(out[6]).toMatchObject({ intent: 'status', level: null, system: null, systems: [] });
  }, 60_000);

  it('keeps one output line per bad input line, with an "error" field, and says which line on stderr', async () => {
    const { code, stdout, stderr } = await runCli('{"id":"ok","text":"HIS 登不上"}\nnot json\n{"id":"x"}\n\n{"id":"last","text":"你好"}\n');
    expect(code).toBe(0);
    const out = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(4);
    expect(out[0]).toMatchObject({ id: 'ok', intent: 'report', level: 2, system: 'his' });
    expect(out[1]).toEqual({ id: null, intent: null, level: null, system: null, systems: [], reason: '', error: 'invalid JSON' });
    expect(out[2]).toMatchObject({ id: 'x', intent: null, error: '"text" must be a string' });
    expect(out[3]).toMatchObject({ id: 'last', intent: 'chat' });
    expect(stderr).toContain('line 2: invalid JSON');
    expect(stderr).toContain('line 3: "text" must be a string');
  }, 60_000);
});

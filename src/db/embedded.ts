import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'db-server', 'target');
const classpath = [join(root, 'classes'), join(root, 'lib', '*')].join(':');

export const EMBEDDED_MISSING = [
  'The embedded MongoDB server is not available: no MONGODB_URI is set and db-server/target has not been built.',
  'Either set MONGODB_URI to a real MongoDB (e.g. mongodb://127.0.0.1:27017/weibao),',
  'or install Java 17 and Maven (Debian: apt-get install openjdk-17-jdk-headless maven) and run npm install again,',
  'which downloads mongo-java-server 1.47.0 from Maven Central and compiles db-server/src/Launcher.java.',
].join(' ');

export interface EmbeddedServer {
  /** Connection string without a database name, e.g. mongodb://127.0.0.1:41234 */
  uri: string;
  port: number;
  /** Process id of the Java child (operators and resilience tests kill it to prove recovery). */
  pid: number;
  /** Resolves when the child exits for any reason: the exit code, or the signal name when killed. */
  exited: Promise<number | string | null>;
  /** True once stop() was called: an exit after that is expected, not a crash. */
  stopping(): boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** H2 file for persistent data; absent = memory backend. */
  file?: string;
  port?: number;
  startTimeoutMs?: number;
  /**
   * Also fsync every group commit (survives power loss, not only the death of the process). Without it an
   * acknowledged write is in the OS page cache when answered.
   */
  fsync?: boolean;
}

export function embeddedAvailable(): boolean {
  return existsSync(join(root, 'classes', 'Launcher.class')) && spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

/**
 * JVM flags of the embedded server. Measured with `npm run bench -- storm` (2 cores): with the default tiered
 * compiler the C2 compiler threads took 2.4 of the 3.5 CPU seconds the database used during a 3 s storm
 * (the server is usually young when a storm hits, and shares two cores with the service), starving the
 * callback path; compiling with C1 only cut the database's CPU to 1.4 s and the backlog was worked off no
 * slower (28 s vs 30 s, less CPU in total). The serial collector suits a small single-tenant heap and halved
 * peak RSS (1 060 → 605 MB, node + java). -Xss4m: deep documents recurse in the wire decoder.
 */
const JVM_FLAGS = ['-Xss4m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** Starts the project's Java launcher and resolves once it listens. The child exits when we do (its stdin closes). */
export function startEmbedded(opts: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  if (!embeddedAvailable()) return Promise.reject(new Error(EMBEDDED_MISSING));
  const args = [...JVM_FLAGS, '-cp', classpath, 'Launcher', '--port', String(opts.port ?? 0)];
  if (opts.file) {
    mkdirSync(dirname(opts.file), { recursive: true });
    args.push('--file', opts.file);
    if (opts.fsync) args.push('--fsync');
  }
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-2000);
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded MongoDB did not start within ${opts.startTimeoutMs ?? 30000} ms ${stderr.trim()}`));
    }, opts.startTimeoutMs ?? 30000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded MongoDB exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^LISTENING (.+):(\d+)$/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = Number(m[2]);
      let stopping = false;
      const exited = new Promise<number | string | null>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) res(child.exitCode ?? child.signalCode);
        else child.once('exit', (code, signal) => res(code ?? signal));
      });
      resolvePromise({
        uri: `mongodb://${m[1]}:${port}`,
        port,
        pid: child.pid ?? 0,
        exited,
        stopping: () => stopping,
        stop: () => {
          stopping = true;
          return stopChild(child);
        },
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.once('exit', () => {
      clearTimeout(killer);
      res();
    });
    // SIGTERM runs the launcher's shutdown hook, which closes (and so flushes) the H2 store.
    child.kill('SIGTERM');
  });
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

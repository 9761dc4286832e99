// Fetches the embedded MongoDB-wire server's jars and compiles its launcher (runs on npm install).
// Without Java or Maven the install still succeeds: the service then needs MONGODB_URI.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'db-server');
const has = (cmd) => spawnSync(cmd, ['-version'], { stdio: 'ignore' }).status === 0;

if (!has('mvn') || !has('javac')) {
  console.log(
    'db-server: Maven or a JDK is missing, skipping the embedded MongoDB server (set MONGODB_URI, or install Java 17 + Maven and rerun npm install).',
  );
  process.exit(0);
}
const lib = join(dir, 'target', 'lib');
if (!existsSync(join(lib, 'mongo-java-server-1.47.0.jar'))) {
  execFileSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`], { cwd: dir, stdio: 'inherit' });
}
mkdirSync(join(dir, 'target', 'classes'), { recursive: true });
execFileSync('javac', ['-d', join(dir, 'target', 'classes'), '-cp', `${lib}/*`, join(dir, 'src', 'Launcher.java')], { stdio: 'inherit' });
console.log('db-server: embedded MongoDB server ready');

// Builds the native JIT during `npm install` / `npm ci` with node-gyp and the machine's g++.
// Plain JavaScript: it runs before TypeScript is compiled. Says what is missing when it cannot build.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const jitDir = dirname(fileURLToPath(import.meta.url));
const extraArgs = process.argv.slice(2);

const tools = [
  ['g++', ['--version'], 'the C++ compiler (Debian: apt-get install g++)'],
  ['make', ['--version'], 'make (Debian: apt-get install make)'],
  ['python3', ['--version'], 'python3, which node-gyp runs on (Debian: apt-get install python3)'],
];
const missing = tools.filter(([cmd, args]) => spawnSync(cmd, args, { stdio: 'ignore' }).status !== 0);
if (missing.length) {
  console.error(`mitey: cannot build the native JIT; missing: ${missing.map(([, , what]) => what).join('; ')}`);
  process.exit(1);
}

const r = spawnSync('node-gyp', ['rebuild', `--directory=${jitDir}`, ...extraArgs], { stdio: 'inherit' });
if (r.error) {
  console.error(`mitey: cannot run node-gyp (${r.error.message}); run this through npm ("npm run build:native"), which provides it`);
  process.exit(1);
}
if (r.status !== 0) {
  console.error('mitey: the native JIT failed to build (see the compiler output above)');
  process.exit(r.status ?? 1);
}

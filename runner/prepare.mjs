// npm's `prepare` step: compiles the TypeScript into dist/ (`npm run build`). Plain JavaScript: it runs before
// anything is compiled.
//
// `npx mitey` inside a clone makes npm link the clone into its npx cache, and `npm link` links it globally; both
// run `prepare` (and `install`) again. There an up-to-date dist/ is kept, so that they take seconds, not a full
// build (and an interrupted npx has little time to leave npm's cache half written). `npm ci` and `npm install`
// always build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const built = join(root, 'dist', 'runner', 'cli.js');

/** The newest modification time among the compiled sources and the compiler's settings. */
function newestSource() {
  let newest = Math.max(statSync(join(root, 'tsconfig.json')).mtimeMs, statSync(join(root, 'package.json')).mtimeMs);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'build') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const dir of ['core', 'wast', 'jit', 'engines', 'fuzz', 'runner']) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

const linking = process.env.npm_command === 'exec' || process.env.npm_command === 'link';
if (linking && existsSync(built) && statSync(built).mtimeMs >= newestSource()) {
  console.log('mitey: dist/ is up to date ("npm run build" rebuilds it)');
  process.exit(0);
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);

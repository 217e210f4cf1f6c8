// jit/build-native.mjs, the install script, on a copy of the jit folder with a stand-in node-gyp: quiet when the
// build works, the whole output (compiler errors included) when it fails, and no rebuild of an up-to-date addon.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';

// What node-gyp and make print on a good build (abridged), and g++'s error on a bad one.
const GYP_NOISE = 'gyp info it worked if it ends with ok\ngyp info using node-gyp@11.0.0\ngyp info spawn make\nmake: Entering directory';
const COMPILER_ERROR = "../src/addon.cc:3:1: error: expected ';' before '}' token";

// The stand-in: logs each call, prints node-gyp's noise, then writes the addon or fails as $FAKE_GYP_FAIL says.
const FAKE_NODE_GYP = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv.find((a) => a.startsWith('--directory=')).slice('--directory='.length);
fs.appendFileSync(process.env.FAKE_GYP_CALLS, process.argv.slice(2).join(' ') + '\\n');
fs.rmSync(path.join(dir, 'build'), { recursive: true, force: true });
console.log(${JSON.stringify(GYP_NOISE)});
if (process.env.FAKE_GYP_FAIL) {
  console.error(${JSON.stringify(COMPILER_ERROR)});
  console.error('gyp ERR! build error');
  process.exit(1);
}
fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
fs.writeFileSync(path.join(dir, 'build', 'Release', 'mitey_jit.node'), 'addon');
console.log('gyp info ok');
`;

let root: string;
let jit: string;
let calls: string;

function build(args: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(jit, 'build-native.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(root, 'bin')}${delimiter}${process.env.PATH}`, FAKE_GYP_CALLS: calls, MITEY_BUILD_VERBOSE: '', ...env },
  });
  return { status: r.status, out: r.stdout + r.stderr, stderr: r.stderr };
}
const gypCalls = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').length : 0);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mitey-build-native-'));
  jit = join(root, 'jit');
  calls = join(root, 'calls.txt');
  mkdirSync(join(jit, 'src'), { recursive: true });
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(PACKAGE_ROOT, 'jit', 'build-native.mjs'), join(jit, 'build-native.mjs'));
  writeFileSync(join(jit, 'binding.gyp'), '{ "targets": [] }\n');
  writeFileSync(join(jit, 'src', 'addon.cc'), 'int main() { return 0; }\n');
  writeFileSync(join(root, 'bin', 'node-gyp'), FAKE_NODE_GYP);
  chmodSync(join(root, 'bin', 'node-gyp'), 0o755);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the native build script', () => {
  test('a build that works prints two lines of its own and none of node-gyp\'s', () => {
    const r = build();
    expect(r.status).toBe(0);
    expect(r.out).not.toContain('gyp info');
    expect(r.out).not.toContain('make: Entering');
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^mitey: building the native JIT/);
    expect(lines[1]).toMatch(/^mitey: the native JIT is built \(jit\/build\/Release\/mitey_jit\.node, \d+ s\)$/);
    expect(gypCalls()).toBe(1);
  });

  test('the same sources for the same Node are not built again (npm runs the script on every link: npx, npm link)', () => {
    const r = build();
    expect(r.status).toBe(0);
    expect(r.out.trim()).toMatch(/^mitey: the native JIT is up to date \(jit\/build\/Release\/mitey_jit\.node\)/);
    expect(gypCalls()).toBe(1);
  });

  test('--force (npm run build:native) and a changed source build again', () => {
    expect(build(['--force']).status).toBe(0);
    expect(gypCalls()).toBe(2);
    writeFileSync(join(jit, 'src', 'addon.cc'), 'int main() { return 1; }\n');
    expect(build().out).toContain('the native JIT is built');
    expect(gypCalls()).toBe(3);
    expect(build().out).toContain('up to date');
    expect(gypCalls()).toBe(3);
  });

  test('a build that fails shows everything node-gyp and the compiler said, on stderr, and exits non-zero', () => {
    writeFileSync(join(jit, 'src', 'addon.cc'), 'int main() { return 2 }\n');
    const r = build([], { FAKE_GYP_FAIL: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(COMPILER_ERROR);
    expect(r.stderr).toContain('gyp info it worked if it ends with ok');
    expect(r.stderr).toMatch(/mitey: the native JIT failed to build \(node-gyp exit status 1; its output and the compiler's are above\)\n$/);
    // Nothing is taken as built: the next run tries again.
    expect(build([], { FAKE_GYP_FAIL: '1' }).status).toBe(1);
    expect(gypCalls()).toBe(5);
  });

  test('MITEY_BUILD_VERBOSE=1 shows node-gyp\'s output as it comes', () => {
    const r = build(['--force'], { MITEY_BUILD_VERBOSE: '1' });
    expect(r.status).toBe(0);
    expect(r.out).toContain('gyp info it worked if it ends with ok');
  });
});

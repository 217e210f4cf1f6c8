// `node --import mitey/register`, `--import <built register.js>` and `mitey run <app>`: an unchanged Node program
// gets the JIT's namespace as its WebAssembly, its arguments and its exit status.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../core/package-root.js';

/** The built `mitey` command line (run as a program: the application layer is not imported here). */
const CLI = join(PACKAGE_ROOT, 'dist', 'runner', 'cli.js');

// (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
const ADD = [0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 97, 100, 100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11];
const APP = `
const { instance } = await WebAssembly.instantiate(new Uint8Array(${JSON.stringify(ADD)}));
const { WebAssembly: jit } = await import('mitey/jit');
console.log(JSON.stringify({ jit: WebAssembly === jit, sum: instance.exports.add(2, 40), args: process.argv.slice(2), tag: String(WebAssembly) }));
process.exitCode = 3;
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mitey-register-'));
  writeFileSync(join(dir, 'app.mjs'), APP);
  // The app finds mitey as a dependency would: node_modules/mitey, through package.json's "exports".
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'mitey'), 'dir');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const expected = { jit: true, sum: 42, args: ['a', '--b'], tag: '[object WebAssembly]' };
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });

test('node --import mitey/register: the app runs on the JIT', () => {
  const r = run(['--import', 'mitey/register', 'app.mjs', 'a', '--b']);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual(expected);
  expect(r.status).toBe(3);
});

test('node --import <absolute path of the built register.js>', () => {
  const r = run(['--import', join(PACKAGE_ROOT, 'dist', 'jit', 'register.js'), 'app.mjs', 'a', '--b']);
  expect(JSON.parse(r.stdout)).toEqual(expected);
});

test('without it the app has V8\'s WebAssembly (the test can tell the two apart)', () => {
  const r = run(['app.mjs', 'a', '--b']);
  expect(JSON.parse(r.stdout)).toEqual({ ...expected, jit: false });
});

test('mitey run <app> [args…]: the JIT, the arguments (even --help), the exit status', () => {
  const r = run([CLI, 'run', join(dir, 'app.mjs'), 'a', '--b']);
  expect(JSON.parse(r.stdout)).toEqual(expected);
  expect(r.status).toBe(3);
  const help = run([CLI, 'run', pathToFileURL(join(dir, 'app.mjs')).pathname, '--help']);
  expect(JSON.parse(help.stdout).args).toEqual(['--help']);
  expect(run([CLI, 'run']).status).toBe(2);
});

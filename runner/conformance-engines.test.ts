// `mitey conformance` without --engine: V8 14, the running Node's V8, the JIT and the shell engines, each a row of
// its own in the closing lines, a results file each, and the dashboard shows them side by side; a shell that is not
// installed is a row saying how to install it, never failures.
import { afterAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './cli-run.js';
import { findProgram, installCommand, SHELL_ENGINES } from '../engines/protocol-engines.js';
import { RunResult } from './run-result.js';
import { resultsFolderName, suiteIdentity } from './suite-identity.js';

const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'mitey-conformance-engines-')));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const suite = join(cwd, 'suite');
mkdirSync(suite);
writeFileSync(join(suite, 'add.wast'), '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))\n(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))\n');

test('every engine runs; shells that are not installed are named with their install command', () => {
  // An empty folder as PATH: neither shell is found (the workers are started by node's own path).
  const emptyPath = join(cwd, 'empty-path');
  mkdirSync(emptyPath);
  const r = spawnSync(process.execPath, [CLI, 'conformance', suite], { cwd, encoding: 'utf8', env: { ...process.env, PATH: emptyPath } });
  expect(r.status).toBe(0);
  const dir = join(cwd, 'results', resultsFolderName(suiteIdentity([suite])));
  const runs = ['v8', 'v8-node', 'jit'].map((e) => JSON.parse(readFileSync(join(dir, `${e}.json`), 'utf8')) as RunResult);
  expect(runs.map((run) => run.engine.name)).toEqual(['v8', 'v8-node', 'jit']);
  expect(runs[1].engine.version).toBe(`${process.versions.v8} (node ${process.versions.node})`);
  for (const run of runs) expect(run.totals.passed).toBe(1);
  const tail = r.stdout.slice(r.stdout.lastIndexOf('\nconformance of ') + 1).trimEnd().split('\n');
  // Names padded to the longest, spidermonkey's.
  expect(tail.slice(1, 6)).toEqual([
    '  v8            1 passed, 0 failed, 0 skipped of 1 assertions',
    '  v8-node       1 passed, 0 failed, 0 skipped of 1 assertions',
    '  jit           1 passed, 0 failed, 0 skipped of 1 assertions',
    '  spidermonkey  not installed: sudo apt-get install libmozjs-102-dev',
    '  jsc           not installed: sudo apt-get install libjavascriptcoregtk-4.0-bin',
  ]);
  const page = readFileSync(join(dir, 'dashboard.html'), 'utf8');
  for (const run of runs) expect(page).toContain(run.engine.version);
});

test.each(SHELL_ENGINES.map((e) => [e.name, e] as const))('--engines names %s: it runs through its driver where installed, else it is absent', (name, shell) => {
  const r = spawnSync(process.execPath, [CLI, 'conformance', suite, '--engines', `jit,${name}`], { cwd, encoding: 'utf8' });
  expect(r.status).toBe(0);
  const tail = r.stdout.slice(r.stdout.lastIndexOf('\nconformance of ') + 1).trimEnd().split('\n');
  const width = Math.max(3, name.length);
  if (findProgram(shell.program)) {
    expect(tail[2]).toBe(`  ${name.padEnd(width)}  1 passed, 0 failed, 0 skipped of 1 assertions`);
    const dir = join(cwd, 'results', resultsFolderName(suiteIdentity([suite])));
    const run = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as RunResult & { engine: { dialect?: string } };
    expect(run.engine).toMatchObject({ name, dialect: name });
    expect(run.engine.features).toContain('simd');
  } else {
    expect(tail[2]).toBe(`  ${name.padEnd(width)}  not installed: ${installCommand(shell)}`);
  }
});

// `mitey conformance` without --engine: V8 14, the running Node's V8 and the JIT, each a row of its own in the
// closing lines, a results file each, and the dashboard shows all three side by side.
import { afterAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './cli-run.js';
import { RunResult } from './run-result.js';
import { resultsFolderName, suiteIdentity } from './suite-identity.js';

const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'mitey-conformance-engines-')));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

test('every engine runs, and the dashboard shows the three side by side', () => {
  const suite = join(cwd, 'suite');
  mkdirSync(suite);
  writeFileSync(join(suite, 'add.wast'), '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))\n(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))\n');
  const r = spawnSync(process.execPath, [CLI, 'conformance', suite], { cwd, encoding: 'utf8' });
  expect(r.status).toBe(0);
  const dir = join(cwd, 'results', resultsFolderName(suiteIdentity([suite])));
  const runs = ['v8', 'v8-node', 'jit'].map((e) => JSON.parse(readFileSync(join(dir, `${e}.json`), 'utf8')) as RunResult);
  expect(runs.map((run) => run.engine.name)).toEqual(['v8', 'v8-node', 'jit']);
  expect(runs[1].engine.version).toBe(`${process.versions.v8} (node ${process.versions.node})`);
  for (const run of runs) expect(run.totals.passed).toBe(1);
  const tail = r.stdout.slice(r.stdout.lastIndexOf('\nconformance of ') + 1).trimEnd().split('\n');
  expect(tail.slice(1, 4)).toEqual([
    '  v8       1 passed, 0 failed, 0 skipped of 1 assertions',
    '  v8-node  1 passed, 0 failed, 0 skipped of 1 assertions',
    '  jit      1 passed, 0 failed, 0 skipped of 1 assertions',
  ]);
  const page = readFileSync(join(dir, 'dashboard.html'), 'utf8');
  for (const run of runs) expect(page).toContain(run.engine.version);
});

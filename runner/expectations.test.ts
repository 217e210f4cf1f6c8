// Expectations fail a run only on change: a regression, or an unexpected pass that asks for --update-expect.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-run.js';
import { compareExpectations, Expectations, mergeExpectations } from './expectations.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { RunResult } from './run-result.js';
import { emptyTally, FileResult } from '../wast/results.js';

const FAILING = join(PACKAGE_ROOT, 'fixtures', 'failing');

function file(name: string, passed: number, nonPasses: [number, string][], status: FileResult['status'] = 'ok'): FileResult {
  const t = emptyTally();
  t.counts.passed = passed;
  t.counts.total = passed + nonPasses.length;
  return {
    file: `/suite/${name}`, status, durationMs: 0, ...t,
    results: nonPasses.map(([line, outcome]) => ({ line, col: 1, directive: 'assert_return', assertion: true, outcome: outcome as 'failed' })),
  };
}
const run = (...files: FileResult[]) => ({ engine: { name: 'jit' }, files }) as unknown as RunResult;
const key = (f: string) => f.replace('/suite/', '');

describe('compareExpectations', () => {
  const expected: Expectations = {
    schema: 'mitey-expectations', version: 1, engine: 'jit',
    files: { 'a.wast': { status: 'ok', total: 4, nonPasses: { '3:1': 'failed', '4:1': 'unsupported' } }, 'b.wast': { status: 'ok', total: 1, nonPasses: {} } },
  };

  test('no change', () => {
    expect(compareExpectations(expected, run(file('a.wast', 2, [[3, 'failed'], [4, 'unsupported']]), file('b.wast', 1, [])), key)).toEqual([]);
  });

  test('a regression, an unexpected pass, a changed outcome', () => {
    const changes = compareExpectations(expected, run(file('a.wast', 2, [[1, 'failed'], [4, 'blocked']]), file('b.wast', 1, [])), key);
    expect(changes).toEqual([
      { kind: 'regression', file: 'a.wast', at: '1:1', expected: 'passed', actual: 'failed' },
      { kind: 'changed', file: 'a.wast', at: '4:1', expected: 'unsupported', actual: 'blocked' },
      { kind: 'unexpected-pass', file: 'a.wast', at: '3:1', expected: 'failed', actual: 'passed' },
    ]);
  });

  test('files added, missing, crashed; assertion counts', () => {
    const changes = compareExpectations(expected, run(file('a.wast', 3, [[3, 'failed'], [4, 'unsupported']], 'crashed'), file('c.wast', 1, [])), key);
    expect(changes.map((c) => c.kind).sort()).toEqual(['count', 'missing-file', 'new-file', 'status']);
  });
});

describe('compareExpectations of some of the files (--filter, --shard)', () => {
  const expected: Expectations = {
    schema: 'mitey-expectations', version: 1, engine: 'jit',
    files: { 'a.wast': { status: 'ok', total: 1, nonPasses: {} }, 'b.wast': { status: 'ok', total: 1, nonPasses: {} } },
  };

  test('a file left out is not missing; a selected file that did not run is', () => {
    expect(compareExpectations(expected, run(file('a.wast', 1, [])), key, new Set(['a.wast']))).toEqual([]);
    expect(compareExpectations(expected, run(file('a.wast', 1, [])), key, new Set(['a.wast', 'b.wast']))).toEqual([{ kind: 'missing-file', file: 'b.wast' }]);
    expect(compareExpectations(expected, run(file('a.wast', 1, [])), key)).toEqual([{ kind: 'missing-file', file: 'b.wast' }]);
  });

  test('mergeExpectations replaces the files that ran and keeps the others', () => {
    const now: Expectations = { ...expected, files: { 'a.wast': { status: 'crashed', total: 1, nonPasses: { '1:1': 'failed' } } } };
    expect(mergeExpectations(expected, now).files).toEqual({ 'a.wast': now.files['a.wast'], 'b.wast': expected.files['b.wast'] });
  });
});

describe('mitey wast --expect with --shard and --filter compares only the selected files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitey-expect-'));
  const path = join(dir, 'failing.json');
  const w = runCli(['wast', FAILING, '--expect', path, '--update-expect']);

  test.each([
    [['--shard', '1/2']],
    [['--shard', '2/2']],
    [['--filter', 'wrong-values']],
  ])('%j: no change, exit 0', (selection) => {
    expect(w.status).toBe(0);
    const r = runCli(['wast', FAILING, '--expect', path, ...selection]);
    expect(r.stdout).not.toContain('missing file');
    expect(r.stdout).toContain(`expectations ${path}: no change`);
    expect(r.status).toBe(0);
  });

  test('--update-expect with --filter rewrites the selected file and keeps every other one as it was', () => {
    const e = JSON.parse(readFileSync(path, 'utf8'));
    const all = Object.keys(e.files).sort();
    const wrongValues = e.files['wrong-values.wast'];
    e.files['wrong-values.wast'] = { ...wrongValues, total: 0 };
    e.files['blocked.wast'] = { ...e.files['blocked.wast'], total: 999 };
    writeFileSync(path, JSON.stringify(e));
    expect(runCli(['wast', FAILING, '--expect', path, '--update-expect', '--filter', 'wrong-values']).status).toBe(0);
    const after = JSON.parse(readFileSync(path, 'utf8'));
    expect(Object.keys(after.files).sort()).toEqual(all);
    expect(after.files['wrong-values.wast']).toEqual(wrongValues);
    expect(after.files['blocked.wast'].total).toBe(999);
  });
});

describe('mitey wast --expect checks its file before running anything', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitey-expect-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  test.each([
    ['a missing file', () => join(dir, 'none.json'), [], `expectations file ${join(dir, 'none.json')}: no such file (--update-expect writes it)`],
    ['a file that is not JSON', () => write('bad.json', '{'), [], 'not JSON'],
    ['a JSON file that is not expectations', () => write('other.json', '{"a": 1}'), [], 'not a mitey expectations file'],
    ['a folder', () => dir, [], 'cannot be read (EISDIR)'],
    ['--update-expect over a file that is not expectations', () => write('other2.json', '{"a": 1}'), ['--update-expect'], 'not a mitey expectations file'],
  ])('%s: exit 2, said in plain words, nothing run', (_, path, more, message) => {
    const r = runCli(['wast', FAILING, '--expect', path(), ...more]);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });

  test('--update-expect creates a file that does not exist yet', () => {
    const path = join(dir, 'new.json');
    expect(runCli(['wast', FAILING, '--expect', path, '--update-expect', '--filter', 'blocked']).status).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).files)).toEqual(['blocked.wast']);
  });
});

describe('mitey wast --expect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitey-expect-'));
  const path = join(dir, 'failing.json');

  test('--update-expect records the run, and the same run then passes although it has failures', () => {
    const w = runCli(['wast', FAILING, '--expect', path, '--update-expect']);
    expect(w.status).toBe(0);
    const r = runCli(['wast', FAILING, '--expect', path]);
    expect(r.stdout).toContain('no change');
    expect(r.status).toBe(0);
  });

  test('a regression and an unexpected pass fail the run and are named', () => {
    const e = JSON.parse(readFileSync(path, 'utf8'));
    const f = e.files['wrong-values.wast'];
    const failed: string[] = f.nonPasses.failed.split(' ');
    const dropped = failed.shift()!; // pretend it used to pass: now a regression
    f.nonPasses.failed = failed.join(' ');
    f.nonPasses.unsupported = '1:1'; // pretend line 1 used to be unsupported: now an unexpected pass
    writeFileSync(path, JSON.stringify(e));
    const r = runCli(['wast', FAILING, '--expect', path]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`regression      wrong-values.wast:${dropped}: passed before, now failed`);
    expect(r.stdout).toContain('unexpected pass wrong-values.wast:1:1: expected unsupported, now passes (run with --update-expect)');
    expect(r.stdout).toMatch(/expectations .*: 2 changes/);
  });
});

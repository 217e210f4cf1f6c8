// Suites are told apart by their paths, not their folder names: two suites both called `testsuite` get their own
// results folder and history, results files record the suite, and the dashboard never compares runs of two suites.
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { emptyCounts, emptyTally } from '../wast/results.js';
import { CLI } from './cli-run.js';
import { aggregate } from './dashboard/aggregate.js';
import { buildDashboard } from './dashboard/build-dashboard.js';
import { DashboardData } from './dashboard/dashboard-data.js';
import { RunResult } from './run-result.js';
import { resultsFolderName, suiteIdentity, withSuite } from './suite-identity.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'mitey-suites-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A suite folder `<parent>/testsuite` with one script of `assertions` passing assertions. */
function suite(parent: string, assertions: number): string {
  const dir = join(root, parent, 'testsuite');
  mkdirSync(dir, { recursive: true });
  const asserts = Array.from({ length: assertions }, (_, i) => `(assert_return (invoke "f") (i32.const 7)) ;; ${i}`).join('\n');
  writeFileSync(join(dir, 'a.wast'), `(module (func (export "f") (result i32) (i32.const 7)))\n${asserts}\n`);
  return dir;
}

const suiteA = suite('a', 3);
const suiteB = suite('b', 1);

/** `mitey conformance` as a user runs it, in `cwd` (results/ is written there). */
function conformance(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'conformance', ...args, '--engine', 'v8', '--jobs', '0'], { cwd, encoding: 'utf8' });
  // Nothing but the note that V8 14 (another Node) runs in one worker rather than in this process.
  expect(r.stderr.replace(/^mitey: --jobs 0: v8 is V8 .*\n/, '')).toBe('');
  return r;
}

/** The data a dashboard page embeds. */
function pageData(page: string): DashboardData {
  const m = /<script type="application\/json" id="mitey-data">([\s\S]*?)<\/script>/.exec(readFileSync(page, 'utf8'));
  return JSON.parse(m![1]) as DashboardData;
}

function run(engine: string, startedAt: string, passed: number, suitePath?: string): RunResult {
  const counts = { ...emptyCounts(), passed, total: passed };
  const r: RunResult = {
    schema: 'mitey-results', version: 1, engine: { name: engine, version: '1', features: [] }, startedAt, durationMs: 1,
    totals: { ...counts, byDirective: {}, byFeature: {}, commandFailures: 0, filesNotOk: 0, messages: { compared: 0, matched: 0 } },
    files: Array.from({ length: passed }, (_, i) => ({ file: `/s/f${i}.wast`, status: 'ok' as const, durationMs: 1, ...emptyTally(), counts: { ...emptyCounts(), passed: 1, total: 1 }, results: [] })),
  };
  return suitePath ? withSuite(r, suiteIdentity([suitePath])) : r;
}

describe('a suite is known by its paths', () => {
  test('two folders with one name are two suites; one folder however it is named is one', () => {
    const a = suiteIdentity([suiteA]);
    const b = suiteIdentity([suiteB]);
    expect([a.name, b.name]).toEqual(['testsuite', 'testsuite']);
    expect(a.id).toMatch(/^[0-9a-f]{8}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.paths).toEqual([suiteA]);
    symlinkSync(suiteA, join(root, 'link'));
    for (const same of [`${suiteA}/`, relative(process.cwd(), suiteA), join(root, 'link'), join(root, 'a', '.', 'testsuite')]) {
      expect(suiteIdentity([same])).toEqual(a);
    }
    expect(suiteIdentity([suiteB, suiteA]).id).toBe(suiteIdentity([suiteA, suiteB]).id);
    expect(resultsFolderName(a)).toBe(`testsuite-${a.id}`);
  });

  test('globs and files get readable folder names', () => {
    expect(suiteIdentity([join(suiteA, '**', 'simd_*.wast')]).name).toBe('testsuite');
    expect(suiteIdentity([join(suiteA, 'a.wast')]).name).toBe('a');
    expect(suiteIdentity([join(root, 'odd name!')]).name).toBe('odd_name_');
  });
});

describe('mitey conformance on two suites both called testsuite', () => {
  const cwd = join(root, 'work');
  mkdirSync(cwd, { recursive: true });
  const first = conformance(cwd, suiteA);
  const other = conformance(cwd, suiteB);
  const second = conformance(cwd, suiteA);
  const dirA = join('results', resultsFolderName(suiteIdentity([suiteA])));
  const dirB = join('results', resultsFolderName(suiteIdentity([suiteB])));

  test('each keeps its results and history in its own folder, named after the suite and its paths', () => {
    for (const r of [first, other, second]) expect(r.status).toBe(0);
    expect(readdirSync(join(cwd, 'results')).sort()).toEqual([dirA, dirB].map((d) => d.slice('results/'.length)).sort());
    expect(readdirSync(join(cwd, dirA, 'history'))).toHaveLength(2);
    expect(readdirSync(join(cwd, dirB, 'history'))).toHaveLength(1);
    expect(second.stdout).toContain(`${join(dirA, 'dashboard.html')}`);
  });

  test('the results file records the suite', () => {
    const json = JSON.parse(readFileSync(join(cwd, dirA, 'v8.json'), 'utf8')) as RunResult;
    expect(json.suite).toEqual(suiteIdentity([suiteA]));
    expect(Object.keys(json).slice(0, 4)).toEqual(['schema', 'version', 'engine', 'suite']);
  });

  test("the dashboard names the suite's path and compares only that suite's runs", () => {
    const data = pageData(join(cwd, dirA, 'dashboard.html'));
    expect(data.suite).toBe(suiteA);
    expect(readFileSync(join(cwd, dirA, 'dashboard.html'), 'utf8')).toContain(suiteA);
    expect(data.history.v8.map((p) => p.passed)).toEqual([3, 3]);
    expect(data.diffs).toHaveLength(1);
    expect(data.diffs[0]).toMatchObject({ newlyFailingTotal: 0, newlyPassingTotal: 0, added: [], removed: [] });
  });

  test("another suite's runs put in its history folder (as the old layout shared them) are left out", () => {
    const historyA = join(cwd, dirA, 'history');
    for (const f of readdirSync(join(cwd, dirB, 'history'))) copyFileSync(join(cwd, dirB, 'history', f), join(historyA, `b-${f}`));
    const page = buildDashboard({ results: [join(cwd, dirA, 'v8.json')], out: join(cwd, 'mixed.html'), historyDir: historyA });
    const data = pageData(page);
    expect(data.suite).toBe(suiteA);
    expect(data.history.v8.map((p) => p.passed)).toEqual([3, 3]);
    expect(data.diffs[0]).toMatchObject({ newlyFailingTotal: 0, added: [], removed: [] });
  });
});

describe('aggregate compares runs of one suite only', () => {
  test('an earlier run of another suite is neither history nor the base of a diff', () => {
    const current = run('jit', '2026-11-25T02:00:00Z', 3, suiteA);
    const data = aggregate([current], [run('jit', '2026-11-24T02:00:00Z', 9, suiteB), run('jit', '2026-11-23T02:00:00Z', 9)], { suite: 'x' });
    expect(data.history.jit.map((p) => p.passed)).toEqual([3]);
    expect(data.diffs).toEqual([]);
    const withOwn = aggregate([current], [run('jit', '2026-11-24T02:00:00Z', 2, suiteA), run('jit', '2026-11-23T02:00:00Z', 9, suiteB)], { suite: 'x' });
    expect(withOwn.history.jit.map((p) => p.passed)).toEqual([2, 3]);
    expect(withOwn.diffs).toHaveLength(1);
  });

  test('results written before suites were recorded are compared only with each other', () => {
    const data = aggregate([run('v8', '2026-11-25T02:00:00Z', 3)], [run('v8', '2026-11-24T02:00:00Z', 2), run('v8', '2026-11-23T02:00:00Z', 1, suiteA)], { suite: 'x' });
    expect(data.history.v8.map((p) => p.passed)).toEqual([2, 3]);
  });
});

// The dashboard's numbers from small hand-made results: summaries, the feature matrix, files, failures, history, diffs.
import { describe, expect, test } from '@jest/globals';
import { Counts, emptyCounts, emptyTally, FileResult, Outcome } from '../../wast/results.js';
import { RunResult } from '../run-result.js';
import { aggregate, DIFF_KEEP, diffRuns } from './aggregate.js';

const counts = (passed: number, failed: number, unsupported = 0): Counts => ({ ...emptyCounts(), passed, failed, unsupported, total: passed + failed + unsupported });

/** A file's results: the failed lines, and (for diffs) other lines by outcome. */
function file(path: string, c: Counts, failedAt: number[], status: FileResult['status'] = 'ok', others: Record<number, Outcome> = {}): FileResult {
  return {
    file: path, status, durationMs: 1, ...emptyTally(), counts: c,
    ...(status !== 'ok' && { error: 'killed by SIGSEGV' }),
    results: [
      ...failedAt.map((line) => ({ line, col: 1, directive: 'assert_return', assertion: true, outcome: 'failed' as const, expected: 'i32.const 1', actual: 'i32.const 2', source: '(assert_return …)' })),
      ...Object.entries(others).map(([line, outcome]) => ({ line: Number(line), col: 1, directive: 'assert_return', assertion: true, outcome })),
    ],
  };
}

function run(engine: string, startedAt: string, files: FileResult[], byFeature: Record<string, Counts>, features: string[] = []): RunResult {
  const t = emptyTally();
  for (const f of files) for (const k of Object.keys(t.counts) as (keyof Counts)[]) t.counts[k] += f.counts[k];
  return {
    schema: 'mitey-results', version: 1, engine: { name: engine, version: `${engine} 1`, features }, startedAt, durationMs: 10,
    totals: { ...t.counts, byDirective: {}, byFeature, commandFailures: 0, filesNotOk: files.filter((f) => f.status !== 'ok').length, messages: { compared: 0, matched: 0 } },
    files,
  };
}

const v8 = run('v8', '2026-11-25T02:00:00Z', [file('/a/suite/i32.wast', counts(10, 0), []), file('/a/suite/simd/x.wast', counts(5, 1), [7])], {
  mvp: counts(15, 1), simd: counts(5, 1),
}, ['mvp', 'simd']);
const jitOld = run('jit', '2026-11-24T02:00:00Z', [file('/b/suite/i32.wast', counts(9, 1), [3], 'ok', { 4: 'passed' }), file('/b/suite/gone.wast', counts(1, 0), [])], { mvp: counts(10, 1) });
const jit = run('jit', '2026-11-25T02:00:00Z', [file('/c/suite/i32.wast', counts(9, 1), [4], 'ok', { 3: 'passed' }), file('/c/suite/simd/x.wast', counts(0, 0, 6), [], 'crashed')], {
  mvp: counts(9, 1, 6), simd: counts(0, 0, 6),
}, ['mvp']);

describe('aggregate', () => {
  const data = aggregate([v8, jit], [jitOld], { suite: 'testsuite' });

  test('a summary per engine, with the features it claims', () => {
    expect(data.engines.map((e) => [e.engine, e.counts.passed, e.counts.failed, e.counts.unsupported, e.files.crashed, e.features])).toEqual([
      ['v8', 15, 1, 0, 0, ['mvp', 'simd']],
      ['jit', 9, 1, 6, 1, ['mvp']],
    ]);
  });

  test('the feature matrix: features in order, cells per engine, unsupported apart', () => {
    expect(data.features.map((f) => [f.feature, f.tier])).toEqual([['mvp', 'mvp'], ['simd', '2.0']]);
    expect(data.features[1].cells).toEqual({ v8: { passed: 5, failed: 1, unsupported: 0, total: 6 }, jit: { passed: 0, failed: 0, unsupported: 6, total: 6 } });
  });

  test('files keyed by their path in the suite, engines side by side, wherever each run lived', () => {
    expect(data.files.map((f) => f.file)).toEqual(['i32.wast', 'simd/x.wast']);
    expect(data.files[1].cells.jit).toMatchObject({ status: 'crashed', failures: 1 });
    expect(data.files[1].cells.v8).toMatchObject({ status: 'ok', failures: 1 });
  });

  test('a failure per failed assertion and per file that did not run to its end, with the command that reruns it', () => {
    const f = data.failures.find((x) => x.engine === 'v8')!;
    expect(f).toMatchObject({ file: 'simd/x.wast', line: 7, expected: 'i32.const 1', actual: 'i32.const 2', source: '(assert_return …)' });
    expect(f.rerun).toBe('npx mitey wast "/a/suite/simd/x.wast" --line 7 --engine v8');
    expect(data.failures.filter((x) => x.engine === 'jit').map((x) => [x.file, x.line])).toEqual([['i32.wast', 4], ['simd/x.wast', 0]]);
  });

  test('history per engine, oldest first; the diff between the two latest runs', () => {
    expect(data.history.jit.map((h) => h.startedAt)).toEqual([jitOld.startedAt, jit.startedAt]);
    expect(data.history.v8).toHaveLength(1);
    expect(data.diffs).toEqual([
      {
        engine: 'jit', from: jitOld.startedAt, to: jit.startedAt, newlyFailing: ['i32.wast:4:1'], newlyPassing: ['i32.wast:3:1'],
        newlyFailingTotal: 1, newlyPassingTotal: 1, added: ['simd/x.wast'], removed: ['gone.wast'],
      },
    ]);
  });
});

test('diffRuns: no change between identical runs', () => {
  expect(diffRuns(jit, jit)).toMatchObject({ newlyFailing: [], newlyPassing: [], newlyFailingTotal: 0, newlyPassingTotal: 0, added: [], removed: [] });
});

test('diffRuns: any outcome that becomes a pass is newly passing, a pass that becomes anything else newly failing', () => {
  const before = run('jit', '2026-11-24T02:00:00Z', [file('/s/a.wast', counts(1, 0, 1), [], 'ok', { 1: 'unsupported', 2: 'passed', 3: 'blocked' })], {});
  const after = run('jit', '2026-11-25T02:00:00Z', [file('/s/a.wast', counts(1, 0, 1), [], 'ok', { 2: 'unsupported', 3: 'blocked' })], {});
  expect(diffRuns(before, after)).toMatchObject({ newlyFailing: ['a.wast:2:1'], newlyPassing: ['a.wast:1:1'], newlyFailingTotal: 1, newlyPassingTotal: 1 });
});

test('diffRuns: the lists are capped for the page, the totals count everything', () => {
  const lines = Array.from({ length: DIFF_KEEP + 20 }, (_, i) => i + 1);
  const outcomes = (o: Outcome) => Object.fromEntries(lines.map((l) => [l, o])) as Record<number, Outcome>;
  const before = run('jit', '2026-11-24T02:00:00Z', [file('/s/a.wast', counts(0, 0, lines.length), [], 'ok', outcomes('unsupported'))], {});
  const after = run('jit', '2026-11-25T02:00:00Z', [file('/s/a.wast', counts(lines.length, 0), [], 'ok')], {}); // passes are not listed
  const d = diffRuns(before, after);
  expect(d.newlyPassingTotal).toBe(lines.length);
  expect(d.newlyPassing).toHaveLength(DIFF_KEEP);
});

// Where engines disagree, from small hand-made runs of one file on several engines: the odd one out, different
// values, the same failure on some engines, unsupported (and blocked, unreached) set apart, one engine alone.
import { describe, expect, test } from '@jest/globals';
import { DirectiveResult, emptyCounts, emptyTally, FileResult } from '../../wast/results.js';
import { RunResult } from '../run-result.js';
import { aggregate } from './aggregate.js';
import { DISAGREEMENTS_KEEP, findDisagreements } from './disagreements.js';
import { defaultRerun } from './rerun-command.js';

/** An assertion's listing in a results file (a non-pass). */
const failed = (line: number, actual: string): DirectiveResult => ({ line, col: 1, directive: 'assert_return', assertion: true, outcome: 'failed', detail: 'wrong result', expected: 'i32.const 1', actual, source: `(assert_return (invoke "f${line}") (i32.const 1))` });
const listed = (line: number, outcome: DirectiveResult['outcome'], detail?: string): DirectiveResult => ({ line, col: 1, directive: 'assert_return', assertion: true, outcome, ...(detail && { detail }) });

/** A run of one engine over files (in its own folder, as on another machine): 100 assertions each, the listed ones non-passes. */
function run(engine: string, files: Record<string, DirectiveResult[]>, status: FileResult['status'] = 'ok'): RunResult {
  const fileResults = Object.entries(files).map(([name, results]): FileResult => ({
    file: `/home/${engine}/suite/${name}`, status, durationMs: 1, ...emptyTally(), counts: { ...emptyCounts(), passed: 100 - results.length, failed: results.length, total: 100 }, results,
  }));
  return {
    schema: 'mitey-results', version: 1, engine: { name: engine, version: `${engine} 1`, features: ['mvp'] }, startedAt: '2026-11-25T02:00:00Z', durationMs: 1,
    totals: { ...emptyCounts(), byDirective: {}, byFeature: {}, commandFailures: 0, filesNotOk: 0, messages: { compared: 0, matched: 0 } },
    files: fileResults,
  };
}

describe('findDisagreements', () => {
  const runs = [
    run('v8', { 'a.wast': [failed(20, 'i32.const 7'), failed(40, 'i32.const 0'), failed(50, 'i32.const 5')] }),
    run('v8-node', { 'a.wast': [failed(40, 'i32.const 0'), failed(50, 'i32.const 5')] }),
    run('jit', { 'a.wast': [failed(10, 'i32.const 2'), listed(30, 'unsupported'), failed(40, 'i32.const 0'), listed(60, 'blocked')] }),
    run('spidermonkey', { 'a.wast': [failed(20, 'i32.const 9'), failed(40, 'i32.const 0')] }),
  ];
  const d = findDisagreements(runs, defaultRerun);
  const at = (line: number) => d.list.find((x) => x.line === line);

  test('one engine fails an assertion the others pass: the odd one out, named, with every engine\'s outcome', () => {
    expect(at(10)).toMatchObject({ file: 'a.wast', kind: 'odd-one-out', odd: 'jit', directive: 'assert_return', expected: 'i32.const 1' });
    expect(Object.fromEntries(Object.entries(at(10)!.engines).map(([e, s]) => [e, s?.outcome]))).toEqual({ v8: 'passed', 'v8-node': 'passed', jit: 'failed', spidermonkey: 'passed' });
    expect(at(10)!.engines.jit).toMatchObject({ actual: 'i32.const 2', rerun: 'npx mitey wast "/home/jit/suite/a.wast" --line 10 --engine jit' });
    expect(at(10)!.engines.v8!.rerun).toBe('npx mitey wast "/home/v8/suite/a.wast" --line 10 --engine v8');
    expect(d.onlyFails).toEqual({ v8: 0, 'v8-node': 0, jit: 1, spidermonkey: 0 });
  });

  test('two engines fail it with different values: a disagreement with no odd one', () => {
    expect(at(20)).toMatchObject({ kind: 'values' });
    expect(at(20)!.odd).toBeUndefined();
    expect([at(20)!.engines.v8!.actual, at(20)!.engines.spidermonkey!.actual]).toEqual(['i32.const 7', 'i32.const 9']);
  });

  test('two engines fail it the same way while others pass: a split; all failing alike is no disagreement', () => {
    expect(at(50)).toMatchObject({ kind: 'split' });
    expect(at(40)).toBeUndefined(); // every engine returned i32.const 0
  });

  test('an engine that lacks what an assertion needs has no say: counted apart, never a disagreement', () => {
    expect(at(30)).toBeUndefined();
    expect(at(60)).toBeUndefined();
    expect(d.setAside).toEqual({ v8: 0, 'v8-node': 0, jit: 2, spidermonkey: 0 });
  });

  test('the list in suite order, the counts by kind', () => {
    expect(d.list.map((x) => x.line)).toEqual([10, 20, 50]);
    expect(d.total).toBe(3);
    expect(d.byKind).toEqual({ 'odd-one-out': 1, values: 1, split: 1 });
    expect(d.compared).toEqual(['v8', 'v8-node', 'jit', 'spidermonkey']);
  });

  test('wording differs by dialect: the same failure with other error messages is not a disagreement', () => {
    const msg = (actualMessage: string): DirectiveResult => ({ ...listed(5, 'failed', 'expected trap, got exception'), actualMessage });
    const r = findDisagreements([run('v8', { 'a.wast': [msg('RangeError: x')] }), run('spidermonkey', { 'a.wast': [msg('InternalError: y')] })], defaultRerun);
    expect(r.total).toBe(0);
  });

  test('failures told apart only in the detail one engine has are the same failure', () => {
    const compile = (kind: string): DirectiveResult => listed(5, 'failed', `compile failed: ${kind}`);
    const r = findDisagreements([
      run('v8', { 'a.wast': [compile('compile'), failed(9, 'ref.func 12')] }),
      run('jit', { 'a.wast': [compile('invalid'), failed(9, 'ref.func')] }),
      run('sm', { 'a.wast': [compile('malformed'), failed(9, 'ref.func 3')] }),
    ], defaultRerun);
    expect(r.total).toBe(0);
    expect(findDisagreements([run('v8', { 'a.wast': [compile('compile')] }), run('jit', { 'a.wast': [listed(5, 'failed', 'compile failed: unlinkable')] })], defaultRerun).byKind.values).toBe(1);
  });

  test('an assertion a crashed file never reached is set apart, not the odd one out', () => {
    const r = findDisagreements([
      run('v8', { 'a.wast': [] }),
      run('jit', { 'a.wast': [listed(70, 'failed', 'not run: the worker crashed')] }, 'crashed'),
    ], defaultRerun);
    expect(r.total).toBe(0);
    expect(r.setAside.jit).toBe(1);
  });

  test('an engine that did not run the file is not compared there', () => {
    const r = findDisagreements([run('v8', { 'a.wast': [failed(10, 'i32.const 2')] }), run('jit', { 'b.wast': [] }), run('sm', { 'a.wast': [] })], defaultRerun);
    expect(r.list).toHaveLength(1);
    expect(r.list[0]).toMatchObject({ kind: 'odd-one-out', odd: 'v8' });
    expect(Object.keys(r.list[0].engines).sort()).toEqual(['sm', 'v8']);
  });

  test('one engine: nothing to compare', () => {
    const r = findDisagreements([runs[2]], defaultRerun);
    expect(r).toMatchObject({ total: 0, list: [], compared: ['jit'], onlyFails: { jit: 0 } });
  });

  test('the list is capped for the page, the counts count everything', () => {
    const lines = Array.from({ length: DISAGREEMENTS_KEEP + 7 }, (_, i) => failed(i + 1, 'i32.const 2'));
    const r = findDisagreements([run('v8', { 'a.wast': [] }), run('jit', { 'a.wast': lines })], defaultRerun);
    expect(r.total).toBe(DISAGREEMENTS_KEEP + 7);
    expect(r.onlyFails.jit).toBe(DISAGREEMENTS_KEEP + 7);
    expect(r.list).toHaveLength(DISAGREEMENTS_KEEP);
  });

  test('an engine named by a command line is quoted in its rerun commands', () => {
    const r = findDisagreements([run('v8', { 'a.wast': [] }), run('cmd:node driver.js', { 'a.wast': [failed(10, 'i32.const 2')] })], defaultRerun);
    expect(r.list[0].odd).toBe('cmd:node driver.js');
    expect(r.list[0].engines['cmd:node driver.js']!.rerun).toBe(`npx mitey wast "/home/cmd:node driver.js/suite/a.wast" --line 10 --engine 'cmd:node driver.js'`);
  });
});

describe('aggregate: engine identity and absent engines', () => {
  test('a dialect the results record is in the summary; older results without one still read', () => {
    const withDialect = run('spidermonkey', {});
    withDialect.engine.dialect = 'spidermonkey';
    const data = aggregate([run('v8', {}), withDialect], [], { suite: 's' });
    expect(data.engines.map((e) => [e.engine, e.dialect])).toEqual([['v8', undefined], ['spidermonkey', 'spidermonkey']]);
  });

  test('absent engines are listed with their install command, and are neither runs nor failures', () => {
    const absent = [{ engine: 'jsc', install: 'apt-get install libjavascriptcoregtk-4.0-bin' }, { engine: 'v8', install: 'never shown: v8 ran' }];
    const data = aggregate([run('v8', { 'a.wast': [failed(1, 'x')] })], [], { suite: 's', absent });
    expect(data.absent).toEqual([absent[0]]);
    expect(data.engines.map((e) => e.engine)).toEqual(['v8']);
    expect(data.failures.map((f) => f.engine)).toEqual(['v8']);
    expect(aggregate([run('v8', {})], [], { suite: 's' }).absent).toEqual([]);
  });
});

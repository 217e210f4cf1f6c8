// The fuzzer on two engines or more (`mitey fuzz --engines A,B,C`): the runs of a case grouped by outcome,
// the odd one out named, V8's known differences tolerated only between a V8 and another engine, and the
// command line running three engines at once.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../runner/cli-run.js';
import { V8Engine } from '../engines/v8.js';
import { differential } from './differential.js';
import { findingKind, fuzzEngines } from './fuzz-command.js';
import { encodeModule } from './gen/encode.js';
import { moduleOf } from './gen/module-of.js';
import { isV8, runTolerance } from './known-run-differences.js';
import { twinNamed } from './mutants/catalog.js';
import { MutantEngine } from './mutants/mutant-engine.js';
import { CallOutcome, CaseRun, compareRuns, disagreement, EngineRun, trapKind } from './oracle.js';

const i32 = (bits: number): CallOutcome => ({ kind: 'values', values: [{ type: 'i32', bits }] });
const trap = (message: string): CallOutcome => ({ kind: 'trap', trap: trapKind(message), message });
const run = (...calls: CallOutcome[]): CaseRun => ({ calls, globals: [] });
const calls = [
  { name: 'f0', args: [] },
  { name: 'f1', args: [] },
];
const runs = (...named: [string, CaseRun][]): EngineRun[] => named.map(([name, r]) => ({ name, run: r }));

describe('the runs of a case on several engines', () => {
  test('all agreeing: no finding', () => {
    expect(compareRuns(calls, runs(['v8', run(i32(1), i32(2))], ['v8-node', run(i32(1), i32(2))], ['jit', run(i32(1), i32(2))]))).toBeUndefined();
  });

  test('two engines: the words of disagreement(), the first engine the expectations', () => {
    const a = run(i32(1), i32(2));
    const b = run(i32(1), i32(3));
    const c = compareRuns(calls, runs(['v8', a], ['jit', b]))!;
    expect(c.what).toBe(disagreement(calls, a, b, ['v8', 'jit']));
    expect(c.what).toBe('call 1 "f1"(): v8 i32:0x00000002; jit i32:0x00000003');
    expect(c).toMatchObject({ groups: [['v8'], ['jit']], expectFrom: 'v8' });
    expect(c.oddOneOut).toBeUndefined();
  });

  test('three engines, one differs: it is named the odd one out, the others are the majority', () => {
    const c = compareRuns(calls, runs(['v8', run(i32(1), i32(2))], ['spidermonkey', run(i32(1), trap('unreachable'))], ['jit', run(i32(1), i32(2))]))!;
    expect(c.what).toBe('spidermonkey is the odd one out: call 1 "f1"(): spidermonkey trap: unreachable; v8, jit agree: i32:0x00000002');
    expect(c).toMatchObject({ groups: [['v8', 'jit'], ['spidermonkey']], oddOneOut: 'spidermonkey', expectFrom: 'v8' });
  });

  test('the first engine as the odd one out: the majority, not the reference, gives the expectations', () => {
    const c = compareRuns(calls, runs(['v8', { compileError: 'invalid', calls: [], globals: [] }], ['v8-node', run(i32(1), i32(2))], ['jit', run(i32(1), i32(2))]))!;
    expect(c.what).toBe('v8 is the odd one out: compile: v8 invalid; v8-node, jit agree: ok');
    expect(c).toMatchObject({ oddOneOut: 'v8', expectFrom: 'v8-node' });
  });

  test('a global read differently is a difference too', () => {
    const g = (bits: number): CaseRun => ({ calls: [i32(1), i32(2)], globals: [['g', { type: 'i32', bits }]] });
    expect(compareRuns(calls, runs(['a', g(1)], ['b', g(1)], ['c', g(2)]))!.what).toBe('c is the odd one out: global "g": c i32:0x00000002; a, b agree: i32:0x00000001');
  });

  test('all three differ: the groups are listed, with no majority the first engine gives the expectations', () => {
    const c = compareRuns(calls, runs(['v8', run(i32(1), i32(2))], ['jit', run(i32(1), i32(3))], ['spidermonkey', run(i32(1), i32(4))]))!;
    expect(c.what).toBe('3 groups (v8 | jit | spidermonkey): call 1 "f1"(): v8 i32:0x00000002; jit i32:0x00000003; spidermonkey i32:0x00000004');
    expect(c).toMatchObject({ groups: [['v8'], ['jit'], ['spidermonkey']], expectFrom: 'v8' });
    expect(c.oddOneOut).toBeUndefined();
  });

  test('groups that differ at different places: each against the first group', () => {
    const c = compareRuns(calls, runs(['a', run(i32(1), i32(2))], ['b', run(i32(0), i32(2))], ['c', run(i32(1), i32(3))]))!;
    expect(c.what).toBe('3 groups (a | b | c): call 0 "f0"(): a i32:0x00000001; b i32:0x00000000 | call 1 "f1"(): a i32:0x00000002; c i32:0x00000003');
  });

  test('four engines, two against two: no odd one out, no majority', () => {
    const c = compareRuns(calls, runs(['a', run(i32(1), i32(2))], ['b', run(i32(1), i32(2))], ['c', run(i32(1), i32(3))], ['d', run(i32(1), i32(3))]))!;
    expect(c.what).toBe('2 groups (a, b | c, d): call 1 "f1"(): a, b i32:0x00000002; c, d i32:0x00000003');
    expect(c).toMatchObject({ groups: [['a', 'b'], ['c', 'd']], expectFrom: 'a' });
    expect(c.oddOneOut).toBeUndefined();
  });

  test('four engines, one against three: the odd one out, the three the majority', () => {
    const c = compareRuns(calls, runs(['a', run(i32(1), i32(2))], ['b', run(i32(1), i32(3))], ['c', run(i32(1), i32(3))], ['d', run(i32(1), i32(3))]))!;
    expect(c).toMatchObject({ oddOneOut: 'a', expectFrom: 'b', what: 'a is the odd one out: call 1 "f1"(): a i32:0x00000002; b, c, d agree: i32:0x00000003' });
  });
});

test('the differential on three engines: a mutant first, two V8s after it; the mutant is the odd one out, a V8 gives the expectations', () => {
  const v8 = new V8Engine();
  const mutant = new MutantEngine(twinNamed('i32.rotl→i32.rotr')!, v8);
  const r = differential([mutant, v8, new V8Engine('v8-node')], { seed: 1, ms: 600_000, numRuns: 3000, relevant: (bytes) => mutant.applies(bytes), gen: { features: [] } });
  expect(r.finding?.what).toMatch(/^v8-mutant:i32\.rotl→i32\.rotr is the odd one out: call \d+ ".*; v8, v8-node agree: /);
  expect(r.finding?.expectFrom).toBe('v8');
});

describe("V8's known run differences among several engines", () => {
  // an atomic load whose offset alone passes the memory's maximum: V8 14 traps out of bounds, the spec unaligned
  const bytes = encodeModule(
    moduleOf(
      [
        {
          params: [],
          results: ['i32'],
          locals: [],
          body: { body: [], results: [{ kind: 'atomic', type: 'i32', op: 0x10, offset: 65536, addr: { kind: 'const', type: 'i32', bits: 1 }, args: [] }] },
        },
      ],
      { memory: { min: 1, max: 1, shared: true }, memories: [] },
    ),
  );
  const one = [{ name: 'f0', args: [] }];
  const oob = run(trap('memory access out of bounds'));
  const unaligned = run(trap('unaligned atomic'));

  test('which engines are V8s', () => {
    expect(['v8', 'v8-node', 'v8-mutant:i32.rotl→i32.rotr'].every(isV8)).toBe(true);
    expect(['jit', 'spidermonkey', 'jsc', 'cmd:d8 --flag', 'v88'].some(isV8)).toBe(false);
  });

  test('tolerated between a V8 and another engine: the runs agree', () => {
    expect(compareRuns(one, runs(['v8', oob], ['v8-node', oob], ['jit', unaligned]), runTolerance(bytes))).toBeUndefined();
    // whatever the order: each is compared with the first of a group
    expect(compareRuns(one, runs(['jit', unaligned], ['v8', oob], ['v8-node', oob]), runTolerance(bytes))).toBeUndefined();
  });

  test('not between two engines neither of which is a V8, and never without the module showing it', () => {
    const c = compareRuns(one, runs(['spidermonkey', oob], ['jit', unaligned], ['jsc', unaligned]), runTolerance(bytes))!;
    expect(c.what).toBe('spidermonkey is the odd one out: call 0 "f0"(): spidermonkey trap: out of bounds memory access; jit, jsc agree: trap: unaligned atomic');
    const plain = encodeModule(moduleOf([{ params: [], results: [], locals: [], body: { body: [], results: [] } }], {}));
    expect(compareRuns(one, runs(['v8', oob], ['jit', unaligned]), runTolerance(plain))!.what).toMatch(/v8 trap: out of bounds memory access; jit trap: unaligned atomic/);
  });

  test('what it tolerates stays narrow: a V8 against a value is still a difference', () => {
    expect(compareRuns(one, runs(['v8', oob], ['v8-node', oob], ['jit', run(i32(0))]), runTolerance(bytes))?.oddOneOut).toBe('jit');
  });
});

describe('--engines', () => {
  test('a comma-separated list, two or more, each once; --engine and --reference as before', () => {
    expect(fuzzEngines({})).toEqual(['v8', 'jit']);
    expect(fuzzEngines({ engine: 'v8-node' })).toEqual(['v8', 'v8-node']);
    expect(fuzzEngines({ engine: 'jit', reference: 'v8-node' })).toEqual(['v8-node', 'jit']);
    expect(fuzzEngines({ engines: 'v8, v8-node,jit' })).toEqual(['v8', 'v8-node', 'jit']);
    // any names: the workers make them; a comma inside quotes stays in the name
    expect(fuzzEngines({ engines: `v8,cmd:d8 "--flags=a,b",jit` })).toEqual(['v8', 'cmd:d8 "--flags=a,b"', 'jit']);
    expect(() => fuzzEngines({ engines: 'jit' })).toThrow('--engines wants two engines or more, comma separated (e.g. v8,jit or v8,v8-node,jit), got "jit"');
    expect(() => fuzzEngines({ engines: 'v8,jit,v8' })).toThrow('--engines names "v8" twice');
    expect(() => fuzzEngines({ engines: 'v8,,jit' })).toThrow('--engines: an empty name');
    expect(() => fuzzEngines({ engines: 'v8,jit', engine: 'jit' })).toThrow('without --engine and --reference');
    expect(() => fuzzEngines({ engine: 'v8' })).toThrow('both "v8"');
  });

  test('fewer than two engines is a usage error', () => {
    const r = runCli(['fuzz', '--engines', 'jit', '--seconds', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mitey: --engines wants two engines or more/);
    expect(r.stdout).not.toMatch(/cases/);
  });

  test('an engine no worker can make fails the command, saying so', () => {
    const r = runCli(['fuzz', '--engines', 'v8,no-such-engine', '--seconds', '2', '--jobs', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown engine "no-such-engine"');
    expect(r.stderr).toContain('mitey: a fuzzing worker (v8, no-such-engine) ended with exit code 1 before its first case');
  });
});

test('mitey fuzz --engines v8,v8-node,jit: every case on all three, no disagreement, all three named', () => {
  const out = mkdtempSync(join(tmpdir(), 'mitey-engines-'));
  const r = runCli(['fuzz', '--engines', 'v8,v8-node,jit', '--seconds', '5', '--seed', '1', '--jobs', '1', '--out', out]);
  expect(r.stdout).toMatch(/^fuzz v8, v8-node, jit with 1 workers of 1 thread: [1-9]\d* cases, .* 0 disagreements$/m);
  expect(r.status).toBe(0);
});

test('a crash while one of three engines runs the case names that engine; the reproducer expects another one', () => {
  const out = mkdtempSync(join(tmpdir(), 'mitey-crash-engines-'));
  const r = runCli(['fuzz', '--engines', 'v8,v8-node,jit', '--seconds', '5', '--seed', '3', '--jobs', '1', '--out', out], false, { MITEY_FUZZ_CRASH_AT: '20:v8' });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('disagreement: the worker running v8 was killed by SIGSEGV\n');
  const written = /written to (.+\.wast)/.exec(r.stdout)![1];
  const replay = runCli(['wast', written, '--engine', 'v8'], true).json!;
  expect(replay.totals.total).toBeGreaterThan(0);
  expect(replay.totals.failed).toBe(0);
});

test('--keep-going groups findings by kind: the same engines apart with the same outcomes, whatever the call and values', () => {
  const a = 'jsc is the odd one out: call 0 "f0"(): jsc trap: out of bounds memory access; v8, jit agree: trap: unaligned atomic';
  const b = 'jsc is the odd one out: call 3 "f2"(i32:0x00000005, f64:0x0000000000000000): jsc trap: out of bounds memory access; v8, jit agree: trap: unaligned atomic';
  const c = 'jsc is the odd one out: call 0 "f0"(): jsc trap: out of bounds memory access; v8, jit agree: trap: expected shared memory';
  const d = 'jsc is the odd one out: global "fuel": jsc i32:0x000003e5; v8, jit agree: i32:0x000003e6';
  const e = 'jsc is the odd one out: global "g1": jsc i32:0x00000001; v8, jit agree: i32:0x00000002';
  expect(findingKind(a)).toBe(findingKind(b));
  expect(findingKind(a)).not.toBe(findingKind(c));
  expect(findingKind(d)).toBe(findingKind(e));
  expect(findingKind(a)).not.toBe(findingKind(a.replace('jsc is', 'jit is')));
});

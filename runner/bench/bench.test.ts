// The benchmark's kernels run on the JIT and on V8 (Liftoff and TurboFan, each in its own worker
// process) with their tiny test arguments, and agree. No timing is asserted anywhere: the numbers
// belong to `npm run bench`. The workers are the compiled ones in dist/ (`npm test` builds first).
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { BOUNDARY_CASES } from './boundary.js';
import { ENGINES } from './engines.js';
import { loadKernels, parseKernelHeader } from './kernels.js';
import { formatTable } from './report.js';
import { checkKernel, geometricMean, keepBest, KernelResult, runBench, type EngineResult } from './run-bench.js';
import { WORKER_PATH } from './spawn-worker.js';

describe('kernels', () => {
  test('at least five, each with a leading comment naming its bench and test arguments', () => {
    const kernels = loadKernels();
    expect(kernels.length).toBeGreaterThanOrEqual(5);
    for (const k of kernels) {
      expect(k.text.startsWith(';;')).toBe(true);
      expect(k.testArg).toBeGreaterThan(0);
      expect(k.benchArg).toBeGreaterThanOrEqual(k.testArg);
      expect(k.text).toMatch(/\(export "run"\)/);
    }
  });

  test('a header without its arguments is an error', () => {
    expect(() => parseKernelHeader('(module)', 'x.wat')).toThrow('must start with');
    expect(() => parseKernelHeader(';; what\n;; bench-arg: 3\n(module)', 'x.wat')).toThrow('test-arg');
    expect(parseKernelHeader(';; what\n;; bench-arg: 30\n;; test-arg: 3 (small)\n(module)', 'x.wat')).toEqual({ benchArg: 30, testArg: 3, countArg: 3, v8Flags: [] });
    expect(parseKernelHeader(';; what\n;; bench-arg: 30\n;; test-arg: 3\n;; count-arg: 7\n(module)', 'x.wat').countArg).toBe(7);
  });

  test('an unknown kernel name is an error', () => {
    expect(() => loadKernels(['no-such-kernel'])).toThrow('no kernel "no-such-kernel"');
  });
});

describe('checks', () => {
  const measured = (checksum: string, runMs: number) => ({ checksum, compileMs: 1, instantiateMs: 0, warmupMs: runMs, runsMs: [runMs], runMs });
  const kernel = (jit: string, liftoff: string, turbofan: string): KernelResult => ({
    kernel: 'k',
    file: 'k.wat',
    arg: 1,
    problems: [],
    engines: [
      { engine: 'jit', command: [], measurement: measured(jit, 30) },
      { engine: 'liftoff', command: [], measurement: { ...measured(liftoff, 10), tier: 'liftoff' } },
      { engine: 'turbofan', command: [], measurement: { ...measured(turbofan, 5), tier: 'turbofan' } },
    ],
  });

  test('agreeing checksums give the ratios', () => {
    const k = kernel('7', '7', '7');
    checkKernel(k);
    expect(k.problems).toEqual([]);
    expect(k.checksum).toBe('7');
    expect(k.jitOverLiftoff).toBeCloseTo(3);
    expect(k.jitOverTurbofan).toBeCloseTo(6);
  });

  test('a disagreeing checksum, a failed engine or V8 in the wrong tier is a problem', () => {
    const k = kernel('8', '7', '7');
    checkKernel(k);
    expect(k.checksum).toBeUndefined();
    expect(k.jitOverLiftoff).toBeUndefined();
    expect(k.problems).toEqual(['checksums disagree: JIT 8, Liftoff 7, TurboFan 7']);

    const failed = kernel('7', '7', '7');
    failed.engines[0] = { engine: 'jit', command: [], error: 'the worker crashed (signal SIGSEGV)' };
    checkKernel(failed);
    expect(failed.problems).toEqual(['JIT failed: the worker crashed (signal SIGSEGV)']);
    expect(failed.checksum).toBeUndefined();

    const tiered = kernel('7', '7', '7');
    tiered.engines[1].measurement!.tier = 'turbofan';
    checkKernel(tiered);
    expect(tiered.problems).toEqual(['Liftoff: V8 ran "run" in turbofan, not liftoff']);
  });

  test('over several processes an engine keeps its least run time and every checksum; a failure in any process is its result', () => {
    const results: EngineResult[] = [];
    keepBest(results, { engine: 'jit', command: ['a'], measurement: measured('7', 30) });
    keepBest(results, { engine: 'jit', command: ['b'], measurement: measured('7', 20) });
    keepBest(results, { engine: 'jit', command: ['c'], measurement: measured('8', 25) });
    expect(results).toHaveLength(1);
    expect(results[0].measurement!.runMs).toBe(20);
    expect(results[0].checksums).toEqual(['7', '7', '8']);
    const k = kernel('7', '7', '7');
    k.engines[0] = results[0];
    checkKernel(k);
    expect(k.problems).toEqual(['checksums disagree: JIT 7/8, Liftoff 7, TurboFan 7']);

    keepBest(results, { engine: 'jit', command: ['d'], error: 'the worker crashed (signal SIGSEGV)' });
    keepBest(results, { engine: 'jit', command: ['e'], measurement: measured('7', 1) });
    expect(results[0]).toMatchObject({ error: 'the worker crashed (signal SIGSEGV)', measurement: undefined });
  });

  test('geometric mean', () => {
    expect(geometricMean([])).toBeUndefined();
    expect(geometricMean([2, 8])).toBeCloseTo(4);
  });
});

test('every kernel runs on the JIT, V8 Liftoff and V8 TurboFan with the same checksum', async () => {
  const result = await runBench({ quick: true, runs: 1, processes: 1, noBoundary: true });
  const problems = result.kernels.flatMap((k) => k.problems.map((p) => `${k.kernel}: ${p}`));
  expect(problems).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.kernels.length).toBe(loadKernels().length);
  for (const k of result.kernels) {
    expect(k.engines.map((r) => r.engine)).toEqual(ENGINES.map((e) => e.name));
    expect(k.checksum).toMatch(/^-?\d+$/);
    if (loadKernels([k.kernel])[0].v8Lacks) continue; // its V8 columns are n/a
    expect(k.engines.find((r) => r.engine === 'liftoff')!.measurement!.tier).toBe('liftoff');
    expect(k.engines.find((r) => r.engine === 'turbofan')!.measurement!.tier).toBe('turbofan');
  }
});

test('the boundary section: positive ns per call on every engine, the JIT through its own namespace', async () => {
  const result = await runBench({ boundaryOnly: true, quick: true, runs: 1, processes: 1 });
  expect(result.kernels).toEqual([]);
  const b = result.boundary!;
  expect(b.problems).toEqual([]);
  expect(result.ok).toBe(true);
  expect(b.engines.map((r) => r.engine)).toEqual(ENGINES.map((e) => e.name));
  for (const r of b.engines) {
    for (const c of BOUNDARY_CASES) expect(r.measurement!.nsPerCall[c]).toBeGreaterThan(0);
    expect(r.measurement!.identity.engine).toBe(r.engine === 'jit' ? 'jit' : 'v8');
  }
  expect(Object.keys(b.ratios).sort()).toEqual([...BOUNDARY_CASES].sort());
  expect(formatTable(result)).toContain('at most 10x V8');
});

test('--baseline: another checkout’s JIT runs the kernels in the same run, with its own ratio to Liftoff', async () => {
  // This checkout as its own baseline: the same worker, so the same checksums.
  const result = await runBench({ quick: true, runs: 1, processes: 1, noBoundary: true, kernels: ['fib', 'sieve'], baseline: { checkout: '.', workerPath: WORKER_PATH } });
  expect(result.kernels.flatMap((k) => k.problems)).toEqual([]);
  for (const k of result.kernels) {
    expect(k.engines.map((r) => r.engine)).toEqual([...ENGINES.map((e) => e.name), 'baseline']);
    expect(k.baselineOverLiftoff).toBeGreaterThan(0);
  }
  expect(result.geomean.baselineOverLiftoff).toBeGreaterThan(0);
  const table = formatTable(result);
  expect(table).toContain('JIT@./Liftoff');
  expect(table).toMatch(/JIT\/Liftoff \d+\.\d\dx, JIT\/TurboFan \d+\.\d\dx; JIT@\.\/Liftoff \d+\.\d\dx/);
});

test('--baseline names a checkout whose worker is not built: a usage error, before any work', () => {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'runner', 'bench', 'cli.js'), '--baseline', '/nonexistent-checkout'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--baseline /nonexistent-checkout: no /nonexistent-checkout/dist/runner/bench/worker.js');
});

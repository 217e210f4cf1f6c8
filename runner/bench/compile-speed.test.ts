// The benchmark's compile-speed section: each program names its wasm module, the largest are chosen;
// a real run on a small module (sql.js's, not esbuild's 14 MB) on the JIT, V8 Liftoff and V8 TurboFan,
// each in its own worker process, gives positive figures, the JIT's code size and the JSON; an engine
// that cannot compile a module is a failure. No timing is asserted: the figures belong to
// `npm run bench`. The workers are the compiled ones in dist/ (`npm test` builds first).
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import {
  checkCompileModule,
  COMPILE_MODULES,
  keepFastestCompile,
  largestProgramModules,
  programModule,
  V8_COMPILE_FLAGS,
  type CompileEngineResult,
  type CompileModuleResult,
} from './compile-speed.js';
import { ENGINES } from './engines.js';
import { PROGRAMS, programNamed } from './programs/programs.js';
import type { CompileMeasurement } from './protocol.js';
import { formatTable, toJson } from './report.js';
import { runBench, type BenchResult } from './run-bench.js';

const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);

describe('the modules', () => {
  test('every program names its wasm module file, a wasm binary', () => {
    for (const p of PROGRAMS) {
      const path = p.wasmFile();
      expect(path).toMatch(/\.wasm$/);
      expect(readFileSync(path).subarray(0, 4).equals(WASM_MAGIC)).toBe(true);
    }
  });

  test(`the section compiles the ${COMPILE_MODULES} largest, largest first`, () => {
    const modules = largestProgramModules();
    expect(modules).toHaveLength(COMPILE_MODULES);
    const sizes = PROGRAMS.map((p) => statSync(p.wasmFile()).size).sort((a, b) => b - a);
    expect(modules.map((m) => m.bytes)).toEqual(sizes.slice(0, COMPILE_MODULES));
    expect(modules.map((m) => m.name)).toEqual(['esbuild', 'tiktoken', 'brotli']); // the pinned versions' 14, 5.6 and 1.1 MB
    expect(largestProgramModules(1, [programNamed('sqlite'), programNamed('brotli')]).map((m) => m.name)).toEqual(['brotli']);
  });
});

describe('checks', () => {
  const measured = (compileMs: number, rssGrowthKiB: number, codeBytes?: number): CompileMeasurement => ({
    wasmBytes: 1_000_000, compilesMs: [compileMs], compileMs, rssGrowthKiB, ...(codeBytes !== undefined ? { codeBytes } : {}),
  });
  const module = (jit: CompileEngineResult, liftoff: CompileMeasurement = measured(100, 8000)): CompileModuleResult => ({
    module: 'm', path: '/m.wasm', wasmBytes: 1_000_000, problems: [],
    engines: [jit, { engine: 'liftoff', command: [], measurement: liftoff, rssGrowthKiB: liftoff.rssGrowthKiB }, { engine: 'turbofan', command: [], measurement: measured(400, 20000), rssGrowthKiB: 20000 }],
  });
  const jit = (m: CompileMeasurement): CompileEngineResult => ({ engine: 'jit', command: [], measurement: m, rssGrowthKiB: m.rssGrowthKiB });

  test('the ratios, MB/s, code per wasm byte and the targets', () => {
    const m = module(jit(measured(40, 6000, 2_000_000)));
    checkCompileModule(m);
    expect(m.problems).toEqual([]);
    expect(m.jitOverLiftoff).toBeCloseTo(0.4);
    expect(m.jitOverTurbofan).toBeCloseTo(0.1);
    expect(m.engines[0].mbPerS).toBeCloseTo(25);
    expect(m.codePerWasmByte).toBeCloseTo(2);
    expect(m.targets).toEqual({ compileSpeed: true, codeSize: true, memory: true });

    const slow = module(jit(measured(80, 9000, 3_000_000)));
    checkCompileModule(slow);
    expect(slow.problems).toEqual([]); // missing a target is no failure: the table says so
    expect(slow.targets).toEqual({ compileSpeed: false, codeSize: false, memory: false });
  });

  test('a failed engine or the JIT without machine code is a problem', () => {
    const failed = module({ engine: 'jit', command: [], error: 'Error: the JIT refused the module: malformed: bad magic' });
    checkCompileModule(failed);
    expect(failed.problems).toEqual(['JIT failed: Error: the JIT refused the module: malformed: bad magic']);
    expect(failed.jitOverLiftoff).toBeUndefined();
    const noCode = module(jit(measured(40, 6000)));
    checkCompileModule(noCode);
    expect(noCode.problems).toEqual(['JIT: no bytes of machine code']);
  });

  test('over several processes an engine keeps its least compile time and the most RSS growth; a failure in any is its result', () => {
    const results: CompileEngineResult[] = [];
    keepFastestCompile(results, { engine: 'jit', command: ['a'], measurement: measured(50, 7000, 1) });
    keepFastestCompile(results, { engine: 'jit', command: ['b'], measurement: measured(40, 6000, 1) });
    keepFastestCompile(results, { engine: 'jit', command: ['c'], measurement: measured(45, 8000, 1) });
    expect(results).toHaveLength(1);
    expect(results[0].measurement!.compileMs).toBe(40);
    expect(results[0].rssGrowthKiB).toBe(8000);
    keepFastestCompile(results, { engine: 'jit', command: ['d'], error: 'the worker crashed (signal SIGSEGV)' });
    keepFastestCompile(results, { engine: 'jit', command: ['e'], measurement: measured(1, 1, 1) });
    expect(results[0]).toMatchObject({ error: 'the worker crashed (signal SIGSEGV)', measurement: undefined, rssGrowthKiB: undefined });
  });
});

describe('a real run on sql.js’s module, one process per engine', () => {
  let result: BenchResult;
  const sqlite = programModule(programNamed('sqlite'));
  beforeAll(async () => {
    result = await runBench({ compileOnly: true, quick: true, runs: 5, processes: 1, compileModules: [sqlite] });
  });

  test('every engine compiles it: positive figures, the JIT’s machine code, the ratios', () => {
    expect(result.kernels).toEqual([]);
    expect(result.boundary).toBeUndefined();
    const c = result.compile!;
    expect(c.repetitions).toBe(2); // --quick: fewer compiles
    expect(c.modules).toHaveLength(1);
    const m = c.modules[0];
    expect(m.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(m).toMatchObject({ module: 'sqlite', path: sqlite.path, wasmBytes: sqlite.bytes });
    expect(m.engines.map((r) => r.engine)).toEqual(ENGINES.map((e) => e.name));
    for (const r of m.engines) {
      const measured = r.measurement!;
      expect(measured.wasmBytes).toBe(sqlite.bytes);
      expect(measured.compilesMs).toHaveLength(2);
      expect(measured.compileMs).toBeGreaterThan(0);
      expect(r.mbPerS).toBeGreaterThan(0);
      // KiB: the module's code and metadata are more than 100 KiB on every engine, and far below 1 GiB
      expect(r.rssGrowthKiB).toBeGreaterThan(100);
      expect(r.rssGrowthKiB).toBeLessThan(1024 * 1024);
      if (r.engine === 'jit') expect(measured.codeBytes).toBeGreaterThan(0);
      else {
        expect(measured.codeBytes).toBeUndefined();
        expect(r.command).toEqual(expect.arrayContaining(['--no-wasm-lazy-compilation', ...V8_COMPILE_FLAGS]));
      }
    }
    expect(m.codeBytes).toBe(m.engines[0].measurement!.codeBytes);
    expect(m.codePerWasmByte).toBeCloseTo(m.codeBytes! / sqlite.bytes);
    expect(m.jitOverLiftoff).toBeGreaterThan(0);
    expect(m.jitOverTurbofan).toBeGreaterThan(0);
    expect(Object.keys(m.targets!).sort()).toEqual(['codeSize', 'compileSpeed', 'memory']);
  });

  test('the JSON and the tables', () => {
    const json = JSON.parse(JSON.stringify(toJson(result))) as { schema: string; compile: { repetitions: number; processes: number; modules: Record<string, unknown>[] } };
    expect(json.schema).toBe('mitey-bench');
    expect(json.compile).toMatchObject({ repetitions: 2, processes: 1 });
    const m = json.compile.modules[0];
    expect(m).toMatchObject({ module: 'sqlite', wasmBytes: sqlite.bytes, codeBytes: expect.any(Number), codePerWasmByte: expect.any(Number), jitOverLiftoff: expect.any(Number), problems: [] });
    for (const r of m.engines as Record<string, unknown>[]) {
      expect(r).toMatchObject({ engine: expect.any(String), command: expect.any(Array), mbPerS: expect.any(Number), rssGrowthKiB: expect.any(Number) });
      expect(r.measurement).toMatchObject({ compileMs: expect.any(Number), compilesMs: expect.any(Array), rssGrowthKiB: expect.any(Number) });
    }
    const table = formatTable(result);
    expect(table).toMatch(/^compile speed: /);
    expect(table).toMatch(/^module +wasm MB +JIT ms +Liftoff ms +TurboFan ms +JIT MB\/s +Liftoff MB\/s +TurboFan MB\/s +JIT\/Liftoff +JIT\/TurboFan$/m);
    expect(table).toMatch(/^sqlite +0\.69( +\d+(\.\d)?){6} +\d+\.\d\dx +\d+\.\d\dx$/m);
    expect(table).toMatch(/^module +JIT code MB +code\/wasm +JIT RSS\+ +Liftoff RSS\+ +TurboFan RSS\+ +targets$/m);
    expect(table).toMatch(/^sqlite +\d+\.\d\d +\d+\.\d\dx( +\d+\.\d){3} +(met|missed: .+)$/m);
    expect(table).not.toContain('FAILED');
  });
});

test('an engine that cannot compile a module is a failure of the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitey-compile-'));
  try {
    const path = join(dir, 'bad.wasm');
    writeFileSync(path, Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff]));
    const result = await runBench({ compileOnly: true, quick: true, runs: 1, processes: 1, compileModules: [{ name: 'bad', path, bytes: 10 }] });
    expect(result.ok).toBe(false);
    const m = result.compile!.modules[0];
    expect(m.problems).toHaveLength(ENGINES.length);
    expect(m.problems[0]).toMatch(/^JIT failed: Error: the JIT refused the module: malformed/);
    expect(m.problems[1]).toMatch(/^Liftoff failed: CompileError: /);
    expect(formatTable(result)).toMatch(/^FAILED:\n {2}compile speed: bad: JIT failed: /m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--compile-only with --boundary-only is a usage error, before any work', () => {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'runner', 'bench', 'cli.js'), '--compile-only', '--boundary-only'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--compile-only and --boundary-only: one section only');
});

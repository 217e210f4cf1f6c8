// The program benchmark: each workload, at its small test size, hashes the same on V8 Liftoff and
// V8 TurboFan (each in a child process, as `npm run bench:programs` runs them); the checks and the
// command line's errors. No timing is asserted: the figures belong to `npm run bench:programs`. The
// children are the compiled ones in dist/ (`npm test` builds first).
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../core/package-root.js';
import { programEngines, type ProgramEngine } from './engines.js';
import { PROGRAMS, selectPrograms } from './programs.js';
import type { ProgramMeasurement } from './protocol.js';
import { formatTable } from './report.js';
import { checkProgram, runPrograms, type ProgramResult } from './run-programs.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'runner', 'bench', 'programs', 'cli.js');

describe('selection', () => {
  test('an unknown program or engine name is a clear error, on its own and on the command line', () => {
    expect(() => selectPrograms(['sqlite', 'nope'])).toThrow('no program "nope"; the programs are sqlite, brotli, tiktoken, esbuild');
    expect(() => programEngines(['v9'])).toThrow('no engine "v9"; the engines are liftoff, turbofan, jit');
    expect(selectPrograms(['esbuild', 'sqlite']).map((p) => p.name)).toEqual(['sqlite', 'esbuild']);
    const cli = spawnSync(process.execPath, [CLI, '--programs', 'sqlite,nope'], { encoding: 'utf8' });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('bench:programs: no program "nope"');
    expect(cli.stdout).toBe('');
  });

  test('every program is pinned to the exact version in package.json', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const p of PROGRAMS) expect(`${p.npmPackage}@${pkg.devDependencies[p.npmPackage]}`).toBe(`${p.npmPackage}@${p.version}`);
  });

  test('without dist/jit/register.js the JIT rows say so, and that is no failure', async () => {
    const result = await runPrograms({ programs: ['sqlite'], engines: ['jit'], registerPath: '/nonexistent/register.js' });
    expect(result.ok).toBe(true);
    expect(result.programs[0].engines).toEqual([{ engine: 'jit', label: 'JIT', unavailable: 'not available: /nonexistent/register.js missing' }]);
    expect(formatTable(result)).toContain('not available: /nonexistent/register.js missing');
  });
});

describe('checks', () => {
  const engines: ProgramEngine[] = programEngines([], '/nonexistent');
  const m = (hash: string, runMs: number, v8Namespace = true): ProgramMeasurement => ({
    hash, outputBytes: 1, compileMs: 1, compileCalls: {}, loadMs: 1, warmupMs: runMs, runsMs: [runMs], runMs, v8Namespace,
  });
  const program = (liftoff: string, turbofan: string, jit: string): ProgramResult => ({
    program: 'p', npmPackage: 'p', version: '1', origin: '', size: 1, sizeUnit: 'rows', problems: [],
    engines: [
      { engine: 'liftoff', label: 'Liftoff', measurement: { ...m(liftoff, 100), tiers: { liftoff: 3, turbofan: 0, other: 0 } } },
      { engine: 'turbofan', label: 'TurboFan', measurement: { ...m(turbofan, 50), tiers: { liftoff: 0, turbofan: 3, other: 0 } } },
      { engine: 'jit', label: 'JIT', measurement: m(jit, 200, false) },
    ],
  });

  test('agreeing hashes give the ratios', () => {
    const p = program('aa', 'aa', 'aa');
    checkProgram(p, engines);
    expect(p.problems).toEqual([]);
    expect(p.v8Hash).toBe('aa');
    expect(p.jitOverLiftoff).toBeCloseTo(2);
    expect(p.jitOverTurbofan).toBeCloseTo(4);
  });

  test('a JIT hash unlike V8\'s, V8 unlike itself, a failure or V8 in the wrong tier is a problem', () => {
    const jit = program('aa', 'aa', 'bb');
    checkProgram(jit, engines);
    expect(jit.problems).toEqual(['HASH MISMATCH: the JIT hashed bb, V8 aa: the JIT computed a different output']);
    expect(jit.jitOverLiftoff).toBeUndefined();
    expect(formatTable({ runs: 1, geomean: { programs: 0 }, programs: [jit] } as never)).toContain('bb MISMATCH');

    const v8 = program('aa', 'cc', 'aa');
    checkProgram(v8, engines);
    expect(v8.problems).toEqual(['V8 disagrees with itself: Liftoff hashed aa, TurboFan cc']);

    const failed = program('aa', 'aa', 'aa');
    failed.engines[2] = { engine: 'jit', label: 'JIT', error: 'timed out after 600 s (killed)' };
    checkProgram(failed, engines);
    expect(failed.problems).toEqual(['JIT failed: timed out after 600 s (killed)']);

    const notJit = program('aa', 'aa', 'aa');
    notJit.engines[2].measurement!.v8Namespace = true;
    checkProgram(notJit, engines);
    expect(notJit.problems).toEqual(["JIT: globalThis.WebAssembly was still V8's: the register hook did not replace it"]);

    const tiered = program('aa', 'aa', 'aa');
    tiered.engines[0].measurement!.tiers = { liftoff: 1, turbofan: 2, other: 0 };
    checkProgram(tiered, engines);
    expect(tiered.problems).toEqual(['Liftoff: 2 of the exported wasm functions ran in TurboFan, not liftoff']);
  });
});

test('every workload hashes the same on V8 Liftoff and V8 TurboFan at its test size', async () => {
  const result = await runPrograms({ quick: true, runs: 1, engines: ['liftoff', 'turbofan'] });
  expect(result.programs.flatMap((p) => p.problems.map((x) => `${p.program}: ${x}`))).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.programs.map((p) => p.program)).toEqual(PROGRAMS.map((p) => p.name));
  for (const p of result.programs) {
    expect(p.v8Hash).toMatch(/^[0-9a-f]{64}$/);
    for (const r of p.engines) {
      const measured = r.measurement!;
      expect(measured.hash).toBe(p.v8Hash);
      expect(measured.outputBytes).toBeGreaterThan(100);
      expect(measured.compileMs).toBeGreaterThan(0); // the timer saw the glue compile its wasm
      expect(Object.keys(measured.compileCalls).length).toBeGreaterThan(0);
      expect(measured.v8Namespace).toBe(true);
      expect(measured.tiers![r.engine as 'liftoff' | 'turbofan']).toBeGreaterThan(0);
    }
  }
  // a different size is a different output: the size parameter reaches the workload
  const bigger = await runPrograms({ programs: ['sqlite'], engines: ['liftoff'], quick: true, scale: 2, runs: 0 });
  expect(bigger.programs[0].v8Hash).not.toBe(result.programs[0].v8Hash);
});

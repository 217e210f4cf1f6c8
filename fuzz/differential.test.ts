// The differential fuzzer: the JIT agrees with V8 on a short budget, and the fuzzer finds and
// shrinks mutants (V8 running a binary with one instruction swapped for a near twin).
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assembler } from '../wast/assembler.js';
import { JitEngine } from '../jit/engine.js';
import { runCli } from '../runner/cli-run.js';
import { V8Engine } from '../engines/v8.js';
import { differential } from './differential.js';
import { instructionCount } from './fuzz-case.js';
import { MutantEngine } from './mutants/mutant-engine.js';
import { twinNamed } from './mutants/catalog.js';
import { reproducer } from './reproducer.js';

const v8 = new V8Engine();

/** V8 against a mutant; cases the twin does not change are not run (they are V8 against itself). */
function findMutant(name: string) {
  const mutant = new MutantEngine(twinNamed(name)!, v8);
  return differential([v8, mutant], { seed: 1, ms: 600_000, numRuns: 3000, relevant: (bytes) => mutant.applies(bytes), gen: { features: [] } });
}

test('the JIT agrees with V8 on generated Wasm 2.0 modules (a short budget; `mitey fuzz` runs long ones, and Wasm 3.0 on V8 14)', () => {
  const r = differential([v8, new JitEngine()], { seed: 42, ms: 600_000, numRuns: 1500, gen: { features: [] } });
  expect(r.finding?.what).toBeUndefined();
  expect(r.cases).toBe(1500);
  expect(r.calls).toBeGreaterThan(1500);
});

describe('the fuzzer finds mutants and shrinks them', () => {
  test.each(['i32.rotl→i32.rotr', 'i64.rotr→i64.rotl', 'i32.shl→i32.shr_u', 'i64.shr_u→i64.shl'])('%s', (name) => {
    const r = findMutant(name);
    expect(r.finding).toBeDefined();
    expect(instructionCount(r.finding!.case)).toBeLessThanOrEqual(10);
  });

  test('a finding becomes a .wast that mitey wast replays (V8 passes it, as its results are the expectations)', async () => {
    const r = findMutant('i32.rotl→i32.rotr');
    const text = reproducer(r.finding!, v8, await Assembler.load());
    expect(text).toMatch(/^;; Found by mitey fuzz: /);
    expect(text).toContain('i32.rot');
    const file = join(mkdtempSync(join(tmpdir(), 'mitey-repro-')), 'repro.wast');
    writeFileSync(file, text);
    const run = runCli(['wast', file, '--engine', 'v8'], true).json!;
    expect(run.totals.total).toBeGreaterThan(0);
    expect(run.totals.passed).toBe(run.totals.total);
  });
});

test('a worker the engine crashes is a finding: the case it was on becomes a reproducer', () => {
  const out = mkdtempSync(join(tmpdir(), 'mitey-crash-'));
  const r = runCli(['fuzz', '--seconds', '5', '--seed', '3', '--jobs', '1', '--out', out], false, { MITEY_FUZZ_CRASH_AT: '20' });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('disagreement: the worker running jit was killed by SIGSEGV');
  const written = /written to (.+\.wast)/.exec(r.stdout)![1];
  const replay = runCli(['wast', written, '--engine', 'v8'], true).json!;
  expect(replay.totals.total).toBeGreaterThan(0);
  expect(replay.totals.failed).toBe(0);
});

test('workers run several fuzzing threads at once (the JIT on several threads, every case still checked)', () => {
  const out = mkdtempSync(join(tmpdir(), 'mitey-threads-'));
  const r = runCli(['fuzz', '--seconds', '4', '--seed', '5', '--jobs', '1', '--threads', '3', '--out', out], false);
  expect(r.stdout).toMatch(/with 1 workers of 3 threads: (\d+) cases, .* 0 disagreements/);
  expect(Number(/of 3 threads: (\d+) cases/.exec(r.stdout)![1])).toBeGreaterThan(30);
  expect(r.status).toBe(0);
});

test('a crash of a worker with threads is a finding for each thread: every last case becomes a reproducer', () => {
  const out = mkdtempSync(join(tmpdir(), 'mitey-crash-threads-'));
  const r = runCli(['fuzz', '--seconds', '5', '--seed', '3', '--jobs', '1', '--threads', '2', '--out', out], false, { MITEY_FUZZ_CRASH_AT: '20' });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/disagreement: the worker running jit was killed by SIGSEGV; thread \d of 2 was running this case/);
  const written = [...r.stdout.matchAll(/written to (.+\.wast)/g)].map((m) => m[1]);
  expect(written.length).toBeGreaterThanOrEqual(1);
  for (const file of written) expect(runCli(['wast', file, '--engine', 'v8'], true).json!.totals.failed).toBe(0);
});

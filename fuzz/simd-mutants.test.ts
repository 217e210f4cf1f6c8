// The differential fuzzer finds the SIMD mutants (V8 running a binary with one SIMD instruction
// swapped for a near twin) and shrinks them: V8 against V8, so this does not need the JIT. A fixed
// seed and a fixed number of cases per twin; cases the twin does not change are not run.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../runner/cli-run.js';
import { V8Engine } from '../engines/v8.js';
import { Assembler } from '../wast/assembler.js';
import { differential, Finding } from './differential.js';
import { instructionCount } from './fuzz-case.js';
import { MutantEngine } from './mutants/mutant-engine.js';
import { isSimdTwin, TWINS } from './mutants/twins.js';
import { reproducer } from './reproducer.js';
import { testNote } from '../core/test-note.js';

const v8 = new V8Engine();
const SIMD_TWINS = TWINS.filter(isSimdTwin);
const RUNS = 10_000;

describe('the fuzzer finds SIMD mutants and shrinks them', () => {
  const findings: Finding[] = [];

  test(`at least 10 of the ${SIMD_TWINS.length} SIMD twins within ${RUNS} cases each`, () => {
    const lines: string[] = [];
    const sizes: number[] = [];
    for (const twin of SIMD_TWINS) {
      const mutant = new MutantEngine(twin, v8);
      const started = performance.now();
      // Wasm 2.0 cases: this process's V8 may lack Wasm 3.0 (fuzz/mutants-3.test.ts runs the new mutants on V8 14)
      const r = differential([v8, mutant], { seed: 1, ms: 10_000, numRuns: RUNS, relevant: (bytes) => mutant.applies(bytes), gen: { features: [] } });
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      if (!r.finding) {
        lines.push(`MISSED ${twin.name} (${r.cases} cases, ${secs} s)`);
        continue;
      }
      // the shrunk case still holds the instruction and still tells the mutant from V8
      expect(mutant.applies(r.finding.case.bytes)).toBe(true);
      expect(r.finding.what).not.toBe('');
      const size = instructionCount(r.finding.case);
      expect(size).toBeLessThanOrEqual(20);
      sizes.push(size);
      findings.push(r.finding);
      lines.push(`found  ${twin.name} (${r.cases} cases, ${secs} s), shrunk to ${size} instructions`);
    }
    sizes.sort((x, y) => x - y);
    testNote(`${sizes.length} of ${SIMD_TWINS.length} SIMD mutants found, median ${sizes[sizes.length >> 1]} instructions\n${lines.join('\n')}`);
    expect(sizes.length).toBeGreaterThanOrEqual(10);
  });

  test('the SIMD findings become .wast files (v128 arguments, results exact) that V8 passes under mitey wast', async () => {
    const assembler = await Assembler.load();
    const dir = mkdtempSync(join(tmpdir(), 'mitey-simd-repro-'));
    const texts = findings.map((f) => reproducer(f, v8, assembler));
    expect(texts.some((t) => /\(assert_return \(invoke [^\n]*\(v128\.const i8x16/.test(t))).toBe(true); // a v128 expectation or argument
    texts.forEach((text, i) => writeFileSync(join(dir, `repro${i}.wast`), text));
    const run = runCli(['wast', dir, '--engine', 'v8'], true).json!;
    expect(run.totals.total).toBeGreaterThan(findings.length);
    expect(run.totals.passed).toBe(run.totals.total);
  });
});

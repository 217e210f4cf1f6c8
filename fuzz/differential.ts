// Runs cases on two engines or more until they disagree; fast-check then shrinks the case to a small one.
import fc from 'fast-check';
import { Engine } from '../wast/engine.js';
import { caseArb, FuzzCase } from './fuzz-case.js';
import { GenOptions } from './gen/arbitraries.js';
import { sharedGenFeatures } from './gen/features.js';
import { runTolerance } from './known-run-differences.js';
import { compareRuns, Comparison, runCase } from './oracle.js';

export interface Finding {
  case: FuzzCase;
  what: string;
  seed: number;
  path: string; // fast-check's replay path
  /** the engine whose results a reproducer expects (compareRuns: the majority's, else the first engine's) */
  expectFrom: string;
}

export interface DifferentialResult {
  cases: number;
  calls: number;
  finding?: Finding;
  interrupted: boolean;
}

export interface DifferentialOptions {
  seed: number;
  ms: number;
  numRuns?: number;
  onCase?: (c: FuzzCase) => void;
  /** Called before engine `i` (its index in the engines) runs the case. */
  onRun?: (i: number) => void;
  /** generator options; by default SIMD only when all engines have the 'simd' feature, and the Wasm 3.0 features all have */
  gen?: GenOptions;
  /**
   * Whether the engines could disagree on these bytes at all; a case for which this says no passes
   * without running (a mutant engine that leaves the bytes unchanged is V8 itself).
   */
  relevant?: (bytes: Uint8Array) => boolean;
}

/**
 * Looks for a disagreement among the engines (the first one the reference) for up to `ms` milliseconds.
 * The cases hold SIMD only when all engines have the 'simd' feature, and the Wasm 3.0 features of the
 * generator that all have (unless `gen` says otherwise): an engine refusing every module with a feature
 * would disagree on all of them.
 */
export function differential(engines: readonly Engine[], options: DifferentialOptions): DifferentialResult {
  if (engines.length < 2) throw new Error(`the differential needs two engines or more, got ${engines.length}`);
  const gen: GenOptions = { simd: engines.every((e) => e.features.has('simd')), features: sharedGenFeatures(...engines), ...options.gen };
  let cases = 0;
  let calls = 0;
  let last = '';
  const compare = (c: FuzzCase): Comparison | undefined =>
    compareRuns(
      c.calls,
      engines.map((e, i) => {
        options.onRun?.(i);
        return { name: e.name, run: runCase(e, c.bytes, c.calls) };
      }),
      runTolerance(c.bytes),
    );
  const property = fc.property(caseArb(gen), (c) => {
    cases++;
    options.onCase?.(c);
    if (options.relevant && !options.relevant(c.bytes)) return true;
    calls += c.calls.length;
    const found = compare(c);
    last = found?.what ?? '';
    return found === undefined;
  });
  const details = fc.check(property, {
    seed: options.seed,
    numRuns: options.numRuns ?? 1_000_000,
    interruptAfterTimeLimit: options.ms,
    markInterruptAsFailure: false,
  });
  if (!details.failed || !details.counterexample) return { cases, calls, interrupted: details.interrupted };
  const [c] = details.counterexample;
  // Re-run the shrunk case: `last` is from whatever fast-check tried last.
  const found = compare(c);
  return {
    cases,
    calls,
    interrupted: details.interrupted,
    finding: { case: c, what: found?.what ?? last, seed: details.seed, path: details.counterexamplePath ?? '', expectFrom: found?.expectFrom ?? engines[0].name },
  };
}

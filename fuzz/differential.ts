// Runs cases on two engines until they disagree; fast-check then shrinks the case to a small one.
import fc from 'fast-check';
import { Engine } from '../wast/engine.js';
import { caseArb, FuzzCase } from './fuzz-case.js';
import { GenOptions } from './gen/arbitraries.js';
import { sharedGenFeatures } from './gen/features.js';
import { runDifferencesOf } from './known-run-differences.js';
import { CallOutcome, disagreement, runCase } from './oracle.js';

/** What the known run differences the module can show tolerate. */
function toleratedBy(bytes: Uint8Array): (x: CallOutcome, y: CallOutcome) => boolean {
  const known = runDifferencesOf(bytes);
  return (x, y) => known.some((k) => k.matches(x, y));
}

export interface Finding {
  case: FuzzCase;
  what: string;
  seed: number;
  path: string; // fast-check's replay path
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
  /** generator options; by default SIMD only when both engines have the 'simd' feature, and the Wasm 3.0 features both have */
  gen?: GenOptions;
  /**
   * Whether the engines could disagree on these bytes at all; a case for which this says no passes
   * without running (a mutant engine that leaves the bytes unchanged is V8 itself).
   */
  relevant?: (bytes: Uint8Array) => boolean;
}

/**
 * Looks for a disagreement between `a` (the reference) and `b` for up to `ms` milliseconds. The cases
 * hold SIMD only when both engines have the 'simd' feature, and the Wasm 3.0 features of the generator
 * that both have (unless `gen` says otherwise): an engine refusing every module with a feature would
 * disagree on all of them.
 */
export function differential(a: Engine, b: Engine, options: DifferentialOptions): DifferentialResult {
  const gen: GenOptions = { simd: a.features.has('simd') && b.features.has('simd'), features: sharedGenFeatures(a, b), ...options.gen };
  let cases = 0;
  let calls = 0;
  let last = '';
  const property = fc.property(caseArb(gen), (c) => {
    cases++;
    options.onCase?.(c);
    if (options.relevant && !options.relevant(c.bytes)) return true;
    calls += c.calls.length;
    const what = disagreement(c.calls, runCase(a, c.bytes, c.calls), runCase(b, c.bytes, c.calls), [a.name, b.name], toleratedBy(c.bytes));
    last = what ?? '';
    return what === undefined;
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
  const what = disagreement(c.calls, runCase(a, c.bytes, c.calls), runCase(b, c.bytes, c.calls), [a.name, b.name], toleratedBy(c.bytes)) ?? last;
  return { cases, calls, interrupted: details.interrupted, finding: { case: c, what, seed: details.seed, path: details.counterexamplePath ?? '' } };
}

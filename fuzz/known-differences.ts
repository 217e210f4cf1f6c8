// The disagreements between the JIT (Wasm 2.0) and V8 11.3 that are understood: each is a small
// predicate over the case, and names the fixture that shows, by the spec, who is right.
import { JitVerdict, V8Verdict } from './verdict.js';

export interface Disagreement {
  bytes: Uint8Array;
  jit: JitVerdict;
  v8: V8Verdict;
}

export interface KnownDifference {
  id: string;
  /** the .wast under fixtures/disagreements/ that demonstrates it */
  fixture: string;
  /** who is right, and why the other differs */
  why: string;
  matches(d: Disagreement): boolean;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [];

/** The first known difference that explains a disagreement, or undefined: unexplained. */
export function explain(d: Disagreement): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(d));
}

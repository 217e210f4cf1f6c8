// The signatures typed function references are made over: (ref null $k) and (ref $k) name the k-th.
// A small fixed set, as for multi-value (multi-value-signatures.ts): functions take them often
// (arbitraries.ts), so call_ref reaches generated code as well as the encoder's stubs, and V8 compiles
// a wrapper for each exported signature only once per worker.
import type { FuncType } from './ast.js';

export const REF_SIGS: readonly FuncType[] = [
  { params: [], results: ['i32'] },
  { params: ['i32'], results: ['i32'] },
  { params: ['i64', 'i32'], results: ['i64'] },
  { params: ['f64'], results: ['f64', 'i32'] },
];

export const sameSig = (a: FuncType, b: FuncType): boolean =>
  a.params.length === b.params.length && a.results.length === b.results.length && a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i]);

// The signatures of functions and call_indirect types with several results come from a small set.
// V8 compiles a JS-to-Wasm wrapper for each new signature with several results (its generic wrapper
// takes one result at most): at random signatures that cost the fuzzer over a tenth of its throughput,
// while a set this size is compiled once per worker. The results mix integer, float and vector
// values in 2 and 3 results, the types the JIT handles each differently.
import fc from 'fast-check';
import type { FuncType, ValType } from './ast.js';

const RESULTS: ValType[][] = [
  ['i32', 'i64'],
  ['f64', 'i32'],
  ['f32', 'f32'],
  ['i32', 'i32', 'i32'],
  ['i64', 'f32', 'f64'],
  ['v128', 'i32'],
  ['f64', 'v128', 'i64'],
];
const PARAMS: ValType[][] = [[], ['i32'], ['f64', 'i64'], ['v128', 'f32']];

/** a signature with several results; without v128 when `simd` is off */
export function multiValueSignatureArb(simd: boolean): fc.Arbitrary<FuncType> {
  const allowed = (ts: ValType[]) => simd || !ts.includes('v128');
  return fc.record({ params: fc.constantFrom(...PARAMS.filter(allowed)), results: fc.constantFrom(...RESULTS.filter(allowed)) });
}

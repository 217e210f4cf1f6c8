// Pieces the scalar and the SIMD arbitraries (arbitraries.ts, simd-arbitraries.ts) share: weighted
// choices, numeric instructions grouped by signature, memory offsets.
import fc from 'fast-check';
import type { Expr, ResultType, ValType } from './ast.js';
import { OpInfo, opKey } from './opcodes.js';

/** A choice among arbitraries with its weight, as fc.oneof takes them. */
export type Weighted = { arbitrary: fc.Arbitrary<Expr>; weight: number };

/** The expression arbitrary of a result type ('any': of some value type), tied into one recursive definition. */
export type ExprOf = (t: ResultType | 'any') => fc.Arbitrary<Expr>;

/** offsets near the end of the first page for every access width up to 16 bytes, and random ones */
export const offsetArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 7, 8, 16, 100, 65528, 65535, 65536, 131072, 65520, 65521, 65532), weight: 8 },
  { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 1 },
);

/** numeric instructions producing `t`, grouped by operand types ("i32,i32", "v128,i32"…), as opcode keys */
export function bySignature(ops: readonly OpInfo[], t: ValType): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const op of ops) {
    if (op.result !== t) continue;
    const sig = op.params.join(',');
    groups.set(sig, [...(groups.get(sig) ?? []), opKey(op)]);
  }
  return groups;
}

/** an instruction of `keys` over operands of the types in `sig` (a type's operand from `operand`), as a numeric node */
export function numericArb(E: ExprOf, t: ValType, sig: string, keys: number[], operand = (p: ValType) => E(p)): fc.Arbitrary<Expr> {
  return fc
    .record({ op: fc.constantFrom(...keys), args: fc.tuple(...sig.split(',').map((p) => operand(p as ValType))) })
    .map((r): Expr => ({ kind: 'numeric', type: t, op: r.op, args: r.args }));
}

/** The same operand twice: equal inputs are where lt and le, min and max, sub and xor part ways. */
export function twinOperandArb(E: ExprOf, t: ValType, p: ValType, keys: number[]): fc.Arbitrary<Expr> {
  return fc.record({ op: fc.constantFrom(...keys), arg: E(p) }).map((r): Expr => ({ kind: 'numeric', type: t, op: r.op, args: [r.arg, r.arg] }));
}

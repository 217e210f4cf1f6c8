// Typed function references and tail calls for the generator (arbitraries.ts asks for them with the
// typed-function-references and tail-call features). Typed references are over the signatures of
// REF_SIGS: (ref null $k) values are often nulls (ref.null, default locals and tables), so that nulls
// reach call_ref and ref.as_non_null (traps) and br_on_null branches; (ref $k)
// values come from ref.func, ref.as_non_null, br_on_null's fall-through and blocks that br_on_non_null
// leaves. Tail calls: return_call, return_call_indirect and return_call_ref anywhere (stack-
// polymorphic, like return), and tail-recursive loops deep enough to exhaust the stack as plain calls.
import fc from 'fast-check';
import type { Expr, ResultType, TypedRef } from './ast.js';
import { typedRef } from './ast.js';
import { ExprOf, Weighted } from './arb-parts.js';
import { REF_SIGS } from './ref-sigs.js';

const localIndex = fc.nat({ max: 15 });
const depth = fc.nat({ max: 7 });
const table = fc.nat({ max: 5 });

/** every typed reference type: (ref null $k) and (ref $k) for each signature */
export const TYPED_REFS: readonly TypedRef[] = REF_SIGS.flatMap((_, k) => [typedRef(k, true), typedRef(k, false)]);

/** a reference to a function of signature k, nullable or not (the callee of call_ref) */
const calleeArb = (E: ExprOf, k: number): fc.Arbitrary<Expr> =>
  fc.oneof({ arbitrary: E(typedRef(k, false)), weight: 2 }, { arbitrary: E(typedRef(k, true)), weight: 1 });

/**
 * The choices of a typed reference value of signature k, leaves first; `blocks`: block and if of that
 * one result, `fewStmts` the statements of a short body.
 */
export function typedRefValueOptions(E: ExprOf, k: number, nullable: boolean, blocks: fc.Arbitrary<Expr>[], fewStmts: fc.Arbitrary<Expr[]>): Weighted[] {
  const t = typedRef(k, nullable);
  const nonNull = typedRef(k, false);
  const common: Weighted[] = [
    { arbitrary: localIndex.map((index): Expr => ({ kind: 'local.get', type: t, index })), weight: nullable ? 2 : 1 },
    { arbitrary: fc.nat().map((index): Expr => ({ kind: 'global.get', type: t, index })), weight: 1 },
    { arbitrary: fc.record({ table, index: fc.nat({ max: 5 }).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })) }).map((r): Expr => ({ kind: 'table.get', type: t, ...r })), weight: 1 },
    { arbitrary: fc.record({ index: localIndex, value: E(t) }).map((r): Expr => ({ kind: 'local.tee', type: t, ...r })), weight: 1 },
    { arbitrary: fc.record({ a: E(t), b: E(t), cond: E('i32') }).map((r): Expr => ({ kind: 'select', type: t, typed: true, ...r })), weight: 1 },
    ...blocks.map((arbitrary) => ({ arbitrary, weight: 1 })),
  ];
  if (nullable) {
    return [
      { arbitrary: fc.constant<Expr>({ kind: 'ref.null', type: t }), weight: 3 },
      { arbitrary: fc.nat().map((func): Expr => ({ kind: 'ref.func', type: nonNull, func })), weight: 3 },
      ...common,
      { arbitrary: E(nonNull), weight: 1 },
    ];
  }
  return [
    { arbitrary: fc.nat().map((func): Expr => ({ kind: 'ref.func', type: nonNull, func })), weight: 4 },
    { arbitrary: E(typedRef(k, true)).map((value): Expr => ({ kind: 'ref.as_non_null', type: nonNull, value })), weight: 3 },
    // br_on_null: branches out on null, else the reference, not null
    {
      arbitrary: fc
        .record({ depth, values: fc.oneof({ arbitrary: fc.constant<Expr[]>([]), weight: 3 }, { arbitrary: E('any').map((v) => [v]), weight: 1 }), ref: E(typedRef(k, true)) })
        .map((r): Expr => ({ kind: 'br_on_null', type: nonNull, ...r })),
      weight: 3,
    },
    // a block of (ref $k) that br_on_non_null leaves with the reference when it is not null, else with its own result
    {
      arbitrary: fc
        .record({ before: fewStmts, ref: E(typedRef(k, true)), result: E(nonNull) })
        .map((r): Expr => ({
          kind: 'block',
          type: nonNull,
          params: [],
          body: [...r.before, { kind: 'br_on_non_null', type: 'void', depth: 0, values: [], ref: r.ref }],
          results: [r.result],
        })),
      weight: 3,
    },
    ...common,
  ];
}

/** call_ref producing `t` (any signature for void, else one whose first result is t), and ref.is_null of a typed reference (i32) */
export function typedRefUseOptions(E: ExprOf, t: ResultType): Weighted[] {
  const sigs = REF_SIGS.flatMap((s, k) => (t === 'void' || s.results[0] === t ? [k] : []));
  const out: Weighted[] = sigs.map((k) => ({
    arbitrary: fc.record({ ref: calleeArb(E, k), args: fc.array(E('any'), { maxLength: 3 }) }).map((r): Expr => ({ kind: 'call_ref', type: t, sig: k, ...r })),
    weight: 2,
  }));
  if (t === 'i32') out.push({ arbitrary: fc.constantFrom(...TYPED_REFS).chain((rt) => E(rt)).map((value): Expr => ({ kind: 'ref.is_null', type: 'i32', value })), weight: 2 });
  return out;
}

/** statements on typed references: br_on_non_null to whatever label fits, local.set, global.set of one */
export function typedRefStatementArb(E: ExprOf): fc.Arbitrary<Expr> {
  const anyTyped = fc.constantFrom(...TYPED_REFS).chain((rt) => E(rt));
  return fc.oneof(
    {
      arbitrary: fc.record({ depth, values: fc.constant<Expr[]>([]), ref: fc.nat({ max: REF_SIGS.length - 1 }).chain((k) => E(typedRef(k, true))) }).map((r): Expr => ({ kind: 'br_on_non_null', type: 'void', ...r })),
      weight: 2,
    },
    { arbitrary: fc.record({ index: localIndex, value: anyTyped }).map((r): Expr => ({ kind: 'local.set', type: 'void', ...r })), weight: 2 },
    { arbitrary: fc.record({ index: fc.nat(), value: anyTyped }).map((r): Expr => ({ kind: 'global.set', type: 'void', ...r })), weight: 1 },
  );
}

/** a tail-recursive loop's step count: a few, or deep (10,000 to 100,000: plain calls would exhaust V8's stack), or any i32 (masked) */
const countArb = (E: ExprOf): fc.Arbitrary<Expr> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(0, 1, 2, 3, 17, 1024, 1025).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 2 },
    { arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 3 },
    { arbitrary: E('i32'), weight: 1 },
  );

/** the tail-recursive loops (i64): by return_call, return_call_indirect or (with typed references) return_call_ref */
export function tailLoopArb(E: ExprOf, typedRefs: boolean): fc.Arbitrary<Expr> {
  return fc.record({ flavor: fc.nat({ max: typedRefs ? 2 : 1 }), count: countArb(E), seed: E('i64') }).map((r): Expr => ({ kind: 'tail_loop', type: 'i64', ...r }));
}

/** return_call, return_call_indirect and, with typed references, return_call_ref, in a position of type t */
export function tailCallOptions(E: ExprOf, t: ResultType, typedRefs: boolean): Weighted[] {
  const args = fc.array(E('any'), { maxLength: 4 });
  const out: Weighted[] = [
    { arbitrary: fc.record({ func: fc.nat(), args }).map((r): Expr => ({ kind: 'return_call', type: t, ...r })), weight: 1 },
    {
      arbitrary: fc
        .record({ typeIndex: fc.nat(), table: fc.nat({ max: 3 }), args, index: fc.oneof({ arbitrary: fc.nat({ max: 5 }).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 3 }, { arbitrary: E('i32'), weight: 1 }) })
        .map((r): Expr => ({ kind: 'return_call_indirect', type: t, ...r })),
      weight: 1,
    },
  ];
  if (typedRefs) {
    out.push({
      arbitrary: fc
        .nat({ max: REF_SIGS.length - 1 })
        .chain((k) => fc.record({ ref: calleeArb(E, k), args }).map((r): Expr => ({ kind: 'return_call_ref', type: t, sig: k, ...r }))),
      weight: 1,
    });
  }
  return out;
}

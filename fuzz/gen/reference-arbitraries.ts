// References and tables for the generator (arbitraries.ts ties them in): funcref and externref values
// (ref.null, ref.func, table.get, locals, typed select, blocks and ifs of a reference type), and what
// consumes them or reads tables: ref.is_null, table.size and table.grow (i32 values); table.set,
// table.fill, table.copy and local.set of a reference (statements). References never leave the
// module (no export takes or returns one): comparing them across engines means little, so the oracle
// sees what ref.is_null, table.size and indirect calls through the tables make of them.
import fc from 'fast-check';
import type { Expr, RefType, Table } from './ast.js';
import { ExprOf, Weighted } from './arb-parts.js';

const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });
/** a raw table choice, reduced by the encoder among the tables that fit */
const table = fc.nat({ max: 3 });
const localIndex = fc.nat({ max: 15 });

/** a table slot: mostly within the generated tables' sizes (at most 8 slots before growing), sometimes past them */
export const slotArb = (E: ExprOf): fc.Arbitrary<Expr> =>
  fc.oneof({ arbitrary: fc.nat({ max: 9 }).map(i32), weight: 4 }, { arbitrary: E('i32'), weight: 1 });

/** a small count of slots (a length, a growth) */
const countArb = (E: ExprOf): fc.Arbitrary<Expr> =>
  fc.oneof({ arbitrary: fc.nat({ max: 4 }).map(i32), weight: 4 }, { arbitrary: E('i32'), weight: 1 });

/** a reference of either type, funcref more often (it is what indirect calls see) */
export const anyRefArb = (E: ExprOf): fc.Arbitrary<Expr> =>
  fc.oneof({ arbitrary: E('funcref'), weight: 2 }, { arbitrary: E('externref'), weight: 1 });

/** the choices of a reference value of type t, leaves first; `blocks` are the block and if of that one result */
export function refValueOptions(E: ExprOf, t: RefType, blocks: fc.Arbitrary<Expr>[]): Weighted[] {
  return [
    { arbitrary: fc.constant<Expr>({ kind: 'ref.null', type: t }), weight: 3 },
    { arbitrary: localIndex.map((index): Expr => ({ kind: 'local.get', type: t, index })), weight: 2 },
    ...(t === 'funcref' ? [{ arbitrary: fc.nat().map((func): Expr => ({ kind: 'ref.func', type: 'funcref', func })), weight: 3 }] : []),
    { arbitrary: fc.record({ table, index: slotArb(E) }).map((r): Expr => ({ kind: 'table.get', type: t, ...r })), weight: 3 },
    { arbitrary: fc.record({ index: localIndex, value: E(t) }).map((r): Expr => ({ kind: 'local.tee', type: t, ...r })), weight: 1 },
    {
      arbitrary: fc.record({ a: E(t), b: E(t), cond: E('i32') }).map((r): Expr => ({ kind: 'select', type: t, typed: true, ...r })),
      weight: 1,
    },
    ...blocks.map((arbitrary) => ({ arbitrary, weight: 1 })),
  ];
}

/** ref.is_null, table.size and table.grow */
export function refI32Options(E: ExprOf): Weighted[] {
  return [
    { arbitrary: anyRefArb(E).map((value): Expr => ({ kind: 'ref.is_null', type: 'i32', value })), weight: 1 },
    { arbitrary: table.map((t): Expr => ({ kind: 'table.size', type: 'i32', table: t })), weight: 1 },
    {
      arbitrary: fc.record({ table, value: anyRefArb(E), delta: countArb(E) }).map((r): Expr => ({ kind: 'table.grow', type: 'i32', ...r })),
      weight: 1,
    },
  ];
}

/** one of table.set, table.fill, table.copy and local.set of a reference */
export function tableStatementArb(E: ExprOf): fc.Arbitrary<Expr> {
  return fc.oneof(
    {
      arbitrary: fc.record({ table, index: slotArb(E), value: anyRefArb(E) }).map((r): Expr => ({ kind: 'table.set', type: 'void', ...r })),
      weight: 3,
    },
    {
      arbitrary: fc
        .record({ table, dest: slotArb(E), value: anyRefArb(E), len: countArb(E) })
        .map((r): Expr => ({ kind: 'table.fill', type: 'void', ...r })),
      weight: 1,
    },
    {
      arbitrary: fc
        .record({ destTable: table, srcTable: table, dest: slotArb(E), src: slotArb(E), len: countArb(E) })
        .map((r): Expr => ({ kind: 'table.copy', type: 'void', ...r })),
      weight: 1,
    },
    {
      arbitrary: fc.record({ index: localIndex, value: anyRefArb(E) }).map((r): Expr => ({ kind: 'local.set', type: 'void', ...r })),
      weight: 1,
    },
  );
}

/** a table of type t: up to 4 slots, growable by up to 4 (with a maximum: how far a table without one grows is up to the engine) */
export function tableArb(t: RefType): fc.Arbitrary<Table> {
  return fc.record({ min: fc.nat({ max: 4 }), extra: fc.nat({ max: 4 }) }).map((r) => ({ type: t, min: r.min, max: r.min + r.extra }));
}

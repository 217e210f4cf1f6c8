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

const i64 = (bits: bigint): Expr => ({ kind: 'const', type: 'i64', bits });

/**
 * a table slot: mostly within the generated tables' sizes (at most 8 slots before growing), sometimes
 * past them; with table64 (`wide`), i64 slots too, at and past 2^32 as well (the encoder brings either
 * type to the table's index type)
 */
export const slotArb = (E: ExprOf, wide = false): fc.Arbitrary<Expr> =>
  wide
    ? fc.oneof(
        { arbitrary: fc.nat({ max: 9 }).map(i32), weight: 4 },
        { arbitrary: E('i32'), weight: 1 },
        { arbitrary: fc.nat({ max: 9 }).map((n) => i64(BigInt(n))), weight: 2 },
        { arbitrary: fc.constantFrom(0x100000000n, 0x100000001n, -1n).map(i64), weight: 1 },
      )
    : fc.oneof({ arbitrary: fc.nat({ max: 9 }).map(i32), weight: 4 }, { arbitrary: E('i32'), weight: 1 });

/** a small count of slots (a length, a growth) */
const countArb = (E: ExprOf, wide = false): fc.Arbitrary<Expr> =>
  wide
    ? fc.oneof({ arbitrary: fc.nat({ max: 4 }).map(i32), weight: 4 }, { arbitrary: E('i32'), weight: 1 }, { arbitrary: fc.nat({ max: 4 }).map((n) => i64(BigInt(n))), weight: 2 })
    : fc.oneof({ arbitrary: fc.nat({ max: 4 }).map(i32), weight: 4 }, { arbitrary: E('i32'), weight: 1 });

/** a reference of either type, funcref more often (it is what indirect calls see); typed ones too when given */
export const anyRefArb = (E: ExprOf, typed: readonly RefType[] = []): fc.Arbitrary<Expr> =>
  typed.length
    ? fc.oneof({ arbitrary: E('funcref'), weight: 2 }, { arbitrary: E('externref'), weight: 1 }, { arbitrary: fc.constantFrom(...typed).chain((t) => E(t)), weight: 2 })
    : fc.oneof({ arbitrary: E('funcref'), weight: 2 }, { arbitrary: E('externref'), weight: 1 });

/** The Wasm 3.0 parts the reference and table choices take: typed reference types, and i64 slots (table64). */
export interface RefExtras {
  typed?: readonly RefType[];
  wide?: boolean;
}

/** the choices of a reference value of type t, leaves first; `blocks` are the block and if of that one result */
export function refValueOptions(E: ExprOf, t: RefType, blocks: fc.Arbitrary<Expr>[], x: RefExtras = {}): Weighted[] {
  const typed = (x.typed ?? []).filter((r) => t === 'funcref' && r.startsWith('ref null '));
  return [
    { arbitrary: fc.constant<Expr>({ kind: 'ref.null', type: t }), weight: 3 },
    { arbitrary: localIndex.map((index): Expr => ({ kind: 'local.get', type: t, index })), weight: 2 },
    ...(t === 'funcref' ? [{ arbitrary: fc.nat().map((func): Expr => ({ kind: 'ref.func', type: 'funcref', func })), weight: 3 }] : []),
    { arbitrary: fc.record({ table, index: slotArb(E, x.wide) }).map((r): Expr => ({ kind: 'table.get', type: t, ...r })), weight: 3 },
    { arbitrary: fc.record({ index: localIndex, value: E(t) }).map((r): Expr => ({ kind: 'local.tee', type: t, ...r })), weight: 1 },
    {
      arbitrary: fc.record({ a: E(t), b: E(t), cond: E('i32') }).map((r): Expr => ({ kind: 'select', type: t, typed: true, ...r })),
      weight: 1,
    },
    ...blocks.map((arbitrary) => ({ arbitrary, weight: 1 })),
    // a typed function reference where a funcref goes
    ...(typed.length ? [{ arbitrary: fc.constantFrom(...typed).chain((r) => E(r)), weight: 2 }] : []),
  ];
}

/** ref.is_null, table.size and table.grow (of type t: i32, or i64 with table64) */
export function refI32Options(E: ExprOf, x: RefExtras = {}, t: 'i32' | 'i64' = 'i32'): Weighted[] {
  const tables: Weighted[] = [
    { arbitrary: table.map((tb): Expr => ({ kind: 'table.size', type: t, table: tb })), weight: 1 },
    {
      arbitrary: fc.record({ table, value: anyRefArb(E, x.typed), delta: countArb(E, x.wide) }).map((r): Expr => ({ kind: 'table.grow', type: t, ...r })),
      weight: 1,
    },
  ];
  if (t === 'i64') return tables;
  return [{ arbitrary: anyRefArb(E, x.typed).map((value): Expr => ({ kind: 'ref.is_null', type: 'i32', value })), weight: 1 }, ...tables];
}

/** one of table.set, table.fill, table.copy and local.set of a reference */
export function tableStatementArb(E: ExprOf, x: RefExtras = {}): fc.Arbitrary<Expr> {
  const slot = slotArb(E, x.wide);
  const count = countArb(E, x.wide);
  return fc.oneof(
    {
      arbitrary: fc.record({ table, index: slot, value: anyRefArb(E, x.typed) }).map((r): Expr => ({ kind: 'table.set', type: 'void', ...r })),
      weight: 3,
    },
    {
      arbitrary: fc
        .record({ table, dest: slot, value: anyRefArb(E, x.typed), len: count })
        .map((r): Expr => ({ kind: 'table.fill', type: 'void', ...r })),
      weight: 1,
    },
    {
      arbitrary: fc
        .record({ destTable: table, srcTable: table, dest: slot, src: slot, len: count })
        .map((r): Expr => ({ kind: 'table.copy', type: 'void', ...r })),
      weight: 1,
    },
    {
      arbitrary: fc.record({ index: localIndex, value: anyRefArb(E, x.typed) }).map((r): Expr => ({ kind: 'local.set', type: 'void', ...r })),
      weight: 1,
    },
  );
}

/** a table of type t: up to 4 slots, growable by up to 4 (with a maximum: how far a table without one grows is up to the engine) */
export function tableArb(t: RefType): fc.Arbitrary<Table> {
  return fc.record({ min: fc.nat({ max: 4 }), extra: fc.nat({ max: 4 }) }).map((r) => ({ type: t, min: r.min, max: r.min + r.extra }));
}

/**
 * A Wasm 3.0 table: of type t (a typed one has an initializer expression, as a (ref $k) one must;
 * a funcref one sometimes, with `initializers`: typed function references), with i64 indices when `table64`.
 */
export function table3Arb(t: RefType, table64: boolean, initializers: boolean): fc.Arbitrary<Table> {
  const typed = t.startsWith('ref ');
  return fc
    .record({
      base: tableArb(t),
      i64: table64 ? fc.boolean() : fc.constant(false),
      init: typed ? fc.nat().map((n): number | undefined => n) : t === 'funcref' && initializers ? fc.option(fc.nat(), { nil: undefined }) : fc.constant(undefined),
    })
    .map((r): Table => ({ ...r.base, ...(r.i64 ? { i64: true } : {}), ...(r.init !== undefined ? { init: r.init } : {}) }));
}

// GC for the generator (arbitraries.ts asks for it with the gc feature), over the catalog of
// gc-types.ts: structs and arrays built every way (new, new_default, new_fixed, new_data, new_elem), nulls
// often (ref.null, default locals), casts and tests to every heap type of the hierarchy (up and down
// the subtype chains, across them, to the abstract types and none), br_on_cast and br_on_cast_fail,
// i31 references of values around ±2^30, extern round trips, and array indices near the end (the
// last element, the length, past it) or big. References cross calls only into a helper that allocates
// and returns them (pass_call), and never reach an export: every one ends as a number (a field, an
// element, a length, a test, an i31's value), so the engines' results compare bit for bit.
import fc from 'fast-check';
import type { ElemSegment, Expr, GcRef, Global, ScalarType } from './ast.js';
import { ExprOf, Weighted } from './arb-parts.js';
import { ARRAYS, fieldsOf, GC_DEFS, gcRef, Heap, HEAPS, heapSub, isPacked, STRUCTS, unpacked } from './gc-types.js';

const localIndex = fc.nat({ max: 31 });
const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });

/** the heap types values are made of: every struct and array, the abstract ones but none */
const VALUE_HEAPS: readonly Heap[] = [...STRUCTS, ...ARRAYS, 'any', 'eq', 'struct', 'array', 'i31'];

/** the GC value types the generator makes: every struct and array nullable or not, the abstract types nullable, (ref i31) */
export const GC_VALUE_TYPES: readonly GcRef[] = [...[...STRUCTS, ...ARRAYS].flatMap((d) => [gcRef(d, true), gcRef(d, false)]), 'gc null any', 'gc null eq', 'gc null struct', 'gc null array', 'gc null i31', 'gc i31'];

/** the locals of every function with gc: one nullable of each heap type (an access near an array's end keeps its reference in one) */
export const GC_LOCALS: readonly GcRef[] = VALUE_HEAPS.map((h) => gcRef(h, true));

/** the heap types right below h: its declared subtypes, or the abstract hierarchy's next level */
function below(h: Heap): Heap[] {
  if (typeof h === 'number') return GC_DEFS.flatMap((d, i) => (d.kind !== 'func' && d.super === h ? [i] : []));
  if (h === 'any') return ['eq'];
  if (h === 'eq') return ['i31', 'struct', 'array'];
  if (h === 'struct' || h === 'array') return GC_DEFS.flatMap((d, i) => (d.kind === h && d.super === undefined ? [i] : []));
  return [];
}

const FIELDS = STRUCTS.flatMap((def) => fieldsOf(def).map((x, field) => ({ def, field, type: x.type, mutable: x.mutable })));

/** values around i31's edges: ±2^30 and the bits above 31 that ref.i31 drops */
const I31_EDGES = [0, 1, -1, 0x3fffffff, 0x40000000, -0x40000000, -0x40000001, 0x7fffffff, -0x80000000, 0x7ffffffe, 0x12345678];
/** values whose low 8 and 16 bits have their sign bit set or not */
const PACKED_EDGES = [0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, -1, 0x1234_8081];

const storageValue = (E: ExprOf, s: string): fc.Arbitrary<Expr> =>
  s === 'i8' || s === 'i16' ? fc.oneof({ arbitrary: fc.constantFrom(...PACKED_EDGES).map(i32), weight: 2 }, { arbitrary: E('i32'), weight: 2 }) : E(s as ScalarType | GcRef);

const lengthArb = (E: ExprOf): fc.Arbitrary<Expr> => fc.oneof({ arbitrary: fc.nat({ max: 8 }).map(i32), weight: 5 }, { arbitrary: E('i32'), weight: 1 });

/** an index into an array: near its end most often, small, big, or any */
const indexArb = (E: ExprOf): fc.Arbitrary<Expr> =>
  fc.oneof(
    // the last element and the one before it as often as the length and past it
    { arbitrary: fc.constantFrom(0, -1, 1, -2).map((delta): Expr => ({ kind: 'array.end', type: 'i32', delta })), weight: 4 },
    { arbitrary: fc.nat({ max: 3 }).map(i32), weight: 3 },
    { arbitrary: fc.constantFrom(0x7fffffff, -1, -0x80000000, 0x10000).map(i32), weight: 1 },
    { arbitrary: E('i32'), weight: 1 },
  );

/** an offset into a data segment (up to 12 bytes) or an element segment (up to 6 items): within or just past it mostly */
const segmentOffsetArb = (E: ExprOf, form: 'data' | 'elem'): fc.Arbitrary<Expr> =>
  fc.oneof(fc.nat({ max: form === 'data' ? 16 : 8 }).map(i32), E('i32'));

/**
 * A passive element segment of (ref null $A), for array.new_elem and array.init_elem into the arrays of
 * $A references: nulls and structs of $A's subtypes, each numbered (encode-gc.ts gcElemItem).
 */
export const gcElemSegmentArb: fc.Arbitrary<ElemSegment> = fc
  .array(fc.option(fc.integer({ min: -3, max: 1000 }), { nil: null, freq: 4 }), { maxLength: 6 })
  .map((items): ElemSegment => ({ type: 'gc null 0', items }));

/** an array reference of type def (nullable: nulls reach the accesses) */
const arrayOf = (E: ExprOf, def: number) => fc.oneof({ arbitrary: E(gcRef(def, true)), weight: 2 }, { arbitrary: E(gcRef(def, false)), weight: 3 });
const structOf = arrayOf;

/** the constructors of a struct or array type, the leaf (zeros, or an empty array) first */
function constructors(E: ExprOf, def: number): Weighted[] {
  const d = GC_DEFS[def];
  const type = gcRef(def, false);
  if (d.kind === 'struct') {
    return [
      { arbitrary: fc.constant<Expr>({ kind: 'struct.new', type, def, zero: true, fields: [] }), weight: 2 },
      { arbitrary: fc.tuple(...d.fields.map((x) => storageValue(E, x.type))).map((fields): Expr => ({ kind: 'struct.new', type, def, zero: false, fields })), weight: 5 },
    ];
  }
  if (d.kind !== 'array') return [];
  const value = storageValue(E, d.elem.type);
  const len = lengthArb(E);
  const out: Weighted[] = [
    { arbitrary: fc.nat({ max: 8 }).map((n): Expr => ({ kind: 'array.new', type, def, form: 'default', items: [], len: i32(n), segment: 0 })), weight: 1 },
    { arbitrary: fc.record({ v: value, len }).map((r): Expr => ({ kind: 'array.new', type, def, form: 'new', items: [r.v], len: r.len, segment: 0 })), weight: 2 },
    { arbitrary: fc.array(value, { minLength: 1, maxLength: 5 }).map((items): Expr => ({ kind: 'array.new', type, def, form: 'fixed', items, len: i32(0), segment: 0 })), weight: 3 },
  ];
  // from a segment: data for numbers, elements for references
  const form = d.elem.type.startsWith('gc ') ? 'elem' : 'data';
  out.push({
    arbitrary: fc.record({ offset: segmentOffsetArb(E, form), len, segment: fc.nat() }).map((r): Expr => ({ kind: 'array.new', type, def, form, items: [r.offset], len: r.len, segment: r.segment })),
    weight: 2,
  });
  return out;
}

/** a reference of some value type (nullable), for tests, casts and equality */
const anyGc = (E: ExprOf, heaps: readonly Heap[] = VALUE_HEAPS) => fc.constantFrom(...heaps).chain((h) => E(gcRef(h, true)));

/** The choices of a value of GC type t, leaves first; `blocks`: block, loop and if of that one result. */
export function gcRefOptions(E: ExprOf, t: GcRef, heap: Heap, nullable: boolean, blocks: fc.Arbitrary<Expr>[]): Weighted[] {
  const nonNull = gcRef(heap, false);
  // through a call that allocates while the reference waits in the caller
  const passed: Weighted = { arbitrary: E(t).map((value): Expr => ({ kind: 'pass_call', type: t, value })), weight: 1 };
  if (!nullable) {
    const subs = below(heap).map((h) => ({ arbitrary: E(gcRef(h, false)), weight: 1 }));
    if (heap === 'i31') return [{ arbitrary: fc.oneof(fc.constantFrom(...I31_EDGES).map(i32), E('i32')).map((value): Expr => ({ kind: 'ref.i31', type: t, value })), weight: 1 }, passed];
    return [...constructors(E, heap as number), ...subs, passed];
  }
  const out: Weighted[] = [
    { arbitrary: fc.constant<Expr>({ kind: 'ref.null', type: t }), weight: 3 },
    { arbitrary: localIndex.map((index): Expr => ({ kind: 'local.get', type: t, index })), weight: 3 },
    { arbitrary: fc.nat().map((index): Expr => ({ kind: 'global.get', type: t, index })), weight: 1 },
  ];
  if (typeof heap === 'number' || heap === 'i31') out.push({ arbitrary: E(nonNull), weight: 4 });
  for (const h of below(heap)) out.push({ arbitrary: E(gcRef(h, true)), weight: 1 });
  // casts: from a supertype most often (down the chain), from anything else sometimes (up, across: most fail)
  const above = VALUE_HEAPS.filter((h) => heapSub(heap, h));
  const source = fc.oneof({ arbitrary: fc.constantFrom(...above), weight: 2 }, { arbitrary: fc.constantFrom(...VALUE_HEAPS), weight: 1 });
  out.push({
    arbitrary: fc.record({ n: fc.boolean(), source }).chain((r) => E(gcRef(r.source, true)).map((value): Expr => ({ kind: 'ref.cast', type: t, target: gcRef(heap, r.n), value }))),
    weight: 3,
  });
  for (const x of FIELDS.filter((x) => x.type === t)) {
    out.push({ arbitrary: structOf(E, x.def).map((ref): Expr => ({ kind: 'struct.get', type: t, def: x.def, field: x.field, signed: false, ref })), weight: 1 });
  }
  for (const def of ARRAYS.filter((d) => fieldsOf(d)[0].type === t)) {
    out.push({ arbitrary: fc.record({ ref: arrayOf(E, def), index: indexArb(E) }).map((r): Expr => ({ kind: 'array.get', type: t, def, signed: false, ...r })), weight: 1 });
  }
  if (heap === 'any') {
    out.push(
      { arbitrary: E('externref').map((value): Expr => ({ kind: 'any.convert_extern', type: t, value })), weight: 1 },
      // the round trip: a GC reference through externref and back
      { arbitrary: anyGc(E).map((value): Expr => ({ kind: 'any.convert_extern', type: t, value: { kind: 'extern.convert_any', type: 'externref', value } })), weight: 2 },
    );
  }
  out.push(
    { arbitrary: fc.record({ index: localIndex, value: E(t) }).map((r): Expr => ({ kind: 'local.tee', type: t, ...r })), weight: 1 },
    { arbitrary: fc.record({ a: E(t), b: E(t), cond: E('i32') }).map((r): Expr => ({ kind: 'select', type: t, typed: true, ...r })), weight: 1 },
    passed,
    ...blocks.map((arbitrary) => ({ arbitrary, weight: 1 })),
  );
  return out;
}

/** externref values made of GC references (extern.convert_any): they reach the externref tables, globals and locals, and come back by any.convert_extern */
export const gcExternOptions = (E: ExprOf): Weighted[] => [
  { arbitrary: anyGc(E).map((value): Expr => ({ kind: 'extern.convert_any', type: 'externref', value })), weight: 2 },
];

/** (source, target) pairs of br_on_cast: the target at or below the source */
const CAST_PAIRS = VALUE_HEAPS.flatMap((s) => HEAPS.filter((h) => heapSub(h, s)).map((h) => [s, h] as const));

/** GC reads of type t: fields, elements; for i32 also lengths, tests, casts' branches, i31 values, ref.eq, ref.is_null */
export function gcValueOptions(E: ExprOf, t: ScalarType): Weighted[] {
  const out: Weighted[] = [];
  // packed fields twice: where signedness shows
  const fields = FIELDS.filter((x) => unpacked(x.type) === t).flatMap((x) => (isPacked(x.type) ? [x, x] : [x]));
  if (fields.length) {
    out.push({
      arbitrary: fc
        .record({ x: fc.constantFrom(...fields), signed: fc.boolean() })
        .chain((r) => structOf(E, r.x.def).map((ref): Expr => ({ kind: 'struct.get', type: t, def: r.x.def, field: r.x.field, signed: r.signed && isPacked(r.x.type), ref }))),
      weight: 6,
    });
  }
  const arrays = ARRAYS.filter((d) => unpacked(fieldsOf(d)[0].type) === t);
  if (arrays.length) {
    out.push({
      arbitrary: fc
        .record({ def: fc.constantFrom(...arrays), signed: fc.boolean(), index: indexArb(E) })
        .chain((r) => arrayOf(E, r.def).map((ref): Expr => ({ kind: 'array.get', type: t, def: r.def, signed: r.signed && isPacked(fieldsOf(r.def)[0].type), ref, index: r.index }))),
      weight: 6,
    });
  }
  if (t !== 'i32') return out;
  const heapOrNone = fc.constantFrom<Heap>(...HEAPS);
  out.push(
    { arbitrary: fc.constantFrom(...ARRAYS, 'array' as Heap).chain((h) => E(gcRef(h, true))).map((ref): Expr => ({ kind: 'array.len', type: 'i32', ref })), weight: 1 },
    { arbitrary: fc.record({ h: heapOrNone, n: fc.boolean(), value: anyGc(E) }).map((r): Expr => ({ kind: 'ref.test', type: 'i32', target: gcRef(r.h, r.n), value: r.value })), weight: 3 },
    {
      arbitrary: fc
        .record({ signed: fc.boolean(), value: fc.oneof(E('gc i31'), E('gc null i31')) })
        .map((r): Expr => ({ kind: 'i31.get', type: 'i32', ...r })),
      weight: 3,
    },
    { arbitrary: fc.record({ a: anyGc(E, ['eq', 'i31', 0, 1, 8]), b: anyGc(E, ['eq', 'i31', 0, 1, 8]) }).map((r): Expr => ({ kind: 'ref.eq', type: 'i32', ...r })), weight: 1 },
    {
      arbitrary: fc
        .record({ pair: fc.constantFrom(...CAST_PAIRS), n: fc.boolean(), fail: fc.boolean(), fall: E('i32') })
        .chain((r) =>
          E(gcRef(r.pair[0], true)).map((value): Expr => ({ kind: 'br_on_cast', type: 'i32', fail: r.fail, source: gcRef(r.pair[0], true), target: gcRef(r.pair[1], r.n), value, fall: r.fall })),
        ),
      weight: 3,
    },
    { arbitrary: anyGc(E).map((value): Expr => ({ kind: 'ref.is_null', type: 'i32', value })), weight: 1 },
  );
  return out;
}

/** GC statements: struct.set, array.set/fill/copy/init_data/init_elem, GC locals and globals set */
export function gcStatementOptions(E: ExprOf): Weighted[] {
  const mutable = FIELDS.filter((x) => x.mutable);
  const mutableArrays = ARRAYS.filter((d) => fieldsOf(d)[0].mutable);
  const numericArrays = mutableArrays.filter((d) => !fieldsOf(d)[0].type.startsWith('gc '));
  const refArrays = mutableArrays.filter((d) => fieldsOf(d)[0].type.startsWith('gc '));
  const elemValue = (def: number) => storageValue(E, fieldsOf(def)[0].type);
  const gcValue = fc.constantFrom(...GC_VALUE_TYPES).chain((t) => E(t));
  return [
    {
      arbitrary: fc.constantFrom(...mutable).chain((x) =>
        fc.record({ ref: structOf(E, x.def), value: storageValue(E, x.type) }).map((r): Expr => ({ kind: 'struct.set', type: 'void', def: x.def, field: x.field, ...r })),
      ),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom(...mutableArrays).chain((def) =>
        fc.record({ ref: arrayOf(E, def), index: indexArb(E), value: elemValue(def) }).map((r): Expr => ({ kind: 'array.set', type: 'void', def, ...r })),
      ),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom(...mutableArrays).chain((def) =>
        fc.record({ ref: arrayOf(E, def), index: indexArb(E), value: elemValue(def), len: lengthArb(E) }).map((r): Expr => ({ kind: 'array.fill', type: 'void', def, ...r })),
      ),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(...mutableArrays).chain((def) =>
        fc
          .record({ dest: arrayOf(E, def), destIndex: indexArb(E), src: arrayOf(E, def), srcIndex: indexArb(E), len: lengthArb(E) })
          .map((r): Expr => ({ kind: 'array.copy', type: 'void', def, ...r })),
      ),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(...numericArrays).chain((def) =>
        fc
          .record({ segment: fc.nat(), ref: arrayOf(E, def), index: indexArb(E), offset: segmentOffsetArb(E, 'data'), len: lengthArb(E) })
          .map((r): Expr => ({ kind: 'array.init_data', type: 'void', def, ...r })),
      ),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(...refArrays).chain((def) =>
        fc
          .record({ segment: fc.nat(), ref: arrayOf(E, def), index: indexArb(E), offset: segmentOffsetArb(E, 'elem'), len: lengthArb(E) })
          .map((r): Expr => ({ kind: 'array.init_elem', type: 'void', def, ...r })),
      ),
      weight: 1,
    },
    { arbitrary: fc.record({ index: localIndex, value: gcValue }).map((r): Expr => ({ kind: 'local.set', type: 'void', ...r })), weight: 2 },
    { arbitrary: fc.record({ index: fc.nat(), value: gcValue }).map((r): Expr => ({ kind: 'global.set', type: 'void', ...r })), weight: 1 },
  ];
}

/** a global of a GC type: null, or (non-nullable ones always) a value built of zeros */
export const gcGlobalArb: fc.Arbitrary<Global> = fc
  .record({ type: fc.constantFrom(...GC_VALUE_TYPES), mutable: fc.boolean(), isNull: fc.boolean() })
  .map((r): Global => ({ type: r.type, mutable: r.mutable, init: { kind: 'ref', func: r.isNull ? null : 0 } }));

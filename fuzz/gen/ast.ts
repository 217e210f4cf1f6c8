// A small typed expression tree for Wasm 2.0 modules (scalar, SIMD, multi-value, references, tables,
// bulk memory) and the Wasm 3.0 features the generator adds when asked (features.ts: tail calls, typed
// function references, multi-memory, memory64 and table64, extended constants, relaxed SIMD, exception
// handling, threads' atomics, GC over the catalog of gc-types.ts). Every index in it (locals, globals, functions, types, tables, segments, label depths,
// alignments, lanes) is a plain non-negative integer that the encoder reduces modulo the valid choices
// at that point (see encode-function.ts), so any tree, and in particular any tree a shrinker produces,
// encodes to a valid module.

import type { GcRef } from './gc-types.js';
import { gcSubtype, isGcRef } from './gc-types.js';

export type { GcRef };

export type ScalarType = 'i32' | 'i64' | 'f32' | 'f64';
/** the types of parameters, function results, globals and constants: numbers and vectors */
export type ValType = ScalarType | 'v128';
/**
 * A typed function reference, (ref null $k) or (ref $k), over the k-th signature of REF_SIGS
 * (ref-sigs.ts); the encoder gives each of those signatures a type index.
 */
export type TypedRef = `ref null ${number}` | `ref ${number}`;
/** references stay inside the module (locals, tables, operands): no export takes or returns one; exnref (exceptions) never crosses to JS at all */
export type RefType = 'funcref' | 'externref' | 'exnref' | TypedRef;
/** the type of a memory's addresses or a table's indices: i64 for memory64 and table64 */
export type AddrType = 'i32' | 'i64';
/** any type a stack slot or a local holds */
export type StackType = ValType | RefType | GcRef;
/** the type an expression leaves on the stack: a value or nothing */
export type ResultType = StackType | 'void';

export const SCALAR_TYPES: readonly ScalarType[] = ['i32', 'i64', 'f32', 'f64'];
export const VAL_TYPES: readonly ValType[] = [...SCALAR_TYPES, 'v128'];
export const REF_TYPES: readonly RefType[] = ['funcref', 'externref'];

export const isRef = (t: ResultType): t is RefType | GcRef => t === 'funcref' || t === 'externref' || t === 'exnref' || t.startsWith('ref ') || isGcRef(t);

/** (ref null $k) or (ref $k) */
export const typedRef = (k: number, nullable: boolean): TypedRef => (nullable ? `ref null ${k}` : `ref ${k}`);

/** The signature index and nullability of a typed reference; undefined for funcref, externref and the rest. */
export function typedRefOf(t: ResultType): { sig: number; nullable: boolean } | undefined {
  if (!t.startsWith('ref ')) return undefined;
  const nullable = t.startsWith('ref null ');
  return { sig: Number(t.slice(nullable ? 9 : 4)), nullable };
}

/** Whether a value of type a may stand where b is expected: equal, (ref $k) for (ref null $k), a typed reference for funcref. */
export function isSubtype(a: ResultType, b: ResultType): boolean {
  if (a === b) return true;
  if (isGcRef(a)) return gcSubtype(a, b);
  const ra = typedRefOf(a);
  if (!ra) return false;
  if (b === 'funcref') return true;
  const rb = typedRefOf(b);
  return !!rb && rb.sig === ra.sig && rb.nullable && !ra.nullable;
}

/**
 * Constants are stored as bits: i32 as a signed 32-bit number, i64 as a signed bigint,
 * f32 as an unsigned 32-bit number (the IEEE bit pattern), f64 as an unsigned 64-bit bigint,
 * v128 as its 16 bytes, lane 0 first (the encoder reads bytes[k] & 0xff, 0 where missing).
 */
export type Const =
  | { kind: 'const'; type: 'i32'; bits: number }
  | { kind: 'const'; type: 'i64'; bits: bigint }
  | { kind: 'const'; type: 'f32'; bits: number }
  | { kind: 'const'; type: 'f64'; bits: bigint }
  | { kind: 'const'; type: 'v128'; bytes: number[] };

/**
 * Multi-value: a block, loop or if carries the values of its `params` (evaluated before it, taken from
 * the stack by its type-index block type, passed through its body untouched) and then its `results`:
 * its label's types are params then results (a loop's label: its params). When that is several
 * values, the node keeps the first if it is of the node's type and stores the others in locals of
 * their types (encode-function.ts settle). A branch's `values` are matched by type to its label's.
 */
export type Expr =
  | Const
  | { kind: 'local.get'; type: StackType; index: number }
  | { kind: 'local.set'; type: 'void'; index: number; value: Expr }
  | { kind: 'local.tee'; type: StackType; index: number; value: Expr }
  | { kind: 'global.get'; type: ValType | TypedRef | GcRef; index: number }
  | { kind: 'global.set'; type: 'void'; index: number; value: Expr }
  /** a numeric instruction (unary, binary, comparison or conversion) named by its opcode key (see opcodes.ts) */
  | { kind: 'numeric'; type: ValType; op: number; args: Expr[] }
  /** on references, always encoded typed (untyped select takes numbers and vectors only) */
  | { kind: 'select'; type: StackType; typed: boolean; a: Expr; b: Expr; cond: Expr }
  | { kind: 'block'; type: ResultType; params: Expr[]; body: Expr[]; results: Expr[] }
  | { kind: 'loop'; type: ResultType; params: Expr[]; body: Expr[]; results: Expr[] }
  | { kind: 'if'; type: ResultType; params: Expr[]; cond: Expr; then: Body; else: Body }
  /** br, br_table and return are stack-polymorphic: `type` is the position they fill, `values` what they carry */
  | { kind: 'br'; type: ResultType; depth: number; values: Expr[] }
  | { kind: 'br_if'; type: ResultType; depth: number; values: Expr[]; cond: Expr }
  | { kind: 'br_table'; type: ResultType; depths: number[]; default: number; values: Expr[]; index: Expr }
  /** `values` matched by type to the function's results */
  | { kind: 'return'; type: ResultType; values: Expr[] }
  /** the callee is chosen among the functions whose first result is `type` (any callee for 'void', results stored) */
  | { kind: 'call'; type: ResultType; func: number; args: Expr[] }
  /** `table` reduced modulo the funcref tables */
  | { kind: 'call_indirect'; type: ResultType; typeIndex: number; table: number; args: Expr[]; index: Expr }
  /**
   * op: opcode of a load; align: log2 of the alignment, reduced to at most the natural one. `memory`
   * (multi-memory) reduced modulo the memories, 0 when absent; the address, of either type, is brought
   * to the memory's (i32.wrap_i64 or i64.extend_i32_u); an offset past 2^32 only on a memory64 memory
   * (reduced modulo 2^32 on the others)
   */
  | { kind: 'load'; type: ValType; op: number; align: number; offset: number; addr: Expr; memory?: number }
  | { kind: 'store'; type: 'void'; op: number; align: number; offset: number; addr: Expr; value: Expr; memory?: number }
  /** extract_lane (vector → scalar) and replace_lane (vector, scalar → vector); lane reduced modulo the lane count */
  | { kind: 'lane'; type: ValType; op: number; lane: number; args: Expr[] }
  /** i8x16.shuffle: each of the 16 lane selectors reduced modulo 32 (missing ones are 0) */
  | { kind: 'shuffle'; type: 'v128'; lanes: number[]; a: Expr; b: Expr }
  /** v128.loadN_lane and v128.storeN_lane: memarg as for load and store, a lane, the vector after the address */
  | { kind: 'load_lane'; type: 'v128'; op: number; align: number; offset: number; lane: number; addr: Expr; vector: Expr; memory?: number }
  | { kind: 'store_lane'; type: 'void'; op: number; align: number; offset: number; lane: number; addr: Expr; vector: Expr; memory?: number }
  /** memory.size and memory.grow of `memory`: the result (and grow's delta) converted between i32 and i64 where the memory's address type is not `type` */
  | { kind: 'memory.size'; type: AddrType; memory?: number }
  | { kind: 'memory.grow'; type: AddrType; delta: Expr; memory?: number }
  | { kind: 'memory.fill'; type: 'void'; dest: Expr; value: Expr; len: Expr; memory?: number }
  /** between two memories with multi-memory: the length is an i64 only when both are memory64 */
  | { kind: 'memory.copy'; type: 'void'; dest: Expr; src: Expr; len: Expr; destMemory?: number; srcMemory?: number }
  /** `segment` reduced modulo all data segments (the active ones too: dropped once instantiated) */
  | { kind: 'memory.init'; type: 'void'; segment: number; dest: Expr; src: Expr; len: Expr; memory?: number }
  /**
   * An address near the end of the memory the enclosing access reaches (memory 0 elsewhere): its size in
   * bytes minus the access's offset and width, minus `delta` (0: the access ends on the last byte; below
   * 0: it crosses the end)
   */
  | { kind: 'mem.end'; type: AddrType; delta: number }
  | { kind: 'data.drop'; type: 'void'; segment: number }
  | { kind: 'ref.null'; type: RefType | GcRef }
  /**
   * `func` reduced modulo the functions, all of them declared by an elem segment; typed (ref $k): among
   * the functions of signature k, or a stub of that signature the encoder adds when there is none
   */
  | { kind: 'ref.func'; type: 'funcref' | TypedRef; func: number }
  /** typed function references: (ref null $k) to (ref $k), trapping on null */
  | { kind: 'ref.as_non_null'; type: TypedRef; value: Expr }
  /** call_ref of signature `sig` (REF_SIGS), the callee a (ref null? $sig); args matched by type to its params */
  | { kind: 'call_ref'; type: ResultType; sig: number; ref: Expr; args: Expr[] }
  /** br_on_null: branches with `values` when `ref` is null, else leaves it as (ref $k), the node's type */
  | { kind: 'br_on_null'; type: TypedRef; depth: number; values: Expr[]; ref: Expr }
  /** br_on_non_null: branches with `values` and the reference to a label whose last type is (ref $k) when it is not null; a statement */
  | { kind: 'br_on_non_null'; type: 'void'; depth: number; values: Expr[]; ref: Expr }
  /** tail calls: stack-polymorphic as return; callee, type or signature among those whose results are the function's (else a call and a return) */
  | { kind: 'return_call'; type: ResultType; func: number; args: Expr[] }
  | { kind: 'return_call_indirect'; type: ResultType; typeIndex: number; table: number; args: Expr[]; index: Expr }
  | { kind: 'return_call_ref'; type: ResultType; sig: number; ref: Expr; args: Expr[] }
  /**
   * A tail-recursive loop of `count` (masked to 17 bits) steps between two helper functions of
   * different arities, by return_call, return_call_indirect or return_call_ref (`flavor` 0, 1, 2),
   * from `seed`: deep enough that plain calls would exhaust the stack; its i64 result mixes every step
   */
  | { kind: 'tail_loop'; type: 'i64'; flavor: number; count: Expr; seed: Expr }
  | { kind: 'ref.is_null'; type: 'i32'; value: Expr }
  /**
   * table instructions: `table` is reduced modulo the tables whose type fits (their element type, and a
   * maximum for table.grow); indices of either type are brought to the table's (table64: i64), and
   * table.size's and table.grow's results to the node's type
   */
  | { kind: 'table.get'; type: RefType; table: number; index: Expr }
  | { kind: 'table.set'; type: 'void'; table: number; index: Expr; value: Expr }
  | { kind: 'table.size'; type: AddrType; table: number }
  | { kind: 'table.grow'; type: AddrType; table: number; value: Expr; delta: Expr }
  | { kind: 'table.fill'; type: 'void'; table: number; dest: Expr; value: Expr; len: Expr }
  /** `srcTable` among the tables of `destTable`'s element type */
  | { kind: 'table.copy'; type: 'void'; destTable: number; srcTable: number; dest: Expr; src: Expr; len: Expr }
  /** `segment` reduced modulo all element segments, then `table` among the tables of its type */
  | { kind: 'table.init'; type: 'void'; segment: number; table: number; dest: Expr; src: Expr; len: Expr }
  | { kind: 'elem.drop'; type: 'void'; segment: number }
  /** exceptions: `tag` reduced modulo the module's tags, `args` matched by type to its params; stack-polymorphic as br */
  | { kind: 'throw'; type: ResultType; tag: number; args: Expr[] }
  /** rethrows an exnref (a null one traps); stack-polymorphic */
  | { kind: 'throw_ref'; type: ResultType; value: Expr }
  /**
   * A try_table of the values of `results` (as a block). Its clauses are tried in order: one with a
   * `handler` branches to a block of its own wrapped around the try_table, after which the handler
   * runs (the caught values stored in locals) and leaves the node's values; one without branches to
   * an enclosing label whose types are what it delivers (`depth` reduced among those), or is left out
   */
  | { kind: 'try_table'; type: ResultType; catches: Catch[]; body: Expr[]; results: Expr[] }
  /** an exnref across a call: a helper (exnref, i32) -> exnref that rethrows it when the i32 is not 0, else returns it */
  | { kind: 'rethrow_call'; type: 'exnref'; value: Expr; cond: Expr }
  /**
   * threads: an atomic load, store, read-modify-write or cmpxchg, `op` its 0xFE sub-opcode; `args` the
   * values after the address, matched by type; the memarg's alignment is the natural one (atomics require
   * it: a misaligned address traps); memory and offset as for load
   */
  | { kind: 'atomic'; type: ResultType; op: number; offset: number; addr: Expr; args: Expr[]; memory?: number }
  | { kind: 'atomic.notify'; type: 'i32'; offset: number; addr: Expr; count: Expr; memory?: number }
  /**
   * memory.atomic.wait32 (wait64 when `wide`) in a form that never blocks: with `expected` and a
   * timeout of 0 ("not-equal" or "timed-out" at once), or (`notEqual`) expecting the value at the
   * address xor 1, read just before, so it is "not-equal" whatever the timeout
   */
  | { kind: 'atomic.wait'; type: 'i32'; wide: boolean; notEqual: boolean; offset: number; addr: Expr; expected: Expr; memory?: number }
  | { kind: 'atomic.fence'; type: 'void' }
  /**
   * GC (gc-types.ts; gc-arbitraries.ts): `def` a catalog index, `field` one of its fields; operands
   * that do not fit (a shrunk tree's) are evaluated, dropped and replaced by a zero or a null. A
   * struct.new with `zero` is struct.new_default, or struct.new of zeros where a field has no default.
   */
  | { kind: 'struct.new'; type: GcRef; def: number; zero: boolean; fields: Expr[] }
  | { kind: 'struct.get'; type: StackType; def: number; field: number; signed: boolean; ref: Expr }
  | { kind: 'struct.set'; type: 'void'; def: number; field: number; ref: Expr; value: Expr }
  /**
   * array.new (items[0] the initial value), new_default, new_fixed (the items), new_data and new_elem
   * (items[0] the offset in data segment `segment`, or in the element segment `segment` among those whose
   * references the array can hold)
   */
  | { kind: 'array.new'; type: GcRef; def: number; form: 'new' | 'default' | 'fixed' | 'data' | 'elem'; items: Expr[]; len: Expr; segment: number }
  | { kind: 'array.get'; type: StackType; def: number; signed: boolean; ref: Expr; index: Expr }
  | { kind: 'array.set'; type: 'void'; def: number; ref: Expr; index: Expr; value: Expr }
  /** an index of the innermost array access near its array's end: its length minus 1 minus `delta` (0: the last element; -1: the length, out of bounds) */
  | { kind: 'array.end'; type: 'i32'; delta: number }
  | { kind: 'array.len'; type: 'i32'; ref: Expr }
  | { kind: 'array.fill'; type: 'void'; def: number; ref: Expr; index: Expr; value: Expr; len: Expr }
  /** between two arrays of type `def` */
  | { kind: 'array.copy'; type: 'void'; def: number; dest: Expr; destIndex: Expr; src: Expr; srcIndex: Expr; len: Expr }
  | { kind: 'array.init_data'; type: 'void'; def: number; segment: number; ref: Expr; index: Expr; offset: Expr; len: Expr }
  /** `segment` among the element segments whose references the array can hold */
  | { kind: 'array.init_elem'; type: 'void'; def: number; segment: number; ref: Expr; index: Expr; offset: Expr; len: Expr }
  | { kind: 'ref.i31'; type: GcRef; value: Expr }
  | { kind: 'i31.get'; type: 'i32'; signed: boolean; value: Expr }
  /** ref.test and ref.cast of `target` (nullable or not); a cast's node type is always nullable, so its consumers take either form */
  | { kind: 'ref.test'; type: 'i32'; target: GcRef; value: Expr }
  | { kind: 'ref.cast'; type: GcRef; target: GcRef; value: Expr }
  | { kind: 'ref.eq'; type: 'i32'; a: Expr; b: Expr }
  /** a GC reference across a call: a helper (t) -> t that allocates, drops what it made and returns its argument */
  | { kind: 'pass_call'; type: GcRef; value: Expr }
  /** any.convert_extern (an externref in, `type` (ref null any) out) and extern.convert_any (a GC reference in, externref out) */
  | { kind: 'any.convert_extern'; type: GcRef; value: Expr }
  | { kind: 'extern.convert_any'; type: 'externref'; value: Expr }
  /**
   * br_on_cast (br_on_cast_fail with `fail`) of `value` from `source` to `target` (below it), to a
   * block of the source type: where it branches, the i32 is 256 | ref.test of the target on what it
   * carried; where it falls through, the reference is dropped and `fall` is the i32. Both branches
   * take the source type, so the two instructions can stand for each other.
   */
  | { kind: 'br_on_cast'; type: 'i32'; fail: boolean; source: GcRef; target: GcRef; value: Expr; fall: Expr }
  | { kind: 'drop'; type: 'void'; value: Expr }
  | { kind: 'nop'; type: 'void' }
  | { kind: 'unreachable'; type: ResultType };

/** A try_table clause: catch (a tag's values), catch_ref (and the exnref), catch_all (nothing), catch_all_ref (the exnref). */
export interface Catch {
  kind: 'catch' | 'catch_ref' | 'catch_all' | 'catch_all_ref';
  /** reduced modulo the tags (catch and catch_ref) */
  tag: number;
  /** the enclosing label it branches to, reduced among those that take what it delivers (no handler) */
  depth: number;
  handler?: Body;
}

/** statements (void expressions) followed by the values of the sequence */
export interface Body {
  body: Expr[];
  results: Expr[];
}

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface Function {
  params: ValType[];
  results: ValType[];
  /** declared locals, after the params */
  locals: StackType[];
  /** its results matched by type to `results` (zeros where missing) */
  body: Body;
}

/**
 * An extended constant expression (extended-const): i32 or i64 add, sub and mul over constants and
 * over such expressions, evaluated once at instantiation.
 */
export type ConstExpr = Const | { kind: 'ext'; type: 'i32' | 'i64'; op: 'add' | 'sub' | 'mul'; a: ConstExpr; b: ConstExpr };

/** A typed reference global's initializer: ref.func of a function of its signature, or ref.null (nullable ones) */
export interface RefInit {
  kind: 'ref';
  func: number | null;
}

export interface Global {
  type: ValType | TypedRef | GcRef;
  mutable: boolean;
  init: ConstExpr | RefInit;
}

export interface Table {
  type: RefType;
  min: number;
  /** table.grow only grows tables with a maximum: what a table without one grows to is the engine's choice */
  max: number | null;
  /** table64: i64 indices */
  i64?: boolean;
  /** an initializer expression (typed references): ref.func of function `init` reduced among those that fit; (ref $k) tables always have one */
  init?: number;
}

export interface Memory {
  min: number;
  max: number | null;
  /** memory64: i64 addresses */
  i64?: boolean;
  /** threads: a shared memory (it has a maximum) */
  shared?: boolean;
}

/** An exception tag: its parameters (exceptions) */
export interface Tag {
  params: ValType[];
}

/**
 * How an active segment's offset is written (extended-const): as it is, or as a sum, difference or
 * product with `k` that comes to the same value (wrapping).
 */
export interface OffsetForm {
  op: 'plain' | 'add' | 'sub' | 'mul';
  k: number;
}

/**
 * A passive element segment: function indices (reduced modulo the function count) or nulls; externref
 * ones hold nulls only; GC ones (gc-arbitraries.ts gcElemSegmentArb) structs below their type's, each
 * made of its number (encode-gc.ts gcElemItem), or nulls.
 */
export interface ElemSegment {
  type: RefType | GcRef;
  items: (number | null)[];
}

export interface Module {
  /** extra signatures (for call_indirect); each function's own signature is added after them */
  types: FuncType[];
  functions: Function[];
  /** memory 0, exported as "mem" */
  memory: Memory;
  /** the memories after memory 0 (multi-memory), each with an active data segment of its own pattern when it has a page */
  memories?: Memory[];
  /** how each active segment's offset is written (extended-const), raw: taken in turn, plain when absent */
  offsets?: OffsetForm[];
  /** table 0: funcref, exported as "table", call_indirect's usual table */
  table: { min: number; max: number | null };
  /** the tables after table 0 */
  tables: Table[];
  /** function indices (reduced modulo the function count) placed in table 0 from slot 0 (active element segment 0) */
  elements: number[];
  /** element segments after the active one, for table.init and elem.drop */
  passiveElements: ElemSegment[];
  /** data segments' bytes after the active one (the first page's pattern, when memory has a page), for memory.init and data.drop */
  passiveData: number[][];
  globals: Global[];
  /** the initial value of the i32 fuel global (global 0, exported as "fuel"); the user globals follow it */
  fuel: number;
  /** exception tags (exceptions) */
  tags?: Tag[];
  /** the tag exported as "tag" (reduced modulo the tags), if any */
  exportedTag?: number;
  /** GC: the catalog's types (gc-types.ts) first in the type section, the others after them */
  gc?: boolean;
}

/** every node of a body, preorder */
export function* nodes(e: Expr | Body | null): Generator<Expr> {
  if (e === null) return;
  if (!('kind' in e)) {
    for (const s of e.body) yield* nodes(s);
    for (const r of e.results) yield* nodes(r);
    return;
  }
  yield e;
  for (const c of children(e)) yield* nodes(c);
}

/** the direct sub-expressions of a node, in evaluation order */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'local.set':
    case 'local.tee':
    case 'global.set':
    case 'drop':
    case 'ref.is_null':
    case 'ref.as_non_null':
      return [e.value];
    case 'call_ref':
    case 'return_call_ref':
      return [...e.args, e.ref];
    case 'br_on_null':
    case 'br_on_non_null':
      return [...e.values, e.ref];
    case 'return_call':
      return e.args;
    case 'return_call_indirect':
      return [...e.args, e.index];
    case 'tail_loop':
      return [e.count, e.seed];
    case 'numeric':
    case 'lane':
      return e.args;
    case 'shuffle':
      return [e.a, e.b];
    case 'load_lane':
    case 'store_lane':
      return [e.addr, e.vector];
    case 'select':
      return [e.a, e.b, e.cond];
    case 'block':
    case 'loop':
      return [...e.params, ...e.body, ...e.results];
    case 'if':
      return [...e.params, e.cond, ...e.then.body, ...e.then.results, ...e.else.body, ...e.else.results];
    case 'br':
    case 'return':
      return e.values;
    case 'br_if':
      return [...e.values, e.cond];
    case 'br_table':
      return [...e.values, e.index];
    case 'call':
      return e.args;
    case 'call_indirect':
      return [...e.args, e.index];
    case 'load':
      return [e.addr];
    case 'store':
      return [e.addr, e.value];
    case 'memory.grow':
      return [e.delta];
    case 'memory.fill':
      return [e.dest, e.value, e.len];
    case 'memory.copy':
    case 'memory.init':
    case 'table.copy':
    case 'table.init':
      return [e.dest, e.src, e.len];
    case 'table.get':
      return [e.index];
    case 'table.set':
      return [e.index, e.value];
    case 'table.grow':
      return [e.value, e.delta];
    case 'table.fill':
      return [e.dest, e.value, e.len];
    case 'throw':
      return e.args;
    case 'throw_ref':
      return [e.value];
    case 'try_table':
      return [...e.body, ...e.results, ...e.catches.flatMap((c) => (c.handler ? [...c.handler.body, ...c.handler.results] : []))];
    case 'rethrow_call':
      return [e.value, e.cond];
    case 'atomic':
      return [e.addr, ...e.args];
    case 'atomic.notify':
      return [e.addr, e.count];
    case 'atomic.wait':
      return [e.addr, e.expected];
    case 'struct.new':
      return e.fields;
    case 'struct.get':
      return [e.ref];
    case 'struct.set':
      return [e.ref, e.value];
    case 'array.new':
      return [...e.items, e.len];
    case 'array.get':
      return [e.ref, e.index];
    case 'array.set':
      return [e.ref, e.index, e.value];
    case 'array.len':
      return [e.ref];
    case 'array.fill':
      return [e.ref, e.index, e.value, e.len];
    case 'array.copy':
      return [e.dest, e.destIndex, e.src, e.srcIndex, e.len];
    case 'array.init_data':
    case 'array.init_elem':
      return [e.ref, e.index, e.offset, e.len];
    case 'ref.i31':
    case 'i31.get':
    case 'ref.test':
    case 'ref.cast':
    case 'any.convert_extern':
    case 'extern.convert_any':
    case 'pass_call':
      return [e.value];
    case 'ref.eq':
      return [e.a, e.b];
    case 'br_on_cast':
      return [e.value, e.fall];
    default:
      return [];
  }
}

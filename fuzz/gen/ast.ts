// A small typed expression tree for Wasm 2.0 modules (scalar, SIMD, multi-value, references, tables,
// bulk memory). Every index in it (locals, globals, functions, types, tables, segments, label depths,
// alignments, lanes) is a plain non-negative integer that the encoder reduces modulo the valid choices
// at that point (see encode-function.ts), so any tree, and in particular any tree a shrinker produces,
// encodes to a valid module.

export type ScalarType = 'i32' | 'i64' | 'f32' | 'f64';
/** the types of parameters, function results, globals and constants: numbers and vectors */
export type ValType = ScalarType | 'v128';
/** references stay inside the module (locals, tables, operands): no export takes or returns one */
export type RefType = 'funcref' | 'externref';
/** any type a stack slot or a local holds */
export type StackType = ValType | RefType;
/** the type an expression leaves on the stack: a value or nothing */
export type ResultType = StackType | 'void';

export const SCALAR_TYPES: readonly ScalarType[] = ['i32', 'i64', 'f32', 'f64'];
export const VAL_TYPES: readonly ValType[] = [...SCALAR_TYPES, 'v128'];
export const REF_TYPES: readonly RefType[] = ['funcref', 'externref'];

export const isRef = (t: ResultType): t is RefType => t === 'funcref' || t === 'externref';

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
  | { kind: 'global.get'; type: ValType; index: number }
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
  /** op: opcode of a load; align: log2 of the alignment, reduced to at most the natural one */
  | { kind: 'load'; type: ValType; op: number; align: number; offset: number; addr: Expr }
  | { kind: 'store'; type: 'void'; op: number; align: number; offset: number; addr: Expr; value: Expr }
  /** extract_lane (vector → scalar) and replace_lane (vector, scalar → vector); lane reduced modulo the lane count */
  | { kind: 'lane'; type: ValType; op: number; lane: number; args: Expr[] }
  /** i8x16.shuffle: each of the 16 lane selectors reduced modulo 32 (missing ones are 0) */
  | { kind: 'shuffle'; type: 'v128'; lanes: number[]; a: Expr; b: Expr }
  /** v128.loadN_lane and v128.storeN_lane: memarg as for load and store, a lane, the vector after the address */
  | { kind: 'load_lane'; type: 'v128'; op: number; align: number; offset: number; lane: number; addr: Expr; vector: Expr }
  | { kind: 'store_lane'; type: 'void'; op: number; align: number; offset: number; lane: number; addr: Expr; vector: Expr }
  | { kind: 'memory.size'; type: 'i32' }
  | { kind: 'memory.grow'; type: 'i32'; delta: Expr }
  | { kind: 'memory.fill'; type: 'void'; dest: Expr; value: Expr; len: Expr }
  | { kind: 'memory.copy'; type: 'void'; dest: Expr; src: Expr; len: Expr }
  /** `segment` reduced modulo all data segments (the active one too: dropped once instantiated) */
  | { kind: 'memory.init'; type: 'void'; segment: number; dest: Expr; src: Expr; len: Expr }
  | { kind: 'data.drop'; type: 'void'; segment: number }
  | { kind: 'ref.null'; type: RefType }
  /** `func` reduced modulo the functions, all of them declared by an elem segment */
  | { kind: 'ref.func'; type: 'funcref'; func: number }
  | { kind: 'ref.is_null'; type: 'i32'; value: Expr }
  /** table instructions: `table` is reduced modulo the tables whose type fits (their element type, and a maximum for table.grow) */
  | { kind: 'table.get'; type: RefType; table: number; index: Expr }
  | { kind: 'table.set'; type: 'void'; table: number; index: Expr; value: Expr }
  | { kind: 'table.size'; type: 'i32'; table: number }
  | { kind: 'table.grow'; type: 'i32'; table: number; value: Expr; delta: Expr }
  | { kind: 'table.fill'; type: 'void'; table: number; dest: Expr; value: Expr; len: Expr }
  /** `srcTable` among the tables of `destTable`'s element type */
  | { kind: 'table.copy'; type: 'void'; destTable: number; srcTable: number; dest: Expr; src: Expr; len: Expr }
  /** `segment` reduced modulo all element segments, then `table` among the tables of its type */
  | { kind: 'table.init'; type: 'void'; segment: number; table: number; dest: Expr; src: Expr; len: Expr }
  | { kind: 'elem.drop'; type: 'void'; segment: number }
  | { kind: 'drop'; type: 'void'; value: Expr }
  | { kind: 'nop'; type: 'void' }
  | { kind: 'unreachable'; type: ResultType };

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

export interface Global {
  type: ValType;
  mutable: boolean;
  init: Const;
}

export interface Table {
  type: RefType;
  min: number;
  /** table.grow only grows tables with a maximum: what a table without one grows to is the engine's choice */
  max: number | null;
}

/** A passive element segment: function indices (reduced modulo the function count) or nulls; externref ones hold nulls only. */
export interface ElemSegment {
  type: RefType;
  items: (number | null)[];
}

export interface Module {
  /** extra signatures (for call_indirect); each function's own signature is added after them */
  types: FuncType[];
  functions: Function[];
  memory: { min: number; max: number | null };
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
      return [e.value];
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
    default:
      return [];
  }
}

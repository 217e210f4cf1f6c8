// A small typed expression tree for Wasm 2.0 modules (scalar and SIMD). Every index in it (locals,
// globals, functions, types, label depths, alignments, lanes) is a plain non-negative integer that
// the encoder reduces modulo the valid choices at that point (see encode.ts), so any tree, and in
// particular any tree a shrinker produces, encodes to a valid module.

export type ScalarType = 'i32' | 'i64' | 'f32' | 'f64';
export type ValType = ScalarType | 'v128';
/** the type an expression leaves on the stack: a value type or nothing */
export type ResultType = ValType | 'void';

export const SCALAR_TYPES: readonly ScalarType[] = ['i32', 'i64', 'f32', 'f64'];
export const VAL_TYPES: readonly ValType[] = [...SCALAR_TYPES, 'v128'];

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

export type Expr =
  | Const
  | { kind: 'local.get'; type: ValType; index: number }
  | { kind: 'local.set'; type: 'void'; index: number; value: Expr }
  | { kind: 'local.tee'; type: ValType; index: number; value: Expr }
  | { kind: 'global.get'; type: ValType; index: number }
  | { kind: 'global.set'; type: 'void'; index: number; value: Expr }
  /** a numeric instruction (unary, binary, comparison or conversion) named by its opcode key (see opcodes.ts) */
  | { kind: 'numeric'; type: ValType; op: number; args: Expr[] }
  | { kind: 'select'; type: ValType; typed: boolean; a: Expr; b: Expr; cond: Expr }
  | { kind: 'block'; type: ResultType; body: Expr[]; result: Expr | null }
  | { kind: 'loop'; type: ResultType; body: Expr[]; result: Expr | null }
  | { kind: 'if'; type: ResultType; cond: Expr; then: Body; else: Body }
  /** br and br_table are stack-polymorphic: `type` is the position they fill, `value` what they carry */
  | { kind: 'br'; type: ResultType; depth: number; value: Expr | null }
  | { kind: 'br_if'; type: ResultType; depth: number; value: Expr | null; cond: Expr }
  | { kind: 'br_table'; type: ResultType; depths: number[]; default: number; value: Expr | null; index: Expr }
  /** the callee is chosen among the functions returning `type` (any callee for 'void', result dropped) */
  | { kind: 'call'; type: ResultType; func: number; args: Expr[] }
  | { kind: 'call_indirect'; type: ResultType; typeIndex: number; args: Expr[]; index: Expr }
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
  | { kind: 'drop'; type: 'void'; value: Expr }
  | { kind: 'nop'; type: 'void' }
  | { kind: 'unreachable'; type: ResultType };

/** statements (void expressions) followed by the value of the sequence, if any */
export interface Body {
  body: Expr[];
  result: Expr | null;
}

export interface FuncType {
  params: ValType[];
  results: ValType[]; // at most one here
}

export interface Function {
  params: ValType[];
  results: ValType[];
  /** declared locals, after the params */
  locals: ValType[];
  body: Body;
}

export interface Global {
  type: ValType;
  mutable: boolean;
  init: Const;
}

export interface Module {
  /** extra signatures (for call_indirect); each function's own signature is added after them */
  types: FuncType[];
  functions: Function[];
  memory: { min: number; max: number | null };
  table: { min: number; max: number | null };
  /** function indices (reduced modulo the function count) placed in the table from slot 0 */
  elements: number[];
  globals: Global[];
  /** the initial value of the i32 fuel global (global 0, exported as "fuel"); the user globals follow it */
  fuel: number;
}

/** every node of a body, preorder */
export function* nodes(e: Expr | Body | null): Generator<Expr> {
  if (e === null) return;
  if (!('kind' in e)) {
    for (const s of e.body) yield* nodes(s);
    yield* nodes(e.result);
    return;
  }
  yield e;
  for (const c of children(e)) yield* nodes(c);
}

/** the direct sub-expressions of a node */
export function children(e: Expr): Expr[] {
  const maybe = (x: Expr | null): Expr[] => (x ? [x] : []);
  switch (e.kind) {
    case 'local.set':
    case 'local.tee':
    case 'global.set':
    case 'drop':
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
      return [...e.body, ...maybe(e.result)];
    case 'if':
      return [e.cond, ...e.then.body, ...maybe(e.then.result), ...e.else.body, ...maybe(e.else.result)];
    case 'br':
      return maybe(e.value);
    case 'br_if':
      return [...maybe(e.value), e.cond];
    case 'br_table':
      return [...maybe(e.value), e.index];
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
      return [e.dest, e.src, e.len];
    default:
      return [];
  }
}

// Our own encoder of function bodies, the trees of ast.ts. Indices in the tree are reduced modulo the
// valid choices where they are used (a local of the right type, a label, a callee whose first result
// fits, a table of the right element type, a segment...); where no choice exists, the node is encoded
// as an equivalent-typed fallback (its operands evaluated and dropped, then a zero, a null or
// `unreachable`). Every tree therefore encodes to a body that validates.
//
// Every function body and every loop head starts with the fuel check: trap with `unreachable` when
// fuel (global 0) is 0, else decrement.
//
// Multi-value: where an instruction leaves several values (a block with parameters or results, a call,
// a br_if to such a label), `settle` brings them to the node's one type: the first value is kept if it
// has that type, the others are stored into locals of their types (dropped where the function has
// none), so every one of them stays observable. Values a branch, a return or an `else` carries are
// matched by type to what the target needs (`args`), zeros where missing.
//
// Wasm 3.0 (only where the tree has its nodes or the module its memories and tables): addresses and
// table indices of either integer type are brought to the memory's or table's (i64.extend_i32_u,
// i32.wrap_i64); tail calls go to a callee whose results are the function's, else become a call and a
// return; typed references are over the signatures of REF_SIGS, and a (ref $k) the tree asks for with no
// function of that signature is a stub the module context adds; relaxed SIMD operands are confined
// to where the result is deterministic (relaxed.ts). Exceptions: a try_table's clauses with handlers get
// blocks of their own around it; a throw or catch with no tag in the module is unreachable or catch_all.
// Atomics take their natural alignment; a wait never blocks (ast.ts). A GC reference is stored into a
// local or global of its type or of any supertype (a fresh (ref $t) into a (ref null $t) or anyref one).
import type { AddrType, Body, Catch, Const, ConstExpr, Expr, FuncType, GcRef, Global, Memory, RefType, ResultType, StackType, Table, Tag, TypedRef, ValType } from './ast.js';
import { isRef, isSubtype, typedRef, typedRefOf } from './ast.js';
import { Bytes, pick, reduce } from './bytes.js';
import { CANONICAL_OPERAND, CANONICAL_RESULT, canonicalLanes, canonicalOperand } from './canonical-nan.js';
import { gcExpr, gcZero } from './encode-gc.js';
import { gcSubtype, isGcRef } from './gc-types.js';
import { ATOMIC_BY_CODE, OP_BY_KEY, OpInfo, simdKey } from './opcodes.js';
import { REF_SIGS } from './ref-sigs.js';
import { RELAXED_OPERANDS } from './relaxed.js';
import { TypeSection } from './type-section.js';

const V128_CONST = simdKey('v128.const');
const I8X16_SHUFFLE = simdKey('i8x16.shuffle');

/** What a function body's instructions refer to outside the function. */
export interface ModuleContext {
  globals: Global[];
  /** the generated functions' signatures, by function index */
  funcs: FuncType[];
  /** the signatures call_indirect chooses among: the declared ones, from type index `typeBase` on */
  callTypes: FuncType[];
  /** the type index of callTypes[0]: the GC types' count when they come first (gc-types.ts), else 0 */
  typeBase: number;
  /** where type-index block types are registered */
  typeSection: TypeSection;
  /** every table, table 0 first */
  tables: Table[];
  /** every element segment's element type, by segment index */
  elemTypes: (RefType | GcRef)[];
  /** how many data segments the module has */
  dataCount: number;
  /** told of each multi-value form as it is written ("block (type)", "br multi-value", "call multi-value"…): for tests */
  tally?: (form: string) => void;
  /** every memory, memory 0 first */
  memories: Memory[];
  /** a value type's bytes (typed references name their signature's type index) */
  typeBytes(t: StackType): number[];
  /** the type index of REF_SIGS[k] */
  sigType(k: number): number;
  /** a function of signature REF_SIGS[k]: a generated one (raw reduced among them), else the stub of that signature */
  funcOfSig(k: number, raw: number): number;
  /** the function index of the first helper of a tail-recursive loop of this flavor (0 return_call, 1 return_call_indirect, 2 return_call_ref) */
  tailEntry(flavor: number): number;
  /** exception tags, by tag index */
  tags: Tag[];
  /** the function index of the helper (exnref, i32) -> exnref that rethrows its exnref when the i32 is not 0 */
  rethrowHelper(): number;
  /** the function index of the helper (t) -> t of a GC type that allocates, then returns its argument */
  passHelper(t: GcRef): number;
}

/** what a catch clause delivers to its label */
function delivered(c: Catch['kind'], tag: Tag | undefined): StackType[] {
  const params = tag?.params ?? [];
  switch (c) {
    case 'catch':
      return params;
    case 'catch_ref':
      return [...params, 'exnref'];
    case 'catch_all':
      return [];
    case 'catch_all_ref':
      return ['exnref'];
  }
}

/** a clause's kind without a tag (the module has none): the catch_all of the same shape */
const untagged = (c: Catch['kind']): Catch['kind'] => (c === 'catch' ? 'catch_all' : c === 'catch_ref' ? 'catch_all_ref' : c);
const CATCH_CODE: Record<Catch['kind'], number> = { catch: 0, catch_ref: 1, catch_all: 2, catch_all_ref: 3 };

function writeOpcode(w: Bytes, op: { prefix: number; code: number }): void {
  if (op.prefix) {
    w.byte(op.prefix);
    w.u32(op.code);
  } else w.byte(op.code);
}

/**
 * align (log2, reduced to at most the natural alignment), the memory index when not 0 (flag 0x40), and
 * the offset: a u64 on a memory64 memory, else reduced modulo 2^32
 */
function memarg(w: Bytes, op: OpInfo, align: number, offset: number, memory = 0, i64 = false): void {
  w.u32(reduce(align, Math.log2(op.natural) + 1) | (memory ? 0x40 : 0));
  if (memory) w.u32(memory);
  if (i64) w.u64(offset);
  else w.u32(offset % 2 ** 32);
}

/** A constant expression's instructions (without its end): a constant, or extended-const arithmetic over them. */
export function writeConstExpr(w: Bytes, c: ConstExpr): void {
  if (c.kind === 'const') return writeConst(w, c);
  const fit = (x: ConstExpr): ConstExpr => (x.type === c.type ? x : c.type === 'i32' ? { kind: 'const', type: 'i32', bits: 0 } : { kind: 'const', type: 'i64', bits: 0n });
  writeConstExpr(w, fit(c.a));
  writeConstExpr(w, fit(c.b));
  const codes = c.type === 'i32' ? { add: 0x6a, sub: 0x6b, mul: 0x6c } : { add: 0x7c, sub: 0x7d, mul: 0x7e };
  w.byte(codes[c.op]);
}

export function writeConst(w: Bytes, c: Const): void {
  switch (c.type) {
    case 'i32':
      w.byte(0x41);
      w.s32(c.bits);
      return;
    case 'i64':
      w.byte(0x42);
      w.s64(c.bits);
      return;
    case 'f32': {
      w.byte(0x43);
      const v = c.bits >>> 0;
      w.bytes([v, v >>> 8, v >>> 16, v >>> 24]);
      return;
    }
    case 'f64': {
      w.byte(0x44);
      const v = BigInt.asUintN(64, c.bits);
      for (let i = 0n; i < 8n; i++) w.byte(Number((v >> (8n * i)) & 0xffn));
      return;
    }
    case 'v128':
      writeOpcode(w, { prefix: 0xfd, code: V128_CONST & 0xff });
      for (let i = 0; i < 16; i++) w.byte(c.bytes[i] ?? 0);
      return;
  }
}

function zero(t: ValType): Const {
  switch (t) {
    case 'i32':
      return { kind: 'const', type: 'i32', bits: 0 };
    case 'i64':
      return { kind: 'const', type: 'i64', bits: 0n };
    case 'f32':
      return { kind: 'const', type: 'f32', bits: 0 };
    case 'f64':
      return { kind: 'const', type: 'f64', bits: 0n };
    case 'v128':
      return { kind: 'const', type: 'v128', bytes: [] };
  }
}

/** Whether a local or global of type `slot` takes a value of type t: its own type, or for GC references a supertype. */
const holds = (slot: StackType, t: ResultType): boolean => slot === t || (isGcRef(slot) && isGcRef(t) && gcSubtype(t, slot));

/** the types of the values a sequence of expressions leaves (void ones leave none) */
const typesOf = (exprs: Expr[]): StackType[] => exprs.flatMap((e) => (e.type === 'void' ? [] : [e.type]));

const sameTypes = (a: StackType[], b: StackType[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/** i32 to i64 (zero-extending) or i64 to i32 (wrapping) */
function convert(w: Bytes, from: ResultType, to: ResultType): void {
  if (from === 'i32' && to === 'i64') w.byte(0xad);
  else if (from === 'i64' && to === 'i32') w.byte(0xa7);
}

const addrType = (x: { i64?: boolean } | undefined): AddrType => (x?.i64 ? 'i64' : 'i32');

/** a plain load's memarg flags at alignment 1: the memory index flag when not memory 0 */
const memory0Flags = (memory: number): number => (memory ? 0x40 : 0);

/** 0xFC-prefixed instructions of bulk memory and tables */
const FC = { memoryInit: 0x08, dataDrop: 0x09, tableInit: 0x0c, elemDrop: 0x0d, tableCopy: 0x0e, tableGrow: 0x0f, tableSize: 0x10, tableFill: 0x11 };

/** how many bytes a load or store touches: its natural alignment, for every one of them */
const accessWidth = (op: OpInfo): number => op.natural;

export class FuncEncoder {
  /** the types each enclosing label takes (a branch to it carries them), innermost last */
  labels: StackType[][] = [];
  /** scratch locals for canonical-nan.ts, after every generated local (v128: -1 when the function has none) */
  scratch = { f32: 0, f64: 0, v128: -1 };
  /** the memory, offset and width of the accesses whose address is being written, innermost last (mem.end reads it) */
  private accesses: { memory: number; offset: number; width: number }[] = [];
  constructor(
    readonly w: Bytes,
    /** params, then declared locals */
    readonly locals: StackType[],
    /** the function's results: what `return` carries */
    readonly results: ValType[],
    readonly m: ModuleContext,
    /** how many of `locals` are parameters */
    readonly paramCount = 0,
  ) {}

  /** the whole body after the locals: fuel check, non-nullable locals set, statements, results, end */
  function(b: Body): void {
    this.labels.push(this.results);
    this.fuelCheck();
    // a (ref $k) local must be set before it is read: here, first of all, so every read comes after
    this.locals.forEach((t, i) => {
      if (i < this.paramCount || !typedRefOf(t) || typedRefOf(t)!.nullable) return;
      this.zeroOf(t);
      this.w.byte(0x21);
      this.w.u32(i);
    });
    b.body.forEach((s) => this.discard(s));
    this.args(this.results, b.results);
    this.labels.pop();
    this.w.byte(0x0b);
  }

  /** a float operand of `key` on top of the stack made canonical, where `key` needs it */
  canonicalOperand(key: number): void {
    const t = CANONICAL_OPERAND.get(key);
    if (t) canonicalOperand(this.w, t, this.scratch[t]);
  }

  /** the float lanes of `key`'s v128 result made canonical, where `key` needs it */
  canonicalResult(key: number): void {
    const shape = CANONICAL_RESULT.get(key);
    if (!shape) return;
    if (this.scratch.v128 < 0) throw new Error('a float-lane SIMD result in a function without a v128 scratch local');
    canonicalLanes(this.w, shape, this.scratch.v128);
  }

  fuelCheck(): void {
    const w = this.w;
    // global.get 0; i32.eqz; if; unreachable; end; global.get 0; i32.const 1; i32.sub; global.set 0
    w.bytes([0x23, 0, 0x45, 0x04, 0x40, 0x00, 0x0b, 0x23, 0, 0x41, 1, 0x6b, 0x24, 0]);
  }

  /** evaluate and discard */
  discard(e: Expr | null): void {
    if (!e) return;
    this.expr(e);
    if (e.type !== 'void') this.w.byte(0x1a);
  }

  /** a zero of `t` (a null reference; for a non-nullable one, ref.func of a function of its signature), or nothing for void */
  zeroOf(t: ResultType): void {
    if (t === 'void') return;
    if (isGcRef(t)) return gcZero(this.w, t);
    const r = typedRefOf(t);
    if (r && !r.nullable) {
      this.w.byte(0xd2);
      this.w.u32(this.m.funcOfSig(r.sig, 0));
    } else if (r) {
      this.w.byte(0xd0);
      this.w.s32(this.m.sigType(r.sig));
    } else if (isRef(t)) this.w.bytes([0xd0, t === 'funcref' ? 0x70 : t === 'exnref' ? 0x69 : 0x6f]);
    else writeConst(this.w, zero(t));
  }

  /** a value type's bytes */
  type(t: StackType): void {
    this.w.bytes(this.m.typeBytes(t));
  }

  /** every expression evaluated, in order, its value (if any) left on the stack */
  values(exprs: Expr[]): void {
    for (const e of exprs) this.expr(e);
  }

  /** values for `types`: the k-th one of type t takes the k-th expression of type t, else a zero */
  args(types: StackType[], exprs: Expr[]): void {
    const used = new Set<Expr>();
    for (const t of types) {
      const a = exprs.find((x) => x.type === t && !used.has(x));
      if (a) {
        used.add(a);
        this.expr(a);
      } else this.zeroOf(t);
    }
  }

  /** `types` on the stack (the last on top) brought to `want`: the first kept if it is a `want`, the others stored away */
  settle(types: StackType[], want: ResultType): void {
    const keep = want !== 'void' && types[0] === want ? 1 : 0;
    for (let k = types.length - 1; k >= keep; k--) {
      const cands = this.localsOf(types[k]);
      if (cands.length) {
        this.w.byte(0x21);
        this.w.u32(pick(cands, k));
      } else this.w.byte(0x1a);
    }
    if (!keep) this.zeroOf(want);
  }

  localsOf(t: StackType): number[] {
    return this.locals.flatMap((lt, i) => (lt === t ? [i] : []));
  }

  /** the indices of the tables that hold `t` (with a maximum, if asked) */
  tablesOf(t: ResultType, withMax = false): number[] {
    return this.m.tables.flatMap((tb, i) => (tb.type === t && (!withMax || tb.max !== null) ? [i] : []));
  }

  /** the indices of the tables a value of type `t` may be stored in (with a maximum, if asked): their type is `t` or a supertype */
  tablesFor(t: ResultType, withMax = false): number[] {
    return this.m.tables.flatMap((tb, i) => (isSubtype(t, tb.type) && (!withMax || tb.max !== null) ? [i] : []));
  }

  /** the tables of functions (funcref or typed): call_indirect's */
  funcTables(): number[] {
    return this.m.tables.flatMap((tb, i) => (tb.type !== 'externref' ? [i] : []));
  }

  /** an index operand of either integer type brought to table `t`'s index type */
  tableIndex(e: Expr, t: number): void {
    this.expr(e);
    convert(this.w, e.type, addrType(this.m.tables[t]));
  }

  /** an address operand of either integer type brought to memory `m`'s address type (mem.end written in it directly) */
  address(e: Expr, m: number): void {
    const want = addrType(this.m.memories[m]);
    if (e.kind === 'mem.end') return this.memEnd(e.delta, want);
    this.expr(e);
    convert(this.w, e.type, want);
  }

  /** memory index raw reduced modulo the memories */
  memoryIndex(raw: number | undefined): number {
    return raw === undefined ? 0 : reduce(raw, this.m.memories.length);
  }

  /** the size in bytes of the memory of the innermost access, minus its offset and width and `delta`, as `want` */
  memEnd(delta: number, want: AddrType): void {
    const w = this.w;
    const a = this.accesses[this.accesses.length - 1] ?? { memory: 0, offset: 0, width: 0 };
    const t = addrType(this.m.memories[a.memory]);
    w.byte(0x3f);
    w.u32(a.memory);
    const back = BigInt(a.offset) + BigInt(a.width) + BigInt(delta);
    if (t === 'i64') {
      w.bytes([0x42, 16, 0x86, 0x42]); // i64.const 16; i64.shl; i64.const back
      w.s64(back);
      w.byte(0x7d); // i64.sub
    } else {
      w.bytes([0x41, 16, 0x74, 0x41]); // i32.const 16; i32.shl; i32.const back
      w.s32(Number(BigInt.asIntN(32, back)));
      w.byte(0x6b); // i32.sub
    }
    convert(w, t, want);
  }

  /** a memory access's address, with its memory, offset and width known to mem.end inside it */
  accessAddress(addr: Expr, memory: number, offset: number, width: number): void {
    this.accesses.push({ memory, offset: this.m.memories[memory].i64 ? offset : offset % 2 ** 32, width });
    this.address(addr, memory);
    this.accesses.pop();
  }

  /** a typed reference operand of signature k: `e` when it is one (nullable or not), else e discarded and ref.func of that signature */
  refOperand(e: Expr, k: number): void {
    if (isSubtype(e.type, typedRef(k, true))) return this.expr(e);
    this.discard(e);
    this.zeroOf(typedRef(k, false));
  }

  /** the short block type (none or one result, no params) where it fits, else a type index */
  blockType(kind: string, params: StackType[], results: StackType[]): void {
    if (!params.length && results.length <= 1) return results.length ? this.type(results[0]) : this.w.byte(0x40);
    this.w.s32(this.m.typeSection.indexOf({ params, results }));
    this.m.tally?.(`${kind} (type)`);
    if (params.length) this.m.tally?.(`${kind} params`);
  }

  /** notes a multi-value form for tests */
  tallyValues(kind: string, types: StackType[]): void {
    if (types.length > 1) this.m.tally?.(`${kind} multi-value`);
  }

  /** label depths whose types are exactly `types` */
  labelsOf(types: StackType[]): number[] {
    const out: number[] = [];
    for (let d = 0; d < this.labels.length; d++) if (sameTypes(this.labels[this.labels.length - 1 - d], types)) out.push(d);
    return out;
  }

  /** label depths whose types end with a supertype of `last`, the ones before it being `before` */
  labelsEndingWith(before: StackType[], last: StackType): number[] {
    const out: number[] = [];
    for (let d = 0; d < this.labels.length; d++) {
      const l = this.labels[this.labels.length - 1 - d];
      if (l.length === before.length + 1 && isSubtype(last, l[l.length - 1]) && sameTypes(l.slice(0, -1), before)) out.push(d);
    }
    return out;
  }

  /** the function's results are exactly `results` */
  returnsExactly(results: readonly StackType[]): boolean {
    return sameTypes(this.results, [...results]);
  }

  labelTypes(depth: number): StackType[] {
    return this.labels[this.labels.length - 1 - depth];
  }

  /** where a branch carrying `values` goes: a label taking exactly their types if there is one, else any label (the function's at least) */
  branchDepth(values: Expr[], raw: number): number {
    const cands = this.labelsOf(typesOf(values));
    return cands.length ? pick(cands, raw) : reduce(raw, this.labels.length);
  }

  /** a tail call no callee fits: the call, its results put away, then return with zeros */
  callThenReturn(call: Expr): void {
    this.expr(call);
    this.args(this.results, []);
    this.w.byte(0x0f);
  }

  /** an atomic instruction's opcode and memarg: its natural alignment, the memory index, the offset */
  atomicOp(op: OpInfo, offset: number, memory: number): void {
    const w = this.w;
    w.byte(0xfe);
    w.u32(op.code);
    w.u32(Math.log2(op.natural) | (memory ? 0x40 : 0));
    if (memory) w.u32(memory);
    if (this.m.memories[memory].i64) w.u64(offset);
    else w.u32(offset % 2 ** 32);
  }

  /**
   * wait32 or wait64 that never blocks: expected and a timeout of 0; or, with `notEqual` and a local
   * to keep the address in, expecting (the value at the address) xor 1, read just before with nothing
   * in between, so it differs, with a timeout of 1 ms (should an engine wait after all, the result says so)
   */
  atomicWait(e: Extract<Expr, { kind: 'atomic.wait' }>): void {
    const w = this.w;
    const mem = this.memoryIndex(e.memory);
    const op = ATOMIC_BY_CODE.get(e.wide ? 0x02 : 0x01)!;
    const at = addrType(this.m.memories[mem]);
    const keep = this.localsOf(at);
    const vt = e.wide ? 'i64' : 'i32';
    const notEqual = e.notEqual && keep.length > 0;
    if (notEqual) this.discard(e.expected); // first: nothing may run between the read and the wait
    this.accessAddress(e.addr, mem, e.offset, op.natural);
    if (notEqual) {
      const local = pick(keep, e.offset);
      w.byte(0x22);
      w.u32(local);
      w.byte(0x20);
      w.u32(local);
      w.byte(e.wide ? 0x29 : 0x28); // i64.load or i32.load, align 1, same memory and offset
      w.u32(memory0Flags(mem));
      if (mem) w.u32(mem);
      if (this.m.memories[mem].i64) w.u64(e.offset);
      else w.u32(e.offset % 2 ** 32);
      w.bytes(e.wide ? [0x42, 0x01, 0x85] : [0x41, 0x01, 0x73]); // xor 1
      w.bytes([0x42, 0xc0, 0x84, 0x3d]); // i64.const 1000000
    } else {
      this.expr(e.expected);
      convert(w, e.expected.type, vt);
      w.bytes([0x42, 0x00]); // i64.const 0
    }
    this.atomicOp(op, e.offset, mem);
  }

  /** try_table, its handlers' blocks around it (ast.ts) */
  tryTable(e: Extract<Expr, { kind: 'try_table' }>): void {
    const w = this.w;
    const tags = this.m.tags;
    const out = typesOf(e.results);
    const clauses = e.catches.map((c) => {
      const kind = tags.length ? c.kind : untagged(c.kind);
      const tag = tags.length ? reduce(c.tag, tags.length) : 0;
      return { kind, tag, handler: c.handler, depth: c.depth, types: delivered(kind, tags[tag]) };
    });
    const handlers = clauses.filter((c) => c.handler);
    const n = handlers.length;
    if (n) {
      w.byte(0x02);
      this.blockType('block', [], out);
      this.labels.push(out);
      for (let k = n - 1; k >= 0; k--) {
        w.byte(0x02);
        this.blockType('block', [], handlers[k].types);
        this.labels.push(handlers[k].types);
      }
    }
    // the clauses, resolved outside the try_table: a handler's block is at its place among them, innermost first
    const written: { kind: Catch['kind']; tag: number; depth: number }[] = [];
    for (const c of clauses) {
      if (c.handler) written.push({ kind: c.kind, tag: c.tag, depth: handlers.indexOf(c) });
      else {
        const cands = this.labelsOf(c.types);
        if (cands.length) written.push({ kind: c.kind, tag: c.tag, depth: pick(cands, c.depth) });
      }
    }
    w.byte(0x1f);
    this.blockType('try_table', [], out);
    w.vec(written, (c) => {
      w.byte(CATCH_CODE[c.kind]);
      if (c.kind === 'catch' || c.kind === 'catch_ref') w.u32(c.tag);
      w.u32(c.depth);
    });
    this.labels.push(out);
    e.body.forEach((s) => this.discard(s));
    this.values(e.results);
    this.labels.pop();
    w.byte(0x0b);
    if (n) {
      w.byte(0x0c);
      w.u32(n); // the values to the outer block
      handlers.forEach((h, k) => {
        w.byte(0x0b); // the handler's block ends: what the clause delivered on the stack
        this.labels.pop();
        this.settle(h.types, 'void');
        h.handler!.body.forEach((s) => this.discard(s));
        this.args(out, h.handler!.results);
        if (k < n - 1) {
          w.byte(0x0c);
          w.u32(n - 1 - k);
        }
      });
      w.byte(0x0b);
      this.labels.pop();
    }
    this.settle(out, e.type);
  }

  expr(e: Expr): void {
    const w = this.w;
    switch (e.kind) {
      case 'const':
        return writeConst(w, e);
      case 'local.get':
      case 'local.tee':
      case 'local.set': {
        const t = e.kind === 'local.set' ? e.value.type : e.type;
        const cands = t === 'void' ? [] : e.kind === 'local.set' ? this.locals.flatMap((lt, i) => (holds(lt, t) ? [i] : [])) : this.localsOf(t);
        if (e.kind !== 'local.get') this.expr(e.value);
        if (!cands.length) {
          if (e.kind === 'local.get') this.zeroOf(e.type);
          else if (e.kind === 'local.set' && t !== 'void') w.byte(0x1a);
          return;
        }
        w.byte(e.kind === 'local.get' ? 0x20 : e.kind === 'local.set' ? 0x21 : 0x22);
        w.u32(pick(cands, e.index));
        return;
      }
      case 'global.get':
      case 'global.set': {
        const t = e.kind === 'global.set' ? e.value.type : e.type;
        const cands = this.m.globals.flatMap((g, i) => ((e.kind === 'global.get' ? g.type === t : g.mutable && holds(g.type, t)) ? [i + 1] : []));
        if (e.kind === 'global.set') this.expr(e.value);
        if (!cands.length || t === 'void') {
          if (e.kind === 'global.get') this.zeroOf(e.type);
          else if (t !== 'void') w.byte(0x1a);
          return;
        }
        w.byte(e.kind === 'global.get' ? 0x23 : 0x24);
        w.u32(pick(cands, e.index));
        return;
      }
      case 'numeric':
      case 'lane': {
        const op = OP_BY_KEY.get(e.op);
        if (!op) throw new Error(`unknown numeric opcode key ${e.op}`);
        const relaxed = RELAXED_OPERANDS.get(e.op);
        e.args.forEach((a, k) => {
          this.expr(a);
          relaxed?.[k]?.(w, this.scratch.v128);
        });
        this.canonicalOperand(e.op);
        writeOpcode(w, op);
        if (e.kind === 'lane') w.byte(reduce(e.lane, op.lanes));
        this.canonicalResult(e.op);
        return;
      }
      case 'shuffle':
        this.expr(e.a);
        this.expr(e.b);
        writeOpcode(w, { prefix: 0xfd, code: I8X16_SHUFFLE & 0xff });
        for (let i = 0; i < 16; i++) w.byte(reduce(e.lanes[i] ?? 0, 32));
        return;
      case 'select':
        this.expr(e.a);
        this.expr(e.b);
        this.expr(e.cond);
        if (e.typed || isRef(e.type)) {
          w.bytes([0x1c, 1]);
          this.type(e.type);
        } else w.byte(0x1b);
        return;
      case 'block':
      case 'loop': {
        const params = typesOf(e.params);
        const out = [...params, ...typesOf(e.results)];
        this.values(e.params);
        w.byte(e.kind === 'block' ? 0x02 : 0x03);
        this.blockType(e.kind, params, out);
        this.labels.push(e.kind === 'block' ? out : params);
        if (e.kind === 'loop') this.fuelCheck();
        e.body.forEach((s) => this.discard(s));
        this.values(e.results);
        this.labels.pop();
        w.byte(0x0b);
        return this.settle(out, e.type);
      }
      case 'if': {
        const params = typesOf(e.params);
        const results = typesOf(e.then.results);
        const out = [...params, ...results];
        this.values(e.params);
        this.expr(e.cond);
        w.byte(0x04);
        this.blockType('if', params, out);
        this.labels.push(out);
        e.then.body.forEach((s) => this.discard(s));
        this.values(e.then.results);
        if (results.length || e.else.body.length || e.else.results.length) {
          w.byte(0x05);
          e.else.body.forEach((s) => this.discard(s));
          this.args(results, e.else.results);
        }
        this.labels.pop();
        w.byte(0x0b);
        return this.settle(out, e.type);
      }
      case 'br':
      case 'br_if':
      case 'br_table': {
        const depth = this.branchDepth(e.values, e.kind === 'br_table' ? e.default : e.depth);
        const carried = this.labelTypes(depth);
        this.tallyValues(e.kind, carried);
        this.args(carried, e.values);
        if (e.kind === 'br') {
          w.byte(0x0c);
          w.u32(depth);
        } else if (e.kind === 'br_if') {
          this.expr(e.cond);
          w.byte(0x0d);
          w.u32(depth);
          this.settle(carried, e.type);
        } else {
          this.expr(e.index);
          const cands = this.labelsOf(carried);
          w.byte(0x0e);
          w.vec(e.depths, (d) => w.u32(pick(cands, d)));
          w.u32(depth);
        }
        return;
      }
      case 'return':
        this.tallyValues('return', this.results);
        this.args(this.results, e.values);
        w.byte(0x0f);
        return;
      case 'call': {
        const cands = this.m.funcs.flatMap((f, i) => (e.type === 'void' || f.results[0] === e.type ? [i] : []));
        if (!cands.length) {
          e.args.forEach((a) => this.discard(a));
          return this.zeroOf(e.type);
        }
        const fi = pick(cands, e.func);
        this.tallyValues('call', this.m.funcs[fi].results);
        this.args(this.m.funcs[fi].params, e.args);
        w.byte(0x10);
        w.u32(fi);
        return this.settle(this.m.funcs[fi].results, e.type);
      }
      case 'call_indirect': {
        const types = this.m.callTypes;
        const cands = types.flatMap((f, i) => (e.type === 'void' || f.results[0] === e.type ? [i] : []));
        if (!cands.length) {
          e.args.forEach((a) => this.discard(a));
          this.discard(e.index);
          return this.zeroOf(e.type);
        }
        const ti = pick(cands, e.typeIndex);
        const table = pick(this.funcTables(), e.table);
        this.tallyValues('call_indirect', types[ti].results);
        this.args(types[ti].params, e.args);
        this.tableIndex(e.index, table);
        w.byte(0x11);
        w.u32(this.m.typeBase + ti);
        w.u32(table);
        return this.settle(types[ti].results, e.type);
      }
      case 'return_call': {
        const cands = this.m.funcs.flatMap((f, i) => (this.returnsExactly(f.results) ? [i] : []));
        if (!cands.length) return this.callThenReturn({ kind: 'call', type: 'void', func: e.func, args: e.args });
        const fi = pick(cands, e.func);
        this.args(this.m.funcs[fi].params, e.args);
        w.byte(0x12);
        w.u32(fi);
        return;
      }
      case 'return_call_indirect': {
        const types = this.m.callTypes;
        const cands = types.flatMap((f, i) => (this.returnsExactly(f.results) ? [i] : []));
        if (!cands.length) return this.callThenReturn({ kind: 'call_indirect', type: 'void', typeIndex: e.typeIndex, table: e.table, args: e.args, index: e.index });
        const ti = pick(cands, e.typeIndex);
        const table = pick(this.funcTables(), e.table);
        this.args(types[ti].params, e.args);
        this.tableIndex(e.index, table);
        w.byte(0x13);
        w.u32(this.m.typeBase + ti);
        w.u32(table);
        return;
      }
      case 'call_ref':
      case 'return_call_ref': {
        const k = reduce(e.sig, REF_SIGS.length);
        const sig = REF_SIGS[k];
        if (e.kind === 'return_call_ref' && !this.returnsExactly(sig.results)) return this.callThenReturn({ ...e, kind: 'call_ref', type: 'void' });
        this.args(sig.params, e.args);
        this.refOperand(e.ref, k);
        w.byte(e.kind === 'call_ref' ? 0x14 : 0x15);
        w.u32(this.m.sigType(k));
        if (e.kind === 'call_ref') this.settle(sig.results, e.type);
        return;
      }
      case 'ref.as_non_null': {
        const k = typedRefOf(e.type)!.sig;
        this.refOperand(e.value, k);
        w.byte(0xd4);
        return;
      }
      case 'br_on_null': {
        const k = typedRefOf(e.type)!.sig;
        const depth = this.branchDepth(e.values, e.depth);
        const carried = this.labelTypes(depth);
        const scratch = this.localsOf(typedRef(k, true));
        if (carried.length && !scratch.length) {
          // nowhere to keep the reference while the carried values are put away: no branch, a null traps
          e.values.forEach((v) => this.discard(v));
          this.refOperand(e.ref, k);
          w.byte(0xd4);
          return;
        }
        this.args(carried, e.values);
        this.refOperand(e.ref, k);
        w.byte(0xd5);
        w.u32(depth);
        if (!carried.length) return;
        // the values under the (ref $k) put away, the reference kept in a local of its nullable type meanwhile
        w.byte(0x21);
        w.u32(scratch[0]);
        this.settle(carried, 'void');
        w.byte(0x20);
        w.u32(scratch[0]);
        w.byte(0xd4); // not null: it did not branch
        return;
      }
      case 'br_on_non_null': {
        const k = typedRefOf(e.ref.type)?.sig ?? 0;
        const before = typesOf(e.values);
        let cands = this.labelsEndingWith(before, typedRef(k, false));
        let carried = before;
        if (!cands.length) {
          // any label ending with a reference this one fits, its other types filled by `args`
          cands = [];
          for (let d = 0; d < this.labels.length; d++) {
            const l = this.labels[this.labels.length - 1 - d];
            if (l.length && isSubtype(typedRef(k, false), l[l.length - 1])) cands.push(d);
          }
          if (!cands.length) {
            e.values.forEach((v) => this.discard(v));
            return this.discard(e.ref);
          }
          carried = this.labelTypes(pick(cands, e.depth)).slice(0, -1);
        }
        const depth = pick(cands, e.depth);
        this.args(carried, e.values);
        this.refOperand(e.ref, k);
        w.byte(0xd6);
        w.u32(depth);
        return this.settle(carried, 'void');
      }
      case 'tail_loop': {
        this.expr(e.count);
        w.bytes([0x41, 0xff, 0xff, 0x07, 0x71]); // i32.const 0x1ffff; i32.and
        this.expr(e.seed);
        w.byte(0x10);
        w.u32(this.m.tailEntry(reduce(e.flavor, 3)));
        return;
      }
      case 'mem.end':
        return this.memEnd(e.delta, e.type);
      case 'load':
      case 'store': {
        const op = OP_BY_KEY.get(e.op);
        if (!op) throw new Error(`unknown memory opcode ${e.op}`);
        const mem = this.memoryIndex(e.memory);
        this.accessAddress(e.addr, mem, e.offset, accessWidth(op));
        if (e.kind === 'store') {
          this.expr(e.value);
          this.canonicalOperand(e.op);
        }
        writeOpcode(w, op);
        memarg(w, op, e.align, e.offset, mem, this.m.memories[mem].i64);
        return;
      }
      case 'load_lane':
      case 'store_lane': {
        const op = OP_BY_KEY.get(e.op);
        if (!op) throw new Error(`unknown memory opcode ${e.op}`);
        const mem = this.memoryIndex(e.memory);
        this.accessAddress(e.addr, mem, e.offset, op.natural);
        this.expr(e.vector);
        writeOpcode(w, op);
        memarg(w, op, e.align, e.offset, mem, this.m.memories[mem].i64);
        w.byte(reduce(e.lane, op.lanes));
        return;
      }
      case 'memory.size': {
        const mem = this.memoryIndex(e.memory);
        w.byte(0x3f);
        w.u32(mem);
        return convert(w, addrType(this.m.memories[mem]), e.type);
      }
      case 'memory.grow': {
        const mem = this.memoryIndex(e.memory);
        this.address(e.delta, mem);
        w.byte(0x40);
        w.u32(mem);
        return convert(w, addrType(this.m.memories[mem]), e.type);
      }
      case 'memory.fill': {
        const mem = this.memoryIndex(e.memory);
        this.address(e.dest, mem);
        this.expr(e.value);
        this.address(e.len, mem);
        w.bytes([0xfc, 0x0b]);
        w.u32(mem);
        return;
      }
      case 'memory.copy': {
        const dest = this.memoryIndex(e.destMemory);
        const src = this.memoryIndex(e.srcMemory);
        this.address(e.dest, dest);
        this.address(e.src, src);
        // the length: an i64 only between two memory64 memories
        this.expr(e.len);
        convert(w, e.len.type, this.m.memories[dest].i64 && this.m.memories[src].i64 ? 'i64' : 'i32');
        w.bytes([0xfc, 0x0a]);
        w.u32(dest);
        w.u32(src);
        return;
      }
      case 'memory.init': {
        if (!this.m.dataCount) return [e.dest, e.src, e.len].forEach((x) => this.discard(x));
        const mem = this.memoryIndex(e.memory);
        this.address(e.dest, mem);
        this.values([e.src, e.len]);
        w.bytes([0xfc, FC.memoryInit]);
        w.u32(reduce(e.segment, this.m.dataCount));
        w.u32(mem);
        return;
      }
      case 'data.drop':
        if (!this.m.dataCount) return;
        w.bytes([0xfc, FC.dataDrop]);
        w.u32(reduce(e.segment, this.m.dataCount));
        return;
      case 'ref.null':
        return this.zeroOf(e.type);
      case 'ref.func': {
        const r = typedRefOf(e.type);
        if (r) {
          w.byte(0xd2);
          w.u32(this.m.funcOfSig(r.sig, e.func));
          return;
        }
        if (!this.m.funcs.length) return this.zeroOf(e.type);
        w.byte(0xd2);
        w.u32(reduce(e.func, this.m.funcs.length));
        return;
      }
      case 'ref.is_null':
        if (!isRef(e.value.type)) {
          this.discard(e.value);
          return this.zeroOf('i32');
        }
        this.expr(e.value);
        w.byte(0xd1);
        return;
      case 'table.get': {
        const cands = this.tablesOf(e.type);
        if (!cands.length) {
          this.discard(e.index);
          return this.zeroOf(e.type);
        }
        const t = pick(cands, e.table);
        this.tableIndex(e.index, t);
        w.byte(0x25);
        w.u32(t);
        return;
      }
      case 'table.set': {
        const cands = this.tablesFor(e.value.type);
        if (!cands.length) return [e.index, e.value].forEach((x) => this.discard(x));
        const t = pick(cands, e.table);
        this.tableIndex(e.index, t);
        this.expr(e.value);
        w.byte(0x26);
        w.u32(t);
        return;
      }
      case 'table.size': {
        const t = reduce(e.table, this.m.tables.length);
        w.bytes([0xfc, FC.tableSize]);
        w.u32(t);
        return convert(w, addrType(this.m.tables[t]), e.type);
      }
      case 'table.grow': {
        const cands = this.tablesFor(e.value.type, true);
        if (!cands.length) {
          [e.value, e.delta].forEach((x) => this.discard(x));
          return this.zeroOf(e.type);
        }
        const t = pick(cands, e.table);
        this.expr(e.value);
        this.tableIndex(e.delta, t);
        w.bytes([0xfc, FC.tableGrow]);
        w.u32(t);
        return convert(w, addrType(this.m.tables[t]), e.type);
      }
      case 'table.fill': {
        const cands = this.tablesFor(e.value.type);
        if (!cands.length) return [e.dest, e.value, e.len].forEach((x) => this.discard(x));
        const t = pick(cands, e.table);
        this.tableIndex(e.dest, t);
        this.expr(e.value);
        this.tableIndex(e.len, t);
        w.bytes([0xfc, FC.tableFill]);
        w.u32(t);
        return;
      }
      case 'table.copy': {
        const dest = reduce(e.destTable, this.m.tables.length);
        const src = pick(
          this.m.tables.flatMap((tb, i) => (isSubtype(tb.type, this.m.tables[dest].type) ? [i] : [])),
          e.srcTable,
        );
        this.tableIndex(e.dest, dest);
        this.tableIndex(e.src, src);
        // the length: an i64 only between two table64 tables
        this.expr(e.len);
        convert(w, e.len.type, this.m.tables[dest].i64 && this.m.tables[src].i64 ? 'i64' : 'i32');
        w.bytes([0xfc, FC.tableCopy]);
        w.u32(dest);
        w.u32(src);
        return;
      }
      case 'table.init': {
        const segment = this.m.elemTypes.length ? reduce(e.segment, this.m.elemTypes.length) : -1;
        const cands = segment < 0 ? [] : this.tablesFor(this.m.elemTypes[segment]);
        if (!cands.length) return [e.dest, e.src, e.len].forEach((x) => this.discard(x));
        const t = pick(cands, e.table);
        this.tableIndex(e.dest, t);
        this.values([e.src, e.len]);
        w.bytes([0xfc, FC.tableInit]);
        w.u32(segment);
        w.u32(t);
        return;
      }
      case 'elem.drop':
        if (!this.m.elemTypes.length) return;
        w.bytes([0xfc, FC.elemDrop]);
        w.u32(reduce(e.segment, this.m.elemTypes.length));
        return;
      case 'throw': {
        if (!this.m.tags.length) {
          e.args.forEach((a) => this.discard(a));
          w.byte(0x00);
          return;
        }
        const tag = reduce(e.tag, this.m.tags.length);
        this.args(this.m.tags[tag].params, e.args);
        w.byte(0x08);
        w.u32(tag);
        return;
      }
      case 'throw_ref':
        if (e.value.type !== 'exnref') {
          this.discard(e.value);
          w.bytes([0xd0, 0x69]);
        } else this.expr(e.value);
        w.byte(0x0a);
        return;
      case 'try_table':
        return this.tryTable(e);
      case 'rethrow_call':
        if (e.value.type !== 'exnref') {
          this.discard(e.value);
          w.bytes([0xd0, 0x69]);
        } else this.expr(e.value);
        this.expr(e.cond);
        convert(w, e.cond.type, 'i32');
        w.byte(0x10);
        w.u32(this.m.rethrowHelper());
        return;
      case 'atomic': {
        const op = ATOMIC_BY_CODE.get(e.op);
        if (!op) throw new Error(`unknown atomic opcode ${e.op}`);
        const mem = this.memoryIndex(e.memory);
        this.accessAddress(e.addr, mem, e.offset, op.natural);
        this.args(op.params.slice(1), e.args);
        this.atomicOp(op, e.offset, mem);
        return;
      }
      case 'atomic.notify': {
        const mem = this.memoryIndex(e.memory);
        this.accessAddress(e.addr, mem, e.offset, 4);
        this.expr(e.count);
        convert(w, e.count.type, 'i32');
        this.atomicOp(ATOMIC_BY_CODE.get(0x00)!, e.offset, mem);
        return;
      }
      case 'atomic.wait':
        return this.atomicWait(e);
      case 'atomic.fence':
        w.bytes([0xfe, 0x03, 0x00]);
        return;
      case 'drop':
        return this.discard(e.value);
      case 'nop':
        w.byte(0x01);
        return;
      case 'unreachable':
        w.byte(0x00);
        return;
      default:
        if (!gcExpr(this, e)) throw new Error(`unknown node ${e.kind}`);
    }
  }
}

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
import type { Body, Const, Expr, FuncType, Global, RefType, ResultType, StackType, Table, ValType } from './ast.js';
import { isRef } from './ast.js';
import { Bytes, pick, reduce, TYPE_CODE } from './bytes.js';
import { CANONICAL_OPERAND, CANONICAL_RESULT, canonicalLanes, canonicalOperand } from './canonical-nan.js';
import { OP_BY_KEY, OpInfo, simdKey } from './opcodes.js';
import { TypeSection } from './type-section.js';

const V128_CONST = simdKey('v128.const');
const I8X16_SHUFFLE = simdKey('i8x16.shuffle');

/** What a function body's instructions refer to outside the function. */
export interface ModuleContext {
  globals: Global[];
  /** the generated functions' signatures, by function index */
  funcs: FuncType[];
  /** the signatures call_indirect chooses among: the declared ones */
  callTypes: FuncType[];
  /** where type-index block types are registered */
  typeSection: TypeSection;
  /** every table, table 0 first */
  tables: Table[];
  /** every element segment's element type, by segment index */
  elemTypes: RefType[];
  /** how many data segments the module has */
  dataCount: number;
  /** told of each multi-value form as it is written ("block (type)", "br multi-value", "call multi-value"…): for tests */
  tally?: (form: string) => void;
}

function writeOpcode(w: Bytes, op: { prefix: number; code: number }): void {
  if (op.prefix) {
    w.byte(op.prefix);
    w.u32(op.code);
  } else w.byte(op.code);
}

/** align (log2, reduced to at most the natural alignment) and offset */
function memarg(w: Bytes, op: OpInfo, align: number, offset: number): void {
  w.u32(reduce(align, Math.log2(op.natural) + 1));
  w.u32(offset);
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

/** the types of the values a sequence of expressions leaves (void ones leave none) */
const typesOf = (exprs: Expr[]): StackType[] => exprs.flatMap((e) => (e.type === 'void' ? [] : [e.type]));

const sameTypes = (a: StackType[], b: StackType[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/** 0xFC-prefixed instructions of bulk memory and tables */
const FC = { memoryInit: 0x08, dataDrop: 0x09, tableInit: 0x0c, elemDrop: 0x0d, tableCopy: 0x0e, tableGrow: 0x0f, tableSize: 0x10, tableFill: 0x11 };

export class FuncEncoder {
  /** the types each enclosing label takes (a branch to it carries them), innermost last */
  labels: StackType[][] = [];
  /** scratch locals for canonical-nan.ts, after every generated local (v128: -1 when the function has none) */
  scratch = { f32: 0, f64: 0, v128: -1 };
  constructor(
    readonly w: Bytes,
    /** params, then declared locals */
    readonly locals: StackType[],
    /** the function's results: what `return` carries */
    readonly results: ValType[],
    readonly m: ModuleContext,
  ) {}

  /** the whole body after the locals: fuel check, statements, results, end */
  function(b: Body): void {
    this.labels.push(this.results);
    this.fuelCheck();
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

  /** a zero of `t` (a null reference), or nothing for void */
  zeroOf(t: ResultType): void {
    if (t === 'void') return;
    if (isRef(t)) this.w.bytes([0xd0, TYPE_CODE[t]]);
    else writeConst(this.w, zero(t));
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

  /** the short block type (none or one result, no params) where it fits, else a type index */
  blockType(kind: string, params: StackType[], results: StackType[]): void {
    if (!params.length && results.length <= 1) return this.w.byte(results.length ? TYPE_CODE[results[0]] : 0x40);
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

  labelTypes(depth: number): StackType[] {
    return this.labels[this.labels.length - 1 - depth];
  }

  /** where a branch carrying `values` goes: a label taking exactly their types if there is one, else any label (the function's at least) */
  branchDepth(values: Expr[], raw: number): number {
    const cands = this.labelsOf(typesOf(values));
    return cands.length ? pick(cands, raw) : reduce(raw, this.labels.length);
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
        const cands = t === 'void' ? [] : this.localsOf(t);
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
        const cands = this.m.globals.flatMap((g, i) => (g.type === t && (e.kind === 'global.get' || g.mutable) ? [i + 1] : []));
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
        e.args.forEach((a) => this.expr(a));
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
        if (e.typed || isRef(e.type)) w.bytes([0x1c, 1, TYPE_CODE[e.type]]);
        else w.byte(0x1b);
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
        this.tallyValues('call_indirect', types[ti].results);
        this.args(types[ti].params, e.args);
        this.expr(e.index);
        w.byte(0x11);
        w.u32(ti);
        w.u32(pick(this.tablesOf('funcref'), e.table));
        return this.settle(types[ti].results, e.type);
      }
      case 'load':
      case 'store': {
        const op = OP_BY_KEY.get(e.op);
        if (!op) throw new Error(`unknown memory opcode ${e.op}`);
        this.expr(e.addr);
        if (e.kind === 'store') {
          this.expr(e.value);
          this.canonicalOperand(e.op);
        }
        writeOpcode(w, op);
        memarg(w, op, e.align, e.offset);
        return;
      }
      case 'load_lane':
      case 'store_lane': {
        const op = OP_BY_KEY.get(e.op);
        if (!op) throw new Error(`unknown memory opcode ${e.op}`);
        this.expr(e.addr);
        this.expr(e.vector);
        writeOpcode(w, op);
        memarg(w, op, e.align, e.offset);
        w.byte(reduce(e.lane, op.lanes));
        return;
      }
      case 'memory.size':
        w.bytes([0x3f, 0]);
        return;
      case 'memory.grow':
        this.expr(e.delta);
        w.bytes([0x40, 0]);
        return;
      case 'memory.fill':
        this.values([e.dest, e.value, e.len]);
        w.bytes([0xfc, 0x0b, 0]);
        return;
      case 'memory.copy':
        this.values([e.dest, e.src, e.len]);
        w.bytes([0xfc, 0x0a, 0, 0]);
        return;
      case 'memory.init':
        if (!this.m.dataCount) return [e.dest, e.src, e.len].forEach((x) => this.discard(x));
        this.values([e.dest, e.src, e.len]);
        w.bytes([0xfc, FC.memoryInit]);
        w.u32(reduce(e.segment, this.m.dataCount));
        w.byte(0);
        return;
      case 'data.drop':
        if (!this.m.dataCount) return;
        w.bytes([0xfc, FC.dataDrop]);
        w.u32(reduce(e.segment, this.m.dataCount));
        return;
      case 'ref.null':
        return this.zeroOf(e.type);
      case 'ref.func':
        if (!this.m.funcs.length) return this.zeroOf(e.type);
        w.byte(0xd2);
        w.u32(reduce(e.func, this.m.funcs.length));
        return;
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
        this.expr(e.index);
        w.byte(0x25);
        w.u32(pick(cands, e.table));
        return;
      }
      case 'table.set': {
        const cands = this.tablesOf(e.value.type);
        if (!cands.length) return [e.index, e.value].forEach((x) => this.discard(x));
        this.values([e.index, e.value]);
        w.byte(0x26);
        w.u32(pick(cands, e.table));
        return;
      }
      case 'table.size':
        w.bytes([0xfc, FC.tableSize]);
        w.u32(reduce(e.table, this.m.tables.length));
        return;
      case 'table.grow': {
        const cands = this.tablesOf(e.value.type, true);
        if (!cands.length) {
          [e.value, e.delta].forEach((x) => this.discard(x));
          return this.zeroOf('i32');
        }
        this.values([e.value, e.delta]);
        w.bytes([0xfc, FC.tableGrow]);
        w.u32(pick(cands, e.table));
        return;
      }
      case 'table.fill': {
        const cands = this.tablesOf(e.value.type);
        if (!cands.length) return [e.dest, e.value, e.len].forEach((x) => this.discard(x));
        this.values([e.dest, e.value, e.len]);
        w.bytes([0xfc, FC.tableFill]);
        w.u32(pick(cands, e.table));
        return;
      }
      case 'table.copy': {
        const dest = reduce(e.destTable, this.m.tables.length);
        this.values([e.dest, e.src, e.len]);
        w.bytes([0xfc, FC.tableCopy]);
        w.u32(dest);
        w.u32(pick(this.tablesOf(this.m.tables[dest].type), e.srcTable));
        return;
      }
      case 'table.init': {
        const segment = this.m.elemTypes.length ? reduce(e.segment, this.m.elemTypes.length) : -1;
        const cands = segment < 0 ? [] : this.tablesOf(this.m.elemTypes[segment]);
        if (!cands.length) return [e.dest, e.src, e.len].forEach((x) => this.discard(x));
        this.values([e.dest, e.src, e.len]);
        w.bytes([0xfc, FC.tableInit]);
        w.u32(segment);
        w.u32(pick(cands, e.table));
        return;
      }
      case 'elem.drop':
        if (!this.m.elemTypes.length) return;
        w.bytes([0xfc, FC.elemDrop]);
        w.u32(reduce(e.segment, this.m.elemTypes.length));
        return;
      case 'drop':
        return this.discard(e.value);
      case 'nop':
        w.byte(0x01);
        return;
      case 'unreachable':
        w.byte(0x00);
        return;
    }
  }
}

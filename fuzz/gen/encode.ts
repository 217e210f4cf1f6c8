// Our own binary encoder for the trees of ast.ts. Indices in the tree are reduced modulo the valid
// choices where they are used (a local of the right type, a label whose arity matches, a callee with
// the right result...); where no choice exists, the node is encoded as an equivalent-typed fallback
// (its operands evaluated and dropped, then a zero constant or `unreachable`). Every tree therefore
// encodes to a module that validates.
//
// Layout: global 0 is the i32 fuel global; the module's globals follow it. Every function body and
// every loop head starts with the fuel check: trap with `unreachable` when fuel is 0, else decrement.
// Types: module.types first, then one per function (function i has type module.types.length + i).
// Exports: "f<i>" per function, "g<i>" per module global, "fuel", "mem", "table".
// Scratch locals for NaN canonicalization (canonical-nan.ts) follow every function's own locals.
import type { Body, Const, Expr, FuncType, Function, Global, Module, ResultType, ValType } from './ast.js';
import { nodes } from './ast.js';
import { CANONICAL_OPERAND, CANONICAL_RESULT, canonicalLanes, canonicalOperand } from './canonical-nan.js';
import { OP_BY_KEY, OpInfo, simdKey } from './opcodes.js';

const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };
const V128_CONST = simdKey('v128.const');
const I8X16_SHUFFLE = simdKey('i8x16.shuffle');

class Bytes {
  out: number[] = [];
  byte(b: number): void {
    this.out.push(b & 0xff);
  }
  bytes(bs: ArrayLike<number>): void {
    for (let i = 0; i < bs.length; i++) this.out.push(bs[i] & 0xff);
  }
  u32(n: number): void {
    let v = n >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v ? b | 0x80 : b);
    } while (v);
  }
  s32(n: number): void {
    this.s64(BigInt(n | 0));
  }
  s64(n: bigint): void {
    let v = BigInt.asIntN(64, n);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return;
    }
  }
  name(s: string): void {
    const enc = new TextEncoder().encode(s);
    this.u32(enc.length);
    this.bytes(enc);
  }
  vec<T>(items: readonly T[], each: (t: T, i: number) => void): void {
    this.u32(items.length);
    items.forEach(each);
  }
}

function pick<T>(items: readonly T[], raw: number): T {
  return items[Math.abs(Math.trunc(raw)) % items.length];
}

/** a raw tree integer reduced to 0..n-1 */
const reduce = (raw: number, n: number): number => Math.abs(Math.trunc(raw)) % n;

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

function writeConst(w: Bytes, c: Const): void {
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

function blockType(w: Bytes, t: ResultType): void {
  w.byte(t === 'void' ? 0x40 : TYPE_CODE[t]);
}

const resultOf = (f: FuncType): ResultType => (f.results.length ? f.results[0] : 'void');

/** acc = acc * 31 + i64.load(i) over every 8 bytes of the first page: (local i32 i64), loop, result acc. */
const MEMSUM_BODY = [
  0x02, 0x01, 0x7f, 0x01, 0x7e,
  0x03, 0x40,
  0x20, 0x00, 0x41, 0x80, 0x80, 0x04, 0x49, // i < 65536: the first page, where generated accesses land
  0x04, 0x40,
  0x20, 0x01, 0x42, 0x1f, 0x7e, 0x20, 0x00, 0x29, 0x00, 0x00, 0x7c, 0x21, 0x01,
  0x20, 0x00, 0x41, 0x08, 0x6a, 0x21, 0x00,
  0x0c, 0x01,
  0x0b,
  0x0b,
  0x20, 0x01,
  0x0b,
];

/** Whether a function touches v128 at all: only then does it get a v128 scratch local. */
function usesV128(f: Function): boolean {
  if ([...f.params, ...f.results, ...f.locals].includes('v128')) return true;
  for (const e of nodes(f.body)) if (e.type === 'v128') return true;
  return false;
}

class FuncEncoder {
  /** the branch arity of each enclosing label, innermost last */
  labels: ResultType[] = [];
  /** scratch locals for canonical-nan.ts, after every generated local (v128: -1 when the function has none) */
  scratch = { f32: 0, f64: 0, v128: -1 };
  constructor(
    readonly w: Bytes,
    readonly locals: ValType[],
    readonly globals: Global[],
    readonly funcs: FuncType[],
    readonly types: FuncType[],
  ) {}

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

  /** a zero of `t`, or nothing for void */
  zeroOf(t: ResultType): void {
    if (t !== 'void') writeConst(this.w, zero(t));
  }

  /** label depths whose arity is `arity` */
  labelsFor(arity: ResultType): number[] {
    const out: number[] = [];
    for (let d = 0; d < this.labels.length; d++) if (this.labels[this.labels.length - 1 - d] === arity) out.push(d);
    return out;
  }

  body(b: Body): void {
    for (const s of b.body) this.discard(s);
    if (b.result) this.expr(b.result);
  }

  /** arguments for `params`: the k-th parameter of type t takes the k-th argument of type t, else a zero */
  args(params: ValType[], args: Expr[]): void {
    const used = new Set<Expr>();
    for (const p of params) {
      const a = args.find((x) => x.type === p && !used.has(x));
      if (a) {
        used.add(a);
        this.expr(a);
      } else writeConst(this.w, zero(p));
    }
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
        const cands = this.locals.flatMap((lt, i) => (lt === t ? [i] : []));
        if (e.kind !== 'local.get') this.expr(e.value);
        if (!cands.length || t === 'void') {
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
        const cands = this.globals.flatMap((g, i) => (g.type === t && (e.kind === 'global.get' || g.mutable) ? [i + 1] : []));
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
        if (e.typed) w.bytes([0x1c, 1, TYPE_CODE[e.type]]);
        else w.byte(0x1b);
        return;
      case 'block':
      case 'loop':
        w.byte(e.kind === 'block' ? 0x02 : 0x03);
        blockType(w, e.type);
        this.labels.push(e.kind === 'block' ? e.type : 'void');
        if (e.kind === 'loop') this.fuelCheck();
        this.body({ body: e.body, result: e.result });
        this.labels.pop();
        w.byte(0x0b);
        return;
      case 'if':
        this.expr(e.cond);
        w.byte(0x04);
        blockType(w, e.type);
        this.labels.push(e.type);
        this.body(e.then);
        if (e.type !== 'void' || e.else.body.length || e.else.result) {
          w.byte(0x05);
          this.body(e.else);
        }
        this.labels.pop();
        w.byte(0x0b);
        return;
      case 'br':
      case 'br_if':
      case 'br_table': {
        const arity: ResultType = e.value ? e.value.type : 'void';
        const cands = this.labelsFor(arity);
        if (e.value) this.expr(e.value);
        const extra = e.kind === 'br_if' ? e.cond : e.kind === 'br_table' ? e.index : null;
        if (extra) this.expr(extra);
        if (!cands.length) {
          // no label carries this arity: keep the operands' effects, then go nowhere
          if (extra) w.byte(0x1a);
          if (e.kind !== 'br_if') w.byte(0x00);
          return;
        }
        if (e.kind === 'br') {
          w.byte(0x0c);
          w.u32(pick(cands, e.depth));
        } else if (e.kind === 'br_if') {
          w.byte(0x0d);
          w.u32(pick(cands, e.depth));
        } else {
          w.byte(0x0e);
          w.vec(e.depths, (d) => w.u32(pick(cands, d)));
          w.u32(pick(cands, e.default));
        }
        return;
      }
      case 'call': {
        const cands = this.funcs.flatMap((f, i) => (e.type === 'void' || resultOf(f) === e.type ? [i] : []));
        if (!cands.length) {
          e.args.forEach((a) => this.discard(a));
          return this.zeroOf(e.type);
        }
        const fi = pick(cands, e.func);
        this.args(this.funcs[fi].params, e.args);
        w.byte(0x10);
        w.u32(fi);
        if (e.type === 'void' && resultOf(this.funcs[fi]) !== 'void') w.byte(0x1a);
        return;
      }
      case 'call_indirect': {
        const cands = this.types.flatMap((f, i) => (e.type === 'void' || resultOf(f) === e.type ? [i] : []));
        if (!cands.length) {
          e.args.forEach((a) => this.discard(a));
          this.discard(e.index);
          return this.zeroOf(e.type);
        }
        const ti = pick(cands, e.typeIndex);
        this.args(this.types[ti].params, e.args);
        this.expr(e.index);
        w.byte(0x11);
        w.u32(ti);
        w.u32(0);
        if (e.type === 'void' && resultOf(this.types[ti]) !== 'void') w.byte(0x1a);
        return;
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
        this.expr(e.dest);
        this.expr(e.value);
        this.expr(e.len);
        w.bytes([0xfc, 0x0b, 0]);
        return;
      case 'memory.copy':
        this.expr(e.dest);
        this.expr(e.src);
        this.expr(e.len);
        w.bytes([0xfc, 0x0a, 0, 0]);
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

function section(w: Bytes, id: number, fill: (s: Bytes) => void): void {
  const s = new Bytes();
  fill(s);
  w.byte(id);
  w.u32(s.out.length);
  w.bytes(s.out);
}

function limits(w: Bytes, l: { min: number; max: number | null }): void {
  if (l.max === null) {
    w.byte(0);
    w.u32(l.min);
  } else {
    w.byte(1);
    w.u32(l.min);
    w.u32(Math.max(l.min, l.max));
  }
}

export function encodeModule(m: Module): Uint8Array<ArrayBuffer> {
  const w = new Bytes();
  w.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const funcs: FuncType[] = m.functions.map((f) => ({ params: f.params, results: f.results.slice(0, 1) }));
  // The last function, "memsum", is ours: a checksum of all memory, so the oracle compares memory contents.
  const memsumType: FuncType = { params: [], results: ['i64'] };
  const types: FuncType[] = [...m.types.map((t) => ({ params: t.params, results: t.results.slice(0, 1) })), ...funcs, memsumType];
  const valtype = (s: Bytes) => (t: ValType) => s.byte(TYPE_CODE[t]);

  section(w, 1, (s) =>
    s.vec(types, (t) => {
      s.byte(0x60);
      s.vec(t.params, valtype(s));
      s.vec(t.results, valtype(s));
    }),
  );
  section(w, 3, (s) => s.vec([...funcs, memsumType], (_, i) => s.u32(m.types.length + i)));
  const tableMin = Math.max(m.table.min, m.elements.length);
  section(w, 4, (s) =>
    s.vec([0], () => {
      s.byte(0x70);
      limits(s, { min: tableMin, max: m.table.max === null ? null : Math.max(tableMin, m.table.max) });
    }),
  );
  section(w, 5, (s) => s.vec([0], () => limits(s, m.memory)));
  const globals: Global[] = [{ type: 'i32', mutable: true, init: { kind: 'const', type: 'i32', bits: m.fuel | 0 } }, ...m.globals];
  section(w, 6, (s) =>
    s.vec(globals, (g) => {
      s.byte(TYPE_CODE[g.type]);
      s.byte(g.mutable ? 1 : 0);
      writeConst(s, g.init);
      s.byte(0x0b);
    }),
  );
  section(w, 7, (s) => {
    const exports: [string, number, number][] = [
      ...funcs.map((_, i): [string, number, number] => [`f${i}`, 0, i]),
      ['memsum', 0, funcs.length],
      ['table', 1, 0],
      ['mem', 2, 0],
      ['fuel', 3, 0],
      ...m.globals.map((_, i): [string, number, number] => [`g${i}`, 3, i + 1]),
    ];
    s.vec(exports, ([name, kind, index]) => {
      s.name(name);
      s.byte(kind);
      s.u32(index);
    });
  });
  if (m.elements.length && funcs.length) {
    section(w, 9, (s) =>
      s.vec([0], () => {
        s.byte(0x00);
        s.bytes([0x41, 0x00, 0x0b]);
        s.vec(m.elements, (e) => s.u32(pick(funcs.map((_, i) => i), e)));
      }),
    );
  }
  section(w, 10, (s) => {
    s.u32(m.functions.length + 1);
    m.functions.forEach((f, i) => {
      const b = new Bytes();
      const runs: [number, ValType][] = [];
      const simd = usesV128(f);
      for (const t of [...f.locals, 'f32', 'f64', ...(simd ? ['v128'] : [])] as ValType[]) {
        const last = runs[runs.length - 1];
        if (last && last[1] === t) last[0]++;
        else runs.push([1, t]);
      }
      b.vec(runs, ([n, t]) => {
        b.u32(n);
        b.byte(TYPE_CODE[t]);
      });
      const fe = new FuncEncoder(b, [...f.params, ...f.locals], m.globals, funcs, types);
      const firstScratch = f.params.length + f.locals.length;
      fe.scratch = { f32: firstScratch, f64: firstScratch + 1, v128: simd ? firstScratch + 2 : -1 };
      fe.labels.push(resultOf(funcs[i]));
      fe.fuelCheck();
      fe.body(f.body);
      b.byte(0x0b);
      s.u32(b.out.length);
      s.bytes(b.out);
    });
    s.u32(MEMSUM_BODY.length);
    s.bytes(MEMSUM_BODY);
  });
  // Memory starts with bytes of every kind (high bits set or not), so load widths and signs show.
  if (m.memory.min >= 1) {
    section(w, 11, (s) =>
      s.vec([0], () => {
        s.bytes([0x00, 0x41, 0x00, 0x0b]);
        s.vec(Array.from({ length: 256 }, (_, k) => (k * 37 + 0x85) & 0xff), (b) => s.byte(b));
      }),
    );
  }
  return Uint8Array.from(w.out);
}

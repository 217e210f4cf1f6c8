// Our own binary encoder for the modules of ast.ts; function bodies are encode-function.ts's. Every
// tree encodes to a module that validates.
//
// Layout: global 0 is the i32 fuel global; the module's globals follow it.
// Types: module.types first, then one per function (function i has type module.types.length + i),
// memsum's, then the block types of multi-value blocks and the signatures of typed references, tail
// loops and stubs (type-section.ts), as the bodies ask for them.
// Functions: the generated ones, then one "memsum" per memory, then the helpers the bodies asked for:
// a stub per signature of REF_SIGS that a (ref $k) needed and no generated function has, and the
// two functions of each tail-recursive loop flavor used.
// Tables: table 0 (funcref, exported as "table"), then module.tables, then (when a loop of
// return_call_indirect is used) a private table of that loop's two functions.
// Element segments: the active one into table 0 (when there are elements), the passive ones, then a
// declarative one naming every function, which ref.func requires, then the private table's.
// Memories: memory 0 (exported as "mem"), then module.memories (multi-memory); shared ones with threads.
// Tags (exceptions): module.tags, one exported as "tag" when module.exportedTag says so; a helper
// function that rethrows an exnref comes after the others when a body asks for it.
// Data segments: the active one at address 0 of memory 0 (when it has a page), the passive ones,
// then an active one at address 0 of each further memory with a page; the data count section, which
// memory.init and data.drop require, says how many.
// Exports: "f<i>" per function, "memsum" (then "memsum1"…, per memory), "g<i>" per module global of
// a value type, "fuel", "mem", "table".
// Scratch locals for NaN canonicalization (canonical-nan.ts) follow every function's own locals.
import type { ElemSegment, Function, FuncType, Global, Memory, Module, OffsetForm, RefType, StackType, Table, ValType } from './ast.js';
import { isRef, nodes, typedRefOf } from './ast.js';
import { gcElemItem, gcZero } from './encode-gc.js';
import { GC_GROUPS, GC_TYPE_COUNT, GcRef, gcRefOf, gcTypeBytes, isGcRef, writeGcGroups } from './gc-types.js';
import { Bytes, pick, reduce, TYPE_CODE, typeBytes } from './bytes.js';
import { FuncEncoder, ModuleContext, writeConst, writeConstExpr } from './encode-function.js';
import { REF_SIGS, sameSig } from './ref-sigs.js';
import { TypeSection } from './type-section.js';

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

/**
 * The checksum of a memory of a module with Wasm 3.0 memories: over its first page, then over its last
 * page when it has two or more (where accesses near the end land): (local i i32, acc i64, base i64).
 */
function memsumBody(memory: number, i64: boolean): number[] {
  const w = new Bytes();
  w.bytes([0x03, 0x01, 0x7f, 0x01, 0x7e, 0x01, 0x7e]); // locals: i i32, acc i64, base i64
  const loop = () => {
    w.bytes([0x41, 0x00, 0x21, 0x00]); // i = 0
    w.bytes([0x03, 0x40]);
    w.bytes([0x20, 0x00, 0x41, 0x80, 0x80, 0x04, 0x49, 0x04, 0x40]); // if i < 65536
    w.bytes([0x20, 0x01, 0x42, 0x1f, 0x7e]); // acc * 31
    w.bytes([0x20, 0x00]); // i
    if (i64) w.bytes([0xad, 0x20, 0x02, 0x7c]); // i64.extend_i32_u; base; i64.add
    else w.bytes([0x20, 0x02, 0xa7, 0x6a]); // base; i32.wrap_i64; i32.add
    w.bytes([0x29, memory ? 0x43 : 0x03]); // i64.load align=8
    if (memory) w.u32(memory);
    w.bytes([0x00, 0x7c, 0x21, 0x01]); // offset 0; i64.add; acc =
    w.bytes([0x20, 0x00, 0x41, 0x08, 0x6a, 0x21, 0x00, 0x0c, 0x01, 0x0b, 0x0b]); // i += 8; br 1 (the loop)
  };
  loop();
  // base = (size - 1) * 65536 when size >= 2
  w.byte(0x3f);
  w.u32(memory);
  if (!i64) w.byte(0xad);
  w.bytes([0x42, 0x01, 0x56, 0x04, 0x40]); // i64.gt_u 1; if
  w.byte(0x3f);
  w.u32(memory);
  if (!i64) w.byte(0xad);
  w.bytes([0x42, 0x01, 0x7d, 0x42, 0x10, 0x86, 0x21, 0x02]); // - 1; << 16; base =
  loop();
  w.byte(0x0b);
  w.bytes([0x20, 0x01, 0x0b]);
  return w.out;
}

/** Whether a function touches v128 at all: only then does it get a v128 scratch local. */
function usesV128(f: Function): boolean {
  if ([...f.params, ...f.results, ...f.locals].includes('v128')) return true;
  for (const e of nodes(f.body)) if (e.type === 'v128') return true;
  return false;
}

function section(w: Bytes, id: number, fill: (s: Bytes) => void): void {
  const s = new Bytes();
  fill(s);
  w.byte(id);
  w.u32(s.out.length);
  w.bytes(s.out);
}

/** limits: flags (1: a maximum, 2: shared, 4: i64 addresses or indices), min, max */
function limits(w: Bytes, l: { min: number; max: number | null; i64?: boolean; shared?: boolean }): void {
  const flags = (l.max === null ? 0 : 1) | (l.shared && l.max !== null ? 2 : 0) | (l.i64 ? 4 : 0);
  w.byte(flags);
  w.u32(l.min);
  if (l.max !== null) w.u32(Math.max(l.min, l.max));
}

/** The function's locals in runs of one type, then its body. */
function functionBody(f: Function, results: ValType[], m: ModuleContext): number[] {
  const b = new Bytes();
  const runs: [number, StackType][] = [];
  const simd = usesV128(f);
  for (const t of [...f.locals, 'f32', 'f64', ...(simd ? ['v128'] : [])] as StackType[]) {
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[0]++;
    else runs.push([1, t]);
  }
  b.vec(runs, ([n, t]) => {
    b.u32(n);
    b.bytes(m.typeBytes(t));
  });
  const fe = new FuncEncoder(b, [...f.params, ...f.locals], results, m, f.params.length);
  const firstScratch = f.params.length + f.locals.length;
  fe.scratch = { f32: firstScratch, f64: firstScratch + 1, v128: simd ? firstScratch + 2 : -1 };
  fe.function(f.body);
  return b.out;
}

/** A passive element segment as expressions: ref.func of a function (reduced) or ref.null; a GC one's structs (gcElemItem). */
function passiveElements(s: Bytes, seg: ElemSegment, funcCount: number): void {
  s.byte(0x05);
  if (isGcRef(seg.type)) {
    const t = seg.type;
    s.bytes(gcTypeBytes(t));
    return s.vec(seg.items, (item) => {
      gcElemItem(s, t, item);
      s.byte(0x0b);
    });
  }
  s.byte(TYPE_CODE[seg.type as 'funcref' | 'externref']);
  s.vec(seg.items, (item) => {
    if (seg.type === 'funcref' && item !== null && funcCount) {
      s.byte(0xd2);
      s.u32(pick(Array.from({ length: funcCount }, (_, i) => i), item));
    } else s.bytes([0xd0, TYPE_CODE[seg.type as 'funcref' | 'externref']]);
    s.byte(0x0b);
  });
}

/** An active segment's offset `value` (i32, or i64 for a memory64 memory or table64 table), written in an extended-const form when one is given. */
function offsetExpr(s: Bytes, value: number, i64: boolean, form: OffsetForm | undefined): void {
  const c = (n: bigint) => writeConst(s, i64 ? { kind: 'const', type: 'i64', bits: BigInt.asIntN(64, n) } : { kind: 'const', type: 'i32', bits: Number(BigInt.asIntN(32, n)) });
  const [add, sub, mul] = i64 ? [0x7c, 0x7d, 0x7e] : [0x6a, 0x6b, 0x6c];
  const v = BigInt(value);
  const k = BigInt(form?.k ?? 0);
  switch (form?.op ?? 'plain') {
    case 'plain':
      c(v);
      break;
    case 'add': // (v - k) + k
      c(v - k);
      c(k);
      s.byte(add);
      break;
    case 'sub': // (v + k) - k
      c(v + k);
      c(k);
      s.byte(sub);
      break;
    case 'mul': // k * 0 + v
      c(k);
      c(0n);
      s.byte(mul);
      c(v);
      s.byte(add);
      break;
  }
  s.byte(0x0b);
}

/** The bytes of each memory's active segment: memory 0's pattern, and another for each further memory. */
const pattern = (memory: number): number[] => Array.from({ length: 256 }, (_, k) => (k * (37 + 16 * memory) + 0x85 + 0x31 * memory) & 0xff);

/** The signature of the two functions of a tail-recursive loop: A (n i32, acc i64) and B (acc i64, n i32, x f64), both to i64. */
const TAIL_A: FuncType = { params: ['i32', 'i64'], results: ['i64'] };
const TAIL_B: FuncType = { params: ['i64', 'i32', 'f64'], results: ['i64'] };

/** The fuel check, as at every function's start: trap when global 0 is 0, else take 1 from it. */
const FUEL_CHECK = [0x23, 0, 0x45, 0x04, 0x40, 0x00, 0x0b, 0x23, 0, 0x41, 1, 0x6b, 0x24, 0];

/** The module's bytes; `tally`, if given, is told of each multi-value form written (see ModuleContext). */
export function encodeModule(m: Module, tally?: (form: string) => void): Uint8Array<ArrayBuffer> {
  const w = new Bytes();
  w.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const funcs: FuncType[] = m.functions.map((f) => ({ params: f.params, results: f.results }));
  const memories: Memory[] = [m.memory, ...(m.memories ?? [])];
  // The functions after the generated ones, "memsum" first of all: a checksum of each memory, so the oracle compares memory contents.
  const memsumType: FuncType = { params: [], results: ['i64'] };
  const declared: FuncType[] = [...m.types, ...funcs, memsumType];
  const base = m.gc ? GC_TYPE_COUNT : 0;
  const typeSection = new TypeSection(declared, base);
  const tableMin = Math.max(m.table.min, m.elements.length);
  const tables: Table[] = [
    { type: 'funcref', min: tableMin, max: m.table.max === null ? null : Math.max(tableMin, m.table.max) },
    ...m.tables,
  ];
  const active = m.elements.length > 0 && funcs.length > 0;
  const declarative = funcs.length > 0;
  const elemTypes: (RefType | GcRef)[] = [...(active ? ['funcref' as const] : []), ...m.passiveElements.map((s) => s.type), ...(declarative ? ['funcref' as const] : [])];
  // Memory starts with bytes of every kind (high bits set or not), so load widths and signs show.
  const activeData = memories.flatMap((mem, i) => (mem.min >= 1 ? [{ memory: i, bytes: pattern(i) }] : []));
  const modern = m.memories !== undefined;
  const memsums = modern ? memories.length : 1;

  // Functions added as the bodies ask: stubs of REF_SIGS, tail-loop helpers. Indices after the memsums.
  const extras: { type: FuncType; body: () => number[] }[] = [];
  const firstExtra = funcs.length + memsums;
  const addExtra = (type: FuncType, body: () => number[]): number => extras.push({ type, body }) - 1 + firstExtra;
  const stubs = new Map<number, number>();
  const tailEntries = new Map<number, number>();
  let tailTable: { index: number; funcs: number[] } | undefined;
  let rethrow: number | undefined;
  const passHelpers = new Map<GcRef, number>();
  const tags = m.tags ?? [];
  const sigType = (k: number): number => typeSection.indexOf(REF_SIGS[k]);
  const typeOf = (t: StackType): number[] => typeBytes(t, sigType);

  const context: ModuleContext = {
    globals: m.globals as Global[],
    funcs,
    callTypes: declared,
    typeBase: base,
    typeSection,
    tables,
    elemTypes,
    dataCount: activeData.length + m.passiveData.length,
    tally,
    memories,
    typeBytes: typeOf,
    sigType,
    funcOfSig(k, raw) {
      const sig = REF_SIGS[k];
      const cands = funcs.flatMap((f, i) => (sameSig(f, sig) ? [i] : []));
      if (cands.length) return pick(cands, raw);
      let stub = stubs.get(k);
      if (stub === undefined) {
        // results of its own: constants that tell this stub from a function
        stub = addExtra(sig, () => {
          const b = new Bytes();
          b.byte(0);
          for (const [j, t] of sig.results.entries()) {
            const n = 0x5000 + 16 * k + j;
            if (t === 'i32') writeConst(b, { kind: 'const', type: 'i32', bits: n });
            else if (t === 'i64') writeConst(b, { kind: 'const', type: 'i64', bits: BigInt(n) << 20n });
            else if (t === 'f32') writeConst(b, { kind: 'const', type: 'f32', bits: new Uint32Array(Float32Array.of(n + 0.5).buffer)[0] });
            else if (t === 'f64') writeConst(b, { kind: 'const', type: 'f64', bits: new BigUint64Array(Float64Array.of(n + 0.25).buffer)[0] });
            else writeConst(b, { kind: 'const', type: 'v128', bytes: [n & 0xff, n >> 8] });
          }
          b.byte(0x0b);
          return b.out;
        });
        stubs.set(k, stub);
      }
      return stub;
    },
    tags,
    rethrowHelper() {
      if (rethrow !== undefined) return rethrow;
      const type = { params: ['exnref', 'i32'], results: ['exnref'] } as unknown as FuncType;
      typeSection.indexOf(type);
      // local.get 1; if; local.get 0; throw_ref; end; local.get 0
      rethrow = addExtra(type, () => [0x00, 0x20, 1, 0x04, 0x40, 0x20, 0, 0x0a, 0x0b, 0x20, 0, 0x0b]);
      return rethrow;
    },
    passHelper(t) {
      let helper = passHelpers.get(t);
      if (helper !== undefined) return helper;
      const type = { params: [t], results: [t] } as unknown as FuncType;
      typeSection.indexOf(type);
      // i32.const 16; array.new_default of the catalog's i32 array (8); drop; local.get 0: the caller's reference lives across an allocation
      helper = addExtra(type, () => [0x00, 0x41, 16, 0xfb, 0x07, 8, 0x1a, 0x20, 0, 0x0b]);
      passHelpers.set(t, helper);
      return helper;
    },
    tailEntry(flavor) {
      let entry = tailEntries.get(flavor);
      if (entry !== undefined) return entry;
      // A (n, acc): every 1024 steps a unit of fuel; at 0 the result; else B (acc * 31 + n, n - 1, f64 n).
      // B (acc, n, x): A (n, acc ^ trunc_sat x). Each call a tail call of the flavor's kind.
      const a = extras.length + firstExtra;
      const bIndex = a + 1;
      if (flavor === 1) tailTable = { index: tables.length, funcs: [a, bIndex] };
      const tailCall = (b: Bytes, callee: number, slot: number, type: FuncType) => {
        if (flavor === 0) {
          b.byte(0x12);
          b.u32(callee);
        } else if (flavor === 1) {
          b.bytes([0x41, slot, 0x13]);
          b.u32(typeSection.indexOf(type));
          b.u32(tailTable!.index);
        } else {
          b.byte(0xd2);
          b.u32(callee);
          b.byte(0x15);
          b.u32(typeSection.indexOf(type));
        }
      };
      // both types registered now, before the type section is written
      typeSection.indexOf(TAIL_A);
      typeSection.indexOf(TAIL_B);
      addExtra(TAIL_A, () => {
        const b = new Bytes();
        b.byte(0);
        b.bytes([0x20, 0, 0x41, 0xff, 0x07, 0x71, 0x45, 0x04, 0x40, ...FUEL_CHECK, 0x0b]); // (n & 1023) == 0: fuel
        b.bytes([0x20, 0, 0x45, 0x04, 0x40, 0x20, 1, 0x0f, 0x0b]); // n == 0: return acc
        b.bytes([0x20, 1, 0x42, 31, 0x7e, 0x20, 0, 0xad, 0x7c]); // acc * 31 + n
        b.bytes([0x20, 0, 0x41, 1, 0x6b]); // n - 1
        b.bytes([0x20, 0, 0xb8]); // f64.convert_i32_u n
        tailCall(b, bIndex, 1, TAIL_B);
        b.byte(0x0b);
        return b.out;
      });
      addExtra(TAIL_B, () => {
        const b = new Bytes();
        b.byte(0);
        b.bytes([0x20, 1, 0x20, 0, 0x20, 2, 0xfc, 0x06, 0x85]); // n; acc ^ i64.trunc_sat_f64_s x
        tailCall(b, a, 0, TAIL_A);
        b.byte(0x0b);
        return b.out;
      });
      entry = a;
      tailEntries.set(flavor, entry);
      return entry;
    },
  };
  // Bodies first: they add the block types and helpers the type section then lists.
  const bodies = m.functions.map((f) => functionBody(f, f.results, context));
  // Initializers may need stubs too: the globals' and the tables'.
  const globalInits = m.globals.map((g) => {
    const s = new Bytes();
    const r = typedRefOf(g.type);
    if (isGcRef(g.type) && g.init.kind === 'ref') {
      // null, or a value built of zeros (a constant expression)
      gcZero(s, g.init.func === null && gcRefOf(g.type)!.nullable ? g.type : (g.type.replace('gc null ', 'gc ') as typeof g.type));
    } else if (r && g.init.kind === 'ref') {
      if (g.init.func === null && r.nullable) {
        s.byte(0xd0);
        s.s32(sigType(r.sig));
      } else {
        s.byte(0xd2);
        s.u32(context.funcOfSig(r.sig, g.init.func ?? 0));
      }
    } else if (g.init.kind !== 'ref') writeConstExpr(s, g.init);
    else throw new Error(`a reference initializer for a global of type ${g.type}`);
    s.byte(0x0b);
    return s.out;
  });
  const tableInits = tables.map((t) => {
    const r = typedRefOf(t.type);
    if (t.init === undefined && !(r && !r.nullable)) return undefined;
    const s = new Bytes();
    s.byte(0xd2);
    if (r) s.u32(context.funcOfSig(r.sig, t.init ?? 0));
    else if (t.type === 'funcref' && funcs.length) s.u32(reduce(t.init ?? 0, funcs.length));
    else return undefined;
    s.byte(0x0b);
    return s.out;
  });
  const extraBodies: number[][] = [];
  for (let i = 0; i < extras.length; i++) extraBodies.push(extras[i].body()); // a body may add another helper
  const funcCount = funcs.length + memsums + extras.length;
  const tagTypes = tags.map((t) => typeSection.indexOf({ params: t.params, results: [] }));
  const offsets = m.offsets ?? [];
  let nextOffset = 0;
  const offsetForm = (): OffsetForm | undefined => (offsets.length ? offsets[nextOffset++ % offsets.length] : undefined);

  section(w, 1, (s) => {
    s.u32((m.gc ? GC_GROUPS.length : 0) + typeSection.types.length);
    if (m.gc) writeGcGroups(s.out, typeOf);
    for (const t of typeSection.types) {
      s.byte(0x60);
      s.vec(t.params, (p) => s.bytes(typeOf(p)));
      s.vec(t.results, (r) => s.bytes(typeOf(r)));
    }
  });
  section(w, 3, (s) =>
    s.vec([...funcs.map((_, i) => base + m.types.length + i), ...Array<number>(memsums).fill(base + m.types.length + funcs.length), ...extras.map((x) => typeSection.indexOf(x.type))], (t) => s.u32(t)),
  );
  const allTables = tailTable ? [...tables, { type: 'funcref' as const, min: 2, max: 2 }] : tables;
  section(w, 4, (s) =>
    s.vec(allTables, (t, i) => {
      const init = tableInits[i];
      if (init) s.bytes([0x40, 0x00]);
      s.bytes(typeOf(t.type));
      limits(s, t);
      if (init) s.bytes(init);
    }),
  );
  section(w, 5, (s) => s.vec(memories, (mem) => limits(s, mem)));
  if (tags.length)
    section(w, 13, (s) =>
      s.vec(tagTypes, (t) => {
        s.byte(0x00); // an exception
        s.u32(t);
      }),
    );
  const globals: Global[] = [{ type: 'i32', mutable: true, init: { kind: 'const', type: 'i32', bits: m.fuel | 0 } }, ...m.globals];
  section(w, 6, (s) =>
    s.vec(globals, (g, i) => {
      s.bytes(typeOf(g.type));
      s.byte(g.mutable ? 1 : 0);
      if (i === 0) {
        writeConst(s, g.init as never);
        s.byte(0x0b);
      } else s.bytes(globalInits[i - 1]);
    }),
  );
  section(w, 7, (s) => {
    const exports: [string, number, number][] = [
      ...funcs.map((_, i): [string, number, number] => [`f${i}`, 0, i]),
      ...Array.from({ length: memsums }, (_, i): [string, number, number] => [i ? `memsum${i}` : 'memsum', 0, funcs.length + i]),
      ['table', 1, 0],
      ['mem', 2, 0],
      ['fuel', 3, 0],
      ...m.globals.flatMap((g, i): [string, number, number][] => (isRef(g.type) ? [] : [[`g${i}`, 3, i + 1]])),
      ...(tags.length && m.exportedTag !== undefined ? [['tag', 4, reduce(m.exportedTag, tags.length)] as [string, number, number]] : []),
    ];
    s.vec(exports, ([name, kind, index]) => {
      s.name(name);
      s.byte(kind);
      s.u32(index);
    });
  });
  const segments = elemTypes.length + (tailTable ? 1 : 0);
  if (segments) {
    const funcIndices = funcs.map((_, i) => i);
    section(w, 9, (s) => {
      s.u32(segments);
      if (active) {
        s.byte(0x00);
        offsetExpr(s, 0, false, offsetForm());
        s.vec(m.elements, (e) => s.u32(pick(funcIndices, e)));
      }
      for (const seg of m.passiveElements) passiveElements(s, seg, funcs.length);
      if (declarative) {
        s.bytes([0x03, 0x00]);
        s.vec([...funcIndices, ...extras.map((_, i) => firstExtra + i)], (i) => s.u32(i));
      }
      if (tailTable) {
        s.byte(0x02);
        s.u32(tailTable.index);
        s.bytes([0x41, 0x00, 0x0b, 0x00]);
        s.vec(tailTable.funcs, (i) => s.u32(i));
      }
    });
  }
  if (context.dataCount) section(w, 12, (s) => s.u32(context.dataCount));
  section(w, 10, (s) => {
    s.u32(funcCount);
    for (const b of [...bodies, ...Array.from({ length: memsums }, (_, i) => (modern ? memsumBody(i, !!memories[i].i64) : MEMSUM_BODY)), ...extraBodies]) {
      s.u32(b.length);
      s.bytes(b);
    }
  });
  if (context.dataCount) {
    section(w, 11, (s) => {
      s.u32(context.dataCount);
      const write = ({ memory, bytes }: { memory: number; bytes: number[] }) => {
        if (memory === 0 && !modern) s.bytes([0x00, 0x41, 0x00, 0x0b]);
        else {
          s.byte(memory ? 0x02 : 0x00);
          if (memory) s.u32(memory);
          offsetExpr(s, 0, !!memories[memory].i64, offsetForm());
        }
        s.vec(bytes, (b) => s.byte(b));
      };
      // memory 0's first, the passive ones, then the other memories' (memory.init and data.drop name them in that order)
      for (const d of activeData.filter((x) => x.memory === 0)) write(d);
      for (const bytes of m.passiveData) {
        s.byte(0x01);
        s.vec(bytes, (b) => s.byte(b));
      }
      for (const d of activeData.filter((x) => x.memory !== 0)) write(d);
    });
  }
  return Uint8Array.from(w.out);
}

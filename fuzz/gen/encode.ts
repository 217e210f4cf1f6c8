// Our own binary encoder for the modules of ast.ts; function bodies are encode-function.ts's. Every
// tree encodes to a module that validates.
//
// Layout: global 0 is the i32 fuel global; the module's globals follow it.
// Types: module.types first, then one per function (function i has type module.types.length + i),
// memsum's, then the block types of multi-value blocks (type-section.ts).
// Tables: table 0 (funcref, exported as "table"), then module.tables.
// Element segments: the active one into table 0 (when there are elements), the passive ones, then a
// declarative one naming every function, which ref.func requires.
// Data segments: the active one at address 0 (when memory has a page), then the passive ones; the data
// count section, which memory.init and data.drop require, says how many.
// Exports: "f<i>" per function, "memsum", "g<i>" per module global, "fuel", "mem", "table".
// Scratch locals for NaN canonicalization (canonical-nan.ts) follow every function's own locals.
import type { ElemSegment, Function, FuncType, Global, Module, RefType, Table, ValType } from './ast.js';
import { nodes } from './ast.js';
import { Bytes, pick, TYPE_CODE } from './bytes.js';
import { FuncEncoder, ModuleContext, writeConst } from './encode-function.js';
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

/** The function's locals in runs of one type, then its body. */
function functionBody(f: Function, results: ValType[], m: ModuleContext): number[] {
  const b = new Bytes();
  const runs: [number, ValType | RefType][] = [];
  const simd = usesV128(f);
  for (const t of [...f.locals, 'f32', 'f64', ...(simd ? ['v128'] : [])] as (ValType | RefType)[]) {
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[0]++;
    else runs.push([1, t]);
  }
  b.vec(runs, ([n, t]) => {
    b.u32(n);
    b.byte(TYPE_CODE[t]);
  });
  const fe = new FuncEncoder(b, [...f.params, ...f.locals], results, m);
  const firstScratch = f.params.length + f.locals.length;
  fe.scratch = { f32: firstScratch, f64: firstScratch + 1, v128: simd ? firstScratch + 2 : -1 };
  fe.function(f.body);
  return b.out;
}

/** A passive element segment as expressions: ref.func of a function (reduced) or ref.null. */
function passiveElements(s: Bytes, seg: ElemSegment, funcCount: number): void {
  s.byte(0x05);
  s.byte(TYPE_CODE[seg.type]);
  s.vec(seg.items, (item) => {
    if (seg.type === 'funcref' && item !== null && funcCount) {
      s.byte(0xd2);
      s.u32(pick(Array.from({ length: funcCount }, (_, i) => i), item));
    } else s.bytes([0xd0, TYPE_CODE[seg.type]]);
    s.byte(0x0b);
  });
}

/** The module's bytes; `tally`, if given, is told of each multi-value form written (see ModuleContext). */
export function encodeModule(m: Module, tally?: (form: string) => void): Uint8Array<ArrayBuffer> {
  const w = new Bytes();
  w.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const funcs: FuncType[] = m.functions.map((f) => ({ params: f.params, results: f.results }));
  // The last function, "memsum", is ours: a checksum of all memory, so the oracle compares memory contents.
  const memsumType: FuncType = { params: [], results: ['i64'] };
  const declared: FuncType[] = [...m.types, ...funcs, memsumType];
  const tableMin = Math.max(m.table.min, m.elements.length);
  const tables: Table[] = [
    { type: 'funcref', min: tableMin, max: m.table.max === null ? null : Math.max(tableMin, m.table.max) },
    ...m.tables,
  ];
  const active = m.elements.length > 0 && funcs.length > 0;
  const declarative = funcs.length > 0;
  const elemTypes: RefType[] = [...(active ? ['funcref' as const] : []), ...m.passiveElements.map((s) => s.type), ...(declarative ? ['funcref' as const] : [])];
  // Memory starts with bytes of every kind (high bits set or not), so load widths and signs show.
  const activeData = m.memory.min >= 1 ? [Array.from({ length: 256 }, (_, k) => (k * 37 + 0x85) & 0xff)] : [];
  const context: ModuleContext = {
    globals: m.globals,
    funcs,
    callTypes: declared,
    typeSection: new TypeSection(declared),
    tables,
    elemTypes,
    dataCount: activeData.length + m.passiveData.length,
    tally,
  };
  // Bodies first: they add the block types the type section then lists.
  const bodies = m.functions.map((f) => functionBody(f, f.results, context));

  section(w, 1, (s) =>
    s.vec(context.typeSection.types, (t) => {
      s.byte(0x60);
      s.vec(t.params, (p) => s.byte(TYPE_CODE[p]));
      s.vec(t.results, (r) => s.byte(TYPE_CODE[r]));
    }),
  );
  section(w, 3, (s) => s.vec([...funcs, memsumType], (_, i) => s.u32(m.types.length + i)));
  section(w, 4, (s) =>
    s.vec(tables, (t) => {
      s.byte(TYPE_CODE[t.type]);
      limits(s, t);
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
  if (elemTypes.length) {
    const funcIndices = funcs.map((_, i) => i);
    section(w, 9, (s) => {
      s.u32(elemTypes.length);
      if (active) {
        s.byte(0x00);
        s.bytes([0x41, 0x00, 0x0b]);
        s.vec(m.elements, (e) => s.u32(pick(funcIndices, e)));
      }
      for (const seg of m.passiveElements) passiveElements(s, seg, funcs.length);
      if (declarative) {
        s.bytes([0x03, 0x00]);
        s.vec(funcIndices, (i) => s.u32(i));
      }
    });
  }
  if (context.dataCount) section(w, 12, (s) => s.u32(context.dataCount));
  section(w, 10, (s) => {
    s.u32(m.functions.length + 1);
    for (const b of bodies) {
      s.u32(b.length);
      s.bytes(b);
    }
    s.u32(MEMSUM_BODY.length);
    s.bytes(MEMSUM_BODY);
  });
  if (context.dataCount) {
    section(w, 11, (s) => {
      s.u32(context.dataCount);
      for (const bytes of activeData) {
        s.bytes([0x00, 0x41, 0x00, 0x0b]);
        s.vec(bytes, (b) => s.byte(b));
      }
      for (const bytes of m.passiveData) {
        s.byte(0x01);
        s.vec(bytes, (b) => s.byte(b));
      }
    });
  }
  return Uint8Array.from(w.out);
}

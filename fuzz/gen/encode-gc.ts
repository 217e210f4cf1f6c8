// The encoder of the GC nodes (ast.ts, over the catalog of gc-types.ts). Operands are fitted as
// everywhere else: one whose type does not fit is evaluated, dropped, and a zero or a null takes its
// place. Array lengths are masked to 5 bits but small constants and those too large for any engine,
// so an allocation stays small.
import type { Expr, StackType } from './ast.js';
import { Bytes, pick, reduce } from './bytes.js';
import type { FuncEncoder } from './encode-function.js';
import { defaultable, fieldsOf, GC_DEFS, GcRef, gcRef, gcRefOf, gcSubtype, heapBytes, heapSub, isGcRef, isPacked, Storage, STRUCTS, unpacked } from './gc-types.js';

const op = (w: Bytes, sub: number): void => {
  w.byte(0xfb);
  w.u32(sub);
};

/** A zero of a storage type as constant instructions: numbers 0, a null, or a value built of zeros for a non-nullable reference. */
export function gcZero(w: Bytes, t: Storage): void {
  if (!isGcRef(t)) {
    const zeros: Record<string, number[]> = { i32: [0x41, 0], i8: [0x41, 0], i16: [0x41, 0], i64: [0x42, 0], f32: [0x43, 0, 0, 0, 0], f64: [0x44, 0, 0, 0, 0, 0, 0, 0, 0] };
    return w.bytes(zeros[t]);
  }
  const r = gcRefOf(t)!;
  if (r.nullable) return w.bytes([0xd0, ...heapBytes(r.heap)]);
  if (r.heap === 'i31') return w.bytes([0x41, 0, 0xfb, 0x1c]);
  // an abstract non-nullable type: an empty $A, or an empty array of bytes
  const def = typeof r.heap === 'number' ? r.heap : r.heap === 'array' ? 6 : 0;
  const d = GC_DEFS[def];
  if (d.kind === 'array') {
    w.bytes([0x41, 0]);
    op(w, 0x07);
    return w.u32(def);
  }
  if (defaultable(fieldsOf(def))) {
    op(w, 0x01);
    return w.u32(def);
  }
  for (const x of fieldsOf(def)) gcZero(w, x.type);
  op(w, 0x00);
  w.u32(def);
}

/**
 * An item of an element segment of type t as a constant expression: ref.null, or a struct of one of the
 * catalog's struct types at or below t's (chosen by `item`) with `item` in each number field, so that what
 * an array gets from the segment reads back as numbers that say which item it was.
 */
export function gcElemItem(w: Bytes, t: GcRef, item: number | null): void {
  const heap = gcRefOf(t)!.heap;
  if (item === null) return w.bytes([0xd0, ...heapBytes(heap)]);
  const defs = STRUCTS.filter((d) => heapSub(d, heap));
  const def = defs[Math.abs(item) % defs.length];
  const view = new DataView(new ArrayBuffer(8));
  for (const x of fieldsOf(def)) {
    if (isGcRef(x.type)) gcZero(w, x.type);
    else if (x.type === 'i64') {
      w.byte(0x42);
      w.s64(BigInt(item));
    } else if (x.type === 'f32' || x.type === 'f64') {
      if (x.type === 'f32') view.setFloat32(0, item, true);
      else view.setFloat64(0, item, true);
      w.byte(x.type === 'f32' ? 0x43 : 0x44);
      w.bytes(new Uint8Array(view.buffer, 0, x.type === 'f32' ? 4 : 8));
    } else {
      w.byte(0x41);
      w.s32(item);
    }
  }
  op(w, 0x00);
  w.u32(def);
}

/** The element segments (their indices) whose references an array of type `def` can hold. */
const elemSegmentsFor = (fe: FuncEncoder, def: number): number[] =>
  fe.m.elemTypes.flatMap((t, i) => (isGcRef(t) && gcSubtype(t, elemOf(def)) ? [i] : []));

/** `e` where a `want` goes: itself when it fits, else evaluated, dropped, and a zero */
function operand(fe: FuncEncoder, e: Expr | undefined, want: StackType): void {
  if (e && (e.type === want || (isGcRef(e.type) && isGcRef(want) && gcSubtype(e.type, want)))) return fe.expr(e);
  if (e) fe.discard(e);
  if (isGcRef(want)) gcZero(fe.w, want);
  else fe.zeroOf(want);
}

/**
 * An array length: a small constant (up to 64) or one of 2^31 and more (too large for any engine: a trap)
 * as it is, anything else masked to 0..31. A constant of millions would be allocated and filled by every
 * call of a fuel-bound recursion, a case running for minutes.
 */
function length(fe: FuncEncoder, e: Expr): void {
  operand(fe, e, 'i32');
  if (e.kind !== 'const' || (e.type === 'i32' && e.bits >>> 0 > 64 && e.bits >>> 0 < 2 ** 31)) fe.w.bytes([0x41, 31, 0x71]);
}

/** an array reference of type `def` and an index into it: near its end (array.end) through a local that holds the reference */
function arrayAt(fe: FuncEncoder, ref: Expr, index: Expr, def: number): void {
  const t = gcRef(def, true);
  operand(fe, ref, t);
  const keep = fe.localsOf(t);
  if (index.kind !== 'array.end' || !keep.length) return operand(fe, index, 'i32');
  const w = fe.w;
  w.byte(0x22);
  w.u32(keep[0]);
  w.byte(0x20);
  w.u32(keep[0]);
  op(w, 0x0f); // array.len
  w.byte(0x41);
  w.s32(1 + index.delta);
  w.byte(0x6b); // i32.sub
}

const elemOf = (def: number): Storage => fieldsOf(def)[0].type;

/** array.init_data or array.init_elem (sub-opcode `sub`) from `segment`; none that fits: the operands evaluated and dropped */
function arrayInit(fe: FuncEncoder, e: Extract<Expr, { kind: 'array.init_data' | 'array.init_elem' }>, sub: number, segment: number | undefined): void {
  if (segment === undefined) return [e.ref, e.index, e.offset, e.len].forEach((x) => fe.discard(x));
  arrayAt(fe, e.ref, e.index, e.def);
  operand(fe, e.offset, 'i32');
  operand(fe, e.len, 'i32');
  op(fe.w, sub);
  fe.w.u32(e.def);
  fe.w.u32(segment);
}

/** Writes a GC node; false for a node of another kind. */
export function gcExpr(fe: FuncEncoder, e: Expr): boolean {
  const w = fe.w;
  switch (e.kind) {
    case 'struct.new': {
      const fields = fieldsOf(e.def);
      if (e.zero) return gcZero(w, gcRef(e.def, false)), true;
      fields.forEach((x, k) => operand(fe, e.fields[k], unpacked(x.type)));
      op(w, 0x00);
      w.u32(e.def);
      return true;
    }
    case 'struct.get': {
      const x = fieldsOf(e.def)[e.field];
      operand(fe, e.ref, gcRef(e.def, true));
      op(w, isPacked(x.type) ? (e.signed ? 0x03 : 0x04) : 0x02);
      w.u32(e.def);
      w.u32(e.field);
      return true;
    }
    case 'struct.set': {
      const x = fieldsOf(e.def)[e.field];
      operand(fe, e.ref, gcRef(e.def, true));
      operand(fe, e.value, unpacked(x.type));
      op(w, 0x05);
      w.u32(e.def);
      w.u32(e.field);
      return true;
    }
    case 'array.new': {
      const elem = elemOf(e.def);
      const data = e.form === 'data' && fe.m.dataCount > 0 && !isGcRef(elem);
      const segments = e.form === 'elem' ? elemSegmentsFor(fe, e.def) : [];
      if (segments.length) {
        operand(fe, e.items[0], 'i32');
        length(fe, e.len);
        op(w, 0x0a);
        w.u32(e.def);
        w.u32(pick(segments, e.segment));
        return true;
      }
      if (e.form === 'fixed') {
        e.items.forEach((x) => operand(fe, x, unpacked(elem)));
        op(w, 0x08);
        w.u32(e.def);
        w.u32(e.items.length);
        return true;
      }
      if (e.form === 'new') operand(fe, e.items[0], unpacked(elem));
      if (data) operand(fe, e.items[0], 'i32');
      else e.items.slice(e.form === 'new' ? 1 : 0).forEach((x) => fe.discard(x));
      length(fe, e.len);
      op(w, data ? 0x09 : e.form === 'new' ? 0x06 : 0x07);
      w.u32(e.def);
      if (data) w.u32(reduce(e.segment, fe.m.dataCount));
      return true;
    }
    case 'array.get': {
      const elem = elemOf(e.def);
      arrayAt(fe, e.ref, e.index, e.def);
      op(w, isPacked(elem) ? (e.signed ? 0x0c : 0x0d) : 0x0b);
      w.u32(e.def);
      return true;
    }
    case 'array.set':
      arrayAt(fe, e.ref, e.index, e.def);
      operand(fe, e.value, unpacked(elemOf(e.def)));
      op(w, 0x0e);
      w.u32(e.def);
      return true;
    case 'array.end': // outside an array access: the delta itself
      w.byte(0x41);
      w.s32(e.delta);
      return true;
    case 'array.len':
      operand(fe, e.ref, 'gc null array');
      op(w, 0x0f);
      return true;
    case 'array.fill':
      arrayAt(fe, e.ref, e.index, e.def);
      operand(fe, e.value, unpacked(elemOf(e.def)));
      operand(fe, e.len, 'i32');
      op(w, 0x10);
      w.u32(e.def);
      return true;
    case 'array.copy':
      arrayAt(fe, e.dest, e.destIndex, e.def);
      arrayAt(fe, e.src, e.srcIndex, e.def);
      operand(fe, e.len, 'i32');
      op(w, 0x11);
      w.u32(e.def);
      w.u32(e.def);
      return true;
    case 'array.init_data':
      arrayInit(fe, e, 0x12, fe.m.dataCount && !isGcRef(elemOf(e.def)) ? reduce(e.segment, fe.m.dataCount) : undefined);
      return true;
    case 'array.init_elem': {
      const segments = fieldsOf(e.def)[0].mutable ? elemSegmentsFor(fe, e.def) : [];
      arrayInit(fe, e, 0x13, segments.length ? pick(segments, e.segment) : undefined);
      return true;
    }
    case 'ref.i31':
      operand(fe, e.value, 'i32');
      op(w, 0x1c);
      return true;
    case 'i31.get':
      operand(fe, e.value, 'gc null i31');
      op(w, e.signed ? 0x1d : 0x1e);
      return true;
    case 'ref.test':
    case 'ref.cast': {
      const r = gcRefOf(e.target)!;
      operand(fe, e.value, 'gc null any');
      op(w, (e.kind === 'ref.test' ? 0x14 : 0x16) + (r.nullable ? 1 : 0));
      w.bytes(heapBytes(r.heap));
      return true;
    }
    case 'ref.eq':
      operand(fe, e.a, 'gc null eq');
      operand(fe, e.b, 'gc null eq');
      w.byte(0xd3);
      return true;
    case 'pass_call':
      operand(fe, e.value, e.type);
      w.byte(0x10);
      w.u32(fe.m.passHelper(e.type));
      return true;
    case 'any.convert_extern':
      operand(fe, e.value, 'externref');
      op(w, 0x1a);
      return true;
    case 'extern.convert_any':
      operand(fe, e.value, 'gc null any');
      op(w, 0x1b);
      return true;
    case 'br_on_cast': {
      const target: GcRef = gcSubtype(e.target, e.source) ? e.target : e.source;
      const s = gcRefOf(e.source)!;
      const t = gcRefOf(target)!;
      w.bytes([0x02, 0x7f]);
      fe.labels.push(['i32']);
      w.byte(0x02);
      fe.type(e.source);
      fe.labels.push([e.source]);
      operand(fe, e.value, e.source);
      op(w, e.fail ? 0x19 : 0x18);
      w.bytes([(s.nullable ? 1 : 0) | (t.nullable ? 2 : 0), 0, ...heapBytes(s.heap), ...heapBytes(t.heap)]);
      w.byte(0x1a);
      operand(fe, e.fall, 'i32');
      w.bytes([0x0c, 1, 0x0b]);
      fe.labels.pop();
      // branched: whether what it carried is of the target type, with bit 8 set
      op(w, t.nullable ? 0x15 : 0x14);
      w.bytes(heapBytes(t.heap));
      w.bytes([0x41, 0x80, 0x02, 0x72, 0x0b]);
      fe.labels.pop();
      return true;
    }
    default:
      return false;
  }
}

// Small helpers to emit WebAssembly binaries: LEB128, vectors, sections, value types.
import { ValType } from '../values.js';
import { ABSTRACT_HEAP_CODES, EXACT, NUMERIC_TYPE_CODES, REF, REF_NULL } from './value-types.js';

export function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function s64(n: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && !(b & 0x40)) || (n === -1n && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

export function name(s: string): number[] {
  const b = new TextEncoder().encode(s);
  return [...u32(b.length), ...b];
}

export function section(id: number, items: number[][]): number[] {
  const body = vec(items);
  return [id, ...u32(body.length), ...body];
}

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/**
 * Encodes a value type. A type index is written as it is: the module written must define the same
 * types at the same indices (the V8 wrapper copies its instance's type section).
 */
export function valType(t: ValType): number[] {
  if (typeof t === 'string') return [NUMERIC_TYPE_CODES[t]];
  const h = ABSTRACT_HEAP_CODES[t.heap];
  if (h !== undefined) return t.nullable ? [h] : [REF, h];
  return [t.nullable ? REF_NULL : REF, ...heapType(t.heap, t.exact)];
}

/** A heap type: an abstract one's byte, or a type index as an s33. */
export function heapType(heap: string, exact = false): number[] {
  const h = ABSTRACT_HEAP_CODES[heap];
  if (h !== undefined) return [h];
  return [...(exact ? [EXACT] : []), ...s64(BigInt(heap))];
}

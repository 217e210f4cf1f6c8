// Small helpers to emit WebAssembly binaries: LEB128, vectors, sections, value types.
import { ValType } from '../../wast/values.js';
import { ABSTRACT_HEAP_CODES, NUMERIC_TYPE_CODES, REF } from './value-types.js';

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

/** Encodes a value type; types that name a type index cannot be copied into another module. */
export function valType(t: ValType): number[] {
  if (typeof t === 'string') return [NUMERIC_TYPE_CODES[t]];
  const h = ABSTRACT_HEAP_CODES[t.heap];
  if (h === undefined) throw new Error(`type ${t.heap} refers to the module's own types`);
  return t.nullable ? [h] : [REF, h];
}

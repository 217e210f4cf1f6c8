// The byte writer of the encoder: raw bytes, LEB128 integers, names and vectors, and the value type codes.
import type { StackType } from './ast.js';
import { typedRefOf } from './ast.js';
import { gcTypeBytes, isGcRef } from './gc-types.js';

/** The one-byte types' codes: numbers, vectors, funcref, externref and exnref. */
export const TYPE_CODE: Record<Exclude<StackType, `ref ${string}` | `gc ${string}`>, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f, exnref: 0x69 };

/** A value type's bytes: its code, or for a typed reference 0x63 (ref null) or 0x64 (ref) and the type index of its signature (`sigType`). */
export function typeBytes(t: StackType, sigType: (sig: number) => number): number[] {
  if (isGcRef(t)) return gcTypeBytes(t);
  const r = typedRefOf(t);
  if (!r) return [TYPE_CODE[t as keyof typeof TYPE_CODE]];
  const w = new Bytes();
  w.byte(r.nullable ? 0x63 : 0x64);
  w.s32(sigType(r.sig));
  return w.out;
}

export class Bytes {
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
  /** an unsigned LEB128 of up to 64 bits (memory64 offsets) */
  u64(n: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(n));
    do {
      const b = Number(v & 0x7fn);
      v >>= 7n;
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

/** a raw tree integer reduced to 0..n-1 */
export const reduce = (raw: number, n: number): number => Math.abs(Math.trunc(raw)) % n;

/** the item a raw tree integer chooses */
export function pick<T>(items: readonly T[], raw: number): T {
  return items[reduce(raw, items.length)];
}

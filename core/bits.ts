// Values to and from raw bits: the one place on the TypeScript side that converts them.
//
// A unit is 64 bits, as the JIT's frames and its N-API boundary carry a value: an i32 or f32 is its low
// 32 bits (zero-extended), an i64 or f64 all 64, a v128 two units (the low half first, lanes little-endian).
// A reference has no bits: it crosses as a JS value beside them (its unit is 0).
// Converting a NaN to a JS number may not keep its payload; the bits are the truth.
import { NumType, Value } from './values.js';

const scratch = new DataView(new ArrayBuffer(8));

export function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}

export function f32ToBits(x: number): number {
  scratch.setFloat32(0, x, true);
  return scratch.getUint32(0, true);
}

export function f64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, BigInt.asUintN(64, bits), true);
  return scratch.getFloat64(0, true);
}

export function f64ToBits(x: number): bigint {
  scratch.setFloat64(0, x, true);
  return scratch.getBigUint64(0, true);
}

/** A v128's 16 bytes as two units, the low half first; `signed`, as two's-complement BigInts (V8's i64 arguments). */
export function v128ToUnits(bytes: Uint8Array, signed = false): [bigint, bigint] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return signed ? [view.getBigInt64(0, true), view.getBigInt64(8, true)] : [view.getBigUint64(0, true), view.getBigUint64(8, true)];
}

/** A v128's 16 bytes from its two units, the low half first. */
export function v128FromUnits(lo: bigint, hi: bigint): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, lo, true);
  view.setBigUint64(8, hi, true);
  return bytes;
}

/** A value as its units: one for a number, two for a v128; a reference's unit is 0. */
export function valueToUnits(v: Value): bigint[] {
  switch (v.type) {
    case 'i32':
    case 'f32':
      return [BigInt(v.bits >>> 0)];
    case 'i64':
    case 'f64':
      return [v.bits];
    case 'v128':
      return v128ToUnits(v.bytes);
    case 'ref':
      return [0n];
  }
}

/** The value of a numeric type or v128 from its units (an i32 or f32 from the low 32 bits of the first). */
export function valueFromUnits(t: NumType | 'v128', units: ArrayLike<bigint>): Value {
  const b = units[0];
  switch (t) {
    case 'i32':
      return { type: 'i32', bits: Number(b & 0xffffffffn) };
    case 'f32':
      return { type: 'f32', bits: Number(b & 0xffffffffn) };
    case 'i64':
      return { type: 'i64', bits: b };
    case 'f64':
      return { type: 'f64', bits: b };
    case 'v128':
      return { type: 'v128', bytes: v128FromUnits(b, units[1]) };
  }
}

/**
 * A number or v128 as integer JS arguments carrying its bits: an i32 or f32 one signed Number, an i64 or
 * f64 one signed BigInt, a v128 two (the low half first). V8's wrapper takes them and reinterprets.
 */
export function valueToIntArgs(v: Exclude<Value, { type: 'ref' }>): (number | bigint)[] {
  switch (v.type) {
    case 'i32':
    case 'f32':
      return [v.bits | 0];
    case 'i64':
    case 'f64':
      return [BigInt.asIntN(64, v.bits)];
    case 'v128':
      return v128ToUnits(v.bytes, true);
  }
}

/** The value of a numeric type or v128 from its little-endian bytes at `at` in `view`. */
export function valueFromMemory(t: NumType | 'v128', view: DataView, at: number): Value {
  switch (t) {
    case 'i32':
    case 'f32':
      return { type: t, bits: view.getUint32(at, true) };
    case 'i64':
    case 'f64':
      return { type: t, bits: view.getBigUint64(at, true) };
    case 'v128':
      return { type: 'v128', bytes: new Uint8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + 16)) };
  }
}

/**
 * A JS value already converted (ToNumber for i32, f32 and f64; an i64's BigInt, which BigInt.asUintN
 * converts with ToBigInt, a TypeError for a Number) as its unit: ToWebAssemblyValue's bits.
 */
export function jsToUnit(t: NumType, x: unknown): bigint {
  switch (t) {
    case 'i32':
      return BigInt(((x as number) | 0) >>> 0);
    case 'i64':
      return BigInt.asUintN(64, x as bigint);
    case 'f32':
      return BigInt(f32ToBits(x as number));
    case 'f64':
      return f64ToBits(x as number);
  }
}

/** A unit as the JS value it is (ToJSValue): an i32 a signed Number, an i64 a signed BigInt, an f32 or f64 a Number. */
export function unitToJs(t: NumType, u: bigint): number | bigint {
  switch (t) {
    case 'i32':
      return Number(BigInt.asIntN(32, u));
    case 'i64':
      return BigInt.asIntN(64, u);
    case 'f32':
      return f32FromBits(Number(u & 0xffffffffn));
    case 'f64':
      return f64FromBits(u);
  }
}

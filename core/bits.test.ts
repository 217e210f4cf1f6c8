import { describe, expect, test } from '@jest/globals';
import { f32FromBits, f32ToBits, f64FromBits, f64ToBits, jsToUnit, unitToJs, v128FromUnits, v128ToUnits, valueFromMemory, valueFromUnits, valueToIntArgs, valueToUnits } from './bits.js';
import { Value } from './values.js';

const V128 = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i);

describe('core/bits', () => {
  test('float bit casts keep payloads and signs', () => {
    expect(f32ToBits(-0)).toBe(0x80000000);
    expect(f32ToBits(1.5)).toBe(0x3fc00000);
    expect(f32FromBits(0x3fc00000)).toBe(1.5);
    expect(f32ToBits(f32FromBits(0x7fc01234))).toBe(0x7fc01234);
    expect(f64ToBits(-1)).toBe(0xbff0000000000000n);
    expect(f64FromBits(-0x4010000000000000n)).toBe(f64FromBits(0xbff0000000000000n)); // taken modulo 2^64
    expect(f64ToBits(f64FromBits(0x7ff8000000000abcn))).toBe(0x7ff8000000000abcn);
  });

  test('values to units and back: i32/f32 the low 32 bits, v128 two units low half first', () => {
    const values: Value[] = [
      { type: 'i32', bits: 0xffffffff },
      { type: 'f32', bits: 0x7fa00001 },
      { type: 'i64', bits: 0xfedcba9876543210n },
      { type: 'f64', bits: 0x7ff0000000000001n },
      { type: 'v128', bytes: V128 },
    ];
    for (const v of values) expect(valueFromUnits(v.type as 'i32', valueToUnits(v))).toEqual(v);
    expect(valueToUnits({ type: 'i32', bits: -1 })).toEqual([0xffffffffn]);
    expect(valueFromUnits('i32', [0x1_0000_0005n])).toEqual({ type: 'i32', bits: 5 });
    expect(valueToUnits({ type: 'ref', ref: { kind: 'null', heap: 'func' } })).toEqual([0n]);
    expect(v128ToUnits(V128)).toEqual([0xf7f6f5f4f3f2f1f0n, 0xfffefdfcfbfaf9f8n]);
    expect(v128FromUnits(...v128ToUnits(V128, true))).toEqual(V128);
  });

  test("V8's integer arguments are signed", () => {
    expect(valueToIntArgs({ type: 'f32', bits: 0xbf800000 })).toEqual([0xbf800000 | 0]);
    expect(valueToIntArgs({ type: 'i64', bits: 0xffffffffffffffffn })).toEqual([-1n]);
    expect(valueToIntArgs({ type: 'v128', bytes: V128 })).toEqual([BigInt.asIntN(64, 0xf7f6f5f4f3f2f1f0n), BigInt.asIntN(64, 0xfffefdfcfbfaf9f8n)]);
  });

  test('values from little-endian memory', () => {
    const mem = new DataView(new ArrayBuffer(32));
    new Uint8Array(mem.buffer).set(V128, 16);
    expect(valueFromMemory('i32', mem, 16)).toEqual({ type: 'i32', bits: 0xf3f2f1f0 });
    expect(valueFromMemory('f64', mem, 16)).toEqual({ type: 'f64', bits: 0xf7f6f5f4f3f2f1f0n });
    expect(valueFromMemory('v128', mem, 16)).toEqual({ type: 'v128', bytes: V128 });
  });

  test('JS values to units and back (ToWebAssemblyValue, ToJSValue)', () => {
    expect(jsToUnit('i32', -1)).toBe(0xffffffffn);
    expect(jsToUnit('i32', 2 ** 32 + 7)).toBe(7n);
    expect(jsToUnit('i64', -1n)).toBe(0xffffffffffffffffn);
    expect(() => jsToUnit('i64', 5)).toThrow(TypeError);
    expect(jsToUnit('f32', 1.5)).toBe(0x3fc00000n);
    expect(jsToUnit('f64', -0)).toBe(0x8000000000000000n);
    expect(unitToJs('i32', 0xffffffffn)).toBe(-1);
    expect(unitToJs('i64', 0xffffffffffffffffn)).toBe(-1n);
    expect(unitToJs('f32', 0xffffffff_3fc00000n)).toBe(1.5);
    expect(unitToJs('f64', 0x8000000000000000n)).toBe(-0);
  });
});

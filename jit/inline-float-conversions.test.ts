// The reinterpretations, integer-to-float conversions (but the unsigned i64 ones), f32.demote_f64 and
// f64.promote_f32 are inline (codegen.cc inlineConversion): movd/movq, cvtsi2ss/sd, cvtss2sd/cvtsd2ss, or a
// load of the right width. Each operand place — a slot (a parameter), the accumulator (an inline result), a
// cache register (held while the next value takes the accumulator) — runs on the JIT and on Node's own V8,
// results compared as bits (float results go through the reinterpretations too, NaN payloads included).
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { WebAssembly as Jit } from './js-api/index.js';

let bytes: Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  bytes = a.assemble(`(module
    (func (export "bitsF32Param") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
    (func (export "bitsF64Param") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
    (func (export "bitsF32Acc") (param f32 f32) (result i32) (i32.reinterpret_f32 (f32.mul (local.get 0) (local.get 1))))
    (func (export "bitsF64Held") (param f64 f64) (result i64)
      (i64.xor (i64.reinterpret_f64 (f64.add (local.get 0) (local.get 1))) (i64.reinterpret_f64 (f64.sub (local.get 0) (local.get 1)))))
    (func (export "roundTrip32") (param i32) (result i32) (i32.reinterpret_f32 (f32.reinterpret_i32 (local.get 0))))
    (func (export "roundTrip32Acc") (param i32 i32) (result i32) (i32.reinterpret_f32 (f32.reinterpret_i32 (i32.add (local.get 0) (local.get 1)))))
    (func (export "roundTrip64") (param i64) (result i64) (i64.reinterpret_f64 (f64.reinterpret_i64 (local.get 0))))
    (func (export "roundTrip64Held") (param i64 i64) (result i64)
      (i64.reinterpret_f64 (f64.add (f64.reinterpret_i64 (i64.or (local.get 0) (local.get 1))) (f64.reinterpret_i64 (i64.and (local.get 0) (local.get 1))))))
    (func (export "f32FromBits") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
    (func (export "s32ToF32") (param i32) (result i32) (i32.reinterpret_f32 (f32.convert_i32_s (local.get 0))))
    (func (export "u32ToF32") (param i32) (result i32) (i32.reinterpret_f32 (f32.convert_i32_u (local.get 0))))
    (func (export "s64ToF32") (param i64) (result i32) (i32.reinterpret_f32 (f32.convert_i64_s (local.get 0))))
    (func (export "s32ToF64") (param i32) (result i64) (i64.reinterpret_f64 (f64.convert_i32_s (local.get 0))))
    (func (export "u32ToF64Acc") (param i32 i32) (result i64) (i64.reinterpret_f64 (f64.convert_i32_u (i32.sub (local.get 0) (local.get 1)))))
    (func (export "s64ToF64Held") (param i64 i64) (result i64)
      (i64.reinterpret_f64 (f64.sub (f64.convert_i64_s (i64.mul (local.get 0) (local.get 1))) (f64.convert_i64_s (i64.add (local.get 0) (local.get 1))))))
    (func (export "u32ToF32Held") (param i32 i32) (result i32)
      (i32.reinterpret_f32 (f32.add (f32.convert_i32_u (i32.mul (local.get 0) (local.get 1))) (f32.convert_i32_u (i32.xor (local.get 0) (local.get 1))))))
    (func (export "promote") (param i32) (result i64) (i64.reinterpret_f64 (f64.promote_f32 (f32.reinterpret_i32 (local.get 0)))))
    (func (export "promoteParam") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
    (func (export "demote") (param i64) (result i32) (i32.reinterpret_f32 (f32.demote_f64 (f64.reinterpret_i64 (local.get 0)))))
    (func (export "demoteAcc") (param f64 f64) (result i32) (i32.reinterpret_f32 (f32.demote_f64 (f64.div (local.get 0) (local.get 1)))))
    (func (export "subConst64") (param f64) (result i64) (i64.reinterpret_f64 (f64.sub (local.get 0) (f64.const -0x1.8p+3))))
    (func (export "divConst32") (param f32) (result i32) (i32.reinterpret_f32 (f32.div (local.get 0) (f32.const 0x1.5p-3))))
    (func (export "mulZero64") (param f64) (result i64) (i64.reinterpret_f64 (f64.mul (local.get 0) (f64.const -0))))
    (func (export "ltConst64") (param f64) (result i32) (f64.lt (local.get 0) (f64.const 2.5)))
    (func (export "neConst32") (param f32) (result i32) (f32.ne (f32.mul (local.get 0) (local.get 0)) (f32.const 0x1p+2))))`);
});

type Fn = (...a: unknown[]) => unknown;
const I64 = [0n, 1n, -1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_0000_0001n, -0x8000_0000n, 0x1234_5678_9abc_def0n, -0x1234_5678_9abc_def0n,
  0x7ff0_0000_0000_0000n, 0x7ff8_0000_0000_0000n, 0x7ff4_0000_0000_0001n, -0x8000_0000_0000_0000n, 0x0010_0000_0000_0000n, 0x0000_0000_0000_0001n];
const I32 = [0, 1, -1, 0x7fffffff, -0x80000000, 0x1234567, -0x1234567, 0x7f800000, 0x7fc00000, 0x7fa00001, -0x800000, 0x00000001, 16777217];
const F = [0, -0, 1.5, -2.75, 1e300, -1e-300, 3.4e38, 1e-45, Infinity, -Infinity, NaN, 16777217, 2 ** 63, 0.1];

test('every operand place, on the JIT and on V8, exact to the bit', () => {
  const jit = new Jit.Instance(new Jit.Module(bytes)).exports as Record<string, Fn>;
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports as Record<string, Fn>;
  const cases: [string, unknown[]][] = [];
  for (const x of I32) for (const f of ['roundTrip32', 's32ToF32', 'u32ToF32', 's32ToF64', 'promote']) cases.push([f, [x]]);
  for (const x of I64) for (const f of ['roundTrip64', 's64ToF32', 'demote']) cases.push([f, [x]]);
  for (const x of I32) for (const y of I32) for (const f of ['roundTrip32Acc', 'u32ToF64Acc', 'u32ToF32Held']) cases.push([f, [x, y]]);
  for (const x of I64) for (const y of I64) for (const f of ['roundTrip64Held', 's64ToF64Held']) cases.push([f, [x, y]]);
  for (const x of F) cases.push(['bitsF32Param', [x]], ['bitsF64Param', [x]], ['promoteParam', [x]]);
  // Float operations with a constant second operand take it from a register made from the constant's bits.
  for (const x of [...F, 2.5, 2, -2]) for (const f of ['subConst64', 'divConst32', 'mulZero64', 'ltConst64', 'neConst32']) cases.push([f, [x]]);
  for (const x of F) for (const y of F) cases.push(['bitsF32Acc', [x, y]], ['bitsF64Held', [x, y]], ['demoteAcc', [x, y]]);
  // f64.add of two NaNs gives either one, quieted (the spec lets it be any arithmetic NaN): a NaN is all the
  // comparison asks of roundTrip64Held then.
  const nan64 = (v: unknown) => typeof v === 'bigint' && (BigInt.asUintN(64, v) >> 52n & 0x7ffn) === 0x7ffn && (v & 0xf_ffff_ffff_ffffn) !== 0n;
  const same = (f: string, a: unknown, b: unknown) => Object.is(a, b) || (f === 'roundTrip64Held' && nan64(a) && nan64(b));
  const differ = cases.filter(([f, args]) => !same(f, jit[f](...args), v8[f](...args))).map(([f, args]) => `${f}(${args.join(', ')}): jit ${String(jit[f](...args))}, v8 ${String(v8[f](...args))}`);
  expect(differ).toEqual([]);
  expect(cases.length).toBeGreaterThan(900);
  expect(jit.subConst64(1)).toBe(0x402a_0000_0000_0000n);  // 1 - (-12) = 13
  expect(jit.ltConst64(2.4)).toBe(1);
  expect(jit.neConst32(2)).toBe(0);
  // NaN payloads survive a round trip through a float register; conversions round to nearest.
  expect(jit.roundTrip32(0x7fa00001)).toBe(0x7fa00001);
  expect(jit.roundTrip64(0x7ff4_0000_0000_0001n)).toBe(0x7ff4_0000_0000_0001n);
  expect(jit.u32ToF32(-1)).toBe(0x4f800000);  // 4294967295 rounds to 2^32
  expect(jit.s32ToF32(16777217)).toBe(0x4b800000);  // 2^24 + 1 rounds to even: 2^24
  expect(jit.u32ToF64Acc(0, 1)).toBe(0x41ef_ffff_ffe0_0000n);  // 4294967295 exactly
});

// f32/f64 loads go straight into a float register and stores of a float held in one are made from it
// (codegen.cc memoryAccess), and f32/f64.sqrt are sqrtss/sqrtsd. Bits must survive every path — NaN payloads
// included — on the JIT as on Node's own V8: a float loaded and stored again, one held in a cache register
// while another is loaded, one computed and stored; a store from a float register out of bounds traps.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { WebAssembly as Jit } from './js-api/index.js';

let bytes: Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  bytes = a.assemble(`(module
    (memory 1)
    (func (export "copy32") (param i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (f32.store (i32.const 8) (f32.load (i32.const 0)))
      (i32.load (i32.const 8)))
    (func (export "copy64") (param i64) (result i64)
      (i64.store (i32.const 0) (local.get 0))
      (f64.store offset=16 (i32.const 0) (f64.load (i32.const 0)))
      (i64.load (i32.const 16)))
    (func (export "swap64") (param i64 i64) (result i64)
      (i64.store (i32.const 0) (local.get 0))
      (i64.store (i32.const 8) (local.get 1))
      (i32.const 32) (f64.load (i32.const 0))  ;; the first value moves to a cache register when
      (i32.const 24) (f64.load (i32.const 8))  ;; the second is loaded
      (f64.store)  ;; the second, from the accumulator, at 24
      (f64.store)  ;; the first, from its cache register, at 32
      (i64.xor (i64.load (i32.const 24)) (i64.rotl (i64.load (i32.const 32)) (i64.const 7))))
    (func (export "mulStore") (param f64 f64) (result i64)
      (f64.store (i32.const 40) (f64.mul (local.get 0) (local.get 1)))
      (i64.load (i32.const 40)))
    (func (export "sqrtLoad") (param i64) (result i64)
      (i64.store (i32.const 48) (local.get 0))
      (f64.store (i32.const 56) (f64.sqrt (f64.load (i32.const 48))))
      (i64.load (i32.const 56)))
    (func (export "sqrt32") (param f32) (result i32) (i32.reinterpret_f32 (f32.sqrt (local.get 0))))
    (func (export "constStores") (param i32) (result i64)  ;; constants stored from an immediate, every width
      (f64.store (i32.const 64) (f64.const -0x1.8p+3))
      (i64.store8 offset=72 (local.get 0) (i64.const 0x1ff))
      (i32.store16 offset=73 (local.get 0) (i32.const -2))
      (i64.store32 offset=75 (local.get 0) (i64.const 0x1_2345_6789))
      (f32.store offset=79 (local.get 0) (f32.const nan:0x200001))
      (i64.xor (i64.load (i32.const 64)) (i64.rotl (i64.load offset=72 (local.get 0)) (i64.const 13))))
    (func (export "offsetOut") (param i32 i32) (result i32)
      (i32.store (i32.const 100) (local.get 0))
      (f32.store offset=65532 (local.get 1) (f32.load (i32.const 100)))
      (i32.const 1)))`);
});

type Fn = (...a: unknown[]) => unknown;
const I64 = [0n, 1n, -1n, 0x7ff8_0000_0000_0000n, 0x7ff4_0000_0000_0001n, -0x0008_0000_0000_0001n, 0x4000_0000_0000_0000n, 0x3ff0_0000_0000_0000n,
  -0x4010_0000_0000_0000n, 0x7ff0_0000_0000_0000n, 0x0000_0000_0000_0001n];
const I32 = [0, 1, -1, 0x7fc00000, 0x7fa00001, -0x200001, 0x3f800000, 0x7f800000];
const F = [0, -0, 2, 0.5, -4, 1e300, Infinity, -Infinity, NaN, 2 ** -1074];

test('float loads and stores through registers keep every bit, on the JIT and on V8', () => {
  const jit = new Jit.Instance(new Jit.Module(bytes)).exports as Record<string, Fn>;
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports as Record<string, Fn>;
  const cases: [string, unknown[]][] = [];
  for (const x of I32) cases.push(['copy32', [x]]);
  for (const x of I64) cases.push(['copy64', [x]], ['sqrtLoad', [x]]);
  for (const x of I64) for (const y of I64) cases.push(['swap64', [x, y]]);
  for (const x of F) for (const y of F) cases.push(['mulStore', [x, y]]);
  for (const x of F) cases.push(['sqrt32', [x]]);
  for (const x of [0, 8, 100]) cases.push(['constStores', [x]]);
  // sqrt of a NaN or a negative number is some NaN (the spec lets it be any arithmetic one): compared as NaNs.
  const nan64 = (v: unknown) => typeof v === 'bigint' && (BigInt.asUintN(64, v) >> 52n & 0x7ffn) === 0x7ffn && (v & 0xf_ffff_ffff_ffffn) !== 0n;
  const nan32 = (v: unknown) => typeof v === 'number' && ((v >>> 23) & 0xff) === 0xff && (v & 0x7fffff) !== 0;
  const same = (f: string, a: unknown, b: unknown) =>
    Object.is(a, b) || (f === 'sqrtLoad' && nan64(a) && nan64(b)) || (f === 'sqrt32' && nan32(a) && nan32(b)) || (f === 'mulStore' && nan64(a) && nan64(b));
  const differ = cases.filter(([f, args]) => !same(f, jit[f](...args), v8[f](...args))).map(([f, args]) => `${f}(${args.join(', ')}): jit ${String(jit[f](...args))}, v8 ${String(v8[f](...args))}`);
  expect(differ).toEqual([]);
  expect(jit.copy32(0x7fa00001)).toBe(0x7fa00001);
  expect(jit.copy64(0x7ff4_0000_0000_0001n)).toBe(0x7ff4_0000_0000_0001n);
  expect(jit.swap64(0x7ff4_0000_0000_0001n, 1n)).toBe(BigInt.asIntN(64, 1n ^ ((0x7ff4_0000_0000_0001n << 7n | 0x7ff4_0000_0000_0001n >> 57n) & 0xffff_ffff_ffff_ffffn)));
  expect(jit.sqrtLoad(0x4010_0000_0000_0000n)).toBe(0x4000_0000_0000_0000n);  // sqrt(4) = 2
  expect(jit.offsetOut(1, 0)).toBe(1);
  expect(() => jit.offsetOut(1, 1)).toThrow('out of bounds memory access');  // a store from a float register past the end traps
});

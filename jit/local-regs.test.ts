// f32/f64 locals written from a float register are kept in one of six xmm registers, i32/i64 ones written from an
// integer register in rdi or rsi (which calls set), through straight-line code
// (codegen.cc keepLocalInReg: write-through, the slot is written too) and read from there; the copies are forgotten
// before anything that may call (handlers clobber every xmm register: a call, f64.min, a memory.grow) or bind a
// label (a loop's start, an else, a block's end). Each function runs on the JIT and on Node's own V8.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { WebAssembly as Jit } from './js-api/index.js';

let bytes: Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  bytes = a.assemble(`(module
    (memory 1)
    (func $clobber (param f64) (result f64) (local f64 f64 f64 f64 f64 f64)  ;; its own locals take xmm5-10
      (local.set 1 (f64.mul (local.get 0) (f64.const 3)))
      (local.set 2 (f64.add (local.get 1) (f64.const 1)))
      (local.set 3 (f64.add (local.get 2) (f64.const 1)))
      (local.set 4 (f64.add (local.get 3) (f64.const 1)))
      (local.set 5 (f64.add (local.get 4) (f64.const 1)))
      (local.set 6 (f64.add (local.get 5) (f64.const 1)))
      (f64.sub (local.get 6) (f64.const 5)))
    (func (export "acrossCall") (param f64 f64) (result f64) (local f64 f64)
      (local.set 2 (f64.add (local.get 0) (local.get 1)))
      (local.set 3 (call $clobber (local.get 2)))  ;; xmm registers are clobbered here
      (f64.sub (f64.mul (local.get 2) (local.get 2)) (local.get 3)))
    (func (export "acrossHandler") (param f64 f64) (result f64) (local f64 f64)
      (local.set 2 (f64.div (local.get 0) (local.get 1)))
      (local.set 3 (f64.min (local.get 2) (local.get 0)))  ;; a handler
      (drop (memory.grow (i32.const 0)))
      (f64.add (local.get 2) (local.get 3)))
    (func (export "loop") (param f64 i32) (result f64) (local f64 f64)
      (local.set 2 (local.get 0))
      (loop $l
        (local.set 3 (f64.mul (local.get 2) (f64.const 0.5)))
        (local.set 2 (f64.add (local.get 3) (f64.sqrt (local.get 2))))
        (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
      (f64.add (local.get 2) (local.get 3)))
    (func (export "merge") (param f64 i32) (result f64) (local f64)
      (local.set 2 (f64.add (local.get 0) (f64.const 1)))
      (if (local.get 1)
        (then (local.set 2 (f64.mul (local.get 2) (f64.const 10))))
        (else (local.set 2 (f64.sub (local.get 2) (f64.const 10)))))
      (f64.mul (local.get 2) (local.get 2)))
    (func (export "tee") (param f32) (result f32) (local f32 f32)
      (local.set 2 (f32.add (local.tee 1 (f32.mul (local.get 0) (local.get 0))) (local.get 1)))
      (f32.sub (local.get 2) (local.get 1)))
    (func (export "evict") (param f64) (result f64) (local f64 f64 f64 f64 f64 f64 f64 f64)
      (local.set 1 (f64.add (local.get 0) (f64.const 1)))
      (local.set 2 (f64.add (local.get 1) (f64.const 2)))
      (local.set 3 (f64.add (local.get 2) (f64.const 3)))
      (local.set 4 (f64.add (local.get 3) (f64.const 4)))
      (local.set 5 (f64.add (local.get 4) (f64.const 5)))
      (local.set 6 (f64.add (local.get 5) (f64.const 6)))
      (local.set 7 (f64.add (local.get 6) (f64.const 7)))
      (local.set 8 (f64.add (local.get 7) (f64.const 8)))  ;; eight locals, six registers
      (local.set 1 (f64.const 100))  ;; a constant: the register copy of local 1 is stale now
      (f64.add (f64.add (f64.add (local.get 1) (local.get 2)) (f64.add (local.get 3) (local.get 4)))
               (f64.add (f64.add (local.get 5) (local.get 6)) (f64.add (local.get 7) (local.get 8)))))
    (func (export "overwrittenFromMemory") (param f64) (result f64) (local f64)
      (f64.store (i32.const 8) (f64.const 2.5))
      (local.set 1 (f64.mul (local.get 0) (local.get 0)))
      (local.set 1 (f64.load (i32.const 8)))  ;; from the float accumulator again
      (local.set 1 (local.get 0))  ;; from the parameter's slot: not in a register
      (f64.add (local.get 1) (local.get 1)))
    (func $intCallee (param i64) (result i64) (i64.mul (local.get 0) (i64.const 3)))  ;; a call sets rdi and rsi
    (func (export "intAcrossCall") (param i64 i64) (result i64) (local i64 i64)
      (local.set 2 (i64.add (local.get 0) (local.get 1)))
      (local.set 3 (call $intCallee (local.get 2)))
      (i64.sub (i64.mul (local.get 2) (local.get 2)) (local.get 3)))
    (func (export "intEvict") (param i32) (result i32) (local i32 i32 i32 i32)
      (local.set 1 (i32.add (local.get 0) (i32.const 1)))
      (local.set 2 (i32.mul (local.get 1) (i32.const 3)))
      (local.set 3 (i32.xor (local.get 2) (local.get 1)))  ;; three locals, two registers
      (local.set 4 (i32.shl (local.get 3) (local.get 1)))
      (i32.add (i32.add (local.get 1) (local.get 2)) (i32.sub (local.get 3) (local.get 4))))
    (func (export "intLoop") (param i32) (result i32) (local i32 i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 2 (i32.xor (local.get 2) (i32.rotl (local.get 1) (i32.const 5))))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (i32.add (local.get 1) (local.get 2)))
    (func (export "intMemory") (param i32 i64) (result i64) (local i32 i64)
      (local.set 2 (i32.and (local.get 0) (i32.const 0xff8)))  ;; an address from a register
      (i64.store (local.get 2) (local.get 1))
      (local.set 3 (i64.load (local.get 2)))
      (i64.add (local.get 3) (i64.extend_i32_u (local.get 2))))
    (func (export "setFromOtherLocal") (param f64 f64) (result f64) (local f64 f64)
      (local.set 2 (f64.add (local.get 0) (local.get 1)))
      (local.set 3 (local.get 2))
      (local.set 2 (f64.sub (local.get 0) (local.get 1)))
      (f64.div (local.get 3) (local.get 2))))`);
});

type Fn = (...a: unknown[]) => unknown;
const F = [0, -0, 1, -1.5, 3.25, 1e10, -7e-5, Infinity, NaN, 0.1];

test('float locals held in registers read what a local holds, on the JIT and on V8', () => {
  const jit = new Jit.Instance(new Jit.Module(bytes)).exports as Record<string, Fn>;
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports as Record<string, Fn>;
  const cases: [string, unknown[]][] = [];
  const I64 = [0n, 1n, -1n, 0x7fff_ffffn, 0x1_0000_0000n, -0x1234_5678_9abcn];
  const I32 = [0, 1, -1, 7, 31, 0x7fffffff, -0x80000000, 1000];
  for (const x of I64) for (const y of I64) cases.push(['intAcrossCall', [x, y]]);
  for (const x of I32) cases.push(['intEvict', [x]], ['intMemory', [x, 0x1234_5678_9abc_def0n]]);
  for (const n of [1, 2, 50]) cases.push(['intLoop', [n]]);
  for (const x of F) {
    cases.push(['tee', [x]], ['evict', [x]], ['overwrittenFromMemory', [x]]);
    for (const y of F) cases.push(['acrossCall', [x, y]], ['acrossHandler', [x, y]], ['setFromOtherLocal', [x, y]]);
    for (const n of [1, 2, 7]) cases.push(['loop', [x, n]]);
    for (const c of [0, 1]) cases.push(['merge', [x, c]]);
  }
  const differ = cases.filter(([f, args]) => !Object.is(jit[f](...args), v8[f](...args))).map(([f, args]) => `${f}(${args.join(', ')}): jit ${String(jit[f](...args))}, v8 ${String(v8[f](...args))}`);
  expect(differ).toEqual([]);
  expect(cases.length).toBeGreaterThan(350);
  expect(jit.evict(0)).toBe(100 + 3 + 6 + 10 + 15 + 21 + 28 + 36);
  expect(jit.acrossCall(1, 2)).toBe(9 - 9);
  expect(jit.merge(1, 1)).toBe(400);
  expect(jit.overwrittenFromMemory(3)).toBe(6);
  expect(jit.intAcrossCall(1n, 2n)).toBe(0n);
});

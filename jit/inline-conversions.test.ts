// i32.wrap_i64, i64.extend_i32_u/_s and i64.extend32_s are inline (codegen.cc numeric()): a 32-bit load or
// move, movsxd. Their operand may be in a slot (a parameter), a deferred constant, the accumulator (an inline
// result) or a cache register (held while the next value takes the accumulator); each case runs on the JIT and on
// Node's own V8, and the results must agree.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { WebAssembly as Jit } from './js-api/index.js';

let bytes: Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  bytes = a.assemble(`(module
    (func (export "wrapParam") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
    (func (export "wrapAcc") (param i64 i64) (result i32) (i32.wrap_i64 (i64.add (local.get 0) (local.get 1))))
    (func (export "wrapHeld") (param i64 i64) (result i32)
      (i32.add (i32.wrap_i64 (i64.xor (local.get 0) (local.get 1))) (i32.wrap_i64 (i64.sub (local.get 0) (local.get 1)))))
    (func (export "wrapConst") (result i32) (i32.wrap_i64 (i64.const 0x123456789abcdef0)))
    (func (export "extendUParam") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
    (func (export "extendUAcc") (param i32 i32) (result i64) (i64.extend_i32_u (i32.sub (local.get 0) (local.get 1))))
    (func (export "extendUConst") (result i64) (i64.extend_i32_u (i32.const -2)))
    (func (export "extendUHeld") (param i32 i32) (result i64)
      (i64.add (i64.extend_i32_u (i32.mul (local.get 0) (local.get 1))) (i64.extend_i32_u (i32.xor (local.get 0) (local.get 1)))))
    (func (export "extendUCompare") (param i32 i32) (result i64) (i64.extend_i32_u (i32.lt_s (local.get 0) (local.get 1))))
    (func (export "extendSParam") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
    (func (export "extendSAcc") (param i32 i32) (result i64) (i64.extend_i32_s (i32.sub (local.get 0) (local.get 1))))
    (func (export "extendSConst") (result i64) (i64.extend_i32_s (i32.const -2)))
    (func (export "extendSHeld") (param i32 i32) (result i64)
      (i64.sub (i64.extend_i32_s (i32.add (local.get 0) (local.get 1))) (i64.extend_i32_s (i32.shl (local.get 0) (local.get 1)))))
    (func (export "extend32Param") (param i64) (result i64) (i64.extend32_s (local.get 0)))
    (func (export "extend32Acc") (param i64 i64) (result i64) (i64.extend32_s (i64.or (local.get 0) (local.get 1))))
    (func (export "roundTrip") (param i64) (result i64) (i64.extend_i32_u (i32.wrap_i64 (i64.extend_i32_s (i32.wrap_i64 (local.get 0)))))))`);
});

type Fn = (...a: unknown[]) => unknown;
const I64 = [0n, 1n, -1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_0000_0000n, -0x8000_0000n, 0x1234_5678_9abc_def0n, -0x1234_5678_9abc_def0n];
const I32 = [0, 1, -1, 0x7fffffff, -0x80000000, 0x1234, -0x1234, 31, 33];

test('every operand place, on the JIT and on V8', () => {
  const jit = new Jit.Instance(new Jit.Module(bytes)).exports as Record<string, Fn>;
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports as Record<string, Fn>;
  const cases: [string, unknown[]][] = [['wrapConst', []], ['extendUConst', []], ['extendSConst', []]];
  for (const x of I64) cases.push(['wrapParam', [x]], ['extend32Param', [x]], ['roundTrip', [x]]);
  for (const x of I64) for (const y of I64) cases.push(['wrapAcc', [x, y]], ['wrapHeld', [x, y]], ['extend32Acc', [x, y]]);
  for (const x of I32) cases.push(['extendUParam', [x]], ['extendSParam', [x]]);
  for (const x of I32) for (const y of I32) for (const f of ['extendUAcc', 'extendUHeld', 'extendUCompare', 'extendSAcc', 'extendSHeld']) cases.push([f, [x, y]]);
  const differ = cases.filter(([f, args]) => jit[f](...args) !== v8[f](...args)).map(([f, args]) => `${f}(${args.join(', ')}): jit ${jit[f](...args)}, v8 ${v8[f](...args)}`);
  expect(differ).toEqual([]);
  expect(cases.length).toBeGreaterThan(500);
  expect(jit.extendUConst()).toBe(0xfffffffen);
  expect(jit.extendSConst()).toBe(-2n);
  expect(jit.wrapConst()).toBe(-0x65432110);
});

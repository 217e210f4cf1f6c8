// Tail calls (return_call, return_call_indirect) reuse the caller's frame: a chain of a million of
// them, direct, through a table and mutually recursive, runs in constant native and value stack
// space, where the same recursion through `call` exhausts the stack. Also: the arguments' moves to
// the frame's start when they overlap or change its shape, and tail calls to imports.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { JitEngine } from './engine.js';
import { Fn, jitExports, loadWat } from './test-text.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  wat = await loadWat();
});

const jit = (text: string, imports = {}) => jitExports(wat(text), imports);

const N = 1_000_000;
const SUM = (BigInt(N) * BigInt(N + 1)) / 2n;

// Each recursion twice: by tail calls, and by calls whose result is returned (not a tail call).
const RECURSIONS = `(module
  (type $sum (func (param i64 i64) (result i64)))
  (table funcref (elem $sumIndirect $sumIndirectRec))

  (func $sum (export "sum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  (func $sumRec (export "sumRec") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
      (else (call $sumRec (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))

  (func $sumIndirect (export "sumIndirect") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
      (else (return_call_indirect (type $sum)
        (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)) (i32.const 0)))))
  (func $sumIndirectRec (export "sumIndirectRec") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
      (else (call_indirect (type $sum)
        (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)) (i32.const 1)))))

  (func $even (export "even") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd (export "odd") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get $n) (i32.const 1))))))
  (func $evenRec (export "evenRec") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
      (else (call $oddRec (i32.sub (local.get $n) (i32.const 1))))))
  (func $oddRec (export "oddRec") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (call $evenRec (i32.sub (local.get $n) (i32.const 1)))))))`;

describe('a million tail calls run in constant stack space', () => {
  let e: Record<string, Fn>;
  beforeAll(() => {
    e = jit(RECURSIONS);
  });

  test('direct (return_call)', () => {
    expect(e.sum(BigInt(N), 0n)).toBe(SUM);
  });

  test('through a table (return_call_indirect)', () => {
    expect(e.sumIndirect(BigInt(N), 0n)).toBe(SUM);
  });

  test('mutually recursive even/odd', () => {
    expect(e.even(N)).toBe(1);
    expect(e.odd(N)).toBe(0);
    expect(e.even(N + 1)).toBe(0);
    expect(e.odd(N + 1)).toBe(1);
  });

  test('the same recursions through call exhaust the stack', () => {
    for (const run of [() => e.sumRec(BigInt(N), 0n), () => e.sumIndirectRec(BigInt(N), 0n), () => e.evenRec(N)])
      expect(run).toThrow('Maximum call stack size exceeded');
    expect(e.sumRec(1000n, 0n)).toBe(500500n); // and a shallow one still works
  });

  test('the harness engine reports the exhaustion as "call stack exhausted", and the tail version returns', () => {
    const engine = new JitEngine();
    const module = engine.compile(wat(RECURSIONS));
    const instance = engine.instantiate(module, () => undefined);
    expect(() => instance.invoke('evenRec', [{ type: 'i32', bits: N }])).toThrow('call stack exhausted');
    expect(instance.invoke('even', [{ type: 'i32', bits: N }])).toEqual([{ type: 'i32', bits: 1 }]);
    instance.dispose?.();
    module.dispose?.();
  });
});

describe('arguments and callees', () => {
  test('arguments swapped from the parameters, fewer and more units than the caller has, a v128 among them', () => {
    const e = jit(`(module
      (func $swap (export "swap") (param i32 i64) (result i64)
        (return_call $pair (local.get 1) (local.get 0)))
      (func $pair (param i64 i32) (result i64) (i64.sub (i64.mul (local.get 0) (i64.const 1000)) (i64.extend_i32_s (local.get 1))))
      (func (export "grow") (param i32) (result f64)
        (local $pad i64)
        (return_call $wide (f64.const 0.5) (v128.const i32x4 1 2 3 4) (local.get 0) (f32.const 2.5) (i64.const 7)))
      (func $wide (param f64 v128 i32 f32 i64) (result f64)
        (f64.add (f64.add (local.get 0) (f64.convert_i32_s (i32x4.extract_lane 3 (local.get 1))))
          (f64.add (f64.convert_i32_s (local.get 2)) (f64.add (f64.promote_f32 (local.get 3)) (f64.convert_i64_s (local.get 4))))))
      (func (export "shrink") (param i64 i64 i64) (result i64)
        (return_call $shrink (local.get 0) (local.get 1) (local.get 2) (v128.const i64x2 0 2)))
      (func $shrink (param i64 i64 i64 v128) (result i64)
        (return_call $one (i64.add (local.get 2) (i64x2.extract_lane 1 (local.get 3)))))
      (func $one (param i64) (result i64) (local.get 0)))`);
    expect(e.swap(3, 5n)).toBe(4997n);
    expect(e.grow(10)).toBe(0.5 + 4 + 10 + 2.5 + 7);
    expect(e.shrink(0n, 0n, 40n)).toBe(42n);
  });

  test('a tail call to an imported JS function and to another instance\'s function', () => {
    const other = jit(`(module (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))`);
    const e = jit(
      `(module
        (import "m" "host" (func $host (param i32 i32) (result i32)))
        (import "m" "twice" (func $twice (param i32) (result i32)))
        (table funcref (elem $host $twice))
        (func (export "toHost") (param i32) (result i32) (return_call $host (local.get 0) (i32.const 1)))
        (func (export "toTwice") (param i32) (result i32) (return_call $twice (local.get 0)))
        (func (export "byTable") (param i32 i32) (result i32)
          (if (result i32) (local.get 1)
            (then (return_call_indirect (param i32) (result i32) (local.get 0) (i32.const 1)))
            (else (return_call_indirect (param i32 i32) (result i32) (local.get 0) (i32.const 1) (i32.const 0))))))`,
      { m: { host: (a: number, b: number) => a * 10 + b, twice: other.twice } },
    );
    expect(e.toHost(4)).toBe(41);
    expect(e.toTwice(21)).toBe(42);
    expect(e.byTable(5, 0)).toBe(51);
    expect(e.byTable(5, 1)).toBe(10);
  });

  test('return_call_indirect traps as call_indirect does', () => {
    const e = jit(`(module
      (table 2 funcref) (elem (i32.const 0) $f)
      (func $f (param i32) (result i32) (local.get 0))
      (func (export "call") (param i32) (result i64) (return_call_indirect (param i64) (result i64) (i64.const 1) (local.get 0))))`);
    expect(() => e.call(0)).toThrow('indirect call type mismatch');
    expect(() => e.call(1)).toThrow('uninitialized element');
    expect(() => e.call(2)).toThrow('undefined element');
  });
});

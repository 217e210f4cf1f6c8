// The fast boundary (jit/src/fast_entry.h): Exported Functions of numbers enter wasm through a call
// area, and their activations call JS functions of numbers back in JS. What it must keep of the JS
// API: conversions in order and re-entrant, results converted as ToWebAssemblyValue says, a host's
// exception passing through unchanged, traps, and no state left behind when JS leaves abruptly.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../../wast/assembler.js';
import { WebAssembly as Jit } from './index.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

// By name: the wrappers run in Node's realm, not the test's.
const typeError = expect.objectContaining({ name: 'TypeError' }) as unknown as Error;

type Fns = Record<string, (...args: unknown[]) => unknown>;
const instantiate = (text: string, imports: Record<string, Record<string, unknown>> = {}): Fns =>
  new Jit.Instance(new Jit.Module(wat(text)), imports as never).exports as unknown as Fns;

test('arguments of every number type convert as the JS API says, results come back exact', () => {
  const e = instantiate(`(module
    (func (export "i32") (param i32) (result i32) (local.get 0))
    (func (export "i64") (param i64) (result i64) (local.get 0))
    (func (export "f32") (param f32) (result f32) (local.get 0))
    (func (export "f64") (param f64) (result f64) (local.get 0))
    (func (export "mix") (param i32 i64 f32 f64) (result f64)
      (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
               (f64.add (f64.promote_f32 (local.get 2)) (local.get 3)))))`);
  expect(e.i32(2 ** 32 + 5)).toBe(5);
  expect(e.i32('-7')).toBe(-7);
  expect(e.i32(undefined)).toBe(0);
  expect(() => e.i32(1n)).toThrow(typeError);
  expect(e.i64(2n ** 64n - 1n)).toBe(-1n);
  expect(e.i64('12')).toBe(12n);
  expect(() => e.i64(1)).toThrow(typeError);
  expect(() => e.i64()).toThrow(typeError);
  expect(e.f32(0.1)).toBe(Math.fround(0.1));
  expect(e.f64(0.1)).toBe(0.1);
  expect(Number.isNaN(e.f64(undefined))).toBe(true);
  expect(e.mix(1, 2n, 0.5, 0.25)).toBe(3.75);
  expect(e.mix.length).toBe(4);
  expect(() => new (e.i32 as unknown as new () => unknown)()).toThrow(typeError);
});

test('a conversion that calls wasm again leaves the outer call its own arguments', () => {
  const e = instantiate(`(module (func (export "sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1))))`);
  const sneaky = { valueOf: () => (e.sub(100, 1) as number) - 90 }; // 9, after a call through the same area
  expect(e.sub(50, sneaky)).toBe(41);
  expect(e.sub(sneaky, 4)).toBe(5);
});

test('imports of every number type are called from JS with converted arguments and results', () => {
  const seen: unknown[][] = [];
  const e = instantiate(
    `(module
      (import "js" "f" (func $f (param i32 i64 f32 f64) (result i64)))
      (import "js" "g" (func $g (param i32) (result f32)))
      (import "js" "h" (func $h (result i32)))
      (func (export "run") (result i64) (call $f (i32.const -1) (i64.const -2) (f32.const 1.5) (f64.const 2.25)))
      (func (export "g") (param i32) (result f32) (call $g (local.get 0)))
      (func (export "h") (result i32) (call $h)))`,
    {
      js: {
        f: (...args: unknown[]) => (seen.push(args), 2n ** 63n),
        g: (x: number) => x + 0.1,
        h: () => ({ valueOf: () => 2 ** 32 + 3 }),
      },
    },
  );
  expect(e.run()).toBe(-(2n ** 63n));
  expect(seen).toEqual([[-1, -2n, 1.5, 2.25]]);
  expect(e.g(1)).toBe(Math.fround(1.1));
  expect(e.h()).toBe(3);
});

test("a host function's exception passes through unchanged, and the next call works", () => {
  const thrown = { mine: true };
  let fail = true;
  const e = instantiate(
    `(module (import "js" "f" (func $f (param i32) (result i32)))
      (func (export "run") (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1))))`,
    { js: { f: (x: number) => { if (fail) throw thrown; return x * 2; } } },
  );
  let caught: unknown;
  try {
    e.run(1);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBe(thrown);
  fail = false;
  expect(e.run(20)).toBe(41);
});

test('JS that overflows its stack between wasm frames leaves no activation behind', () => {
  const e = instantiate(
    `(module (import "js" "again" (func $again (param i32) (result i32)))
      (global $depth (mut i32) (i32.const 0))
      (func $down (global.set $depth (i32.add (global.get $depth) (i32.const 1))) (call $down))
      (func (export "probe") (result i32) (global.set $depth (i32.const 0)) (call $down) (i32.const -1))
      (func (export "depth") (result i32) (global.get $depth))
      (func (export "enter") (param i32) (result i32) (call $again (i32.add (local.get 0) (i32.const 1)))))`,
    { js: { again: (n: number) => (e.enter as (n: number) => number)(n) } },
  );
  const depth = () => {
    expect(() => e.probe()).toThrow(expect.objectContaining({ name: 'RangeError' }) as unknown as Error);
    return e.depth();
  };
  const fresh = depth();
  for (let round = 0; round < 3; round++) expect(() => e.enter(0)).toThrow(expect.objectContaining({ name: 'RangeError' }) as unknown as Error);
  expect(depth()).toBe(fresh);
});

test('a trap under a host call unwinds to the entry that made it', () => {
  const e = instantiate(
    `(module (import "js" "f" (func $f (param i32) (result i32)))
      (func (export "outer") (param i32) (result i32) (call $f (local.get 0)))
      (func (export "inner") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))`,
    {
      js: {
        f: (x: number) => {
          try {
            return (e.inner as (n: number) => number)(x);
          } catch (err) {
            expect(err).toMatchObject({ name: 'RuntimeError', message: 'integer divide by zero' });
            return 77;
          }
        },
      },
    },
  );
  expect(e.outer(0)).toBe(77);
  expect(e.outer(1)).toBe(1);
});

// The same work on the main thread and on two Workers at once: each thread's call area, activations
// and host calls are its own.
const THREAD_WAT = `(module
  (import "js" "twice" (func $twice (param i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $twice (local.get 0)) (i32.const 1)))
  (func (export "half") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (unreachable)) (else (i32.shr_u (local.get 0) (i32.const 1))))))`;

/** Sum over i of run(i) = 2 * half(2i)... with a trap (caught in JS) at every 100th. */
const THREAD_BODY = `
  function work(W, bytes, n) {
    let e;
    const twice = (x) => {
      if (x % 100 === 0) { try { e.half(0); } catch (err) { if (err.message !== 'unreachable') throw err; } }
      return 2 * e.half(2 * x + 2);
    };
    e = new W.Instance(new W.Module(bytes), { js: { twice } }).exports;
    let sum = 0;
    for (let i = 0; i < n; i++) sum = (sum + e.run(i)) | 0;
    return sum;
  }`;

test('the main thread and two Workers call through the fast boundary at once, each with its own results', async () => {
  const { Worker } = await import('node:worker_threads');
  const { join } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const { PACKAGE_ROOT } = await import('../../core/package-root.js');
  const bytes = wat(THREAD_WAT);
  const n = 20_000;
  const expected = Array.from({ length: n }, (_, i) => 2 * (i + 1) + 1).reduce((a, b) => (a + b) | 0, 0);
  const url = pathToFileURL(join(PACKAGE_ROOT, 'dist', 'jit', 'js-api', 'index.js')).href;
  const workers = [1, 2].map(
    () =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(
          `${THREAD_BODY}
          const { parentPort, workerData } = require('node:worker_threads');
          import(${JSON.stringify(url)}).then(({ WebAssembly: W }) => parentPort.postMessage(work(W, workerData, ${n})));`,
          { eval: true, workerData: bytes },
        );
        w.on('message', resolve);
        w.on('error', reject);
      }),
  );
  const work = new Function('W', 'bytes', 'n', `${THREAD_BODY}; return work(W, bytes, n);`) as (w: unknown, b: Uint8Array, n: number) => number;
  expect(work(Jit, bytes, n)).toBe(expected);
  expect(await Promise.all(workers)).toEqual([expected, expected]);
});

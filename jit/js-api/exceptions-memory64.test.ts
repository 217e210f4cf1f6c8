// The JIT's WebAssembly namespace for Wasm 3.0's exception handling and 64-bit memories and tables:
// WebAssembly.Tag and WebAssembly.Exception, the identity of exceptions that cross between JS and wasm
// (the same object out as went in), WebAssembly.JSTag, exnref and typed references refused or checked
// at the boundary, and memories and tables of i64 addresses with BigInt sizes and indices. Errors come
// from the main realm while jest runs this file in a realm of its own: they are told apart by name.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Assembler } from '../../wast/assembler.js';
import { WebAssembly as W } from './index.js';

let wat: (text: string) => Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text) as Uint8Array<ArrayBuffer>;
});

type Exports = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const instance = (text: string, imports?: object): Exports => new W.Instance(new W.Module(wat(text)), imports).exports as Exports;

/** The name of what fn throws ('' when it does not throw). */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).name;
  }
  return '';
}

/** What fn throws (undefined when it does not). */
function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('Tag', () => {
  test('made from JS: its parameters are value types, a TypeError for anything else', () => {
    expect(Object.getPrototypeOf(new W.Tag({ parameters: ['i32', 'i64', 'f32', 'f64', 'v128', 'externref', 'anyfunc'] }))).toBe(W.Tag.prototype);
    expect(Object.prototype.toString.call(new W.Tag({ parameters: [] }))).toBe('[object WebAssembly.Tag]');
    for (const bad of [undefined, null, 1, 'i32', {}, { parameters: 'i32' }, { parameters: ['i16'] }, { parameters: ['i32\0'] }])
      expect(thrown(() => new W.Tag(bad as never))).toBe('TypeError');
    expect(thrown(() => (W.Tag as unknown as (a: unknown) => unknown)({ parameters: [] }))).toBe('TypeError');
    // WebIDL's sequence: any iterable (V8 14 reads an array-like instead, by its length)
    expect(new W.Tag({ parameters: new Set(['i32']) as never })).toBeInstanceOf(W.Tag);
  });

  test('an exported tag is the same Tag object each time, and imports into another instance as the same tag', () => {
    const a = instance(`(module (tag $t (export "t") (export "u") (param i32))
      (func (export "throw") (param i32) (throw $t (local.get 0))))`);
    expect(a.t).toBeInstanceOf(W.Tag);
    expect(a.t).toBe(a.u);
    const b = instance(
      `(module (import "m" "t" (tag $t (param i32))) (import "m" "throw" (func $throw (param i32)))
        (tag (export "again") (param i32))
        (func (export "catch") (param i32) (result i32)
          (block $h (result i32) (try_table (catch $t $h) (call $throw (local.get 0))) (i32.const -1))))`,
      { m: { t: a.t, throw: a.throw } },
    );
    expect(b.catch(41)).toBe(41);
    expect(b.again).not.toBe(a.t);
    // Imported back into a module that exports it: the same object again.
    const c = instance(`(module (import "m" "t" (tag $t (param i32))) (export "t" (tag $t)))`, { m: { t: a.t } });
    expect(c.t).toBe(a.t);
  });

  test('linking checks the tag and its type', () => {
    const m = new W.Module(wat(`(module (import "m" "t" (tag (param i32))))`));
    expect(thrown(() => new W.Instance(m, { m: { t: new W.Tag({ parameters: ['i64'] }) } }))).toBe('LinkError');
    expect(thrown(() => new W.Instance(m, { m: { t: {} } }))).toBe('LinkError');
    expect(thrown(() => new W.Instance(m, { m: { t: new W.Tag({ parameters: ['i32'] }) } }))).toBe('');
    expect(W.Module.imports(m)).toEqual([{ module: 'm', name: 't', kind: 'tag' }]);
  });
});

describe('Exception', () => {
  test('made from JS: is(), getArg() of every type that crosses, and the TypeErrors and RangeErrors', () => {
    const fn = instance(`(module (func (export "f")))`).f;
    const tag = new W.Tag({ parameters: ['i32', 'i64', 'f32', 'f64', 'externref', 'anyfunc'] });
    const obj = {};
    const exn = new W.Exception(tag, [7.9, 5n, 0.1, 0.1, obj, fn]);
    expect(Object.prototype.toString.call(exn)).toBe('[object WebAssembly.Exception]');
    expect(exn.is(tag)).toBe(true);
    expect(exn.is(new W.Tag({ parameters: ['i32', 'i64', 'f32', 'f64', 'externref', 'anyfunc'] }))).toBe(false);
    expect([0, 1, 2, 3, 4, 5].map((i) => exn.getArg(tag, i))).toEqual([7, 5n, Math.fround(0.1), 0.1, obj, fn]);
    expect(exn.getArg(tag, 4)).toBe(obj);
    expect(thrown(() => exn.getArg(tag, 6))).toBe('RangeError');
    expect(thrown(() => exn.getArg(new W.Tag({ parameters: [] }), 0))).toBe('TypeError');
    expect(thrown(() => exn.getArg(tag, -1))).toBe('TypeError');
    expect(thrown(() => new W.Exception(tag, [1, 2n, 3, 4, null]))).toBe('TypeError'); // too short
    expect(thrown(() => new W.Exception(tag, [1, 2, 3, 4, null, null]))).toBe('TypeError'); // a Number for an i64
    expect(thrown(() => new W.Exception(tag, [1, 2n, 3, 4, null, () => {}]))).toBe('TypeError'); // not an Exported Function
    expect(thrown(() => new W.Exception(new W.Tag({ parameters: ['v128'] }), [0]))).toBe('TypeError');
    expect(thrown(() => new W.Exception(W.JSTag, [{}]))).toBe('TypeError');
    expect(thrown(() => new W.Exception(tag, 1 as never))).toBe('TypeError');
    expect(thrown(() => W.Exception.prototype.is.call({}, tag))).toBe('TypeError');
  });

  test('traceStack gives it a stack, else stack is undefined', () => {
    const tag = new W.Tag({ parameters: [] });
    expect(new W.Exception(tag, []).stack).toBeUndefined();
    expect(typeof new W.Exception(tag, [], { traceStack: true }).stack).toBe('string');
  });

  const THROWER = `(module
    (tag $e (export "e") (param i32 externref))
    (import "js" "call" (func $call (param i32)))
    (func (export "throw") (param i32 externref) (throw $e (local.get 0) (local.get 1)))
    ;; calls JS and returns the i32 of an $e it throws
    (func (export "catchE") (param i32) (result i32)
      (block $h (result i32 externref)
        (try_table (catch $e $h) (call $call (local.get 0)))
        (return (i32.const -1)))
      (drop))
    ;; calls JS, catches anything with catch_all_ref and rethrows it with throw_ref
    (func (export "rethrow") (param i32)
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (call $call (local.get 0)))
        (return))
      (throw_ref))
    (func $start (if (global.get $fail) (then (throw $e (i32.const 3) (ref.null extern)))))
    (global $fail (mut i32) (i32.const 0)))`;

  test('a wasm exception reaches JS as a WebAssembly.Exception of its tag and payload', () => {
    const e = instance(THROWER, { js: { call() {} } });
    const obj = {};
    const x = caught(() => e.throw(12, obj)) as InstanceType<typeof W.Exception>;
    expect(x).toBeInstanceOf(W.Exception);
    expect(x.is(e.e)).toBe(true);
    expect(x.getArg(e.e, 0)).toBe(12);
    expect(x.getArg(e.e, 1)).toBe(obj);
    expect(x.stack).toBeUndefined();
  });

  test('the same exception object crosses JS and wasm both ways: caught by its tag in wasm, the same object out', () => {
    let toThrow: unknown;
    let e: Exports = {};
    const seen: unknown[] = [];
    e = instance(THROWER, {
      js: {
        call(n: number) {
          if (n === 0) throw toThrow;
          // A wasm exception through JS and back: JS sees it, rethrows it as it is.
          try {
            e.throw(n, null);
          } catch (err) {
            seen.push(err);
            throw err;
          }
        },
      },
    });
    // Made in JS, thrown by an import: wasm catches it by its tag and reads its payload.
    toThrow = new W.Exception(e.e, [99, null]);
    expect(e.catchE(0)).toBe(99);
    // Rethrown by wasm: JS gets the very object it threw.
    expect(caught(() => e.rethrow(0))).toBe(toThrow);
    // Another tag's exception passes through catch $e and out as itself.
    toThrow = new W.Exception(new W.Tag({ parameters: ['i32', 'externref'] }), [1, null]);
    expect(caught(() => e.catchE(0))).toBe(toThrow);
    // Made in wasm, through JS, rethrown in wasm: one object all the way.
    const out = caught(() => e.rethrow(5));
    expect(out).toBeInstanceOf(W.Exception);
    expect(seen).toEqual([out]);
    expect(seen[0]).toBe(out);
    expect(e.catchE(6)).toBe(6);
  });

  test('JS values that are not WebAssembly.Exceptions: the JS tag, catch_all, and the same value out', () => {
    const e = instance(
      `(module (import "m" "JSTag" (tag $js (param externref))) (import "m" "f" (func $f (param externref)))
        (func (export "catchJs") (param externref) (result externref)
          (block $h (result externref) (try_table (catch $js $h) (call $f (local.get 0))) (ref.null extern)))
        (func (export "throwJs") (param externref) (throw $js (local.get 0)))
        (func (export "rethrow") (param externref)
          (block $h (result exnref) (try_table (catch_all_ref $h) (call $f (local.get 0))) (return))
          (throw_ref)))`,
      { m: { JSTag: W.JSTag, f: (v: unknown) => { throw v; } } },
    );
    expect(W.JSTag).toBe(W.JSTag);
    expect(W.JSTag).toBeInstanceOf(W.Tag);
    const obj = { mine: true };
    expect(e.catchJs(obj)).toBe(obj);
    expect(e.catchJs(undefined)).toBe(undefined);
    expect(caught(() => e.throwJs(obj))).toBe(obj);
    expect(caught(() => e.throwJs(null))).toBe(null);
    expect(caught(() => e.rethrow(obj))).toBe(obj);
    const exn = new W.Exception(new W.Tag({ parameters: [] }), []);
    expect(caught(() => e.catchJs(exn))).toBe(exn); // not of the JS tag: not caught, out as itself
  });

  test("a start function's exception is what instantiation throws", async () => {
    const src = `(module (tag $e (param i32)) (func $s (throw $e (i32.const 4))) (start $s))`;
    const x = caught(() => instance(src));
    expect(x).toBeInstanceOf(W.Exception);
    await expect(W.instantiate(wat(src))).rejects.toBeInstanceOf(W.Exception);
  });

  test('in a Worker: its own WebAssembly.Exception objects, and the same identity rules', async () => {
    const { Worker } = await import('node:worker_threads');
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const { PACKAGE_ROOT } = await import('../../core/package-root.js');
    const url = pathToFileURL(join(PACKAGE_ROOT, 'dist', 'jit', 'js-api', 'index.js')).href;
    const result = await new Promise((resolve, reject) => {
      const w = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
        import(${JSON.stringify(url)}).then(({ WebAssembly: W }) => {
          let mine;
          const e = new W.Instance(new W.Module(workerData), { js: { call: () => { throw mine; } } }).exports;
          let out;
          try { e.throw(3, null); } catch (err) { out = err; }
          mine = new W.Exception(e.e, [8, null]);
          let again;
          try { e.rethrow(0); } catch (err) { again = err; }
          parentPort.postMessage([out instanceof W.Exception, out.getArg(e.e, 0), e.catchE(0), again === mine]);
        });`,
        { eval: true, workerData: wat(THROWER) },
      );
      w.on('message', resolve);
      w.on('error', reject);
    });
    expect(result).toEqual([true, 3, 8, true]);
  });

  test('thousands of exceptions made and thrown through wasm, caught and not', () => {
    const e = instance(THROWER, { js: { call: (n: number) => { throw new W.Exception(e.e, [n, null]); } } });
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      sum += e.catchE(i % 7);
      if (i % 100 === 0) expect((caught(() => e.throw(i, null)) as InstanceType<typeof W.Exception>).getArg(e.e, 0)).toBe(i);
    }
    expect(sum).toBe(Array.from({ length: 20_000 }, (_, i) => i % 7).reduce((a, b) => a + b, 0));
  });
});

describe('exnref and typed references at the boundary', () => {
  test('exnref never crosses: exported functions, imports, globals and tables refuse it with a TypeError', () => {
    const e = instance(
      `(module
        (import "js" "takes" (func $takes (param exnref)))
        (global (export "g") (mut exnref) (ref.null exn))
        (table (export "t") 2 exnref)
        (func (export "param") (param exnref))
        (func (export "result") (result exnref) (ref.null exn))
        ;; calling the import throws its TypeError inside wasm: catch_all takes it
        (func (export "callTakes") (result i32)
          (block $h (try_table (catch_all $h) (call $takes (ref.null exn))) (return (i32.const 0)))
          (i32.const 1)))`,
      { js: { takes() {} } },
    );
    expect(thrown(() => e.param(null))).toBe('TypeError');
    expect(thrown(() => e.result())).toBe('TypeError');
    expect(e.callTakes()).toBe(1);
    expect(thrown(() => e.g.value)).toBe('TypeError');
    expect(thrown(() => (e.g.value = null))).toBe('TypeError');
    expect(thrown(() => e.t.get(0))).toBe('TypeError');
    expect(thrown(() => e.t.set(0, null))).toBe('TypeError');
    expect(e.t.grow(1)).toBe(2); // a missing value is null
    expect(thrown(() => e.t.grow(1, null))).toBe('TypeError');
  });

  test('a typed function reference takes only a function of its type (and null where nullable)', () => {
    const e = instance(`(module
      (type $ii (func (param i32) (result i32)))
      (type $v (func))
      (func $inc (export "inc") (type $ii) (i32.add (local.get 0) (i32.const 1)))
      (func (export "nop") (type $v))
      (func (export "call") (param (ref $ii)) (param i32) (result i32) (call_ref $ii (local.get 1) (local.get 0)))
      (func (export "callNull") (param (ref null $ii)) (result i32) (ref.is_null (local.get 0)))
      (table (export "t") 1 (ref null $ii))
      (global (export "g") (mut (ref null $ii)) (ref.null $ii)))`);
    expect(e.call(e.inc, 41)).toBe(42);
    expect(thrown(() => e.call(e.nop, 1))).toBe('TypeError');
    expect(thrown(() => e.call(null, 1))).toBe('TypeError');
    expect(e.callNull(null)).toBe(1);
    expect(thrown(() => e.callNull(e.nop))).toBe('TypeError');
    expect(thrown(() => e.t.set(0, e.nop))).toBe('TypeError');
    e.t.set(0, e.inc);
    expect(e.t.get(0)).toBe(e.inc);
    expect(thrown(() => (e.g.value = e.nop))).toBe('TypeError');
    e.g.value = e.inc;
    expect(e.g.value).toBe(e.inc);
    // The same type in another module is the same type.
    const other = instance(`(module (func (export "inc2") (param i32) (result i32) (i32.add (local.get 0) (i32.const 2))))`);
    expect(e.call(other.inc2, 1)).toBe(3);
  });
});

describe('memory64', () => {
  test('a Memory of i64 addresses: BigInt limits and grow, ToBigInt conversions, RangeErrors', () => {
    const mem = new W.Memory({ address: 'i64', initial: 1n, maximum: 3n } as never);
    expect(mem.buffer.byteLength).toBe(65536);
    expect(mem.grow(1n as never)).toBe(1n);
    expect(mem.buffer.byteLength).toBe(2 * 65536);
    expect(new W.Memory({ address: 'i64', initial: '2' } as never).buffer.byteLength).toBe(2 * 65536);
    expect(thrown(() => new W.Memory({ address: 'i64', initial: 1 } as never))).toBe('TypeError'); // a Number
    expect(thrown(() => new W.Memory({ address: 'i64', initial: -1n } as never))).toBe('TypeError');
    expect(thrown(() => new W.Memory({ address: 'i64', initial: 2n ** 64n } as never))).toBe('TypeError');
    expect(thrown(() => new W.Memory({ address: 'i64', initial: 2n ** 48n + 1n } as never))).toBe('RangeError');
    expect(thrown(() => new W.Memory({ address: 'i64', initial: 3n, maximum: 2n } as never))).toBe('RangeError');
    expect(thrown(() => new W.Memory({ address: 'i128', initial: 1 } as never))).toBe('TypeError');
    expect(thrown(() => mem.grow(2n as never))).toBe('RangeError');
    expect(thrown(() => mem.grow(1 as never))).toBe('TypeError');
    expect(thrown(() => mem.grow(2n ** 40n as never))).toBe('RangeError');
  });

  test('imported into wasm and exported from it, the same memory with BigInt grow', () => {
    const mem = new W.Memory({ address: 'i64', initial: 1n } as never);
    const e = instance(
      `(module (import "m" "mem" (memory i64 1)) (export "mem" (memory 0))
        (func (export "store") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
        (func (export "size") (result i64) (memory.size)))`,
      { m: { mem } },
    );
    expect(e.mem).toBe(mem);
    e.store(65535n, 7);
    expect(new Uint8Array(mem.buffer)[65535]).toBe(7);
    expect(thrown(() => e.store(65536n, 1))).toBe('RuntimeError');
    expect(mem.grow(2n as never)).toBe(1n);
    expect(e.size()).toBe(3n);
    // A 32-bit memory does not link where a 64-bit one is imported.
    expect(thrown(() => instance(`(module (import "m" "mem" (memory i64 1)))`, { m: { mem: new W.Memory({ initial: 1 }) } }))).toBe('LinkError');
    const own = instance(`(module (memory (export "mem") i64 2 4))`).mem;
    expect(own.grow(0n)).toBe(2n);
    expect(own.buffer.byteLength).toBe(2 * 65536);
  });

  test('a shared 64-bit memory: a frozen SharedArrayBuffer, BigInt grow, atomics from wasm', () => {
    const mem = new W.Memory({ address: 'i64', initial: 1n, maximum: 4n, shared: true } as never);
    expect(Object.prototype.toString.call(mem.buffer)).toBe('[object SharedArrayBuffer]'); // (of the main realm)
    expect(Object.isFrozen(mem.buffer)).toBe(true);
    expect(mem.grow(1n as never)).toBe(1n);
    expect(mem.buffer.byteLength).toBe(2 * 65536);
    const e = instance(
      `(module (import "m" "mem" (memory i64 1 4 shared))
        (func (export "store") (param i64 i32) (i32.atomic.store (local.get 0) (local.get 1))))`,
      { m: { mem } },
    );
    e.store(8n, 0x01020304);
    expect(new Uint32Array(mem.buffer)[2]).toBe(0x01020304);
    expect(thrown(() => instance(`(module (import "m" "mem" (memory 1 4 shared)))`, { m: { mem } }))).toBe('LinkError');
  });
});

describe('table64', () => {
  test('a Table of i64 indices: BigInt length, get, set and grow', () => {
    const e = instance(`(module (func (export "f") (result i32) (i32.const 5)))`);
    const t = new W.Table({ element: 'anyfunc', address: 'i64', initial: 2n, maximum: 2n ** 64n - 1n } as never);
    expect(t.length).toBe(2n);
    expect(t.get(1n as never)).toBe(null);
    t.set(1n as never, e.f);
    expect(t.get(1n as never)).toBe(e.f);
    expect(thrown(() => t.get(2n as never))).toBe('RangeError');
    expect(thrown(() => t.get(1 as never))).toBe('TypeError');
    expect(thrown(() => t.set(-1n as never, null))).toBe('TypeError');
    expect(thrown(() => t.set(2n ** 63n as never, null))).toBe('RangeError');
    expect(t.grow(3n as never)).toBe(2n);
    expect(t.length).toBe(5n);
    expect(thrown(() => t.grow(2n ** 40n as never))).toBe('RangeError');
    expect(thrown(() => new W.Table({ element: 'anyfunc', address: 'i64', initial: 3n, maximum: 2n } as never))).toBe('RangeError');
    expect(thrown(() => new W.Table({ element: 'anyfunc', address: 'i64', initial: 10_000_001n } as never))).toBe('RangeError');
  });

  test('imported into wasm, called through with an i64 index; an exported 64-bit table', () => {
    const fns = instance(`(module (func (export "f") (result i32) (i32.const 7)))`);
    const t = new W.Table({ element: 'anyfunc', address: 'i64', initial: 4n } as never);
    t.set(3n as never, fns.f);
    const e = instance(
      `(module (import "m" "t" (table i64 4 funcref)) (type $r (func (result i32)))
        (func (export "call") (param i64) (result i32) (call_indirect (type $r) (local.get 0)))
        (table (export "own") i64 1 funcref))`,
      { m: { t } },
    );
    expect(e.call(3n)).toBe(7);
    expect(thrown(() => e.call(4n))).toBe('RuntimeError');
    expect(e.own.length).toBe(1n);
    expect(e.own.grow(1n)).toBe(1n);
    expect(thrown(() => instance(`(module (import "m" "t" (table i64 1 funcref)))`, { m: { t: new W.Table({ element: 'anyfunc', initial: 1 }) } }))).toBe('LinkError');
  });
});

// The JIT as a JS user meets it: exports as functions, traps as errors, host exceptions passing
// through unchanged, re-entry, stack exhaustion, and V8's own traps still working beside it.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Assembler } from '../wast/assembler.js';
import { loadAddon } from './addon.js';
import { JitInstance, JitLinkError, JitModule } from './api.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

const jit = (text: string, imports = {}) => new JitInstance(new JitModule(wat(text)), imports).exports as Record<string, (...a: unknown[]) => unknown>;

describe('calls and values', () => {
  test('arguments and results of every scalar type, several results', () => {
    const e = jit(`(module
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
      (func (export "hyp") (param f64 f64) (result f64) (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1)))))
      (func (export "swap") (param f32 i32) (result i32 f32) (local.get 1) (local.get 0)))`);
    expect(e.add(2, 40)).toBe(42);
    expect(e.add(0x7fffffff, 1)).toBe(-0x80000000);
    expect(e.mul64(1n << 32n, 1n << 32n)).toBe(0n);
    expect(e.mul64(-3n, 7n)).toBe(-21n);
    expect(e.hyp(3, 4)).toBe(5);
    expect(e.swap(1.5, 7)).toEqual([7, 1.5]);
  });

  test('a recursive function', () => {
    const e = jit(`(module (func $fac (export "fac") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
        (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))`);
    expect(e.fac(20n)).toBe(2432902008176640000n);
  });
});

/** The addon throws the RuntimeError of Node's realm, which jest's realm's class is not: checked by name. */
function expectRuntimeError(f: () => unknown, message: string): void {
  expect(f).toThrow(message);
  try {
    f();
  } catch (e) {
    expect((e as Error).name).toBe('RuntimeError');
    return;
  }
  throw new Error('no RuntimeError thrown');
}

describe('traps and exceptions', () => {
  test('traps become errors with the spec message, and the instance stays usable', () => {
    const e = jit(`(module (memory 1)
      (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
      (func (export "boom") unreachable))`);
    expectRuntimeError(() => e.div(1, 0), 'integer divide by zero');
    expectRuntimeError(() => e.load(65536), 'out of bounds memory access');
    expectRuntimeError(() => e.load(-1), 'out of bounds memory access');
    expectRuntimeError(() => e.boom(), 'unreachable');
    expect(e.div(7, 2)).toBe(3);
    expect(e.load(65532)).toBe(0);
  });

  test('deep recursion is a clean RangeError, as in V8, and the next call works', () => {
    const e = jit(`(module
      (func $down (export "down") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
      (func $forever (export "forever") (call $forever)))`);
    expect(() => e.forever()).toThrow(expect.objectContaining({ name: 'RangeError' }) as unknown as Error);
    expect(() => e.forever()).toThrow('Maximum call stack size exceeded');
    expect(e.down(10000)).toBe(10000);
  });

  test('a JS exception thrown by an import passes through wasm frames unchanged', () => {
    const thrown = new Error('from the host');
    const e = jit(`(module (import "env" "f" (func $f (param i32)))
      (func (export "g") (param i32) (call $f (i32.add (local.get 0) (i32.const 1)))))`, {
      env: { f: () => { throw thrown; } },
    });
    let caught: unknown;
    try {
      e.g(1);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(thrown);
  });

  test('re-entry: wasm calls JS, which calls wasm again', () => {
    const holder: { e?: Record<string, (...a: unknown[]) => unknown> } = {};
    holder.e = jit(`(module (import "env" "back" (func $back (param i32) (result i32)))
      (func (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $back (i32.sub (local.get 0) (i32.const 1))) (call $back (i32.sub (local.get 0) (i32.const 2))))))))`, {
      env: { back: (n: number) => holder.e!.fib(n) },
    });
    expect(holder.e.fib(15)).toBe(610);
  });

  test('instances link to each other; a missing import is a link error', () => {
    const a = new JitInstance(new JitModule(wat(`(module (global (export "g") (mut i32) (i32.const 5)) (memory (export "m") 1)
      (func (export "inc") (global.set 0 (i32.add (global.get 0) (i32.const 1)))))`)));
    const b = jit(`(module (import "a" "g" (global (mut i32))) (import "a" "m" (memory 1)) (import "a" "inc" (func $inc))
      (func (export "run") (result i32) (call $inc) (i32.store (i32.const 8) (global.get 0)) (i32.load (i32.const 8))))`, { a: a.exports });
    expect(b.run()).toBe(6);
    expect((a.exports.g as { value: number }).value).toBe(6);
    expect(() => jit('(module (import "x" "y" (func)))')).toThrow(JitLinkError);
  });
});

test("V8's own out-of-bounds traps still work after the JIT installed its signal handler", () => {
  const e = jit('(module (memory 1) (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))');
  expectRuntimeError(() => e.load(1 << 20), 'out of bounds memory access'); // the JIT's handler is in place now
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(wat('(module (memory 1) (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))') as Uint8Array<ArrayBuffer>)).exports as { load: (a: number) => number };
  expect(() => v8.load(1 << 20)).toThrow(WebAssembly.RuntimeError);
  expect(() => v8.load(1 << 20)).toThrow(/memory access out of bounds/);
  expect(v8.load(0)).toBe(0);
  expect(() => e.load(1 << 20)).toThrow('out of bounds memory access');
});

// A trap found by the signal handler must leave it through sigreturn: leaving by a jump kept the handler's
// PKRU on CPUs with memory protection keys, and V8's wasm code pages (pkey-tagged) then faulted on the next
// read of a br_table's jump table — the whole process died. In a child, so such a death is a failure here.
test("after the JIT's memory traps, V8's wasm code still reads its own code pages (br_table jump tables)", () => {
  const jitBytes = wat('(module (memory 1) (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))');
  const cases = Array.from({ length: 40 }, (_, k) => `(block $b${k}`).join(' ');
  const closes = Array.from({ length: 40 }, (_, k) => `) (return (i32.const ${k * 7}))`).join(' ');
  const table = Array.from({ length: 40 }, (_, k) => `$b${39 - k}`).join(' ');
  const v8Bytes = wat(`(module (func (export "pick") (param i32) (result i32) ${cases} (br_table ${table} (local.get 0)) ${closes} (i32.const -1)))`);
  const script = `
    const { JitInstance, JitModule } = await import(${JSON.stringify(new URL('../dist/jit/api.js', import.meta.url).href)});
    const jit = new JitInstance(new JitModule(new Uint8Array(${JSON.stringify([...jitBytes])}))).exports;
    const v8 = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify([...v8Bytes])}))).exports;
    let traps = 0, sum = 0;
    for (let i = 0; i < 200; i++) {
      try { jit.load(1 << 20); } catch { traps++; }
      for (let k = 0; k < 40; k++) sum += v8.pick(k);
    }
    console.log(traps, sum);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect({ signal: r.signal, status: r.status, stderr: r.stderr }).toEqual({ signal: null, status: 0, stderr: '' });
  expect(r.stdout.trim()).toBe(`200 ${200 * 7 * ((39 * 40) / 2)}`);
});

test("release() lets go of the instance's own hold: calls through its exports are refused, and the collector returns its reservation", () => {
  const vmSizeKiB = () => Number(/VmSize:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
  const module = new JitModule(wat('(module (memory 1) (func (export "f") (result i32) (i32.load (i32.const 0))))'));
  const before = vmSizeKiB();
  let instances = Array.from({ length: 50 }, () => new JitInstance(module));
  const during = vmSizeKiB();
  for (const i of instances) i.release();
  expect(during - before).toBeGreaterThan(40 * 8 * 1024 * 1024); // some 50 × 8 GiB, in KiB
  expect(() => (instances[0].exports.f as () => number)()).toThrow('the instance was released');
  // Exported Functions keep their instance alive (the JS API says so): once they are gone, so is the memory.
  instances = [];
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  expect(vmSizeKiB() - before).toBeLessThan(8 * 1024 * 1024);
});

test('modules kept alive past the table of code ranges are refused (a RangeError), never run unregistered (a fault there would crash)', () => {
  const bytes = wat('(module (memory 1) (func (export "f") (param i32) (result i32) (i32.load (local.get 0))))');
  const modules: JitModule[] = [];
  let refused: unknown;
  for (let i = 0; i < 70000 && !refused; i++) {
    try {
      modules.push(new JitModule(bytes));
    } catch (err) {
      refused = err;
    }
  }
  expect(refused).toBeInstanceOf(RangeError);
  expect(String(refused)).toContain('out of resources: too many compiled modules alive at once');
  for (const m of modules) loadAddon().releaseModule(m.native);
  const e = new JitInstance(new JitModule(bytes)).exports as { f: (a: number) => number };
  expect(() => e.f(1 << 20)).toThrow('out of bounds memory access');
});

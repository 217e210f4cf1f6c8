// The JIT's WebAssembly namespace over real modules: memories, tables, globals made in wasm and in JS and
// crossing both ways, the object caches, exported functions through funcref tables, instantiate's overloads,
// and the realm's error classes. Errors thrown by the addon are of the process's main realm while jest runs
// this file in a realm of its own, so errors are told apart by name.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Assembler } from '../../wast/assembler.js';
import { WebAssembly as W } from './index.js';

let wat: (text: string) => Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text) as Uint8Array<ArrayBuffer>;
});

type Fn = (...a: unknown[]) => unknown;
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

describe('Memory', () => {
  test('buffer is the same object until the memory grows, from JS or from wasm; then the old one is detached', () => {
    const e = instance(`(module (memory (export "mem") 1 3)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))`);
    const mem = e.mem as InstanceType<typeof W.Memory>;
    expect(mem).toBe(e.mem);
    expect(Object.getPrototypeOf(mem)).toBe(W.Memory.prototype);
    const b1 = mem.buffer;
    expect(b1.byteLength).toBe(65536);
    expect(mem.buffer).toBe(b1);
    new Uint8Array(b1)[7] = 42;
    expect(e.load(7)).toBe(42);
    expect(mem.grow(1)).toBe(1);
    expect(b1.byteLength).toBe(0); // detached
    const b2 = mem.buffer;
    expect(b2.byteLength).toBe(2 * 65536);
    expect(new Uint8Array(b2)[7]).toBe(42);
    expect(e.grow(1)).toBe(2); // in wasm: the old buffer is detached at once
    expect(b2.byteLength).toBe(0);
    const b3 = mem.buffer;
    expect(b3).not.toBe(b2);
    expect(b3.byteLength).toBe(3 * 65536);
    expect(e.grow(0)).toBe(3); // by 0 pages too, as the JS API's grow does
    expect(b3.byteLength).toBe(0);
    expect(mem.buffer.byteLength).toBe(3 * 65536);
    const b4 = mem.buffer;
    expect(mem.grow(0)).toBe(3);
    expect(b4.byteLength).toBe(0);
    const b5 = mem.buffer;
    expect(b5.byteLength).toBe(3 * 65536);
    expect(thrown(() => mem.grow(1))).toBe('RangeError'); // over the maximum
    expect(mem.buffer).toBe(b5);
  });

  test('a memory made in JS is imported by its handle, and exported back as the same object', () => {
    const mem = new W.Memory({ initial: 1, maximum: 2 });
    new Uint8Array(mem.buffer)[3] = 9;
    const e = instance(`(module (import "m" "mem" (memory 1)) (export "mem" (memory 0))
      (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))`, { m: { mem } });
    expect(e.load(3)).toBe(9);
    expect(e.mem).toBe(mem);
    expect(thrown(() => instance('(module (import "m" "mem" (memory 1)))', { m: { mem: {} } }))).toBe('LinkError');
    expect(thrown(() => instance('(module (import "m" "mem" (memory 3)))', { m: { mem } }))).toBe('LinkError'); // too small
  });

  test('descriptor conversions: [EnforceRange] TypeErrors, limits RangeErrors', () => {
    expect(thrown(() => new W.Memory({ initial: -1 }))).toBe('TypeError');
    expect(thrown(() => new W.Memory({} as never))).toBe('TypeError');
    expect(thrown(() => new W.Memory({ initial: 2, maximum: 1 }))).toBe('RangeError');
    expect(thrown(() => new W.Memory({ initial: 65537 }))).toBe('RangeError');
    expect(new W.Memory({ initial: '2' as never }).buffer.byteLength).toBe(2 * 65536);
  });
});

describe('Table', () => {
  const text = `(module (table (export "t") 2 10 funcref) (elem (i32.const 0) $f)
    (type $ii (func (param i32) (result i32)))
    (func $f (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "call") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0))))`;

  test('get gives the exported function itself, callable from JS; set and grow take exported functions', () => {
    const e = instance(text);
    const t = e.t as InstanceType<typeof W.Table>;
    expect(t.length).toBe(2);
    expect(t.get(0)).toBe(e.f);
    expect((t.get(0) as Fn)(41)).toBe(42);
    expect(t.get(1)).toBeNull();
    t.set(1, e.f);
    expect(e.call(1, 5)).toBe(6);
    expect(t.grow(2)).toBe(2);
    expect(t.length).toBe(4);
    expect(t.get(3)).toBeNull();
    expect(t.grow(1, e.f)).toBe(4);
    expect(e.call(4, 9)).toBe(10);
    expect(thrown(() => t.get(5))).toBe('RangeError');
    expect(thrown(() => t.get(-1))).toBe('TypeError');
    expect(thrown(() => t.set(0, () => 1))).toBe('TypeError'); // not a wasm function
    expect(thrown(() => t.set(0, undefined))).toBe('TypeError');
    t.set(0);
    expect(t.get(0)).toBeNull();
    expect(thrown(() => t.grow(100))).toBe('RangeError');
  });

  test("an exported function of one instance goes through another's funcref table and is called there", () => {
    const a = instance(text);
    const table = new W.Table({ element: 'anyfunc', initial: 1 });
    table.set(0, a.f);
    const b = instance(`(module (import "m" "t" (table 1 funcref)) (type $ii (func (param i32) (result i32)))
      (func (export "run") (param i32) (result i32) (call_indirect (type $ii) (local.get 0) (i32.const 0)))
      (func (export "get") (result funcref) (table.get 0 (i32.const 0))))`, { m: { t: table } });
    expect(b.run(99)).toBe(100);
    expect(b.get()).toBe(a.f); // the same object back
  });

  test('externref tables hold any JS value; the default is undefined', () => {
    const token = { token: 1 };
    const t = new W.Table({ element: 'externref', initial: 2 }, token);
    expect(t.get(1)).toBe(token);
    t.set(0);
    expect(t.get(0)).toBeUndefined();
    t.set(0, null);
    expect(t.get(0)).toBeNull();
    const e = instance('(module (import "m" "t" (table 2 externref)) (func (export "get") (param i32) (result externref) (table.get 0 (local.get 0))))', { m: { t } });
    expect(e.get(1)).toBe(token);
  });
});

describe('Global', () => {
  test('a mutable global made in JS and imported: each side sees the other\'s writes', () => {
    const g = new W.Global({ value: 'i64', mutable: true }, 5n);
    const e = instance(`(module (import "m" "g" (global $g (mut i64)))
      (func (export "get") (result i64) (global.get $g)) (func (export "set") (param i64) (global.set $g (local.get 0))))`, { m: { g } });
    expect(e.get()).toBe(5n);
    g.value = -7n;
    expect(e.get()).toBe(-7n);
    e.set(2n ** 40n);
    expect(g.value).toBe(2n ** 40n);
    expect(g.valueOf()).toBe(2n ** 40n);
    expect(thrown(() => (g.value = 1))).toBe('TypeError'); // a Number for an i64
  });

  test('a Number imports as an immutable global; the wrong primitive or a mutable import is a LinkError', () => {
    const text = '(module (import "m" "g" (global $g f32)) (global (export "x") f32 (global.get $g)) (func (export "get") (result f32) (global.get $g)))';
    const e = instance(text, { m: { g: 1.5 } });
    expect(e.get()).toBe(1.5);
    expect(e.x.value).toBe(1.5);
    expect(thrown(() => (e.x.value = 2))).toBe('TypeError'); // immutable
    expect(thrown(() => instance(text, { m: { g: 1n } }))).toBe('LinkError');
    expect(thrown(() => instance('(module (import "m" "g" (global (mut i32))))', { m: { g: 1 } }))).toBe('LinkError');
    expect(thrown(() => instance('(module (import "m" "g" (global i32)))', { m: { g: new W.Global({ value: 'i64' }) } }))).toBe('LinkError');
  });

  test('exported globals are cached: the same Global object for the same global, through re-exports', () => {
    const a = instance('(module (global (export "g") (export "h") (mut i32) (i32.const 3)))');
    expect(a.g).toBe(a.h);
    const b = instance('(module (import "m" "g" (global (mut i32))) (export "again" (global 0)))', { m: { g: a.g } });
    expect(b.again).toBe(a.g);
    expect(a.g.value).toBe(3);
  });

  test('funcref and externref globals from JS', () => {
    const f = instance('(module (func (export "f") (result i32) (i32.const 7)))').f as Fn;
    const g = new W.Global({ value: 'anyfunc', mutable: true });
    expect(g.value).toBeNull();
    g.value = f;
    expect(g.value).toBe(f);
    expect(thrown(() => (g.value = () => 7))).toBe('TypeError');
    expect(new W.Global({ value: 'externref' }).value).toBeUndefined();
    expect(thrown(() => new W.Global({ value: 'v128' }))).toBe('TypeError');
  });
});

describe('Instance and Module', () => {
  test('exports are frozen with a null prototype, functions with their length and index name', () => {
    const e = instance('(module (func) (func (export "two") (param i32 i32)) (memory (export "m") 0))');
    expect(Object.getPrototypeOf(e)).toBeNull();
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.keys(e)).toEqual(['two', 'm']);
    expect(e.two.length).toBe(2);
    expect(e.two.name).toBe('1');
  });

  test('an exported function imported by another instance and re-exported is the same object', () => {
    const a = instance('(module (func (export "f") (result i32) (i32.const 11)))');
    const b = instance('(module (import "m" "f" (func (result i32))) (export "g" (func 0)))', { m: { f: a.f } });
    expect(b.g).toBe(a.f);
    expect(b.g()).toBe(11);
  });

  test('imports are read in module order; a missing module object is a TypeError, a non-callable function a LinkError', () => {
    const m = new W.Module(wat('(module (import "a" "x" (func)) (import "b" "y" (global i32)))'));
    expect(W.Module.imports(m)).toEqual([{ module: 'a', name: 'x', kind: 'function' }, { module: 'b', name: 'y', kind: 'global' }]);
    const order: string[] = [];
    const imports = {
      get a() { order.push('a'); return { get x() { order.push('a.x'); return () => {}; } }; },
      get b() { order.push('b'); return { get y() { order.push('b.y'); return 1; } }; },
    };
    new W.Instance(m, imports);
    expect(order).toEqual(['a', 'a.x', 'b', 'b.y']);
    expect(thrown(() => new W.Instance(m))).toBe('TypeError');
    expect(thrown(() => new W.Instance(m, { a: { x: 1 }, b: { y: 1 } }))).toBe('LinkError');
  });

  test('Module.exports and customSections', () => {
    // A custom section "hi" with bytes 1 2 3 after an empty module.
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, 6, 2, 0x68, 0x69, 1, 2, 3]);
    const m = new W.Module(bytes);
    expect(W.Module.exports(m)).toEqual([]);
    const sections = W.Module.customSections(m, 'hi');
    expect(sections.map((s) => [...new Uint8Array(s)])).toEqual([[1, 2, 3]]);
    expect(W.Module.customSections(m, 'other')).toEqual([]);
    expect(thrown(() => W.Module.exports({} as never))).toBe('TypeError');
  });

  test('errors: CompileError, LinkError and RuntimeError are the realm\'s own WebAssembly classes', () => {
    expect(W.CompileError).toBe(globalThis.WebAssembly.CompileError);
    expect(thrown(() => new W.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])))).toBe('CompileError');
    const e = instance('(module (func (export "trap") unreachable))');
    expect(thrown(() => e.trap())).toBe('RuntimeError');
    expect(W.validate(wat('(module)'))).toBe(true);
    expect(W.validate(new Uint8Array([1, 2, 3]))).toBe(false);
    expect(thrown(() => W.validate('nope' as never))).toBe('TypeError');
  });
});

describe('compile and instantiate', () => {
  test('instantiate(bytes) gives { module, instance }; instantiate(module) an Instance', async () => {
    const bytes = wat('(module (func (export "f") (result i32) (i32.const 5)))');
    const source = await W.instantiate(bytes);
    expect(Object.keys(source)).toEqual(['module', 'instance']);
    expect(source.module).toBeInstanceOf(W.Module);
    expect((source.instance.exports as Exports).f()).toBe(5);
    const module = await W.compile(bytes);
    const inst = await W.instantiate(module);
    expect(inst).toBeInstanceOf(W.Instance);
    expect((inst.exports as Exports).f()).toBe(5);
  });

  test('failures are rejections, never throws', async () => {
    await expect(W.instantiate(new Uint8Array([1]))).rejects.toHaveProperty('name', 'CompileError');
    await expect(W.compile('x' as never)).rejects.toHaveProperty('name', 'TypeError');
    const m = new W.Module(wat('(module (import "m" "f" (func)))'));
    await expect(W.instantiate(m, { m: { f: 3 } })).rejects.toHaveProperty('name', 'LinkError');
  });

  test('compileStreaming and instantiateStreaming take a Response or a promise of one', async () => {
    const bytes = wat('(module (func (export "f") (result i32) (i32.const 8)))');
    const response = () => new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } });
    const m = await W.compileStreaming(response());
    expect(W.Module.exports(m)).toEqual([{ name: 'f', kind: 'function' }]);
    const { instance: i } = await W.instantiateStreaming(Promise.resolve(response()));
    expect((i.exports as Exports).f()).toBe(8);
    await expect(W.compileStreaming(new Response(bytes) as never)).rejects.toHaveProperty('name', 'TypeError'); // no wasm Content-Type
  });
});

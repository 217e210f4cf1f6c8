// An exported memory's buffer and grow, as the JS API has them: the buffer views the memory's bytes,
// a grow replaces it (the old one detached), and a buffer keeps its memory alive.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { JitInstance, JitMemory, JitModule } from './api.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

const MODULE = `(module (memory (export "mem") 1 3)
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;

type Fn = (...a: number[]) => number;

test('the buffer views the memory: writes on either side are seen on the other', () => {
  const i = new JitInstance(new JitModule(wat(MODULE)));
  const e = i.exports as Record<string, Fn> & { mem: JitMemory };
  expect(e.mem).toBeInstanceOf(JitMemory);
  const view = new DataView(e.mem.buffer);
  expect(e.mem.buffer.byteLength).toBe(65536);
  e.store(16, 0x12345678);
  expect(view.getUint32(16, true)).toBe(0x12345678);
  view.setUint32(32, 0xdeadbeef, true);
  expect(e.load(32) >>> 0).toBe(0xdeadbeef);
  expect(e.mem.buffer).toBe(e.mem.buffer); // the same object while the memory keeps its size
});

test('grow from JS: the old size, a new buffer, the old one detached; past the maximum a RangeError', () => {
  const e = new JitInstance(new JitModule(wat(MODULE))).exports as Record<string, Fn> & { mem: JitMemory };
  const before = e.mem.buffer;
  new DataView(before).setUint8(7, 42);
  expect(e.mem.grow(1)).toBe(1);
  expect(before.byteLength).toBe(0); // detached
  expect(e.mem.buffer.byteLength).toBe(2 * 65536);
  expect(new DataView(e.mem.buffer).getUint8(7)).toBe(42);
  e.store(65536 + 8, 99); // the new page is wasm's too
  expect(new DataView(e.mem.buffer).getUint32(65536 + 8, true)).toBe(99);
  expect(() => e.mem.grow(2)).toThrow(RangeError);
  expect(e.mem.buffer.byteLength).toBe(2 * 65536);
});

test('grow inside wasm detaches the buffer at once, as V8 does (glue code refreshes views whose length reads 0)', () => {
  const e = new JitInstance(new JitModule(wat(MODULE))).exports as Record<string, Fn> & { mem: JitMemory };
  const before = e.mem.buffer;
  const view = new Uint8Array(before); // what wasm-bindgen's glue caches
  expect(e.grow(2)).toBe(1);
  expect(before.byteLength).toBe(0);
  expect(view.byteLength).toBe(0);
  const after = e.mem.buffer;
  expect(after.byteLength).toBe(3 * 65536);
  expect(e.grow(0)).toBe(3); // a grow by nothing detaches too
  expect(after.byteLength).toBe(0);
  expect(e.mem.buffer.byteLength).toBe(3 * 65536);
  expect(e.grow(1)).toBe(-1); // past the maximum: nothing grew, nothing is detached
  const last = e.mem.buffer;
  expect(last.byteLength).toBe(3 * 65536);
  expect(e.mem.buffer).toBe(last);
});

test('a buffer keeps its memory alive after the instance is released', () => {
  const i = new JitInstance(new JitModule(wat(MODULE)));
  const e = i.exports as Record<string, Fn> & { mem: JitMemory };
  e.store(100, 7);
  const buffer = e.mem.buffer;
  i.release();
  expect(new DataView(buffer).getUint32(100, true)).toBe(7);
  new DataView(buffer).setUint32(104, 8, true);
  expect(new DataView(buffer).getUint32(104, true)).toBe(8);
});

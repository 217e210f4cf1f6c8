// The JIT's exports and errors in the shapes of the JS API: errors are WebAssembly's, exported functions
// have their length and index name, arguments convert as ToWebAssemblyValue does, v128 cannot cross.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { JitInstance, JitModule } from './api.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

type Fn = (...a: unknown[]) => unknown;
/** The addon's errors are Node's realm's, not jest's: matched by name. */
const TYPE_ERROR = expect.objectContaining({ name: 'TypeError' }) as unknown as Error;
const exportsOf = (text: string) => new JitInstance(new JitModule(wat(text))).exports as Record<string, Fn>;

test("the JIT's errors are WebAssembly's", () => {
  const e = exportsOf('(module (func (export "trap") unreachable))');
  expect(() => e.trap()).toThrow(expect.objectContaining({ name: 'RuntimeError', message: 'unreachable' }) as unknown as Error);
  expect(() => new JitModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toThrow(WebAssembly.CompileError);
  expect(() => new JitInstance(new JitModule(wat('(module (import "m" "f" (func)))')))).toThrow(WebAssembly.LinkError);
});

test('an exported function has its parameter count as length and its function index as name', () => {
  const text = '(module (import "m" "f" (func)) (func) (func (export "two") (param i32 i64)) (func (export "none")))';
  const e = new JitInstance(new JitModule(wat(text)), { m: { f: () => undefined } }).exports as Record<string, Fn>;
  expect(e.two.length).toBe(2);
  expect(e.two.name).toBe('2');
  expect(e.none.length).toBe(0);
  expect(e.none.name).toBe('3');
});

test('arguments convert as ToWebAssemblyValue: a BigInt for an i32 or f64 and a Number for an i64 are TypeErrors', () => {
  const e = exportsOf(`(module (func (export "i") (param i32) (result i32) (local.get 0))
    (func (export "I") (param i64) (result i64) (local.get 0)) (func (export "F") (param f64) (result f64) (local.get 0)))`);
  expect(() => e.i(5n)).toThrow(TYPE_ERROR);
  expect(() => e.F(5n)).toThrow(TYPE_ERROR);
  expect(() => e.I(5)).toThrow(TYPE_ERROR);
  expect(e.i('7')).toBe(7);
  expect(e.i(2 ** 32 + 3)).toBe(3);
  expect(e.I('9')).toBe(9n);
  expect(e.I(true)).toBe(1n);
  expect(e.F('1.5')).toBe(1.5);
});

test('a v128 in the signature: calling from JS is a TypeError, whichever side it is on', () => {
  const e = exportsOf(`(module (func (export "res") (result i32 v128 i32) (i32.const 7) (v128.const i32x4 1 2 3 4) (i32.const 8))
    (func (export "param") (param v128)))`);
  expect(() => e.res()).toThrow(TYPE_ERROR);
  expect(() => e.param(0n)).toThrow(TYPE_ERROR);
});

test('an exported mutable global can be set from JS (wasm sees it); an immutable one is a TypeError', () => {
  const i = new JitInstance(
    new JitModule(
      wat(`(module (global $g (export "g") (mut i64) (i64.const 1)) (global $f (export "f") (mut f32) (f32.const 0))
        (global $r (export "r") (mut externref) (ref.null extern)) (global (export "c") i32 (i32.const 5))
        (func (export "getG") (result i64) (global.get $g)) (func (export "getF") (result f32) (global.get $f))
        (func (export "getR") (result externref) (global.get $r)))`),
    ),
  );
  const e = i.exports as Record<string, Fn> & Record<'g' | 'f' | 'r' | 'c', { value: unknown }>;
  e.g.value = -5n;
  expect(e.getG()).toBe(-5n);
  expect(e.g.value).toBe(-5n);
  e.f.value = 1.5;
  expect(e.getF()).toBe(1.5);
  const token = { token: 1 };
  e.r.value = token;
  expect(e.getR()).toBe(token);
  expect(() => (e.g.value = 5)).toThrow(TypeError); // a Number for an i64
  let name = '';
  try {
    e.c.value = 6;
  } catch (err) {
    name = (err as Error).name;
  }
  expect(name).toBe('TypeError');
  expect(e.c.value).toBe(5);
});

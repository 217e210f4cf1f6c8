// Multi-memory and memory64 in the JIT, beyond the testsuite: a 64-bit memory past 4 GiB (where the
// machine gives the address space), the explicit bounds check at the exact edge of a checked memory,
// offsets past 4 GiB, 1-byte pages, and each instruction's memory index (copy between memories).
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { JitInstance, JitModule } from './api.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

type Fn = (...a: unknown[]) => unknown;
const jit = (text: string) => new JitInstance(new JitModule(wat(text))).exports as Record<string, Fn>;

describe('memory64', () => {
  test('a memory of more than 4 GiB: stores and loads above 4 GiB, grow, the edge', () => {
    const e = jit(`(module (memory i64 1 70000)
      (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
      (func (export "size") (result i64) (memory.size))
      (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
      (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
      (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0))))`);
    expect(e.grow(65537n)).toBe(1n); // 65,538 pages: 4 GiB + 128 KiB
    expect(e.size()).toBe(65538n);
    const above = 0x1_0000_8000n; // past 4 GiB
    e.store(above, 0x0123456789abcdefn);
    expect(e.load(above)).toBe(0x0123456789abcdefn);
    const end = 65538n * 65536n;
    expect(e.load8(end - 1n)).toBe(0);
    expect(() => e.load8(end)).toThrow('out of bounds memory access');
    expect(() => e.load(end - 7n)).toThrow('out of bounds memory access'); // 8 bytes, one past the end
    expect(() => e.load(0xffff_ffff_ffff_fff8n)).toThrow('out of bounds memory access'); // no wrap-around
    expect(e.grow(10000n)).toBe(-1n); // past the maximum
  });

  test('offsets past 4 GiB are added in 64 bits, never truncated', () => {
    const e = jit(`(module (memory i64 1)
      (func (export "far") (param i64) (result i32) (i32.load offset=0x100000000 (local.get 0)))
      (func (export "near") (param i64) (result i32) (i32.load offset=4 (local.get 0))))`);
    expect(() => e.far(0n)).toThrow('out of bounds memory access');
    expect(e.near(65528n)).toBe(0);
    expect(() => e.near(65529n)).toThrow('out of bounds memory access');
  });

  test('1-byte pages: the size in bytes is exact, and so is the bound', () => {
    const e = jit(`(module (memory 5 (pagesize 1))
      (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);
    expect(e.load8(4)).toBe(0);
    expect(() => e.load8(5)).toThrow('out of bounds memory access');
    expect(e.grow(3)).toBe(5);
    expect(e.load8(7)).toBe(0);
    expect(() => e.load8(8)).toThrow('out of bounds memory access');
  });
});

describe('multi-memory', () => {
  test('every instruction reaches its own memory; copy and init between memories', () => {
    const e = jit(`(module
      (memory $a 1) (memory $b i64 2) (memory $c 1 (pagesize 1))
      (data (memory $b) (i64.const 100) "hello")
      (func (export "storeA") (param i32 i32) (i32.store $a (local.get 0) (local.get 1)))
      (func (export "loadA") (param i32) (result i32) (i32.load $a (local.get 0)))
      (func (export "loadB") (param i64) (result i32) (i32.load $b (local.get 0)))
      (func (export "loadB8") (param i64) (result i32) (i32.load8_u $b (local.get 0)))
      (func (export "loadC8") (param i32) (result i32) (i32.load8_u $c (local.get 0)))
      (func (export "sizes") (result i32 i64 i32) (memory.size $a) (memory.size $b) (memory.size $c))
      (func (export "copyBtoA") (param i32 i64 i32) (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
      (func (export "fillC") (param i32 i32 i32) (memory.fill $c (local.get 0) (local.get 1) (local.get 2))))`);
    expect(e.sizes()).toEqual([1, 2n, 1]);
    e.storeA(8, 0x11223344);
    expect(e.loadA(8)).toBe(0x11223344);
    expect(e.loadB(8n)).toBe(0);
    expect(e.loadB8(100n)).toBe('h'.charCodeAt(0));
    e.copyBtoA(1000, 100n, 5);
    expect(e.loadA(1000)).toBe(0x6c6c6568); // "hell", little-endian
    e.fillC(0, 0x7f, 1);
    expect(e.loadC8(0)).toBe(0x7f);
    expect(() => e.loadC8(1)).toThrow('out of bounds memory access');
    expect(() => e.fillC(0, 0, 2)).toThrow('out of bounds memory access');
  });
});

// The threads proposal in the JIT: atomic accesses of every kind and width, their traps, wait and notify
// on one thread, and shared memories between Workers: one waits, another wakes it; several add at once.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { Assembler } from '../wast/assembler.js';
import { JitInstance, JitMemory, JitModule } from './api.js';
import type { AtomicsWorkerData } from './atomics-worker.js';
import { WebAssembly as W } from './js-api/index.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

type Fn = (...a: unknown[]) => unknown;
const instantiate = (text: string, imports = {}) => new JitInstance(new JitModule(wat(text)), imports).exports as Record<string, Fn & JitMemory>;

/** The addon throws in Node's realm, not jest's: errors are matched by name and message. */
const trap = (message: string) => expect.objectContaining({ name: 'RuntimeError', message }) as unknown as Error;
const isShared = (b: unknown) => Object.prototype.toString.call(b) === '[object SharedArrayBuffer]';

describe('atomic accesses', () => {
  const text = `(module (memory (export "mem") 1 1 shared)
    (func (export "load8") (param i32) (result i32) (i32.atomic.load8_u (local.get 0)))
    (func (export "load64") (param i32) (result i64) (i64.atomic.load (local.get 0)))
    (func (export "load32_u") (param i32) (result i64) (i64.atomic.load32_u (local.get 0)))
    (func (export "store16") (param i32 i32) (i32.atomic.store16 (local.get 0) (local.get 1)))
    (func (export "store64") (param i32 i64) (i64.atomic.store (local.get 0) (local.get 1)))
    (func (export "add") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))
    (func (export "sub8") (param i32 i32) (result i32) (i32.atomic.rmw8.sub_u (local.get 0) (local.get 1)))
    (func (export "xchg16") (param i32 i64) (result i64) (i64.atomic.rmw16.xchg_u (local.get 0) (local.get 1)))
    (func (export "or64") (param i32 i64) (result i64) (i64.atomic.rmw.or (local.get 0) (local.get 1)))
    (func (export "cmpxchg") (param i32 i32 i32) (result i32) (i32.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
    (func (export "cmpxchg8") (param i32 i32 i32) (result i32) (i32.atomic.rmw8.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
    (func (export "cmpxchg32") (param i32 i64 i64) (result i64) (i64.atomic.rmw32.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
    (func (export "offset") (result i32) (i32.atomic.load offset=4 (i32.const 4)))
    (func (export "fence") atomic.fence))`;

  test('loads, stores and read-modify-writes return the old value, zero-extended, and wrap their operands', () => {
    const e = instantiate(text);
    e.store64(0, 0x1122334455667788n);
    expect(e.load8(0)).toBe(0x88);
    expect(e.load32_u(4)).toBe(0x11223344n);
    expect(e.add(0, 1)).toBe(0x55667788);
    expect(e.load64(0)).toBe(0x1122334455667789n);
    expect(e.sub8(0, 0x8a)).toBe(0x89); // 0x89 - 0x8a wraps to 0xff in its byte alone
    expect(e.load64(0)).toBe(0x11223344556677ffn);
    expect(e.xchg16(2, 0xabcdef12n)).toBe(0x5566n);
    expect(e.load64(0)).toBe(0x11223344ef1277ffn);
    expect(e.or64(0, 0xf000000000000000n)).toBe(0x11223344ef1277ffn);
    expect(e.load64(0)).toBe(-0x0eddccbb10ed8801n); // 0xf1223344ef1277ff as a signed i64
    e.store16(8, 0x12345);
    expect(e.load8(8)).toBe(0x45);
    expect(e.load8(9)).toBe(0x23);
    expect(e.load8(10)).toBe(0);
    expect(e.offset()).toBe(0x2345);
    e.fence();
  });

  test('cmpxchg replaces only an equal value; a narrow one compares the wrapped expected value', () => {
    const e = instantiate(text);
    e.store64(0, 0x1111111111111111n);
    expect(e.cmpxchg(0, 0x11111112, 5)).toBe(0x11111111);
    expect(e.load64(0)).toBe(0x1111111111111111n);
    expect(e.cmpxchg(0, 0x11111111, 5)).toBe(0x11111111);
    expect(e.load64(0)).toBe(0x1111111100000005n);
    expect(e.cmpxchg8(0, 0x105, 0x1ab)).toBe(5); // 0x105 wraps to 5: equal, and 0xab is stored
    expect(e.load8(0)).toBe(0xab);
    expect(e.cmpxchg32(4, 0x1_11111111n, 7n)).toBe(0x11111111n);
    expect(e.load64(0)).toBe(0x00000007000000abn);
  });

  test('an unaligned effective address traps before the bounds are checked; then out of bounds', () => {
    const e = instantiate(`(module (memory 1 1 shared)
      (func (export "at") (param i32) (result i32) (i32.atomic.load (local.get 0)))
      (func (export "offset") (param i32) (result i32) (i32.atomic.load offset=2 (local.get 0)))
      (func (export "rmw64") (param i32) (result i64) (i64.atomic.rmw.add (local.get 0) (i64.const 1)))
      (func (export "wait") (param i32) (result i32) (memory.atomic.wait32 (local.get 0) (i32.const 1) (i64.const 0)))
      (func (export "notify") (param i32) (result i32) (memory.atomic.notify (local.get 0) (i32.const 1))))`);
    expect(() => e.at(2)).toThrow(trap('unaligned atomic'));
    expect(() => e.offset(0)).toThrow(trap('unaligned atomic'));
    expect(() => e.rmw64(4)).toThrow(trap('unaligned atomic'));
    expect(() => e.wait(1)).toThrow(trap('unaligned atomic'));
    expect(() => e.notify(2)).toThrow(trap('unaligned atomic'));
    expect(() => e.at(65535)).toThrow(trap('unaligned atomic'));
    expect(() => e.at(65536)).toThrow(trap('out of bounds memory access'));
    expect(() => e.offset(65534)).toThrow(trap('out of bounds memory access'));
    expect(() => e.rmw64(-8)).toThrow(trap('out of bounds memory access'));
    expect(() => e.notify(65536)).toThrow(trap('out of bounds memory access'));
    expect(e.at(65532)).toBe(0);
  });

  test('atomics on a 64-bit memory and on a second memory', () => {
    const e = instantiate(`(module (memory $a 1 1) (memory $b i64 1 1 shared)
      (func (export "add") (param i64 i32) (result i32) (i32.atomic.rmw.add $b (local.get 0) (local.get 1)))
      (func (export "load") (param i64) (result i32) (i32.atomic.load $b (local.get 0)))
      (func (export "loadA") (param i32) (result i32) (i32.atomic.load $a (local.get 0))))`);
    expect(e.add(65532n, 3)).toBe(0);
    expect(e.add(65532n, 4)).toBe(3);
    expect(e.load(65532n)).toBe(7);
    expect(e.loadA(65532)).toBe(0);
    expect(() => e.load(65536n)).toThrow(trap('out of bounds memory access'));
    expect(() => e.load(-4n)).toThrow(trap('out of bounds memory access'));
  });
});

describe('wait and notify on one thread', () => {
  const text = (shared: string) => `(module (memory 1 1 ${shared})
    (func (export "wait32") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "wait64") (param i32 i64 i64) (result i32) (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1))))`;

  test('a different value is "not-equal" (1) at once; an equal one times out (2) after the timeout; notify wakes nobody (0)', () => {
    const e = instantiate(text('shared'));
    expect(e.wait32(0, 1, -1n)).toBe(1);
    expect(e.wait64(8, 1n, -1n)).toBe(1);
    expect(e.wait32(0, 0, 0n)).toBe(2);
    const start = process.hrtime.bigint();
    expect(e.wait64(8, 0n, 30_000_000n)).toBe(2);
    expect(process.hrtime.bigint() - start).toBeGreaterThanOrEqual(30_000_000n);
    expect(e.notify(0, 10)).toBe(0);
  });

  test('wait on an unshared memory traps; notify there wakes nobody', () => {
    const e = instantiate(text(''));
    expect(() => e.wait32(0, 0, 0n)).toThrow(trap('expected shared memory'));
    expect(() => e.wait64(0, 1n, 0n)).toThrow(trap('expected shared memory'));
    expect(e.notify(0, 1)).toBe(0);
  });
});

describe('shared memories between Workers', () => {
  // Imports the main thread's memory. wake: publishes 42 at 4, then wakes `count` waiters at 0 as they
  // arrive, polling every millisecond (10 s at most); how many it woke.
  const WORKER_MODULE = `(module (import "env" "mem" (memory 1 1 shared))
    (func (export "wait") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
    (func (export "add") (param $at i32) (param $n i32) (local $i i32)
      (loop $l
        (drop (i32.atomic.rmw.add (local.get $at) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (func (export "wake") (param $count i32) (result i32) (local $woken i32) (local $polls i32)
      (i32.atomic.store (i32.const 4) (i32.const 42))
      (block $done
        (loop $l
          (local.set $woken (i32.add (local.get $woken) (memory.atomic.notify (i32.const 0) (i32.sub (local.get $count) (local.get $woken)))))
          (br_if $done (i32.ge_u (local.get $woken) (local.get $count)))
          (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const 1000000)))
          (local.set $polls (i32.add (local.get $polls) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $polls) (i32.const 10000)))))
      (local.get $woken)))`;

  function runWorker(buffer: SharedArrayBuffer, calls: AtomicsWorkerData['calls']): Promise<unknown[]> {
    // The compiled worker (npm test builds dist/ first): a Worker cannot load TypeScript.
    const data: AtomicsWorkerData = { bytes: wat(WORKER_MODULE), buffer, calls };
    const worker = new Worker(join(PACKAGE_ROOT, 'dist', 'jit', 'atomics-worker.js'), { workerData: data });
    return new Promise((resolve, reject) => {
      let results: unknown[] | undefined;
      worker.on('message', (r: unknown[]) => (results = r));
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 && results ? resolve(results) : reject(new Error(`the worker exited with ${code}`))));
    });
  }

  /** A fresh shared memory, made by an instance on this thread, and its buffer. */
  function sharedMemory(): { memory: JitMemory; buffer: SharedArrayBuffer } {
    const memory = instantiate('(module (memory (export "mem") 1 1 shared))').mem;
    const buffer = memory.buffer as SharedArrayBuffer;
    expect(isShared(buffer)).toBe(true);
    return { memory, buffer };
  }

  test("a Worker waits until another wakes it, and sees what the other wrote before", async () => {
    const { buffer } = sharedMemory();
    const waiter = runWorker(buffer, [['wait', [0, 0, -1n]], ['load', [4]]]);
    const waker = runWorker(buffer, [['wake', [1]]]);
    expect(await waker).toEqual([1]);
    expect(await waiter).toEqual([0, 42]);
  });

  test('notify wakes as many waiters as it is told; a waiter with a timeout that nobody wakes times out', async () => {
    const { buffer } = sharedMemory();
    const waiters = [1, 2].map(() => runWorker(buffer, [['wait', [0, 0, -1n]]]));
    const timesOut = runWorker(buffer, [['wait', [12, 0, 20_000_000n]]]);
    expect(await runWorker(buffer, [['wake', [2]]])).toEqual([2]);
    expect(await Promise.all(waiters)).toEqual([[0], [0]]);
    expect(await timesOut).toEqual([2]);
  });

  test('read-modify-writes from several threads at once lose nothing', async () => {
    const { memory, buffer } = sharedMemory();
    const n = 100_000;
    await Promise.all([runWorker(buffer, [['add', [16, n]]]), runWorker(buffer, [['add', [16, n]]])]);
    const main = instantiate(WORKER_MODULE, { env: { mem: memory } });
    expect(main.load(16)).toBe(2 * n);
    expect(new Int32Array(buffer)[4]).toBe(2 * n);
  });

  test('a shared memory grown on one thread is seen grown on another; its old buffer stays usable', async () => {
    const e = instantiate(`(module (memory (export "mem") 1 3 shared) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);
    const old = e.mem.buffer as SharedArrayBuffer;
    const other = JitMemory.fromSharedBuffer(old);
    expect(e.grow(1)).toBe(1);
    expect(other.buffer.byteLength).toBe(2 * 65536);
    expect(e.mem.buffer).not.toBe(old);
    expect(old.byteLength).toBe(65536);
    new Uint8Array(old)[5] = 9;
    expect(new Uint8Array(e.mem.buffer)[5]).toBe(9);
    expect(() => JitMemory.fromSharedBuffer(new SharedArrayBuffer(8))).toThrow('not the SharedArrayBuffer of a shared memory');
  });
});

describe('WebAssembly.Memory({shared: true})', () => {
  test('a shared memory made in JS has a frozen SharedArrayBuffer, replaced when it grows, never detached; it needs a maximum', () => {
    const m = new W.Memory({ initial: 1, maximum: 2, shared: true });
    const b = m.buffer;
    expect(isShared(b)).toBe(true);
    expect(Object.isFrozen(b)).toBe(true);
    expect(m.buffer).toBe(b);
    expect(m.grow(1)).toBe(1);
    expect(m.buffer).not.toBe(b);
    expect(m.buffer.byteLength).toBe(2 * 65536);
    expect(b.byteLength).toBe(65536);
    expect(() => new W.Memory({ initial: 1, shared: true })).toThrow(expect.objectContaining({ name: 'TypeError' }) as unknown as Error);
  });

  test('it imports where a shared memory is imported, and only there', () => {
    const m = new W.Memory({ initial: 1, maximum: 1, shared: true });
    const module = new W.Module(wat('(module (import "e" "m" (memory 1 1 shared)) (func (export "add") (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 2))))') as Uint8Array<ArrayBuffer>);
    const e = new W.Instance(module, { e: { m } }).exports as Record<string, Fn>;
    expect(e.add()).toBe(0);
    expect(new Int32Array(m.buffer)[0]).toBe(2);
    const unshared = new W.Module(wat('(module (import "e" "m" (memory 1 1)))') as Uint8Array<ArrayBuffer>);
    expect(() => new W.Instance(unshared, { e: { m } })).toThrow(expect.objectContaining({ name: 'LinkError' }) as unknown as Error);
  });
});

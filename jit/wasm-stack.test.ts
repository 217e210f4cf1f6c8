// Wasm's own native stack per thread (jit/src/activation.h): the depth wasm reaches is the same on
// a Worker (whose own stack is 4 MiB, mostly V8's) as on the main thread; calls to JS run on the
// JS thread's stack and re-enter wasm below the waiting frames, to any depth, and a trap deep
// inside unwinds to the innermost entry only.
import { beforeAll, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Assembler } from '../wast/assembler.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { WebAssembly as Jit } from './js-api/index.js';

// $down counts its frames in $depth until the stack runs out.
const DEPTH_WAT = `(module
  (global $depth (mut i32) (i32.const 0))
  (func $down (global.set $depth (i32.add (global.get $depth) (i32.const 1))) (call $down))
  (func (export "probe") (result i32)
    (global.set $depth (i32.const 0))
    (call $down)
    (i32.const -1))
  (func (export "depth") (result i32) (global.get $depth)))`;

let depthBytes: Uint8Array;
let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
  depthBytes = wat(DEPTH_WAT);
});

type DepthExports = { probe: () => number; depth: () => number };

function depthHere(): number {
  const e = new Jit.Instance(new Jit.Module(depthBytes)).exports as unknown as DepthExports;
  // By name: the addon throws the RangeError of Node's realm, not of the test's.
  expect(() => e.probe()).toThrow(expect.objectContaining({ name: 'RangeError' }) as unknown as Error);
  return e.depth();
}

/** The same probe in a Worker of default stack size, through the compiled namespace. */
function depthInWorker(): Promise<number> {
  const url = pathToFileURL(join(PACKAGE_ROOT, 'dist', 'jit', 'js-api', 'index.js')).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(${JSON.stringify(url)}).then(({ WebAssembly: W }) => {
      const e = new W.Instance(new W.Module(workerData)).exports;
      let name = 'no error';
      try { e.probe(); } catch (err) { name = err.name; }
      parentPort.postMessage({ name, depth: e.depth() });
    });`;
  const worker = new Worker(code, { eval: true, workerData: depthBytes });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { name: string; depth: number }) => (m.name === 'RangeError' ? resolve(m.depth) : reject(new Error(`the Worker saw ${m.name}`))));
    worker.on('error', reject);
  });
}

test('wasm reaches the same depth on a Worker as on the main thread, deep enough for real recursion', async () => {
  const main = depthHere();
  expect(main).toBeGreaterThan(100_000);
  expect(depthHere()).toBe(main); // and again: nothing of the first exhaustion stayed behind
  expect(await depthInWorker()).toBe(main);
});

test('wasm → JS → wasm nests 200 entries deep, and a trap at the bottom unwinds one entry only', () => {
  const bytes = wat(`(module
    (import "js" "again" (func $again (param i32) (result i32)))
    (func (export "enter") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (unreachable))
        (else (i32.add (i32.const 1) (call $again (i32.sub (local.get 0) (i32.const 1))))))))`);
  let enter: (n: number) => number = () => 0;
  const trapsSeen: number[] = [];
  const again = (n: number): number => {
    if (n > 0) return enter(n);
    try {
      return enter(0); // the bottom traps
    } catch (e) {
      trapsSeen.push(n);
      expect(e).toMatchObject({ name: 'RuntimeError', message: 'unreachable' });
      return 1000;
    }
  };
  enter = (new Jit.Instance(new Jit.Module(bytes), { js: { again } }).exports as unknown as { enter: (n: number) => number }).enter;
  expect(enter(200)).toBe(200 + 1000);
  expect(trapsSeen).toEqual([0]);
  // The wasm stack is whole again: the deepest probe reaches as far as before.
  expect(depthHere()).toBe(depthHere());
});

test('the depth a nested entry reaches is what the waiting frames above it left', () => {
  const bytes = wat(`(module
    (import "js" "probe" (func $probe (result i32)))
    (func $nest (export "nest") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (call $probe)) (else (call $nest (i32.sub (local.get 0) (i32.const 1)))))))`);
  const fresh = depthHere();
  const nested: number[] = [];
  const e = new Jit.Instance(new Jit.Module(bytes), { js: { probe: () => (nested.push(depthHere()), 0) } }).exports as unknown as { nest: (n: number) => number };
  e.nest(0);
  e.nest(20_000);
  expect(nested[0]).toBeLessThan(fresh);
  expect(nested[1]).toBeLessThan(nested[0]);
  expect(nested[1]).toBeGreaterThan(fresh / 2);
});

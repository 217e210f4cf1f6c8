// A workload that exercises every way wasm leaves JIT code (a return, an out-of-bounds fault, a
// trap, stack exhaustion, a JS exception, a re-entry), many times over: run on several Workers at
// once, it shows that no thread's activation, stack limit or fault is taken for another's.
import { JitInstance, JitModule } from './api.js';

/** The stress module's text: assembled by the caller (Workers have no assembler of their own). */
export const STRESS_MODULE = `(module
  (import "env" "boom" (func $boom))
  (import "env" "again" (func $again (param i32) (result i32)))
  (memory 1)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "unreachable") unreachable)
  (func $rec (export "recurse") (param i32) (result i32) (i32.add (i32.const 1) (call $rec (local.get 0))))
  (func (export "sum") (param i32) (result i32) (local i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $next)))
    (local.get 1))
  (func (export "boom") (call $boom))
  (func (export "reenter") (param i32) (result i32) (call $again (local.get 0))))`;

export interface StressReport {
  iterations: number;
  /** What went differently from the expected, one line each (empty when everything held). */
  problems: string[];
}

function expectThrow(problems: string[], what: string, f: () => unknown, check: (e: unknown) => boolean): void {
  try {
    f();
    problems.push(`${what}: returned instead of throwing`);
  } catch (e) {
    if (!check(e)) problems.push(`${what}: threw ${String(e)}`);
  }
}

/** The addon throws the errors of the realm it loaded in, whose classes a test realm's are not: checked by name. */
const isNamed = (x: unknown, name: string): x is Error => typeof x === 'object' && x !== null && (x as Error).name === name;
const isRuntimeError = (x: unknown): x is Error => isNamed(x, 'RuntimeError');

/** Runs the workload `iterations` times with a new instance each time; `tag` tells threads' values apart. */
export function runStress(bytes: Uint8Array, iterations: number, tag: number): StressReport {
  const problems: string[] = [];
  const module = new JitModule(bytes);
  class Boom extends Error {}
  for (let i = 0; i < iterations && problems.length < 20; i++) {
    let inner: Record<string, (...a: unknown[]) => unknown> | undefined;
    const instance = new JitInstance(module, {
      env: {
        boom: () => {
          throw new Boom(`boom ${tag}.${i}`);
        },
        again: (x: number) => (inner!.load as (a: number) => number)(x),
      },
    });
    const e = instance.exports as Record<string, (...a: unknown[]) => unknown>;
    inner = e;
    const value = (tag << 16) | (i & 0xffff);
    e.store(8, value);
    if (e.load(8) !== value) problems.push(`iteration ${i}: load gave ${String(e.load(8))}, expected ${value}`);
    if (e.reenter(8) !== value) problems.push(`iteration ${i}: re-entry gave ${String(e.reenter(8))}`);
    if (e.sum(1000 + i) !== ((1000 + i) * (1001 + i)) / 2) problems.push(`iteration ${i}: sum is ${String(e.sum(1000 + i))}`);
    expectThrow(problems, `iteration ${i} out of bounds`, () => e.load(65536 - 2 + (i % 3)), (x) => isRuntimeError(x) && x.message === 'out of bounds memory access');
    expectThrow(problems, `iteration ${i} re-entered out of bounds`, () => e.reenter(0x7fff0000 + i), (x) => isRuntimeError(x) && x.message === 'out of bounds memory access');
    expectThrow(problems, `iteration ${i} unreachable`, () => e.unreachable(), (x) => isRuntimeError(x) && x.message === 'unreachable');
    expectThrow(problems, `iteration ${i} host exception`, () => e.boom(), (x) => x instanceof Boom && x.message === `boom ${tag}.${i}`);
    if (i % 25 === 0) {
      expectThrow(problems, `iteration ${i} recursion`, () => e.recurse(0), (x) => isNamed(x, 'RangeError') && x.message === 'Maximum call stack size exceeded');
    }
    // Half the instances are released now, the rest left to the collector.
    if (i % 2 === 0) instance.release();
  }
  return { iterations, problems };
}

// Whatever JS does with the JIT's objects, the process survives: a wrong value is an exception,
// an instance released by its own host function finishes the call it is in.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { loadAddon, NativeInstance, NativeModule } from './addon.js';
import { JitInstance, JitModule } from './api.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

test('an instance released by its own imported function finishes the call it is in', () => {
  let self: JitInstance | undefined;
  self = new JitInstance(
    new JitModule(
      wat(`(module (import "env" "drop" (func $drop)) (memory 1) (global $g (mut i32) (i32.const 5))
        (func (export "run") (result i32)
          (i32.store (i32.const 16) (i32.const 42))
          (call $drop)
          (global.set $g (i32.add (global.get $g) (i32.load (i32.const 16))))
          (global.get $g)))`),
    ),
    { env: { drop: () => self!.release() } },
  );
  const run = self.exports.run as () => number;
  expect(run()).toBe(47);
  expect(() => run()).toThrow('the instance was released');
});

test('the raw addon refuses values of the wrong kind with exceptions, never a crash', () => {
  const addon = loadAddon() as unknown as Record<string, (...a: unknown[]) => unknown>;
  const module = new JitModule(wat('(module (func (export "f") (param i32) (result i32) (local.get 0)))'));
  const instance = new JitInstance(module);
  const junk: unknown[] = [undefined, null, 0, 12345n, 'text', {}, [], () => 0, Symbol('s'), new Float64Array(2), module.native, instance.native];
  const calls: [string, (j: unknown) => unknown[]][] = [
    ['validate', (j) => [j]],
    ['compile', (j) => [j]],
    ['instantiate', (j) => [j, []]],
    ['instantiate', (j) => [module.native, j]],
    ['invoke', (j) => [j, 'f', new BigUint64Array(1)]],
    ['invoke', (j) => [instance.native, j, new BigUint64Array(1)]],
    ['invoke', (j) => [instance.native, 'f', j]],
    ['getExport', (j) => [j, 'f']],
    ['getGlobal', (j) => [j, 'g']],
    ['release', (j) => [j]],
    ['releaseModule', (j) => [j]],
  ];
  let refused = 0;
  for (const [name, args] of calls) {
    for (const j of junk) {
      if (j === instance.native && name === 'release') continue; // a real handle: that call is valid
      if (j === module.native && (name === 'releaseModule' || name === 'instantiate')) continue;
      try {
        addon[name](...args(j));
      } catch {
        refused++;
      }
    }
  }
  expect(refused).toBeGreaterThan(80);
  // still usable after all of it
  expect((instance.exports.f as (x: number) => number)(9)).toBe(9);
  expect(() => addon.invoke(instance.native as NativeInstance, 'f', new BigUint64Array(3))).toThrow('wrong number of argument units');
  expect(addon.instantiate(module.native as NativeModule, [])).toHaveProperty('instance');
});

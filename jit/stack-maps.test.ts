// Stack maps (jit/src/instance.h StackMaps): at every call, the frame slots that hold references the
// collector traces (the any and extern hierarchies) — such parameters and locals, and such values
// left on the operand stack below the call's arguments — and where the arguments start. What the
// collector reads (jit/src/frame_walk.h); the validator knows each operand's type, tier 1 the slots.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { loadAddon } from './addon.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

function stackMaps(text: string) {
  const addon = loadAddon();
  const compiled = addon.compile(wat(text));
  if (!compiled.module) throw new Error('did not compile');
  return addon.stackMaps(compiled.module);
}

test('reference parameters, locals and operands across a call are in its map; numbers and funcrefs are not', () => {
  const maps = stackMaps(`(module
    (import "js" "f" (func $f (param i32) (result i32)))
    (import "js" "id" (func $id (param externref) (result externref)))
    ;; units: $e 0, $n 1, $r 2, $x 3; the operand stack starts at unit 4
    (func $g (param $e externref) (param $n i32) (result i32) (local $r funcref) (local $x i64)
      (call $id (local.get $e))          ;; map 1: the externref local only (its argument is the callee's; $r is a funcref)
      (call $f (local.get $n))           ;; map 2: the externref result below the argument, at unit 4
      (drop)
      (drop)
      (i32.const 0)))`);
  // Each call through an import has two return addresses (a host function returns elsewhere).
  const byOffset = [...new Map(maps.map((m) => [m.offset, m])).values()];
  expect(byOffset.map((m) => m.func)).toEqual([2, 2, 2, 2]);
  expect(byOffset.map((m) => m.slots)).toEqual([[0], [0], [0, 4], [0, 4]]);
  // The arguments start at the operand stack's base (unit 4), then above the result (unit 5).
  expect(byOffset.map((m) => m.base)).toEqual([4, 4, 5, 5]);
  const offsets = byOffset.map((m) => m.offset);
  expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
});

test('a function without references has no maps; a v128 takes two units below a reference', () => {
  const maps = stackMaps(`(module
    (func $num (param i32) (result i32) (local.get 0))
    (func $h (result i32) (call $num (i32.const 1)))
    (func $k (param $e externref) (result externref)
      (v128.const i64x2 1 2)               ;; operand heights 0–1: units 1–2 (after $e at 0)
      (local.get $e) (call $id)            ;; an externref at height 2: unit 3, written to its slot by the call
      (call $num (i32.const 0)) (drop)     ;; the map: $e, and the externref
      (local.set $e) (drop) (local.get $e))
    (func $id (param externref) (result externref) (local.get 0)))`);
  const k = maps.filter((m) => m.func === 2);
  expect(maps.every((m) => m.func !== 0 && m.func !== 1)).toBe(true);
  expect(k.map((m) => m.slots)).toEqual([[0], [0, 3]]);
});

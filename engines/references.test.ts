// References cross the JS boundary as the JS API says: a funcref is its function's Exported Function,
// an externref its JS value. No number, BigInt or foreign object becomes a function pointer, whether
// it comes from a JS caller, a host function's result or a script.
import { beforeAll, describe, expect, test } from '@jest/globals';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Assembler } from '../wast/assembler.js';
import { parseScript } from '../wast/parser.js';
import { runScript } from '../wast/interpreter.js';
import { EngineError } from '../wast/engine.js';
import { Value } from '../core/values.js';
import { JitInstance, JitModule } from '../jit/api.js';
import { JitEngine } from '../jit/engine.js';
import { V8Engine } from './v8.js';

let assembler: Assembler;
beforeAll(async () => {
  assembler = await Assembler.load();
});

const SETCALL = `(module
  (type $v (func (result i32)))
  (table 1 funcref)
  (func $seven (export "seven") (result i32) (i32.const 7))
  (func (export "setcall") (param funcref) (result i32)
    (table.set (i32.const 0) (local.get 0))
    (call_indirect (type $v) (i32.const 0)))
  (func (export "get") (result funcref) (ref.func $seven))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (elem declare func $seven))`;

type Fn = (...a: unknown[]) => unknown;

/** The addon's TypeError comes from Node's realm, not jest's: checked by name. */
function typeErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect((e as Error).name).toBe('TypeError');
    return (e as Error).message;
  }
  throw new Error('no TypeError thrown');
}
const instance = (text: string, imports = {}) => new JitInstance(new JitModule(assembler.assemble(text)), imports);

describe('from JS', () => {
  test.each<[string, unknown]>([
    ['a number', 12345],
    ['a BigInt address', 0x4141414141414141n],
    ['zero as a BigInt', 0n],
    ['undefined', undefined],
    ['an object', { code: 1 }],
    ['a JS function', () => 7],
  ])('%s for a funcref is a TypeError, and the JIT goes on', (_, value) => {
    const e = instance(SETCALL).exports as Record<string, Fn>;
    expect(typeErrorOf(() => e.setcall(value))).toMatch(/not a funcref/);
    expect(e.setcall(e.get())).toBe(7);
  });

  test("the addon's other objects (a table's handle, an instance) are no funcrefs either", () => {
    const i = instance(`(module (table (export "t") 1 funcref) ${SETCALL.slice('(module'.length)}`);
    const e = i.exports as Record<string, Fn>;
    const handle = Object.getOwnPropertySymbols(e.t).map((s) => (e.t as unknown as Record<symbol, unknown>)[s])[0];
    expect(handle).toBeDefined();
    typeErrorOf(() => e.setcall(handle));
    typeErrorOf(() => e.setcall(i.native));
  });

  test('an exported funcref is its Exported Function: callable, the same object as the export, never an address', () => {
    const e = instance(SETCALL).exports as Record<string, Fn>;
    const f = e.get() as Fn;
    expect(typeof f).toBe('function');
    expect(f).toBe(e.seven);
    expect(f()).toBe(7);
    expect(f.name).toBe('0');
    expect(Object.keys(f)).toEqual([]);
    expect(e.setcall(f)).toBe(7);
    expect(e.setcall(e.seven)).toBe(7);
    expect(() => e.setcall(null)).toThrow('uninitialized element 0'); // null is a funcref: the call traps
  });

  test('a funcref handle keeps its instance alive after the instance is released', () => {
    const a = instance(SETCALL);
    const f = (a.exports as Record<string, Fn>).get();
    a.release();
    const b = instance(SETCALL).exports as Record<string, Fn>;
    expect(b.setcall(f)).toBe(7);
  });

  test('a funcref kept in a global (set by wasm or from JS) keeps its instance alive after the handle and the instance are gone', () => {
    const holder = instance(`(module (type $v (func (result i32))) (table 1 funcref)
      (global $g (export "g") (mut funcref) (ref.null func))
      (func (export "keep") (param funcref) (global.set $g (local.get 0)))
      (func (export "call") (result i32) (table.set (i32.const 0) (global.get $g)) (table.set (i32.const 0) (ref.null func))
        (table.set (i32.const 0) (global.get $g)) (call_indirect (type $v) (i32.const 0))))`);
    const h = holder.exports as Record<string, Fn> & { g: { value: unknown } };
    for (const viaJs of [false, true]) {
      const a = instance(SETCALL);
      if (viaJs) h.g.value = (a.exports as Record<string, Fn>).get();
      else h.keep((a.exports as Record<string, Fn>).get());
      a.release(); // the handle is the only other holder, and it is dropped at the end of this iteration
    }
    // The handles are garbage now: collect them (their finalizers run inside the collector), so that only the
    // global holds the functions; then reuse freed memory.
    v8.setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    for (let i = 0; i < 3; i++) new JitInstance(new JitModule(assembler.assemble(SETCALL))).release();
    expect(h.call()).toBe(7);
  });

  test('externref holds any JS value and gives the same one back', () => {
    const e = instance(SETCALL).exports as Record<string, Fn>;
    const o = { hello: 1 };
    for (const v of [o, 'text', 42, -0, NaN, 1n, undefined, true, Symbol.for('s'), e.get]) expect(Object.is(e.ext(v), v)).toBe(true);
    expect(e.ext(null)).toBeNull();
  });
});

describe('from host functions', () => {
  const CALLER = `(module
    (type $v (func (result i32)))
    (import "env" "make" (func $make (result funcref)))
    (table 1 funcref)
    (func (export "run") (result i32)
      (table.set (i32.const 0) (call $make))
      (call_indirect (type $v) (i32.const 0))))`;

  test.each([
    ['a BigInt address', 0x4141414141414141n],
    ['a number', 4660],
    ['an object', {}],
    ['undefined', undefined],
  ])('a host function returning %s for a funcref throws a TypeError out of the call', (_, value) => {
    const e = instance(CALLER, { env: { make: () => value } }).exports as Record<string, Fn>;
    typeErrorOf(() => e.run());
  });

  test('a host function returning a real funcref handle works', () => {
    const source = instance(SETCALL).exports as Record<string, Fn>;
    const e = instance(CALLER, { env: { make: () => source.get() } }).exports as Record<string, Fn>;
    expect(e.run()).toBe(7);
  });

  test('host functions receive funcrefs as Exported Functions and externrefs as their JS values', () => {
    const seen: unknown[] = [];
    const e = instance(
      `(module (import "env" "see" (func $see (param funcref externref)))
        (func $f) (elem declare func $f)
        (func (export "go") (param externref) (call $see (ref.func $f) (local.get 0))))`,
      { env: { see: (f: unknown, x: unknown) => seen.push(f, x) } },
    ).exports as Record<string, Fn>;
    const token = { token: true };
    e.go(token);
    expect(typeof seen[0]).toBe('function');
    expect((seen[0] as Fn)()).toBeUndefined();
    expect(seen[1]).toBe(token);
  });
});

describe('from a script, through the engine interface', () => {
  test('ref.extern for a funcref parameter is refused before any call; the JIT goes on', () => {
    const jit = new JitEngine();
    const inst = jit.instantiate(jit.compile(assembler.assemble(SETCALL)), () => undefined);
    expect(() => inst.invoke('setcall', [{ type: 'ref', ref: { kind: 'extern', id: 4660 } }])).toThrow(EngineError);
    const f = inst.invoke('get', []);
    expect(f[0]).toMatchObject({ type: 'ref', ref: { kind: 'func' } });
    expect(inst.invoke('setcall', f)).toEqual([{ type: 'i32', bits: 7 }]);
    expect(inst.invoke('ext', [{ type: 'ref', ref: { kind: 'extern', id: 4660 } }])).toEqual([{ type: 'ref', ref: { kind: 'extern', id: 4660 } }]);
  });

  test.each<[string, Value]>([
    ['an i64 on an i32 parameter', { type: 'i64', bits: 0x100000005n }],
    ['an f32 on an i32 parameter', { type: 'f32', bits: 0x3f800000 }],
    ['ref.extern on an i32 parameter', { type: 'ref', ref: { kind: 'extern', id: 1 } }],
  ])('%s is refused, as on V8', (_, arg) => {
    const jit = new JitEngine();
    const inst = jit.instantiate(jit.compile(assembler.assemble('(module (func (export "f") (param i32) (result i32) (local.get 0)))')), () => undefined);
    expect(() => inst.invoke('f', [arg])).toThrow(/argument 1 of "f": .* for a i32 parameter/);
    expect(inst.invoke('f', [{ type: 'i32', bits: 5 }])).toEqual([{ type: 'i32', bits: 5 }]);
  });

  test('a script that passes wrongly typed arguments fails on the JIT as on V8; a forged funcref does not crash it', () => {
    const script = parseScript(
      'forged.wast',
      `${SETCALL.replace('(module', '(module $m')}
(assert_return (invoke "setcall" (ref.extern 4660)) (i32.const 7))
(assert_return (invoke "setcall" (ref.null func)) (i32.const 7))
(module (func (export "id") (param i32) (result i32) (local.get 0)))
(assert_return (invoke "id" (i64.const 0x100000005)) (i32.const 5))
(assert_return (invoke "id" (f32.const 1)) (i32.const 0x3f800000))
(assert_return (invoke "id" (i32.const 5)) (i32.const 5))
`,
    );
    const result = runScript(script, { engine: new JitEngine(), assembler });
    expect(result.status).toBe('ok');
    const lineOf = (text: string) => script.commands.find((c) => 'sourceText' in c && (c.sourceText as string).includes(text))!.loc.line;
    const outcomes = result.results.filter((r) => r.assertion).map((r) => [r.line, r.outcome]);
    expect(outcomes).toEqual([
      [lineOf('ref.extern 4660'), 'failed'],
      [lineOf('ref.null func'), 'failed'], // a trap (uninitialized element), not the expected 7
      [lineOf('i64.const 0x100000005'), 'failed'],
      [lineOf('f32.const 1'), 'failed'],
    ]);
    expect(result.counts.passed).toBe(1);
    const onV8 = runScript(script, { engine: new V8Engine(), assembler });
    expect(onV8.results.filter((r) => r.assertion).map((r) => [r.line, r.outcome])).toEqual(outcomes);
  });
});

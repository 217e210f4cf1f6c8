// The engine protocol, message by message, against the reference driver in fixtures/ (which imports nothing of
// mitey), and the same requests through the Node driver serving the JavaScript-API engine, where values are exact.
import { afterAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { EngineError, EngineInstance } from '../../wast/engine.js';
import { Value } from '../../core/values.js';
import { Assembler } from '../../wast/assembler.js';
import { DriverDiedError } from './driver-process.js';
import { ProtocolEngine } from './protocol-engine.js';
import { fromBase64, fromWire, toBase64, toWire } from './wire.js';

const REFERENCE = [process.execPath, join(PACKAGE_ROOT, 'fixtures', 'engine-protocol', 'reference-driver.mjs')];
const NODE_DRIVER = [process.execPath, join(PACKAGE_ROOT, 'dist', 'engines', 'drivers', 'node-driver.js'), 'v8-node'];

const assembler = await Assembler.load({});
const wasm = (text: string) => assembler.assemble(text, 'test.wat');
const i32 = (n: number): Value => ({ type: 'i32', bits: n >>> 0 });
const engines: ProtocolEngine[] = [];
const start = (argv: string[], died?: string[]) => {
  const e = new ProtocolEngine('test', argv, died ? { onDriverDied: (m) => died.push(m) } : {});
  engines.push(e);
  return e;
};
afterAll(() => {
  engines.length = 0; // the drivers end with the process
});

const MODULE = `(module
  (memory (export "mem") 1)
  (data (i32.const 8) "\\01\\02\\03")
  (table (export "tab") 2 funcref)
  (elem (i32.const 1) $id)
  (global (export "g") (mut i32) (i32.const 7))
  (func $id (export "id") (param i32) (result i32) (local.get 0))
  (func (export "wide") (param i64) (result i64) (i64.add (local.get 0) (i64.const 1)))
  (func (export "set") (param i32) (global.set 0 (local.get 0)))
  (func (export "trap") unreachable)
  (func $deep (export "deep") (call $deep)))`;

describe('the wire format', () => {
  test('base64 round-trips every length and refuses what is not base64', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }
    expect(() => fromBase64('abc')).toThrow(/base64/);
    expect(() => fromBase64('ab!=')).toThrow(/not base64/);
  });

  test('values cross exact to the bit, references as handles', () => {
    const values: Value[] = [
      { type: 'i32', bits: 0xffffffff },
      { type: 'f32', bits: 0x7fa00001 },
      { type: 'i64', bits: 0x8000000000000001n },
      { type: 'f64', bits: 0xfff8000000000123n },
      { type: 'v128', bytes: Uint8Array.from({ length: 16 }, (_, i) => 255 - i) },
      { type: 'ref', ref: { kind: 'null', heap: 'extern' } },
      { type: 'ref', ref: { kind: 'extern', id: 5 } },
      { type: 'ref', ref: { kind: 'func', handle: 'f', index: 3 } },
      { type: 'ref', ref: { kind: 'opaque', heap: 'struct', handle: 's' } },
    ];
    const ids = new Map<unknown, number>([['f', 1], ['s', 2]]);
    const back = new Map([...ids].map(([k, v]) => [v, k]));
    for (const v of values) expect(fromWire(JSON.parse(JSON.stringify(toWire(v, (r) => ids.get(r.handle)!))), (n) => back.get(n))).toEqual(v);
    expect(toWire({ type: 'f32', bits: 0x7fa00001 }, () => 0)).toEqual({ type: 'f32', bits: '0x7fa00001' });
    expect(() => fromWire({ type: 'i32', bits: '12' }, () => 0)).toThrow(/hex digits/);
    expect(() => fromWire({ type: 'v128', bytes: '00' }, () => 0)).toThrow(/32 hex digits/);
  });
});

describe.each([
  ['the reference driver', REFERENCE],
  ['the Node driver over the JavaScript-API engine', NODE_DRIVER],
])('every message, through %s', (_, argv) => {
  const engine = start(argv);
  let inst: EngineInstance;

  test('hello: its version and dialect; validate: the features probed', () => {
    expect(engine.version).toMatch(/node|v8|\d/);
    expect(engine.dialect).toBe('v8');
    expect(engine.features.has('mvp')).toBe(true);
    expect(engine.features.has('multi-value')).toBe(true);
    // Node 20's V8 has no memory64 without a flag: probed, not assumed
    expect(engine.features.has('memory64')).toBe(WebAssembly.validate(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 4, 1])));
  });

  test('compile: a module and its imports; bytes it refuses, as a compile error', () => {
    const m = engine.compile(wasm('(module (import "spectest" "print_i32" (func (param i32))) (import "m" "g" (global i32)))'));
    expect(m.imports).toEqual([{ module: 'spectest', name: 'print_i32', kind: 'func' }, { module: 'm', name: 'g', kind: 'global' }]);
    const bad = (() => {
      try {
        engine.compile(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
      } catch (err) {
        return err;
      }
    })();
    expect(bad).toBeInstanceOf(EngineError);
    expect((bad as EngineError).kind).toBe('compile');
  });

  test('instantiate: exports with their kinds; imports from another instance; a missing import is unlinkable', () => {
    inst = engine.instantiate(engine.compile(wasm(MODULE)), () => undefined);
    expect(inst.exportNames()).toEqual(['mem', 'tab', 'g', 'id', 'wide', 'set', 'trap', 'deep']);
    expect(inst.export('mem')?.kind).toBe('memory');
    expect(inst.export('g')?.kind).toBe('global');
    const user = engine.compile(wasm('(module (import "m" "id" (func $f (param i32) (result i32))) (func (export "twice") (param i32) (result i32) (call $f (call $f (local.get 0)))))'));
    const linked = engine.instantiate(user, (module, name) => (module === 'm' ? inst.export(name) : undefined));
    expect(linked.invoke('twice', [i32(41)])).toEqual([i32(41)]);
    expect(() => engine.instantiate(user, () => undefined)).toThrow(expect.objectContaining({ kind: 'unlinkable' }));
  });

  test('invoke: exact results; traps and stack exhaustion by kind', () => {
    expect(inst.invoke('id', [i32(-5)])).toEqual([i32(-5)]);
    expect(inst.invoke('wide', [{ type: 'i64', bits: 0xffffffffffffffffn }])).toEqual([{ type: 'i64', bits: 0n }]);
    expect(() => inst.invoke('trap', [])).toThrow(expect.objectContaining({ kind: 'trap', message: expect.stringMatching(/unreachable/) }));
    expect(() => inst.invoke('deep', [])).toThrow(expect.objectContaining({ kind: 'exhaustion' }));
  });

  test('global, memory and table: read as they are now', () => {
    expect(inst.getGlobal('g')).toEqual(i32(7));
    inst.invoke('set', [i32(9)]);
    expect(inst.getGlobal('g')).toEqual(i32(9));
    const mem = inst.readMemory!('mem', 7, 5);
    expect(mem.size).toBe(65536);
    expect([...mem.bytes]).toEqual([0, 1, 2, 3, 0]);
    expect(inst.readTable!('tab', 0)).toEqual({ size: 2, element: { type: 'ref', ref: { kind: 'null', heap: expect.any(String) } } });
    const f = inst.readTable!('tab', 1).element!;
    expect(f).toMatchObject({ type: 'ref', ref: { kind: 'func' } });
    expect(inst.readTable!('tab', 2)).toEqual({ size: 2 });
  });

  test('dispose: the instance is gone in the driver', () => {
    const other = engine.instantiate(engine.compile(wasm(MODULE)), () => undefined);
    other.dispose!();
    expect(() => other.invoke('id', [i32(1)])).toThrow(/protocol: no instance/);
  });

  test('a request the driver does not know is an error reply, and the driver goes on', () => {
    expect(() => engine.request({ op: 'frobnicate' } as never)).toThrow(/protocol: unknown op "frobnicate"/);
    expect(() => engine.request({ op: 'hello', protocol: 99 })).toThrow(/protocol 1, not 99/);
    expect(inst.invoke('id', [i32(3)])).toEqual([i32(3)]);
  });
});

describe('exact bits through the JavaScript-API engine', () => {
  const engine = start(NODE_DRIVER);
  test('a NaN payload and a v128 survive the driver and the wrapper', () => {
    const inst = engine.instantiate(engine.compile(wasm(`(module
      (func (export "f") (param f32) (result f32) (local.get 0))
      (func (export "v") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0))))`)), () => undefined);
    expect(inst.invoke('f', [{ type: 'f32', bits: 0x7fa00001 }])).toEqual([{ type: 'f32', bits: 0x7fa00001 }]);
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(inst.invoke('v', [{ type: 'v128', bytes }])).toEqual([{ type: 'v128', bytes: bytes.map((b) => b * 2) }]);
  });
});

describe('a driver that fails', () => {
  test('one that answers what is not JSON: a host error naming the line', () => {
    const engine = start(REFERENCE);
    const inst = engine.instantiate(engine.compile(wasm('(module (func (export "driver-garbage")))')), () => undefined);
    expect(() => inst.invoke('driver-garbage', [])).toThrow(/the driver answered "this is not JSON"/);
  });

  test('one that dies: the request fails with its signal, the death is reported, and a new driver serves the next', () => {
    const died: string[] = [];
    const engine = start(REFERENCE, died);
    const inst = engine.instantiate(engine.compile(wasm('(module (func (export "driver-crash")) (func (export "one") (result i32) (i32.const 1)))')), () => undefined);
    expect(() => inst.invoke('driver-crash', [])).toThrow(DriverDiedError);
    expect(died).toEqual([expect.stringMatching(/reference-driver\.mjs` ended: it was killed by signal 6 \(SIGABRT\)/)]);
    expect(() => inst.invoke('one', [])).toThrow(/protocol: no instance/); // the new driver never had it
    const again = engine.instantiate(engine.compile(wasm('(module (func (export "one") (result i32) (i32.const 1)))')), () => undefined);
    expect(again.invoke('one', [])).toEqual([i32(1)]);
  });

  test('one that cannot start: an error naming the program', () => {
    expect(() => start(['/nonexistent/driver'])).toThrow(/did not start/);
  });
});

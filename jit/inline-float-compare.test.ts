// f32/f64 eq, ne, lt, gt, le, ge are inline (codegen.cc floatCompare: ucomiss/ucomisd and setcc, where a NaN makes
// every comparison false but ne). Operands from slots (parameters), the float accumulator (an inline result), a
// float cache register (held while the next value takes the accumulator) and constants, over NaNs, both zeros,
// infinities and subnormals; each case runs on the JIT and on Node's own V8, and the results must agree.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { WebAssembly as Jit } from './js-api/index.js';

const OPS = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
let bytes: Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  const funcs = ['f32', 'f64'].flatMap((t) =>
    OPS.flatMap((op) => [
      `(func (export "${t}.${op}.params") (param ${t} ${t}) (result i32) (${t}.${op} (local.get 0) (local.get 1)))`,
      // the right operand an inline result (in the accumulator), the left one held in a cache register
      `(func (export "${t}.${op}.held") (param ${t} ${t}) (result i32) (${t}.${op} (${t}.add (local.get 0) (${t}.const 0)) (${t}.mul (local.get 1) (${t}.const 1))))`,
      `(func (export "${t}.${op}.const") (param ${t}) (result i32) (${t}.${op} (local.get 0) (${t}.const 1.5)))`,
      // the result feeding an integer operation and a branch
      `(func (export "${t}.${op}.branch") (param ${t} ${t}) (result i32) (if (result i32) (${t}.${op} (local.get 0) (local.get 1)) (then (i32.const 7)) (else (i32.add (i32.const 40) (${t}.${op} (local.get 1) (local.get 0))))))`,
      // fused with br_if: one conditional jump to the label, with and without a value carried (a NaN must not branch)
      `(func (export "${t}.${op}.brif") (param ${t} ${t}) (result i32) (block $b (result i32) (drop (br_if $b (i32.const 3) (${t}.${op} (local.get 0) (local.get 1)))) (i32.const 9)))`,
      `(func (export "${t}.${op}.brifPlain") (param ${t} ${t}) (result i32) (block $b (br_if $b (${t}.${op} (local.get 1) (${t}.const -0.5))) (return (i32.const 9))) (i32.const 3))`,
    ]),
  );
  bytes = a.assemble(`(module ${funcs.join('\n')})`);
});

type Fn = (...a: unknown[]) => unknown;
const VALUES = [0, -0, 1, -1, 1.5, Number.NaN, Infinity, -Infinity, 5e-324, -5e-324, 1.401298464324817e-45, 3.4028234663852886e38, 0.1];

test('every comparison, every operand place, on the JIT and on V8', () => {
  const jit = new Jit.Instance(new Jit.Module(bytes)).exports as Record<string, Fn>;
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports as Record<string, Fn>;
  const differ: string[] = [];
  let cases = 0;
  for (const t of ['f32', 'f64'])
    for (const op of OPS)
      for (const x of VALUES) {
        for (const form of ['params', 'held', 'branch', 'brif', 'brifPlain'])
          for (const y of VALUES) {
            const f = `${t}.${op}.${form}`;
            cases++;
            if (jit[f](x, y) !== v8[f](x, y)) differ.push(`${f}(${x}, ${y}): jit ${jit[f](x, y)}, v8 ${v8[f](x, y)}`);
          }
        const f = `${t}.${op}.const`;
        cases++;
        if (jit[f](x) !== v8[f](x)) differ.push(`${f}(${x}): jit ${jit[f](x)}, v8 ${v8[f](x)}`);
      }
  expect(differ).toEqual([]);
  expect(cases).toBeGreaterThan(6000);
  // the spec's answers for NaN and the zeros, not only agreement
  expect([jit['f64.eq.params'](NaN, NaN), jit['f64.ne.params'](NaN, NaN), jit['f32.le.params'](NaN, 1), jit['f32.ge.held'](1, NaN)]).toEqual([0, 1, 0, 0]);
  expect([jit['f32.eq.params'](0, -0), jit['f64.lt.params'](-0, 0), jit['f64.le.held'](-0, 0)]).toEqual([1, 0, 1]);
});

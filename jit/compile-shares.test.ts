// How the JIT compiles a module (codegen.cc compileModule): bodies decoded, validated and compiled a function at
// a time, large modules split into shares compiled on several threads (MITEY_JIT_COMPILE_THREADS=n forces n shares
// for any module), code written in place into a reservation bounded by the bodies' bytes and their locals.
import { afterEach, beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { WebAssembly as Jit } from './js-api/index.js';

let assembler: Assembler;
beforeAll(async () => {
  assembler = await Assembler.load();
});
afterEach(() => {
  delete process.env.MITEY_JIT_COMPILE_THREADS;
});

// Calls cross shares both ways, v128 constants and try_table clauses (which the code points at) sit in
// every share, and a reference local makes stack maps: each share's offsets must be the module's.
const crossing = (n: number) => {
  let text = '(module (tag $t (param i32)) (type $s (struct (field i32)))\n';
  for (let i = 0; i < n; i++) {
    const next = (i + 1) % n;
    text += `(func $f${i} (export "f${i}") (param i32) (result i32) (local (ref null $s))
      (local.set 1 (struct.new $s (i32.add (local.get 0) (i32.const ${i}))))
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32x4.extract_lane 2 (v128.const i32x4 ${i} ${i + 1} ${i * 7} ${i + 3})))
        (else (i32.add (struct.get $s 0 (local.get 1))
          (block $h (result i32) (try_table (result i32) (catch $t $h) (throw $t (call $f${next} (i32.sub (local.get 0) (i32.const 1)))))))))
    )\n`;
  }
  return assembler.assemble(text + ')');
};

/** f_i(x) in JS: f_i(0) = 7i; f_i(x) = (x + i) + f_{i+1}(x - 1). */
const expected = (n: number, i: number, x: number): number => (x === 0 ? 7 * i : x + i + expected(n, (i + 1) % n, x - 1));

test('a module compiled in 1, 2, 3 and 5 shares runs the same: calls, constants, catch clauses and stack maps across shares', () => {
  const bytes = crossing(12);
  for (const shares of ['1', '2', '3', '5']) {
    process.env.MITEY_JIT_COMPILE_THREADS = shares;
    const e = new Jit.Instance(new Jit.Module(bytes)).exports as Record<string, (x: number) => number>;
    for (const [i, x] of [[0, 0], [0, 5], [3, 11], [11, 30], [7, 100]]) expect([shares, i, x, e[`f${i}`](x)]).toEqual([shares, i, x, expected(12, i, x)]);
  }
});

test('an error in a body is the one decoding the whole module finds first, whatever the shares', () => {
  const good = '(func (result i32) (i32.const 1))';
  const invalid = '(func (result i32) (i64.const 1))';
  const text = `(module ${good} ${good} ${invalid} ${good} ${good})`;
  for (const shares of ['1', '2', '4']) {
    process.env.MITEY_JIT_COMPILE_THREADS = shares;
    expect(() => new Jit.Module(assembler.assemble(text))).toThrow(/type mismatch/);
  }
});

test('a function declaring 49,992 locals (a few bytes of body) compiles: the code bound counts locals', () => {
  const bytes = assembler.assemble(`(module (func (export "f") (param i64) (result i64) (local i64 v128) (local ${'i64 '.repeat(49990)})
    (local.set 49992 (local.get 0)) (local.get 49992)))`);
  const e = new Jit.Instance(new Jit.Module(bytes)).exports as { f: (x: bigint) => bigint };
  expect(e.f(42n)).toBe(42n);
});

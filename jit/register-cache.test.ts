// Tier 1 keeps several values in registers between instructions (Acc, and cache registers a value
// moves to when Acc takes the next one; codegen.cc): expression trees whose intermediate results
// pile up, with every kind of consumer of a held value (ALU with register and immediate operands,
// mul, shifts, compares and eqz, a branch condition, load addresses, store values and addresses,
// local.set/tee, global.set, calls that write them out), and more held values than there are
// cache registers. Each function runs on the JIT and on Node's own V8, and their results must agree.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from '../wast/assembler.js';
import { WebAssembly as Jit } from './js-api/index.js';

let wat: (text: string) => Uint8Array;
beforeAll(async () => {
  const a = await Assembler.load();
  wat = (text) => a.assemble(text);
});

/** A deterministic generator (xorshift), so a failure names a case that reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const BINARY = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr', 'eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'ge_u'];
const COMPARE = new Set(['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'ge_u']);

/** An expression of type t (i32 or i64) over the parameters $a $b (i32) $c $d (i64), `depth` deep. */
function expr(next: () => number, t: 'i32' | 'i64', depth: number): string {
  if (depth === 0) {
    switch (next() % 4) {
      case 0: return `(${t}.const ${(next() % 2000) - 1000})`;
      case 1: return `(${t}.const ${t === 'i32' ? next() | 0 : BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next()))})`;
      default: return t === 'i32' ? `(local.get ${next() % 2 ? '$a' : '$b'})` : `(local.get ${next() % 2 ? '$c' : '$d'})`;
    }
  }
  const op = BINARY[next() % BINARY.length];
  const k = next() % 12;
  if (k === 0) return widen(`(${t}.eqz ${expr(next, t, depth - 1)})`, t);
  if (k === 1) return `(${t}.load offset=${(next() % 4) * 8} (i32.and ${expr(next, 'i32', depth - 1)} (i32.const 0xff8)))`;
  if (k === 2) return widen(`(local.tee $x ${expr(next, 'i32', depth - 1)})`, t);
  if (k === 3) return `(call $id_${t} ${expr(next, t, depth - 1)})`;
  if (k === 4) return `(select ${expr(next, t, depth - 1)} ${expr(next, t, depth - 1)} ${expr(next, 'i32', depth - 1)})`;
  const e = `(${t}.${op} ${expr(next, t, depth - 1)} ${expr(next, t, depth - 1)})`;
  return COMPARE.has(op) ? widen(e, t) : e;
}

/** An i32-typed expression as type t. */
const widen = (e: string, t: 'i32' | 'i64') => (t === 'i32' ? e : `(i64.extend_i32_u ${e})`);

/** A function with side effects in between: stores of held values, global.set, a branch on a held condition. */
function func(next: () => number, index: number): string {
  const depth = 3 + (next() % 3);
  return `(func (export "f${index}") (param $a i32) (param $b i32) (param $c i64) (param $d i64) (result i64) (local $x i32)
    (i64.store offset=8 (i32.and ${expr(next, 'i32', 2)} (i32.const 0xff8)) ${expr(next, 'i64', depth - 1)})
    (i32.store (i32.and ${expr(next, 'i32', 2)} (i32.const 0xffc)) ${expr(next, 'i32', depth - 1)})
    (global.set $g ${expr(next, 'i64', 2)})
    (block $out
      (br_if $out ${expr(next, 'i32', 2)})
      (local.set $x ${expr(next, 'i32', depth)}))
    (i64.add (i64.add ${expr(next, 'i64', depth)} (global.get $g))
      (i64.add (i64.extend_i32_u (local.get $x)) (i64.load offset=16 (i32.and ${expr(next, 'i32', 2)} (i32.const 0xff8))))))`;
}

function moduleText(seed: number, count: number): string {
  const next = rng(seed);
  const funcs = Array.from({ length: count }, (_, i) => func(next, i));
  return `(module (memory 1) (global $g (mut i64) (i64.const 7))
    (func $id_i32 (param i32) (result i32) (local.get 0))
    (func $id_i64 (param i64) (result i64) (local.get 0))
    ${funcs.join('\n')})`;
}

const INPUTS: [number, number, bigint, bigint][] = [
  [0, 0, 0n, 0n],
  [1, -1, 3n, -5n],
  [0x7fffffff, -0x80000000, 2n ** 63n - 1n, -(2n ** 63n)],
  [12345, 678, 0x1234_5678_9abcn, 31n],
];

test.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: 40 functions of deep integer expressions give V8’s results on the JIT', (seed) => {
  const bytes = wat(moduleText(seed, 40));
  const jit = new Jit.Instance(new Jit.Module(bytes)).exports as Record<string, (...a: unknown[]) => unknown>;
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource)).exports as Record<string, (...a: unknown[]) => unknown>;
  for (let i = 0; i < 40; i++) {
    for (const input of INPUTS) {
      const run = (e: Record<string, (...a: unknown[]) => unknown>) => {
        try {
          return e[`f${i}`](...input);
        } catch (err) {
          return `trap: ${(err as Error).message}`;
        }
      };
      expect([i, input, run(jit)]).toEqual([i, input, run(v8)]);
    }
  }
});

const FLOAT_BINARY = ['add', 'sub', 'mul', 'div'];

/** A float expression of type t over $p $q (f64) and $r (f32): operations the JIT does inline, and some it calls. */
function floatExpr(next: () => number, t: 'f32' | 'f64', depth: number): string {
  if (depth === 0) {
    switch (next() % 4) {
      case 0: return `(${t}.const ${((next() % 20000) - 10000) / 64})`;
      case 1: return t === 'f64' ? `(local.get ${next() % 2 ? '$p' : '$q'})` : '(local.get $r)';
      default: return t === 'f64' ? `(f64.promote_f32 (local.get $r))` : `(f32.demote_f64 (local.get $p))`;
    }
  }
  const k = next() % 10;
  if (k === 0) return `(local.tee ${t === 'f64' ? '$y' : '$z'} ${floatExpr(next, t, depth - 1)})`;
  if (k === 1) return `(${t}.load offset=${(next() % 4) * 8} (i32.const ${floatAddress(next, t)}))`;
  if (k === 2) return `(${t}.sqrt ${floatExpr(next, t, depth - 1)})`;
  if (k === 3) return `(select ${floatExpr(next, t, depth - 1)} ${floatExpr(next, t, depth - 1)} (${t}.lt ${floatExpr(next, t, depth - 1)} ${floatExpr(next, t, depth - 1)}))`;
  return `(${t}.${FLOAT_BINARY[next() % FLOAT_BINARY.length]} ${floatExpr(next, t, depth - 1)} ${floatExpr(next, t, depth - 1)})`;
}

/**
 * f64s and f32s in memory regions of their own, each read back only as stored: a NaN's bits are the
 * engine's choice (the spec leaves them open), so they must not be read as other numbers.
 */
const floatAddress = (next: () => number, t: 'f32' | 'f64') => (t === 'f64' ? (next() % 60) * 8 : 1024 + (next() % 60) * 8);

function floatFunc(next: () => number, index: number): string {
  const depth = 3 + (next() % 3);
  return `(func (export "g${index}") (param $p f64) (param $q f64) (param $r f32) (result f64) (local $y f64) (local $z f32)
    (f64.store (i32.const ${floatAddress(next, 'f64')}) ${floatExpr(next, 'f64', depth - 1)})
    (f32.store (i32.const ${floatAddress(next, 'f32')}) ${floatExpr(next, 'f32', depth - 1)})
    (global.set $h ${floatExpr(next, 'f64', 2)})
    (local.set $z ${floatExpr(next, 'f32', depth)})
    (f64.add (f64.add ${floatExpr(next, 'f64', depth)} (global.get $h))
      (f64.add (f64.promote_f32 (local.get $z)) (f64.mul (local.get $y) ${floatExpr(next, 'f64', depth - 1)}))))`;
}

const FLOAT_INPUTS: [number, number, number][] = [
  [0, -0, 0],
  [1.5, -2.25, 3.75],
  [1e300, -1e-300, 3.4e38],
  [NaN, Infinity, -Infinity],
];

test.each([1, 2, 3, 4, 5, 6])('seed %i: 40 functions of deep float expressions give V8’s results on the JIT', (seed) => {
  const next = rng(seed * 7919);
  const funcs = Array.from({ length: 40 }, (_, i) => floatFunc(next, i));
  const bytes = wat(`(module (memory 1) (global $h (mut f64) (f64.const 0.5)) ${funcs.join('\n')})`);
  const jit = new Jit.Instance(new Jit.Module(bytes)).exports as Record<string, (...a: number[]) => number>;
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource)).exports as Record<string, (...a: number[]) => number>;
  for (let i = 0; i < 40; i++) {
    for (const input of FLOAT_INPUTS) expect([i, input, jit[`g${i}`](...input)]).toEqual([i, input, v8[`g${i}`](...input)]);
  }
});

// fast-check arbitraries of valid scalar Wasm 2.0 modules (trees of ast.ts; encode with encode.ts).
// Leaves come first in every choice (constants, then local.get), so shrinking and the depth limit
// both go to them. Indices and label depths are plain integers that the encoder reduces modulo the
// valid range, so every shrunk tree stays valid.
import fc from 'fast-check';
import type { Body, Const, Expr, Function, FuncType, Global, Module, ResultType, ValType } from './ast.js';
import { VAL_TYPES } from './ast.js';
import { LOAD_OPS, NUMERIC_OPS, STORE_OPS, opKey } from './opcodes.js';

export interface GenOptions {
  /** nesting limit of expressions (default 5) */
  maxDepth?: number;
  /** most statements in a body (default 3) */
  maxStatements?: number;
  /** most functions (default 4) */
  maxFunctions?: number;
  /** initial fuel (default 1000) */
  fuel?: number;
}

const I32_EDGES = [0, 1, -1, 2, -0x80000000, 0x7fffffff, 31, 32, 63, 64, 0x80, 0xff, 0xffff, 0x10000, -2, 0x7f, 0x8000];
const I64_EDGES = [0n, 1n, -1n, 2n, -(2n ** 63n), 2n ** 63n - 1n, 63n, 64n, 0xffffffffn, 0x80000000n, -(2n ** 31n), 2n ** 32n];
const F32_EDGES = [
  0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00001, 0x7fc12345,
  0xff812345, 0x7f7fffff, 0xff7fffff, 0x00000001, 0x80000001, 0x00800000, 0x4f000000, 0xcf000000, 0x5f000000,
  0xdf000000, 0x3f000000, 0x4f800000, 0x5f800000, 0xbf7fffff, 0x3fc00000, 0x40200000, 0xbf400000, 0x3effffff,
];
const F64_EDGES = [
  0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff4000000000001n, 0x7ff8000000012345n, 0xfff0000000012345n,
  0x7fefffffffffffffn, 0xffefffffffffffffn, 1n, 0x8000000000000001n, 0x0010000000000000n, 0x41e0000000000000n,
  0xc1e0000000000000n, 0x43e0000000000000n, 0xc3e0000000000000n, 0x41f0000000000000n, 0x43f0000000000000n,
  0x3fe0000000000000n, 0xbfefffffffffffffn, 0x3ff8000000000000n, 0x4004000000000000n, 0xbfe8000000000000n,
];

const f32Bits = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0];
const f64Bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];

/** a constant of type t: edge values first (0 first of all), then random bit patterns and random floats */
export function constArb(t: ValType): fc.Arbitrary<Const> {
  switch (t) {
    case 'i32':
      return fc.oneof(fc.constantFrom(...I32_EDGES), fc.integer()).map((bits) => ({ kind: 'const', type: 'i32', bits }));
    case 'i64':
      return fc
        .oneof(fc.constantFrom(...I64_EDGES), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))
        .map((bits) => ({ kind: 'const', type: 'i64', bits }));
    case 'f32':
      return fc
        .oneof(
          fc.constantFrom(...F32_EDGES),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.float({ noDefaultInfinity: true, noNaN: true }).map(f32Bits),
        )
        .map((bits) => ({ kind: 'const', type: 'f32', bits }));
    case 'f64':
      return fc
        .oneof(
          fc.constantFrom(...F64_EDGES),
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          fc.double({ noDefaultInfinity: true, noNaN: true }).map(f64Bits),
        )
        .map((bits) => ({ kind: 'const', type: 'f64', bits }));
  }
}

const valTypeArb: fc.Arbitrary<ValType> = fc.constantFrom(...VAL_TYPES);
const index = fc.nat({ max: 15 });
const depth = fc.nat({ max: 7 });
const offsetArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 7, 8, 16, 100, 65528, 65535, 65536, 131072), weight: 8 },
  { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 1 },
);

type Tie = (key: string) => fc.Arbitrary<unknown>;

/** the expression arbitraries of every result type, sharing one depth limit */
export function exprArbs(opts: GenOptions = {}): Record<ResultType | 'any', fc.Arbitrary<Expr>> {
  const maxDepth = opts.maxDepth ?? 5;
  const maxStatements = opts.maxStatements ?? 3;
  const oneofOpts = { maxDepth, depthIdentifier: 'wasm-expr', withCrossShrink: true } as const;

  const built = fc.letrec((tie: Tie) => {
    const E = (t: ResultType | 'any') => tie(t) as fc.Arbitrary<Expr>;
    const stmts = fc.array(E('void'), { maxLength: maxStatements });
    const bodyOf = (t: ResultType): fc.Arbitrary<Body> =>
      fc.record({ body: stmts, result: t === 'void' ? fc.constant(null) : E(t) });
    const optValue = fc.option(E('any'), { nil: null, freq: 2 });
    // a small address most of the time, so loads and stores do not always trap
    const addr = fc.oneof(
      { arbitrary: fc.nat({ max: 70000 }).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 3 },
      { arbitrary: E('i32'), weight: 1 },
    );

    // a short length for memory.fill and memory.copy
    const len = fc.oneof(
      { arbitrary: fc.nat({ max: 300 }).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 3 },
      { arbitrary: E('i32'), weight: 1 },
    );

    const control = (t: ResultType): fc.Arbitrary<Expr>[] => [
      bodyOf(t).map((b): Expr => ({ kind: 'block', type: t, body: b.body, result: b.result })),
      bodyOf(t).map((b): Expr => ({ kind: 'loop', type: t, body: b.body, result: b.result })),
      fc
        .record({ cond: E('i32'), then: bodyOf(t), else: bodyOf(t) })
        .map((r): Expr => ({ kind: 'if', type: t, ...r })),
      fc.record({ depth, value: optValue }).map((r): Expr => ({ kind: 'br', type: t, ...r })),
      fc
        .record({
          depth,
          value: t === 'void' ? fc.constant(null) : E(t),
          cond: E('i32'),
        })
        .map((r): Expr => ({ kind: 'br_if', type: t, ...r })),
      fc
        .record({ depths: fc.array(depth, { maxLength: 4 }), default: depth, value: optValue, index: E('i32') })
        .map((r): Expr => ({ kind: 'br_table', type: t, ...r })),
      fc
        .record({ func: fc.nat(), args: fc.array(E('any'), { maxLength: 4 }) })
        .map((r): Expr => ({ kind: 'call', type: t, ...r })),
      fc
        .record({ typeIndex: fc.nat(), args: fc.array(E('any'), { maxLength: 4 }), index: E('i32') })
        .map((r): Expr => ({ kind: 'call_indirect', type: t, ...r })),
    ];

    const valueOf = (t: ValType): fc.Arbitrary<Expr> => {
      const numeric = new Map<string, number[]>();
      for (const op of NUMERIC_OPS) {
        if (op.result !== t) continue;
        const sig = op.params.join(',');
        numeric.set(sig, [...(numeric.get(sig) ?? []), opKey(op)]);
      }
      const numericArbs = [...numeric].map(([sig, keys]) =>
        fc
          .record({ op: fc.constantFrom(...keys), args: fc.tuple(...sig.split(',').map((p) => E(p as ValType))) })
          .map((r): Expr => ({ kind: 'numeric', type: t, op: r.op, args: r.args })),
      );
      // The same operand twice: equal inputs are where lt and le, min and max, sub and xor part ways.
      const twinArbs = [...numeric]
        .filter(([sig]) => sig.split(',').length === 2 && sig.split(',')[0] === sig.split(',')[1])
        .map(([sig, keys]) =>
          fc
            .record({ op: fc.constantFrom(...keys), arg: E(sig.split(',')[0] as ValType) })
            .map((r): Expr => ({ kind: 'numeric', type: t, op: r.op, args: [r.arg, r.arg] })),
        );
      const loads = LOAD_OPS.filter((op) => op.result === t).map(opKey);
      const options: { arbitrary: fc.Arbitrary<Expr>; weight: number }[] = [
        { arbitrary: constArb(t), weight: 4 },
        { arbitrary: index.map((i): Expr => ({ kind: 'local.get', type: t, index: i })), weight: 3 },
        { arbitrary: index.map((i): Expr => ({ kind: 'global.get', type: t, index: i })), weight: 1 },
        ...numericArbs.map((arbitrary) => ({ arbitrary, weight: 6 })),
        ...twinArbs.map((arbitrary) => ({ arbitrary, weight: 2 })),
        {
          arbitrary: fc.record({ index, value: E(t) }).map((r): Expr => ({ kind: 'local.tee', type: t, ...r })),
          weight: 1,
        },
        {
          arbitrary: fc
            .record({ op: fc.constantFrom(...loads), align: fc.nat({ max: 3 }), offset: offsetArb, addr })
            .map((r): Expr => ({ kind: 'load', type: t, ...r })),
          weight: 3,
        },
        {
          arbitrary: fc
            .record({ typed: fc.boolean(), a: E(t), b: E(t), cond: E('i32') })
            .map((r): Expr => ({ kind: 'select', type: t, ...r })),
          weight: 1,
        },
        ...control(t).map((arbitrary) => ({ arbitrary, weight: 1 })),
        { arbitrary: fc.constant<Expr>({ kind: 'unreachable', type: t }), weight: 1 },
      ];
      if (t === 'i32') {
        options.push(
          { arbitrary: fc.constant<Expr>({ kind: 'memory.size', type: 'i32' }), weight: 1 },
          { arbitrary: E('i32').map((delta): Expr => ({ kind: 'memory.grow', type: 'i32', delta })), weight: 1 },
        );
      }
      return fc.oneof(oneofOpts, ...options);
    };

    const stores = STORE_OPS.map((op) =>
      fc
        .record({ align: fc.nat({ max: 3 }), offset: offsetArb, addr, value: E(op.params[1]) })
        .map((r): Expr => ({ kind: 'store', type: 'void', op: opKey(op), ...r })),
    );
    const voidArb = fc.oneof(
      oneofOpts,
      { arbitrary: fc.constant<Expr>({ kind: 'nop', type: 'void' }), weight: 1 },
      { arbitrary: E('any').map((value): Expr => ({ kind: 'drop', type: 'void', value })), weight: 4 },
      {
        arbitrary: fc.record({ index, value: E('any') }).map((r): Expr => ({ kind: 'local.set', type: 'void', ...r })),
        weight: 3,
      },
      {
        arbitrary: fc.record({ index, value: E('any') }).map((r): Expr => ({ kind: 'global.set', type: 'void', ...r })),
        weight: 1,
      },
      ...stores.map((arbitrary) => ({ arbitrary, weight: 1 })),
      {
        arbitrary: fc
          .record({ dest: addr, value: E('i32'), len })
          .map((r): Expr => ({ kind: 'memory.fill', type: 'void', ...r })),
        weight: 1,
      },
      {
        arbitrary: fc
          .record({ dest: addr, src: addr, len })
          .map((r): Expr => ({ kind: 'memory.copy', type: 'void', ...r })),
        weight: 1,
      },
      ...control('void').map((arbitrary) => ({ arbitrary, weight: 2 })),
      { arbitrary: fc.constant<Expr>({ kind: 'unreachable', type: 'void' }), weight: 1 },
    );

    return {
      i32: valueOf('i32'),
      i64: valueOf('i64'),
      f32: valueOf('f32'),
      f64: valueOf('f64'),
      void: voidArb,
      any: fc.oneof(oneofOpts, E('i32'), E('i64'), E('f32'), E('f64')),
    };
  });
  return built as Record<ResultType | 'any', fc.Arbitrary<Expr>>;
}

export function funcTypeArb(): fc.Arbitrary<FuncType> {
  return fc.record({ params: fc.array(valTypeArb, { maxLength: 3 }), results: fc.array(valTypeArb, { maxLength: 1 }) });
}

/** functions of every result type; the locals always hold one of each type, then random extras */
export function functionArb(opts: GenOptions = {}, exprs = exprArbs(opts)): fc.Arbitrary<Function> {
  const maxStatements = opts.maxStatements ?? 3;
  const fn = (r: ResultType): fc.Arbitrary<Function> =>
    fc
      .record({
        params: fc.array(valTypeArb, { maxLength: 3 }),
        extra: fc.array(valTypeArb, { maxLength: 3 }),
        body: fc.array(exprs.void, { maxLength: maxStatements + 1 }),
        result: r === 'void' ? fc.constant(null) : exprs[r],
      })
      .map(
        (x): Function => ({
          params: x.params,
          results: r === 'void' ? [] : [r],
          locals: [...VAL_TYPES, ...x.extra],
          body: { body: x.body, result: x.result },
        }),
      );
  return fc.oneof(fn('void'), fn('i32'), fn('i64'), fn('f32'), fn('f64'));
}

function globalArb(t: ValType, mutable: fc.Arbitrary<boolean>): fc.Arbitrary<Global> {
  return fc.record({ type: fc.constant(t), mutable, init: constArb(t) });
}

/** a whole module: 1..maxFunctions functions, one memory, one funcref table, one mutable global of each type and extras */
export function moduleArb(opts: GenOptions = {}): fc.Arbitrary<Module> {
  const exprs = exprArbs(opts);
  const mutable = fc.constant(true);
  return fc
    .record({
      types: fc.array(funcTypeArb(), { maxLength: 3 }),
      functions: fc.array(functionArb(opts, exprs), { minLength: 1, maxLength: opts.maxFunctions ?? 4 }),
      memMin: fc.oneof(
        { arbitrary: fc.constant(1), weight: 4 },
        { arbitrary: fc.constant(2), weight: 2 },
        { arbitrary: fc.constant(0), weight: 1 }, // rarer: every access traps
      ),
      memExtra: fc.nat({ max: 3 }),
      tableMin: fc.nat({ max: 4 }),
      tableMax: fc.option(fc.nat({ max: 4 }), { nil: null }),
      elements: fc.array(fc.nat(), { maxLength: 6 }),
      fixed: fc.tuple(globalArb('i32', mutable), globalArb('i64', mutable), globalArb('f32', mutable), globalArb('f64', mutable)),
      extra: fc.array(valTypeArb.chain((t) => globalArb(t, fc.boolean())), { maxLength: 3 }),
    })
    .map(
      (r): Module => ({
        types: r.types,
        functions: r.functions,
        memory: { min: r.memMin, max: r.memMin + r.memExtra },
        table: { min: r.tableMin, max: r.tableMax === null ? null : r.tableMin + r.tableMax },
        elements: r.elements,
        globals: [...r.fixed, ...r.extra],
        fuel: opts.fuel ?? 1000,
      }),
    );
}

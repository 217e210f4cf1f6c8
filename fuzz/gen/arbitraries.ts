// fast-check arbitraries of valid Wasm 2.0 modules (trees of ast.ts; encode with encode.ts): scalar
// and SIMD code, and as fractions of it multi-value control (control-arbitraries.ts), references and
// tables (reference-arbitraries.ts), passive segments (segment-arbitraries.ts). Leaves come first in
// every choice (constants, then local.get), so shrinking and the depth limit both go to them. Indices
// and label depths are plain integers that the encoder reduces modulo the valid range, so every shrunk
// tree stays valid. GenOptions.features adds Wasm 3.0 (features.ts): tail calls and typed function
// references (typed-ref-arbitraries.ts), multi-memory and memory64 (memory-arbitraries.ts), table64,
// extended constant expressions, relaxed SIMD, exception handling (exception-arbitraries.ts), threads'
// atomics and shared memories (atomic-arbitraries.ts), GC (gc-arbitraries.ts); without it the modules and their distribution
// are Wasm 2.0's as before.
import fc from 'fast-check';
import type { Const, ConstExpr, Expr, Function, FuncType, Global, Memory, Module, OffsetForm, RefType, ResultType, StackType, Table, Tag, TypedRef, ValType } from './ast.js';
import { REF_TYPES, SCALAR_TYPES, typedRef, VAL_TYPES } from './ast.js';
import { atomicStatementOptions, atomicValueOptions } from './atomic-arbitraries.js';
import { exceptionOptions, exnrefValueOptions, tagsArb } from './exception-arbitraries.js';
import { GenFeature } from './features.js';
import { GC_LOCALS, GC_VALUE_TYPES, gcElemSegmentArb, gcExternOptions, gcGlobalArb, gcRefOptions, gcStatementOptions, gcValueOptions } from './gc-arbitraries.js';
import { gcRefOf } from './gc-types.js';
import { addressArb, memoryArb, memoryIndexArb, memoryStatementOptions, memoryValueOptions, offset64Arb } from './memory-arbitraries.js';
import { REF_SIGS } from './ref-sigs.js';
import { tailCallOptions, tailLoopArb, TYPED_REFS, typedRefStatementArb, typedRefUseOptions, typedRefValueOptions } from './typed-ref-arbitraries.js';
import { bySignature, ExprOf, numericArb, offsetArb, twinOperandArb, Weighted } from './arb-parts.js';
import { ControlParts, controlOptions, singleValueBlocks } from './control-arbitraries.js';
import { multiValueSignatureArb } from './multi-value-signatures.js';
import { F32_EDGES, f32Bits, F64_EDGES, f64Bits, I32_EDGES, I64_EDGES } from './edges.js';
import { LOAD_OPS, NUMERIC_OPS, STORE_OPS, opKey } from './opcodes.js';
import { RefExtras, refI32Options, refValueOptions, table3Arb, tableArb, tableStatementArb } from './reference-arbitraries.js';
import { passiveDataArb, passiveElementsArb, segmentStatementArb } from './segment-arbitraries.js';
import { simdScalarOptions, simdStatementOptions, simdValueOptions, v128ConstArb } from './simd-arbitraries.js';

export interface GenOptions {
  /** nesting limit of expressions (default 5) */
  maxDepth?: number;
  /** most statements in a body (default 3) */
  maxStatements?: number;
  /** most functions (default 4) */
  maxFunctions?: number;
  /** initial fuel (default 1000) */
  fuel?: number;
  /** v128 values and SIMD instructions, as a fraction of the code (default true) */
  simd?: boolean;
  /** the Wasm 3.0 features to generate (features.ts; default none: Wasm 2.0) */
  features?: readonly GenFeature[];
}

/** Whether the options ask for a Wasm 3.0 feature. */
export const hasFeature = (opts: GenOptions, f: GenFeature): boolean => (opts.features ?? []).includes(f);

/** The value types the options allow. */
export const valTypes = (opts: GenOptions): readonly ValType[] => (opts.simd ?? true ? VAL_TYPES : SCALAR_TYPES);

/** a constant of type t: edge values first (0 first of all), then random bit patterns and random floats */
export function constArb(t: ValType): fc.Arbitrary<Const> {
  switch (t) {
    case 'v128':
      return v128ConstArb.map((bytes) => ({ kind: 'const', type: 'v128', bytes }));
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

/**
 * Where a value type is drawn (locals, params, results, globals, `any` values), v128's weight against
 * the 3 of each scalar type. Scalar operands are never v128, so SIMD stays a fraction of the code
 * (about 15% of the nodes; generate.test.ts checks it), and the fuzzer's throughput with it.
 */
const V128_WEIGHT = 3;

function valTypeArb(opts: GenOptions): fc.Arbitrary<ValType> {
  const scalars = SCALAR_TYPES.map((t) => ({ arbitrary: fc.constant<ValType>(t), weight: 3 }));
  if (!(opts.simd ?? true)) return fc.oneof(...scalars);
  return fc.oneof(...scalars, { arbitrary: fc.constant<ValType>('v128'), weight: V128_WEIGHT });
}
const index = fc.nat({ max: 15 });

type Tie = (key: string) => fc.Arbitrary<unknown>;

/** the expression arbitraries of every result type, sharing one depth limit */
export function exprArbs(opts: GenOptions = {}): Record<ResultType | 'any', fc.Arbitrary<Expr>> {
  const maxDepth = opts.maxDepth ?? 5;
  const maxStatements = opts.maxStatements ?? 3;
  const simd = opts.simd ?? true;
  const oneofOpts = { maxDepth, depthIdentifier: 'wasm-expr', withCrossShrink: true } as const;
  const tail = hasFeature(opts, 'tail-call');
  const typed = hasFeature(opts, 'typed-function-references');
  const memory64 = hasFeature(opts, 'memory64');
  const memories3 = memory64 || hasFeature(opts, 'multi-memory');
  const relaxed = simd && hasFeature(opts, 'relaxed-simd');
  const exceptions = hasFeature(opts, 'exceptions');
  const threads = hasFeature(opts, 'threads');
  const gc = hasFeature(opts, 'gc');
  const refExtras: RefExtras = { typed: typed ? TYPED_REFS : [], wide: memory64 };

  const built = fc.letrec((tie: Tie) => {
    const E: ExprOf = (t) => tie(t) as fc.Arbitrary<Expr>;
    const stmts = fc.array(E('void'), { maxLength: maxStatements });
    const parts: ControlParts = { E, stmts, fewStmts: fc.array(E('void'), { maxLength: 1 }), valType: valTypeArb(opts) };
    // a small address most of the time, so loads and stores do not always trap; often one in the
    // data segment's bytes (encode.ts), so loads see more than zeros
    const addr = fc.oneof(
      { arbitrary: fc.nat({ max: 70000 }).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 3 },
      { arbitrary: fc.nat({ max: 256 }).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 2 },
      { arbitrary: E('i32'), weight: 1 },
    );

    // Wasm 3.0 memories: addresses of either type, near the end of the memory accessed, offsets past 4 GiB, a memory index
    const address = memories3 ? addressArb(E, addr) : addr;
    const offset = memories3 ? offset64Arb : offsetArb;
    const memoryField = (): { memory?: fc.Arbitrary<number> } => (memories3 ? { memory: memoryIndexArb } : {});

    // a short length for memory.fill and memory.copy
    const len = fc.oneof(
      { arbitrary: fc.nat({ max: 300 }).map((bits): Expr => ({ kind: 'const', type: 'i32', bits })), weight: 3 },
      { arbitrary: E('i32'), weight: 1 },
    );

    /** the leaves and the instructions every value type has (variables, select, control) */
    const common = (t: ValType, constWeight: number): Weighted[] => [
      { arbitrary: constArb(t), weight: constWeight },
      { arbitrary: index.map((i): Expr => ({ kind: 'local.get', type: t, index: i })), weight: 3 },
      { arbitrary: index.map((i): Expr => ({ kind: 'global.get', type: t, index: i })), weight: 1 },
      {
        arbitrary: fc.record({ index, value: E(t) }).map((r): Expr => ({ kind: 'local.tee', type: t, ...r })),
        weight: 1,
      },
      {
        arbitrary: fc
          .record({ typed: fc.boolean(), a: E(t), b: E(t), cond: E('i32') })
          .map((r): Expr => ({ kind: 'select', type: t, ...r })),
        weight: 1,
      },
      ...controlOptions(parts, t, 1),
      { arbitrary: fc.constant<Expr>({ kind: 'unreachable', type: t }), weight: 1 },
      ...(tail ? tailCallOptions(E, t, typed) : []),
      ...(typed ? typedRefUseOptions(E, t) : []),
      ...(exceptions ? exceptionOptions(E, t, stmts, parts.fewStmts) : []),
    ];

    const valueOf = (t: ValType): fc.Arbitrary<Expr> => {
      if (t === 'v128') {
        // weights times 5: simdValueOptions weighs each SIMD instruction 1
        const [leaf, get, globalGet, ...rest] = common('v128', 6).map((o) => ({ ...o, weight: 5 * o.weight }));
        return fc.oneof(oneofOpts, leaf, get, globalGet, ...simdValueOptions(E, address, memories3 ? { memory: memoryIndexArb, offset, relaxed } : { relaxed }), ...rest);
      }
      const numeric = bySignature(NUMERIC_OPS, t);
      const numericArbs = [...numeric].map(([sig, keys]) => numericArb(E, t, sig, keys));
      const twinArbs = [...numeric]
        .filter(([sig]) => sig.split(',').length === 2 && sig.split(',')[0] === sig.split(',')[1])
        .map(([sig, keys]) => twinOperandArb(E, t, sig.split(',')[0] as ValType, keys));
      const loads = LOAD_OPS.filter((op) => op.result === t).map(opKey);
      const [leaves, ...rest] = common(t, 4);
      const options: Weighted[] = [
        leaves,
        ...rest.slice(0, 2), // local.get, global.get
        ...numericArbs.map((arbitrary) => ({ arbitrary, weight: 6 })),
        ...twinArbs.map((arbitrary) => ({ arbitrary, weight: 2 })),
        rest[2], // local.tee
        {
          arbitrary: fc
            .record({ op: fc.constantFrom(...loads), align: fc.nat({ max: 3 }), offset, addr: address, ...memoryField() })
            .map((r): Expr => ({ kind: 'load', type: t, ...r })),
          weight: 3,
        },
        ...rest.slice(3),
      ];
      if (simd) options.push(...simdScalarOptions(E, t));
      if (t === 'i32') {
        if (memories3) options.push(...memoryValueOptions(E, 'i32'));
        else {
          options.push(
            { arbitrary: fc.constant<Expr>({ kind: 'memory.size', type: 'i32' }), weight: 1 },
            { arbitrary: E('i32').map((delta): Expr => ({ kind: 'memory.grow', type: 'i32', delta })), weight: 1 },
          );
        }
        options.push(...refI32Options(E, refExtras));
      }
      if (t === 'i64') {
        if (memories3) options.push(...memoryValueOptions(E, 'i64'));
        if (memory64) options.push(...refI32Options(E, refExtras, 'i64'));
        if (tail) options.push({ arbitrary: tailLoopArb(E, typed), weight: 3 });
      }
      if (threads && (t === 'i32' || t === 'i64')) options.push(...atomicValueOptions(E, t));
      if (gc) options.push(...gcValueOptions(E, t));
      return fc.oneof(oneofOpts, ...options);
    };

    const refOf = (t: RefType): fc.Arbitrary<Expr> => fc.oneof(oneofOpts, ...refValueOptions(E, t, singleValueBlocks(parts, t), refExtras));
    const typedOf = (t: TypedRef, k: number, nullable: boolean): fc.Arbitrary<Expr> =>
      fc.oneof(oneofOpts, ...typedRefValueOptions(E, k, nullable, singleValueBlocks(parts, t), parts.fewStmts));

    const stores = STORE_OPS.map((op) =>
      fc
        .record({ align: fc.nat({ max: 3 }), offset, addr: address, value: E(op.params[1]), ...memoryField() })
        .map((r): Expr => ({ kind: 'store', type: 'void', op: opKey(op), ...r })),
    );
    // memory.fill and memory.copy: of memory 0 in Wasm 2.0, of any memory (between any two) with Wasm 3.0's
    const bulk: Weighted[] = memories3
      ? memoryStatementOptions(E, address)
      : [
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
        ];
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
      ...bulk,
      ...controlOptions(parts, 'void', 2),
      { arbitrary: tableStatementArb(E, refExtras), weight: 1 },
      { arbitrary: segmentStatementArb(E, addr), weight: 1 },
      { arbitrary: fc.constant<Expr>({ kind: 'unreachable', type: 'void' }), weight: 1 },
      ...(simd ? simdStatementOptions(E, address, memories3 ? { memory: memoryIndexArb, offset } : {}) : []),
      ...(tail ? tailCallOptions(E, 'void', typed) : []),
      ...(typed ? [...typedRefUseOptions(E, 'void'), { arbitrary: typedRefStatementArb(E), weight: 2 }] : []),
      ...(exceptions ? exceptionOptions(E, 'void', stmts, parts.fewStmts) : []),
      ...(threads ? atomicStatementOptions(E) : []),
      ...(gc ? gcStatementOptions(E) : []),
    );

    const scalars = { i32: valueOf('i32'), i64: valueOf('i64'), f32: valueOf('f32'), f64: valueOf('f64') };
    const refs: Record<string, fc.Arbitrary<Expr>> = { funcref: refOf('funcref'), externref: refOf('externref') };
    if (gc) refs.externref = fc.oneof(oneofOpts, ...refValueOptions(E, 'externref', singleValueBlocks(parts, 'externref'), refExtras), ...gcExternOptions(E));
    if (typed) REF_SIGS.forEach((_, k) => [true, false].forEach((nullable) => (refs[typedRef(k, nullable)] = typedOf(typedRef(k, nullable), k, nullable))));
    if (gc) for (const t of GC_VALUE_TYPES) refs[t] = fc.oneof(oneofOpts, ...gcRefOptions(E, t, gcRefOf(t)!.heap, gcRefOf(t)!.nullable, singleValueBlocks(parts, t)));
    if (exceptions) refs.exnref = fc.oneof(oneofOpts, ...exnrefValueOptions(E, singleValueBlocks(parts, 'exnref'), parts.fewStmts));
    // 'any' is of a value type, never a reference: references stay where ref.is_null and the tables see them
    const anyScalar = SCALAR_TYPES.map((t) => ({ arbitrary: E(t), weight: 3 }));
    if (!simd) return { ...scalars, ...refs, void: voidArb, any: fc.oneof(oneofOpts, ...anyScalar) };
    return {
      ...scalars,
      ...refs,
      v128: valueOf('v128'),
      void: voidArb,
      any: fc.oneof(oneofOpts, ...anyScalar, { arbitrary: E('v128'), weight: V128_WEIGHT }),
    };
  });
  return built as Record<ResultType | 'any', fc.Arbitrary<Expr>>;
}

export function funcTypeArb(opts: GenOptions = {}): fc.Arbitrary<FuncType> {
  const t = valTypeArb(opts);
  return fc.oneof(
    { arbitrary: fc.record({ params: fc.array(t, { maxLength: 3 }), results: fc.array(t, { maxLength: 1 }) }), weight: 3 },
    { arbitrary: multiValueSignatureArb(opts.simd ?? true), weight: 1 },
  );
}

/**
 * functions of every result type, and of several results (multi-value, multi-value-signatures.ts) half
 * as often as of each one type; the locals always hold one of each type (references too), then random extras
 */
export function functionArb(opts: GenOptions = {}, exprs = exprArbs(opts)): fc.Arbitrary<Function> {
  const maxStatements = opts.maxStatements ?? 3;
  const types = valTypes(opts);
  const valType = valTypeArb(opts);
  const typed = hasFeature(opts, 'typed-function-references');
  // with exceptions, an exnref local: where handlers keep what they caught
  const exnLocals: StackType[] = hasFeature(opts, 'exceptions') ? ['exnref'] : [];
  // with GC, a nullable local of each heap type
  const gcLocals: StackType[] = hasFeature(opts, 'gc') ? [...GC_LOCALS] : [];
  // with typed references, a nullable local of each signature, and sometimes a non-nullable one (set first thing, encode-function.ts)
  const refLocals: StackType[] = typed ? REF_SIGS.map((_, k) => typedRef(k, true)) : [];
  const extraLocal: fc.Arbitrary<StackType> = typed ? fc.oneof({ arbitrary: valType, weight: 6 }, { arbitrary: fc.constantFrom<StackType>(...TYPED_REFS), weight: 1 }) : valType;
  const fn = (results: ValType[], params = fc.array(valType, { maxLength: 3 })): fc.Arbitrary<Function> =>
    fc
      .record({
        params,
        extra: fc.array(extraLocal, { maxLength: 3 }),
        body: fc.array(exprs.void, { maxLength: maxStatements + 1 }),
        results: fc.tuple(...results.map((r) => exprs[r])),
      })
      .map(
        (x): Function => ({
          params: x.params,
          results,
          locals: [...types, ...REF_TYPES, ...refLocals, ...exnLocals, ...gcLocals, ...x.extra],
          body: { body: x.body, results: x.results },
        }),
      );
  const multi = multiValueSignatureArb(opts.simd ?? true).chain((sig) => fn(sig.results, fc.constant(sig.params)));
  // with typed references, the signatures of REF_SIGS often, so that call_ref reaches generated code
  const refSig = typed ? [{ arbitrary: fc.constantFrom(...REF_SIGS).chain((sig) => fn(sig.results as ValType[], fc.constant(sig.params as ValType[]))), weight: 3 }] : [];
  return fc.oneof({ arbitrary: fn([]), weight: 2 }, ...types.map((t) => ({ arbitrary: fn([t]), weight: 2 })), { arbitrary: multi, weight: 1 }, ...refSig);
}

/** an extended constant expression of type t: arithmetic on constants, two levels deep at most */
function constExprArb(t: 'i32' | 'i64'): fc.Arbitrary<ConstExpr> {
  const leaf = constArb(t) as fc.Arbitrary<ConstExpr>;
  const op = fc.constantFrom<'add' | 'sub' | 'mul'>('add', 'sub', 'mul');
  const node = (a: fc.Arbitrary<ConstExpr>, b: fc.Arbitrary<ConstExpr>) => fc.record({ op, a, b }).map((r): ConstExpr => ({ kind: 'ext', type: t, ...r }));
  return fc.oneof({ arbitrary: node(leaf, leaf), weight: 3 }, { arbitrary: node(node(leaf, leaf), leaf), weight: 1 }, { arbitrary: node(leaf, node(leaf, leaf)), weight: 1 });
}

function globalArb(t: ValType, mutable: fc.Arbitrary<boolean>, extendedConst = false): fc.Arbitrary<Global> {
  if (extendedConst && (t === 'i32' || t === 'i64')) {
    return fc.record({ type: fc.constant(t), mutable, init: fc.oneof({ arbitrary: constArb(t) as fc.Arbitrary<ConstExpr>, weight: 1 }, { arbitrary: constExprArb(t), weight: 2 }) });
  }
  return fc.record({ type: fc.constant(t), mutable, init: constArb(t) });
}

/** a global of a typed reference: ref.func of a function of its signature, or (nullable ones) often ref.null */
const typedGlobalArb: fc.Arbitrary<Global> = fc
  .record({ type: fc.constantFrom(...TYPED_REFS), mutable: fc.boolean(), func: fc.nat(), isNull: fc.boolean() })
  .map((r): Global => ({ type: r.type, mutable: r.mutable, init: { kind: 'ref', func: r.isNull && r.type.startsWith('ref null') ? null : r.func } }));

/** how an active segment's offset is written: plainly, or as a sum, difference or product that comes to it */
const offsetFormArb: fc.Arbitrary<OffsetForm> = fc.record({ op: fc.constantFrom<OffsetForm['op']>('plain', 'add', 'sub', 'mul'), k: fc.oneof(fc.integer(), fc.nat({ max: 100 })) });

/**
 * a whole module: 1..maxFunctions functions, one memory, a funcref table with an active segment, a
 * second funcref table and an externref table, passive segments, one mutable global of each type and extras
 */
export function moduleArb(opts: GenOptions = {}): fc.Arbitrary<Module> {
  if ((opts.features ?? []).length) return module3Arb(opts);
  const exprs = exprArbs(opts);
  const mutable = fc.constant(true);
  return fc
    .record({
      types: fc.array(funcTypeArb(opts), { maxLength: 3 }),
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
      tables: fc.tuple(tableArb('funcref'), tableArb('externref')),
      passiveElements: passiveElementsArb,
      passiveData: passiveDataArb,
      fixed: fc.tuple(...valTypes(opts).map((t) => globalArb(t, mutable))),
      extra: fc.array(valTypeArb(opts).chain((t) => globalArb(t, fc.boolean())), { maxLength: 3 }),
    })
    .map(
      (r): Module => ({
        types: r.types,
        functions: r.functions,
        memory: { min: r.memMin, max: r.memMin + r.memExtra },
        table: { min: r.tableMin, max: r.tableMax === null ? null : r.tableMin + r.tableMax },
        tables: r.tables,
        elements: r.elements,
        passiveElements: r.passiveElements,
        passiveData: r.passiveData,
        globals: [...r.fixed, ...r.extra],
        fuel: opts.fuel ?? 1000,
      }),
    );
}

/**
 * A module with Wasm 3.0 features: the Wasm 2.0 module's parts, and as the features allow further
 * memories (multi-memory; memory64 ones among them, memory 0 too), typed tables with initializers and
 * table64 tables, typed reference globals, extended constant expressions in globals and segment offsets.
 */
function module3Arb(opts: GenOptions): fc.Arbitrary<Module> {
  const exprs = exprArbs(opts);
  const memory64 = hasFeature(opts, 'memory64');
  const multiMemory = hasFeature(opts, 'multi-memory');
  const typed = hasFeature(opts, 'typed-function-references');
  const extendedConst = hasFeature(opts, 'extended-const');
  const exceptions = hasFeature(opts, 'exceptions');
  const threads = hasFeature(opts, 'threads');
  const gc = hasFeature(opts, 'gc');
  const tables: fc.Arbitrary<Table[]> = fc
    .tuple(
      table3Arb('funcref', memory64, typed),
      table3Arb('externref', memory64, typed),
      typed ? fc.array(fc.constantFrom<RefType>(...TYPED_REFS).chain((t) => table3Arb(t, memory64, true)), { maxLength: 2 }) : fc.constant<Table[]>([]),
    )
    .map(([f, e, more]) => [f, e, ...more]);
  return fc
    .record({
      types: fc.array(funcTypeArb(opts), { maxLength: 3 }),
      functions: fc.array(functionArb(opts, exprs), { minLength: 1, maxLength: opts.maxFunctions ?? 4 }),
      memory: memoryArb(memory64, threads),
      memories: multiMemory ? fc.array(memoryArb(memory64, threads), { minLength: 1, maxLength: 2 }) : fc.constant<Memory[]>([]),
      tableMin: fc.nat({ max: 4 }),
      tableMax: fc.option(fc.nat({ max: 4 }), { nil: null }),
      elements: fc.array(fc.nat(), { maxLength: 6 }),
      tables,
      passiveElements: gc ? fc.tuple(passiveElementsArb, fc.array(gcElemSegmentArb, { maxLength: 2 })).map(([a, b]) => [...a, ...b]) : passiveElementsArb,
      passiveData: passiveDataArb,
      fixed: fc.tuple(...valTypes(opts).map((t) => globalArb(t, fc.constant(true), extendedConst))),
      extra: fc.array(valTypeArb(opts).chain((t) => globalArb(t, fc.boolean(), extendedConst)), { maxLength: 3 }),
      typedGlobals: typed ? fc.array(typedGlobalArb, { maxLength: 3 }) : fc.constant([]),
      gcGlobals: gc ? fc.array(gcGlobalArb, { maxLength: 4 }) : fc.constant([]),
      offsets: extendedConst ? fc.array(offsetFormArb, { minLength: 1, maxLength: 3 }) : fc.constant(undefined),
      tags: exceptions ? tagsArb(valTypeArb(opts)) : fc.constant<Tag[] | undefined>(undefined),
      exportedTag: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
    })
    .map(
      (r): Module => ({
        types: r.types,
        functions: r.functions,
        memory: r.memory,
        memories: r.memories,
        table: { min: r.tableMin, max: r.tableMax === null ? null : r.tableMin + r.tableMax },
        tables: r.tables,
        elements: r.elements,
        passiveElements: r.passiveElements,
        passiveData: r.passiveData,
        globals: [...r.fixed, ...r.extra, ...r.typedGlobals, ...r.gcGlobals],
        fuel: opts.fuel ?? 1000,
        ...(gc ? { gc: true } : {}),
        ...(r.offsets ? { offsets: r.offsets } : {}),
        ...(r.tags ? { tags: r.tags, ...(r.exportedTag !== undefined ? { exportedTag: r.exportedTag } : {}) } : {}),
      }),
    );
}

import fc from 'fast-check';
import { V8Engine } from '../../runner/engines/v8.js';
import { EngineError } from '../../wast/engine.js';
import { Value } from '../../wast/values.js';
import { nodes, type Expr, type Module, type ValType } from './ast.js';
import { moduleArb } from './arbitraries.js';
import { encodeModule } from './encode.js';
import { isSimdKey, opcodeOf } from './opcode-of.js';
import { NUMERIC_OPS, opKey, SIMD_OPS, simdKey } from './opcodes.js';

const RUNS = 300;
const SEED = 20251125;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const functionNodes = (m: Module): Expr[][] => m.functions.map((f) => [...nodes(f.body)]);
const isSimdNode = (e: Expr): boolean => e.type === 'v128' || isSimdKey(opcodeOf(e) ?? 0);
const holdsSimd = (m: Module): boolean => functionNodes(m).some((f) => f.some(isSimdNode));

describe('generated modules', () => {
  test('the opcode table holds every scalar numeric instruction of Wasm 2.0', () => {
    const keys = new Set(NUMERIC_OPS.map(opKey));
    expect(keys.size).toBe(0xc4 - 0x45 + 1 + 8);
    for (let c = 0x45; c <= 0xc4; c++) expect(keys.has(c)).toBe(true);
    for (let c = 0; c < 8; c++) expect(keys.has(0xfc00 + c)).toBe(true);
  });

  test('the SIMD table holds the 236 instructions of Wasm 2.0 (0xfd 0x00-0xff but 20 unassigned codes)', () => {
    const unassigned = [0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee];
    const codes = SIMD_OPS.map((op) => op.code);
    expect(codes).toEqual(Array.from({ length: 256 }, (_, c) => c).filter((c) => !unassigned.includes(c)));
    expect(SIMD_OPS.find((op) => op.name === 'v128.load16_lane')).toMatchObject({ imm: 'MemArgLane', natural: 2, lanes: 8, params: ['i32', 'v128'], result: 'v128' });
    expect(SIMD_OPS.find((op) => op.name === 'i64x2.extract_lane')).toMatchObject({ imm: 'Lane', lanes: 2, params: ['v128'], result: 'i64' });
  });

  test(`${RUNS} modules all pass WebAssembly.validate, most with SIMD in them`, () => {
    let valid = 0;
    let simd = 0;
    fc.assert(
      fc.property(moduleArb(), (m) => {
        if (holdsSimd(m)) simd++;
        const bytes = encodeModule(m);
        if (!WebAssembly.validate(bytes)) {
          let why = '';
          try {
            new WebAssembly.Module(bytes);
          } catch (e) {
            why = (e as Error).message;
          }
          throw new Error(`invalid module (${why}): ${hex(bytes)}`);
        }
        valid++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(valid).toBeGreaterThanOrEqual(RUNS);
    expect(simd).toBeGreaterThan(RUNS / 2);
  });

  test('SIMD is a fraction of the code, and none at all with simd: false', () => {
    let all = 0;
    let simd = 0;
    for (const m of fc.sample(moduleArb(), { numRuns: RUNS, seed: SEED + 4 }))
      for (const e of functionNodes(m).flat()) {
        all++;
        if (isSimdNode(e)) simd++;
      }
    // eslint-disable-next-line no-console
    console.log(`SIMD nodes: ${((100 * simd) / all).toFixed(1)}% of ${all}`);
    expect(simd / all).toBeGreaterThan(0.05);
    expect(simd / all).toBeLessThan(0.3);
    for (const m of fc.sample(moduleArb({ simd: false }), { numRuns: RUNS, seed: SEED + 5 })) {
      const types = [...m.functions.flatMap((f) => [...f.params, ...f.results, ...f.locals]), ...m.types.flatMap((t) => [...t.params, ...t.results]), ...m.globals.map((g) => g.type)];
      expect(types).not.toContain('v128');
      expect(holdsSimd(m)).toBe(false);
    }
  });

  test('calling every exported function finishes: returns or traps', () => {
    // through the V8 engine, which passes v128 arguments (JS cannot)
    const v8 = new V8Engine();
    const argFor = (t: ValType, k: number): Value => {
      const ints = [0, 1, -1, 7, 0x7fffffff, -0x80000000, 65536];
      const floats = [0, 0x80000000, 0x3fc00000, 0xbf800000, 0x7fc00000, 0x7f800000, 0x7f7fffff];
      const int = ints[k % ints.length];
      switch (t) {
        case 'i32':
          return { type: 'i32', bits: int >>> 0 };
        case 'i64':
          return { type: 'i64', bits: BigInt.asUintN(64, BigInt(int)) };
        case 'f32':
          return { type: 'f32', bits: floats[k % floats.length] };
        case 'f64':
          return { type: 'f64', bits: BigInt(floats[k % floats.length]) << 32n };
        case 'v128':
          return { type: 'v128', bytes: new Uint8Array(Int32Array.of(int, -int, k, ~k).buffer) };
      }
    };
    const outcomes = { returned: 0, trapped: 0, stack: 0 };
    const modules = fc.sample(moduleArb(), { numRuns: RUNS, seed: SEED + 1 });
    for (const [n, m] of modules.entries()) {
      const bytes = encodeModule(m);
      const instance = v8.instantiate(v8.compile(bytes), () => undefined);
      const fuel = instance.export('fuel')!.handle as WebAssembly.Global;
      m.functions.forEach((f, i) => {
        fuel.value = 1000;
        const started = Date.now();
        try {
          instance.invoke(`f${i}`, f.params.map((t, k) => argFor(t, n + k)));
          outcomes.returned++;
        } catch (e) {
          if (e instanceof EngineError && e.kind === 'trap') outcomes.trapped++;
          else if (e instanceof EngineError && e.kind === 'exhaustion') outcomes.stack++;
          else throw new Error(`f${i} threw ${String(e)} in ${hex(bytes)}`);
        }
        expect(Date.now() - started).toBeLessThan(5000);
      });
    }
    // eslint-disable-next-line no-console
    console.log(`calls on V8 over ${RUNS} modules:`, outcomes);
    expect(outcomes.returned).toBeGreaterThan(0);
  });

  const COVERAGE_RUNS = 1000;
  test(`every numeric opcode appears across ${COVERAGE_RUNS} generated modules`, () => {
    const seen = new Map<number, number>();
    for (const m of fc.sample(moduleArb(), { numRuns: COVERAGE_RUNS, seed: SEED + 2 }))
      for (const e of functionNodes(m).flat()) if (e.kind === 'numeric' && !isSimdKey(e.op)) seen.set(e.op, (seen.get(e.op) ?? 0) + 1);
    const missing = NUMERIC_OPS.filter((op) => !seen.has(opKey(op))).map((op) => op.name);
    expect(missing).toEqual([]);
    const counts = [...seen.values()];
    // eslint-disable-next-line no-console
    console.log(`numeric opcodes: ${seen.size}/${NUMERIC_OPS.length}, rarest seen ${Math.min(...counts)} times`);
  });

  test(`every SIMD opcode appears across ${COVERAGE_RUNS} generated modules`, () => {
    const seen = new Map<number, number>();
    for (const m of fc.sample(moduleArb(), { numRuns: COVERAGE_RUNS, seed: SEED + 6 }))
      for (const e of functionNodes(m).flat()) {
        const op = opcodeOf(e);
        if (op !== undefined && isSimdKey(op)) seen.set(op, (seen.get(op) ?? 0) + 1);
      }
    const missing = SIMD_OPS.filter((op) => !seen.has(opKey(op))).map((op) => op.name);
    expect(missing).toEqual([]);
    const counts = [...seen.values()];
    // eslint-disable-next-line no-console
    console.log(`SIMD opcodes: ${seen.size}/${SIMD_OPS.length}, rarest seen ${Math.min(...counts)} times`);
  });

  test('float-lane SIMD results, and scalar floats entering lanes, come out with canonical NaNs only', () => {
    const v = (...lanes: number[]): Expr => ({ kind: 'const', type: 'v128', bytes: [...new Uint8Array(Uint32Array.from(lanes).buffer)] });
    const simd = (name: string, ...args: Expr[]): Expr => ({ kind: 'numeric', type: 'v128', op: simdKey(name), args });
    const f32 = (bits: number): Expr => ({ kind: 'const', type: 'f32', bits });
    const f64 = (bits: bigint): Expr => ({ kind: 'const', type: 'f64', bits });
    const results: Expr[] = [
      // NaN payloads and signs in, arithmetic NaNs out: x86 makes sqrt(-1) and inf-inf the negative default NaN
      simd('f32x4.add', v(0x7fa00001, 0xffc12345, 0x7f800000, 0x3f800000), v(0x3f800000, 0x3f800000, 0xff800000, 0x7fc00000)),
      simd('f64x2.sqrt', v(0, 0xbff00000, 1, 0xfff00000)),
      simd('f32x4.demote_f64x2_zero', v(1, 0x7ff00000, 0, 0xfff80000)),
      simd('f64x2.promote_low_f32x4', v(0xff812345, 0x7fa00001, 0, 0)),
      simd('f32x4.splat', { kind: 'numeric', type: 'f32', op: 0x93, args: [f32(0x7f800000), f32(0x7f800000)] }), // inf - inf
      simd('f64x2.splat', { kind: 'numeric', type: 'f64', op: 0x9f, args: [f64(0xbff0000000000000n)] }), // sqrt(-1)
    ];
    const m: Module = {
      types: [],
      functions: results.map((result) => ({ params: [], results: ['v128'], locals: [], body: { body: [], result } })),
      memory: { min: 1, max: 1 },
      table: { min: 0, max: null },
      elements: [],
      globals: [],
      fuel: 1000,
    };
    const v8 = new V8Engine();
    const instance = v8.instantiate(v8.compile(encodeModule(m)), () => undefined);
    const lanes = (name: string, i: number): string[] => {
      const r = instance.invoke(`f${i}`, [])[0];
      if (r.type !== 'v128') throw new Error('not a v128');
      const words = name.startsWith('f64x2') ? Array.from(new BigUint64Array(r.bytes.slice().buffer)) : Array.from(new Uint32Array(r.bytes.slice().buffer));
      return words.map((w) => w.toString(16));
    };
    expect(lanes('f32x4', 0)).toEqual(['7fc00000', '7fc00000', '7fc00000', '7fc00000']);
    expect(lanes('f64x2', 1)).toEqual(['7ff8000000000000', '7ff8000000000000']);
    expect(lanes('f32x4', 2)).toEqual(['7fc00000', '7fc00000', '0', '0']);
    expect(lanes('f64x2', 3)).toEqual(['7ff8000000000000', '7ff8000000000000']);
    expect(lanes('f32x4', 4)).toEqual(['7fc00000', '7fc00000', '7fc00000', '7fc00000']);
    expect(lanes('f64x2', 5)).toEqual(['7ff8000000000000', '7ff8000000000000']);
  });

  test('a property failing on i64.div_s shrinks to a tiny module', () => {
    const hasDivS = (m: Module) => functionNodes(m).some((f) => f.some((e) => e.kind === 'numeric' && e.op === 0x7f));
    const result = fc.check(
      fc.property(moduleArb({ simd: false }), (m) => !hasDivS(m)),
      { numRuns: 2000, seed: SEED + 3 },
    );
    expect(result.failed).toBe(true);
    const [m] = result.counterexample!;
    expect(hasDivS(m)).toBe(true);
    expect(WebAssembly.validate(encodeModule(m))).toBe(true);
    const sizes = functionNodes(m).map((f) => f.length);
    // eslint-disable-next-line no-console
    console.log('shrunk module: function sizes', sizes, JSON.stringify(m.functions, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
    // fast-check shrinks arrays from the front and cannot hoist a subtree into its parent, so the
    // minimum is typically one or two functions of at most a handful of nodes
    expect(m.functions.length).toBeLessThanOrEqual(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8);
  });
});

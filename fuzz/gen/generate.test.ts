import fc from 'fast-check';
import { V8Engine } from '../../engines/v8.js';
import { Assembler } from '../../wast/assembler.js';
import { EngineError } from '../../wast/engine.js';
import { Value } from '../../core/values.js';
import { isRef, nodes, type Expr, type Function, type Module, type StackType, type ValType } from './ast.js';
import { moduleArb } from './arbitraries.js';
import { encodeModule } from './encode.js';
import { coverageKey, isSimdKey, opcodeOf } from './opcode-of.js';
import { NUMERIC_OPS, opKey, SIMD_OPS, simdKey } from './opcodes.js';
import { testNote } from '../../core/test-note.js';
import { moduleOf } from './module-of.js';

const RUNS = 300;
const SEED = 20251125;
/** the node kinds of multi-value returns, references, tables and passive segments */
const NEW_KINDS = [
  'return', 'ref.null', 'ref.func', 'ref.is_null', 'table.get', 'table.set', 'table.size', 'table.grow', 'table.fill',
  'table.copy', 'table.init', 'elem.drop', 'memory.init', 'data.drop',
];

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
    testNote(`SIMD nodes: ${((100 * simd) / all).toFixed(1)}% of ${all}`);
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
    testNote(`calls on V8 over ${RUNS} modules:`, outcomes);
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
    testNote(`numeric opcodes: ${seen.size}/${NUMERIC_OPS.length}, rarest seen ${Math.min(...counts)} times`);
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
    testNote(`SIMD opcodes: ${seen.size}/${SIMD_OPS.length}, rarest seen ${Math.min(...counts)} times`);
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
    const m = moduleOf(results.map((result) => ({ params: [], results: ['v128'], locals: [], body: { body: [], results: [result] } })));
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

  test(`the multi-value, reference, table and bulk instructions appear across ${COVERAGE_RUNS} generated modules, valid, as a fraction of the code`, () => {
    const kinds = new Map<string, number>();
    const forms = new Map<string, number>();
    const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    let all = 0;
    let added = 0;
    for (const m of fc.sample(moduleArb(), { numRuns: COVERAGE_RUNS, seed: SEED + 7 })) {
      const bytes = encodeModule(m, (form) => count(forms, form));
      expect(WebAssembly.validate(bytes)).toBe(true);
      for (const f of m.functions) if (f.results.length > 1) count(kinds, 'function(multi)');
      for (const e of functionNodes(m).flat()) {
        const key = coverageKey(e);
        count(kinds, key);
        if (e.kind === 'select' && isRef(e.type)) count(kinds, 'select(ref)');
        all++;
        if (key.endsWith('(multi)') || NEW_KINDS.includes(e.kind) || isRef(e.type)) added++;
      }
    }
    const missing = [...NEW_KINDS, 'select(ref)', 'function(multi)', ...['block', 'loop', 'if', 'br', 'br_if', 'br_table', 'return'].map((k) => `${k}(multi)`)].filter((k) => !kinds.has(k));
    expect(missing).toEqual([]);
    // what the encoder wrote: type-index block types with parameters, branches, calls and returns of several values
    const written = ['block', 'loop', 'if'].flatMap((k) => [`${k} (type)`, `${k} params`]).concat(['br', 'br_if', 'br_table', 'call', 'call_indirect', 'return'].map((k) => `${k} multi-value`));
    expect(written.filter((k) => !forms.has(k))).toEqual([]);
    testNote(`new instructions and forms: ${((100 * added) / all).toFixed(1)}% of ${all} nodes;`, Object.fromEntries([...kinds].filter(([k]) => !k.includes(':'))), Object.fromEntries(forms));
    expect(added / all).toBeLessThan(0.2);
  });

  test('wabt reads the modules back, new instructions and all (reproducers show them as text)', async () => {
    const assembler = await Assembler.load();
    let text = '';
    for (const m of fc.sample(moduleArb(), { numRuns: 200, seed: SEED + 8 })) {
      const wat = assembler.disassemble(encodeModule(m));
      expect(wat).toBeDefined();
      text += wat;
    }
    // wabt writes a type-index block type as its params and results, and the declarative segment as "declare func"
    const patterns = [/block \(param/, /loop \(param/, /if \(param/, /(block|loop|if)( \(param[^)]*\))? \(result \S+ \S+/, /select \(result funcref\)/, /declare func/];
    expect(patterns.filter((p) => !p.test(text)).map(String)).toEqual([]);
    expect(NEW_KINDS.filter((name) => !text.includes(name))).toEqual([]);
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
    testNote('shrunk module: function sizes', sizes, JSON.stringify(m.functions, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
    // fast-check shrinks arrays from the front and cannot hoist a subtree into its parent, so the
    // minimum is typically one or two functions of at most a handful of nodes, plus a constant for
    // each further result of a function with several (its signature is chosen whole, not shrunk)
    expect(m.functions.length).toBeLessThanOrEqual(2);
    m.functions.forEach((f, i) => expect(sizes[i]).toBeLessThanOrEqual(8 + Math.max(0, f.results.length - 1)));
  });

  describe('what the encoder makes of hand-written trees, run on V8', () => {
    const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });
    const i64 = (bits: bigint): Expr => ({ kind: 'const', type: 'i64', bits });
    const f64 = (x: number): Expr => ({ kind: 'const', type: 'f64', bits: new BigUint64Array(Float64Array.of(x).buffer)[0] });
    const get = (type: StackType, index = 0): Expr => ({ kind: 'local.get', type, index });
    const fn = (results: ValType[], body: Expr[], values: Expr[], locals: StackType[] = []): Function => ({ params: [], results, locals, body: { body, results: values } });
    /** each function's results, as numbers (floats as values), or "trap" */
    const run = (m: Module): (string | (number | bigint)[])[] => {
      const v8 = new V8Engine();
      const instance = v8.instantiate(v8.compile(encodeModule(m)), () => undefined);
      return m.functions.map((_, i) => {
        try {
          return instance.invoke(`f${i}`, []).map((v) => {
            if (v.type === 'i32') return v.bits | 0;
            if (v.type === 'i64') return BigInt.asIntN(64, v.bits);
            if (v.type === 'f64') return new Float64Array(BigUint64Array.of(v.bits).buffer)[0];
            throw new Error(`unexpected ${v.type}`);
          });
        } catch (e) {
          if (e instanceof EngineError && e.kind === 'trap') return 'trap';
          throw e;
        }
      });
    };

    test('multi-value: block parameters, branches and calls carrying several values, return from nested blocks, loop parameters', () => {
      const m = moduleOf([
        // block (param i32) (result i32 i64): the parameter passes through; the i64 is stored in the local
        fn(['i32', 'i64'], [], [{ kind: 'block', type: 'i32', params: [i32(7)], body: [], results: [i64(9n)] }, get('i64')], ['i64']),
        // br carries (1, 2.5) out of a block (result i32 f64), past its own results
        fn(['i32', 'f64'], [], [{ kind: 'block', type: 'i32', params: [], body: [{ kind: 'br', type: 'void', depth: 0, values: [i32(1), f64(2.5)] }], results: [i32(100), f64(200)] }, get('f64')], ['f64']),
        // loop (param i32) (result i32 i32): br_if back with the counter as the next parameter while it is below 5
        fn(['i32', 'i32'], [], [{
          kind: 'loop', type: 'i32', params: [i32(0)], results: [i32(42)], body: [
            { kind: 'local.set', type: 'void', index: 0, value: { kind: 'numeric', type: 'i32', op: 0x6a, args: [get('i32'), i32(1)] } },
            { kind: 'br_if', type: 'void', depth: 0, values: [get('i32')], cond: { kind: 'numeric', type: 'i32', op: 0x48, args: [get('i32'), i32(5)] } },
          ],
        }, get('i32')], ['i32']),
        // return (5, 2.5) from two blocks deep
        fn(['i64', 'f64'], [{ kind: 'block', type: 'void', params: [], results: [], body: [{ kind: 'block', type: 'void', params: [], results: [], body: [{ kind: 'return', type: 'void', values: [i64(5n), f64(2.5)] }] }] }], [i64(0n), f64(0)]),
        // call f0 (the first function whose first result is i32): 7 kept, 9 stored in the local
        fn(['i32', 'i64'], [], [{ kind: 'call', type: 'i32', func: 0, args: [] }, get('i64')], ['i64']),
        // if (param i32) (result i32 i32), else taken: the parameter 10 passes through, the else arm's 2 is stored
        fn(['i32', 'i32'], [], [{ kind: 'if', type: 'i32', params: [i32(10)], cond: i32(0), then: { body: [], results: [i32(1)] }, else: { body: [], results: [i32(2)] } }, get('i32')], ['i32']),
      ]);
      expect(run(m)).toEqual([[7, 9n], [1, 2.5], [4, 42], [5n, 2.5], [7, 9n], [10, 2]]);
    });

    test('references and tables: grow, size, set, get, fill, copy, init, elem.drop, calls through set slots', () => {
      const funcref = (index: Expr, table = 0): Expr => ({ kind: 'table.get', type: 'funcref', table, index });
      const isNull = (value: Expr): Expr => ({ kind: 'ref.is_null', type: 'i32', value });
      const m = moduleOf(
        [
          // table 0 grows by 2 (from 2 to 4), with f2 in the new slots
          fn(['i32', 'i32'], [], [{ kind: 'table.grow', type: 'i32', table: 0, value: { kind: 'ref.func', type: 'funcref', func: 2 }, delta: i32(2) }, { kind: 'table.size', type: 'i32', table: 0 }]),
          // slot 1 set to f2, then called; the (i32) type index chosen is f1's own, the same signature
          fn(['i32'], [{ kind: 'table.set', type: 'void', table: 0, index: i32(1), value: { kind: 'ref.func', type: 'funcref', func: 2 } }], [
            { kind: 'call_indirect', type: 'i32', typeIndex: 1, table: 0, args: [], index: i32(1) },
          ]),
          fn(['i32'], [], [i32(77)]),
          // externref: the table holds nulls; ref.func is not null; table 2 (externref) has 1 slot
          fn(['i32', 'i32', 'i32'], [], [isNull({ kind: 'table.get', type: 'externref', table: 0, index: i32(0) }), isNull({ kind: 'ref.func', type: 'funcref', func: 0 }), { kind: 'table.size', type: 'i32', table: 2 }]),
          fn(['i32'], [], [isNull({ kind: 'table.get', type: 'externref', table: 0, index: i32(5) })]), // out of bounds: trap
          // passive segment 1 (f2, null) into table 1 (funcref, 2 slots); its null slot 1 copied to slot 0 of table 0
          fn(['i32', 'i32', 'i32'], [
            { kind: 'table.init', type: 'void', segment: 1, table: 1, dest: i32(0), src: i32(0), len: i32(2) },
            { kind: 'table.copy', type: 'void', destTable: 0, srcTable: 1, dest: i32(0), src: i32(1), len: i32(1) },
          ], [isNull(funcref(i32(0), 1)), isNull(funcref(i32(1), 1)), isNull(funcref(i32(0), 0))]),
          fn([], [{ kind: 'elem.drop', type: 'void', segment: 1 }, { kind: 'table.init', type: 'void', segment: 1, table: 1, dest: i32(0), src: i32(0), len: i32(1) }], []), // dropped: trap
          // table.fill of externref nulls past the end: trap
          fn([], [{ kind: 'table.fill', type: 'void', table: 0, dest: i32(0), value: { kind: 'ref.null', type: 'externref' }, len: i32(2) }], []),
        ],
        {
          table: { min: 2, max: 4 },
          elements: [1],
          tables: [{ type: 'funcref', min: 2, max: 2 }, { type: 'externref', min: 1, max: 3 }],
          passiveElements: [{ type: 'funcref', items: [2, null] }],
        },
      );
      expect(run(m)).toEqual([[2, 4], [77], [77], [1, 0, 1], 'trap', [0, 1, 1], 'trap', 'trap']);
    });

    test('passive data: memory.init copies, traps out of bounds of the segment or the memory, and after data.drop', () => {
      const init = (dest: number, src: number, len: number, segment = 1): Expr => ({ kind: 'memory.init', type: 'void', segment, dest: i32(dest), src: i32(src), len: i32(len) });
      const load16 = (addr: number): Expr => ({ kind: 'load', type: 'i32', op: 0x2f, align: 0, offset: 0, addr: i32(addr) });
      const m = moduleOf(
        [
          fn(['i32'], [init(1000, 1, 2)], [load16(1000)]),
          fn([], [init(0, 2, 3)], []), // past the segment's 4 bytes
          fn([], [init(65535, 0, 2)], []), // past the memory
          fn([], [init(0, 0, 1, 0)], []), // the active segment, dropped once instantiated
          fn([], [{ kind: 'data.drop', type: 'void', segment: 1 }, init(0, 0, 0)], []), // dropped, but nothing to copy
          fn([], [init(0, 0, 1)], []), // dropped
        ],
        { passiveData: [[1, 2, 3, 4]] },
      );
      expect(run(m)).toEqual([[0x0302], 'trap', 'trap', 'trap', [], 'trap']);
    });
  });
});

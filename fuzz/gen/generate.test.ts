import fc from 'fast-check';
import { nodes, type Expr, type Module, type ValType } from './ast.js';
import { moduleArb } from './arbitraries.js';
import { encodeModule } from './encode.js';
import { NUMERIC_OPS, opKey } from './opcodes.js';

const RUNS = 300;
const SEED = 20251125;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const functionNodes = (m: Module): Expr[][] => m.functions.map((f) => [...nodes(f.body)]);

describe('generated modules', () => {
  test('the opcode table holds every scalar numeric instruction of Wasm 2.0', () => {
    const keys = new Set(NUMERIC_OPS.map(opKey));
    expect(keys.size).toBe(0xc4 - 0x45 + 1 + 8);
    for (let c = 0x45; c <= 0xc4; c++) expect(keys.has(c)).toBe(true);
    for (let c = 0; c < 8; c++) expect(keys.has(0xfc00 + c)).toBe(true);
  });

  test(`${RUNS} modules all pass WebAssembly.validate`, () => {
    let valid = 0;
    fc.assert(
      fc.property(moduleArb(), (m) => {
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
  });

  test('calling every exported function finishes: returns or traps', async () => {
    const argsFor = (t: ValType, k: number): number | bigint => {
      const ints = [0, 1, -1, 7, 0x7fffffff, -0x80000000, 65536];
      const floats = [0, -0, 1.5, -1, NaN, Infinity, 3e38];
      if (t === 'i64') return BigInt(ints[k % ints.length]);
      if (t === 'i32') return ints[k % ints.length];
      return floats[k % floats.length];
    };
    const outcomes = { returned: 0, trapped: 0, stack: 0 };
    const modules = fc.sample(moduleArb(), { numRuns: RUNS, seed: SEED + 1 });
    for (const [n, m] of modules.entries()) {
      const bytes = encodeModule(m);
      const { instance } = await WebAssembly.instantiate(bytes);
      const fuel = instance.exports.fuel as WebAssembly.Global;
      m.functions.forEach((f, i) => {
        fuel.value = 1000;
        const fn = instance.exports[`f${i}`] as (...a: unknown[]) => unknown;
        const started = Date.now();
        try {
          fn(...f.params.map((t, k) => argsFor(t, n + k)));
          outcomes.returned++;
        } catch (e) {
          const name = (e as Error)?.constructor?.name;
          if (name === 'RuntimeError') outcomes.trapped++;
          else if (name === 'RangeError') outcomes.stack++;
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
      for (const e of functionNodes(m).flat()) if (e.kind === 'numeric') seen.set(e.op, (seen.get(e.op) ?? 0) + 1);
    const missing = NUMERIC_OPS.filter((op) => !seen.has(opKey(op))).map((op) => op.name);
    expect(missing).toEqual([]);
    const counts = [...seen.values()];
    // eslint-disable-next-line no-console
    console.log(`numeric opcodes: ${seen.size}/${NUMERIC_OPS.length}, rarest seen ${Math.min(...counts)} times`);
  });

  test('a property failing on i64.div_s shrinks to a tiny module', () => {
    const hasDivS = (m: Module) => functionNodes(m).some((f) => f.some((e) => e.kind === 'numeric' && e.op === 0x7f));
    const result = fc.check(
      fc.property(moduleArb(), (m) => !hasDivS(m)),
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

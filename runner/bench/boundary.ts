// The benchmark's boundary section: what one call across the JS/wasm boundary costs on each engine.
// JS→wasm: a JS loop calling trivial exports (i32 identity, an f64 add of two arguments, a void
// function of none). wasm→JS: a wasm loop calling an imported `(x) => x + 1`, less the same loop
// calling a wasm function that does the same, so that the figure is the boundary alone. Each engine
// measures in a worker process of its own (boundary-worker.ts), as the kernels do; figures are ns
// per call, the best of the runs.
import { Assembler } from '../../wast/assembler.js';
import { ENGINES, EngineConfig, EngineName } from './engines.js';
import type { BoundaryMeasurement } from './protocol.js';
import { runWorker } from './spawn-worker.js';

/** The module every engine measures; the loops count down from n (n = 0 makes no call). */
export const BOUNDARY_WAT = `(module
  (import "js" "inc" (func $inc (param i32) (result i32)))
  (func (export "id") (param i32) (result i32) (local.get 0))
  (func (export "add") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
  (func (export "nop"))
  (func $winc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "callImport") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $acc (call $inc (local.get $acc)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (local.get $acc))
  (func (export "callWasm") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $acc (call $winc (local.get $acc)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (local.get $acc)))
`;

/** The measured loops, in table order. */
export const BOUNDARY_CASES = ['jsToWasmId', 'jsToWasmAdd', 'jsToWasmNop', 'wasmToJs', 'wasmToJsLoop', 'wasmToWasmLoop'] as const;
export type BoundaryCase = (typeof BOUNDARY_CASES)[number];

export const CASE_LABELS: Record<BoundaryCase, string> = {
  jsToWasmId: 'JS→wasm id(i32) → i32',
  jsToWasmAdd: 'JS→wasm add(f64, f64) → f64',
  jsToWasmNop: 'JS→wasm nop()',
  wasmToJs: 'wasm→JS (x) => x + 1, boundary alone',
  wasmToJsLoop: '  wasm loop calling the JS import',
  wasmToWasmLoop: '  the same loop calling a wasm function',
};

/** The issue's target: a call across the boundary on the JIT costs at most this many times V8's. */
export const BOUNDARY_TARGET = 10;

export interface BoundaryEngineResult {
  engine: EngineName;
  command: string[];
  measurement?: BoundaryMeasurement;
  error?: string;
}

export interface BoundaryResult {
  engines: BoundaryEngineResult[];
  /** Per case, the JIT's ns per call over Liftoff's and over TurboFan's, when all three measured. */
  ratios: Partial<Record<BoundaryCase, { jitOverLiftoff: number; jitOverTurbofan: number }>>;
  problems: string[];
}

export interface BoundaryOptions {
  runs: number;
  /** Worker processes per engine, the engines taking turns; per case the best counts (1 by default). */
  processes?: number;
  /** 10^5 calls per loop instead of 10^6–10^7 (a smoke run). */
  quick: boolean;
  progress?: (line: string) => void;
}

const label = (name: EngineName): string => ENGINES.find((e) => e.name === name)!.label;

/** The checks: every engine measured, the JIT's calls went through the JIT, V8 in its flags' tier, figures positive. */
export function checkBoundary(b: BoundaryResult, engines: readonly EngineConfig[] = ENGINES): void {
  for (const r of b.engines) {
    const config = engines.find((e) => e.name === r.engine)!;
    if (r.error) {
      b.problems.push(`${label(r.engine)} failed: ${r.error}`);
      continue;
    }
    const m = r.measurement!;
    if (m.identity.engine !== config.kind) b.problems.push(`${label(r.engine)}: the calls went to ${m.identity.engine}, not ${config.kind}`);
    if (config.tier) {
      for (const [fn, tier] of Object.entries(m.identity.tiers ?? {})) {
        if (tier !== config.tier) b.problems.push(`${label(r.engine)}: V8 ran "${fn}" in ${tier}, not ${config.tier}`);
      }
    }
    for (const c of BOUNDARY_CASES) {
      const ns = m.nsPerCall[c];
      if (!(Number.isFinite(ns) && ns > 0)) b.problems.push(`${label(r.engine)}: ${CASE_LABELS[c].trim()}: ${ns} ns per call is not a positive figure`);
    }
  }
  const ns = (name: EngineName, c: BoundaryCase) => b.engines.find((r) => r.engine === name)?.measurement?.nsPerCall[c];
  for (const c of BOUNDARY_CASES) {
    const [jit, liftoff, turbofan] = [ns('jit', c), ns('liftoff', c), ns('turbofan', c)];
    if (jit !== undefined && liftoff !== undefined && turbofan !== undefined && liftoff > 0 && turbofan > 0) {
      b.ratios[c] = { jitOverLiftoff: jit / liftoff, jitOverTurbofan: jit / turbofan };
    }
  }
}

/** Keeps, per engine and case, the least ns per call over the processes; any failure is the engine's result. */
function keepFastest(results: BoundaryEngineResult[], r: BoundaryEngineResult): void {
  const prev = results.find((x) => x.engine === r.engine);
  if (!prev) return void results.push(r);
  if (prev.error) return;
  if (r.error) return void Object.assign(prev, { error: r.error, measurement: undefined, command: r.command });
  const best = { ...prev.measurement!.nsPerCall };
  for (const c of BOUNDARY_CASES) best[c] = Math.min(best[c], r.measurement!.nsPerCall[c]);
  prev.measurement = { ...prev.measurement!, nsPerCall: best };
}

export async function runBoundary(options: BoundaryOptions): Promise<BoundaryResult> {
  const assembler = await Assembler.load();
  const wasm = Buffer.from(assembler.assemble(BOUNDARY_WAT, 'boundary.wat')).toString('base64');
  const result: BoundaryResult = { engines: [], ratios: {}, problems: [] };
  const processes = options.processes ?? 1;
  for (let p = 0; p < processes; p++) {
    for (const engine of ENGINES) {
      const { command, reply } = await runWorker(engine, { kind: 'boundary', engine: engine.name, wasm, runs: options.runs, quick: options.quick });
      const r: BoundaryEngineResult =
        reply.ok && 'boundary' in reply
          ? { engine: engine.name, command, measurement: reply.boundary }
          : { engine: engine.name, command, error: reply.ok ? 'the worker sent no boundary figures' : reply.error };
      keepFastest(result.engines, r);
      const m = r.measurement;
      options.progress?.(
        `boundary on ${engine.label}, process ${p + 1} of ${processes}: ` +
          (m ? `JS→wasm ${m.nsPerCall.jsToWasmId.toFixed(1)} ns, wasm→JS ${m.nsPerCall.wasmToJs.toFixed(1)} ns per call (${m.identity.detail})` : `FAILED: ${r.error}`),
      );
    }
  }
  checkBoundary(result);
  return result;
}

const ORDER: EngineName[] = ['jit', 'liftoff', 'turbofan'];

/** Columns padded to their widest cell; the first left-aligned, numbers right-aligned. */
function align(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

export function formatBoundary(b: BoundaryResult, runs: number, processes = 1): string {
  const ratio = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(2)}x`);
  const measured = (e: EngineName) => b.engines.find((r) => r.engine === e)?.measurement;
  const header = ['call', ...ORDER.map((e) => `${label(e)} ns`), 'JIT/Liftoff', 'JIT/TurboFan'];
  const rows = BOUNDARY_CASES.map((c) => [
    CASE_LABELS[c],
    ...ORDER.map((e) => {
      const ns = measured(e)?.nsPerCall[c];
      return ns === undefined ? 'FAIL' : ns.toFixed(ns < 10 ? 2 : 1);
    }),
    ratio(b.ratios[c]?.jitOverLiftoff),
    ratio(b.ratios[c]?.jitOverTurbofan),
  ]);
  const calls = ORDER.map((e) => measured(e))
    .filter((m) => m !== undefined)
    .flatMap((m) => Object.values(m!.calls));
  const [fewest, most] = [Math.min(...calls), Math.max(...calls)].map((n) => n.toLocaleString('en-US'));
  const callsText = calls.length === 0 ? '' : `, ${fewest === most ? fewest : `${fewest}–${most}`} calls per run`;
  const lines = [
    `boundary: ns per call, best of ${runs} runs after a warm-up${callsText} in each of ${processes} process(es), the best counting; JS→wasm loops include the JS loop's own cost`,
    ...align([header, ...rows]),
    `the issue's target: a boundary call on the JIT costs at most ${BOUNDARY_TARGET}x V8's (JIT/Liftoff and JIT/TurboFan ≤ ${BOUNDARY_TARGET}x)`,
  ];
  for (const r of b.engines) if (r.measurement) lines.push(`  ${label(r.engine).padEnd(8)} ${r.measurement.identity.detail}`);
  if (b.problems.length > 0) lines.push('', 'FAILED:', ...b.problems.map((p) => `  boundary: ${p}`));
  return lines.join('\n');
}

// The benchmark: every kernel on every engine configuration, each in its own worker process, one
// after another (never in parallel, so they do not compete for the machine), then the checks: all
// three checksums agree, every worker succeeded, and V8 ran in the tier its flags promise. A
// process's speed varies with where things land in memory and with the machine's other load, more
// than its runs vary among themselves: each figure is the best of several processes, the engines
// taking turns. Then the compile-speed section (compile-speed.ts) and the boundary section (boundary.ts).
import { Assembler } from '../../wast/assembler.js';
import { BoundaryResult, runBoundary } from './boundary.js';
import { CompileModule, CompileSpeedResult, QUICK_REPETITIONS, runCompileSpeed } from './compile-speed.js';
import { baselineEngine, ENGINES, EngineConfig, EngineName } from './engines.js';
import { kernelV8 } from './kernel-v8.js';
import { Kernel, loadKernels } from './kernels.js';
import type { Measurement } from './protocol.js';
import { runWorker, WORKER_PATH } from './spawn-worker.js';

export interface BenchOptions {
  /** Kernel names; all of fixtures/bench when empty. */
  kernels?: string[];
  /** Timed runs per measurement after the warm-up (the best counts); 5 by default. */
  runs?: number;
  /** Worker processes per kernel and engine, the engines taking turns (the best counts); 3 by default. */
  processes?: number;
  /** Another checkout of mitey whose JIT runs the kernels too, in the same run (its built worker). */
  baseline?: { checkout: string; workerPath: string };
  /** Each kernel's small test-arg instead of its bench-arg, fewer compiles per process in the compile-speed section. */
  quick?: boolean;
  /** No compile-speed section (compile-speed.ts) after the kernels. */
  noCompile?: boolean;
  /** The compile-speed section only, no kernel. */
  compileOnly?: boolean;
  /** The compile-speed section's modules; the largest of bench:programs by default. */
  compileModules?: CompileModule[];
  /** No boundary section (boundary.ts) after the kernels. */
  noBoundary?: boolean;
  /** The boundary section only, no kernel. */
  boundaryOnly?: boolean;
  /** Called with a line of progress as each measurement ends. */
  progress?: (line: string) => void;
}

export interface EngineResult {
  engine: EngineName;
  /** The worker's command line. */
  command: string[];
  /** The best of the processes' measurements. */
  measurement?: Measurement;
  /** Every process's checksum (all must agree). */
  checksums?: string[];
  /** The most peak resident memory of its processes, KiB (each reports its own after its runs). */
  peakRssKiB?: number;
  error?: string;
}

/** Keeps, per engine, the measurement with the least run time; any failure is the engine's result. */
export function keepBest(results: EngineResult[], r: EngineResult): void {
  const prev = results.find((x) => x.engine === r.engine);
  const rss = r.measurement?.peakRssKiB;
  if (!prev) {
    results.push({ ...r, checksums: r.measurement ? [r.measurement.checksum] : [], ...(rss !== undefined ? { peakRssKiB: rss } : {}) });
    return;
  }
  if (prev.error) return;
  if (r.error) {
    Object.assign(prev, { error: r.error, measurement: undefined, command: r.command });
    return;
  }
  prev.checksums!.push(r.measurement!.checksum);
  if (rss !== undefined) prev.peakRssKiB = Math.max(prev.peakRssKiB ?? 0, rss);
  if (r.measurement!.runMs < prev.measurement!.runMs) prev.measurement = r.measurement;
}

export interface KernelResult {
  kernel: string;
  file: string;
  arg: number;
  engines: EngineResult[];
  /** The agreed checksum, when all engines gave the same. */
  checksum?: string;
  /** Run time of the JIT over Liftoff's and over TurboFan's, when all three ran. */
  jitOverLiftoff?: number;
  jitOverTurbofan?: number;
  /** The baseline JIT's run time over Liftoff's, when it ran too. */
  baselineOverLiftoff?: number;
  /** The V8 its Liftoff and TurboFan columns ran on when not this Node's (its header's needs-v8), and why. */
  otherV8?: { node: string; v8: string; execPath: string; why: string };
  /** What went wrong: errors, crashes, disagreeing checksums, V8 in the wrong tier. */
  problems: string[];
}

export interface BenchResult {
  startedAt: string;
  durationMs: number;
  node: string;
  v8: string;
  runs: number;
  processes: number;
  quick: boolean;
  engines: { name: EngineName; label: string; command: string[] }[];
  kernels: KernelResult[];
  /**
   * Geometric means of the ratios over the kernels that have them on this Node's V8; those measured
   * against another V8 (otherV8) are left out, so that the means of one run compare with another's.
   */
  geomean: { kernels: number; jitOverLiftoff?: number; jitOverTurbofan?: number; baselineOverLiftoff?: number };
  /** How fast each engine compiles the largest modules of bench:programs, unless skipped. */
  compile?: CompileSpeedResult;
  /** The cost of a call across the JS/wasm boundary on each engine, unless skipped. */
  boundary?: BoundaryResult;
  ok: boolean;
}

const rssText = (kib: number | undefined): string => (kib === undefined ? '' : `, peak RSS ${(kib / 1024).toFixed(0)} MiB`);

export function geometricMean(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

function label(name: EngineName, engines: readonly EngineConfig[] = ENGINES): string {
  return engines.find((e) => e.name === name)?.label ?? name;
}

/** The error of a V8 engine not run on a kernel that needs a newer V8 than any at hand (needs-v8). */
const V8_LACKS = 'no V8 at hand can run it: ';

/**
 * A baseline checkout that refuses a kernel's module (a feature it predates), or V8 on a kernel
 * needing a newer V8 than any at hand (its header's needs-v8): absent from that kernel, not a failure.
 */
export const engineLacks = (r: EngineResult): boolean =>
  (r.engine === 'baseline' && /CompileError: (unsupported|malformed)\b/.test(r.error ?? '')) || (r.error ?? '').startsWith(V8_LACKS);

/** The checks on one kernel's measurements. */
export function checkKernel(k: KernelResult, engines: readonly EngineConfig[] = ENGINES): void {
  for (const r of k.engines) {
    if (r.error && !engineLacks(r)) k.problems.push(`${label(r.engine, engines)} failed: ${r.error}`);
    const want = engines.find((e) => e.name === r.engine)?.tier;
    const got = r.measurement?.tier;
    if (want && got && got !== want) k.problems.push(`${label(r.engine, engines)}: V8 ran "run" in ${got}, not ${want}`);
  }
  const measured = k.engines.filter((r) => r.measurement);
  const checksums = new Set(measured.flatMap((r) => r.checksums ?? [r.measurement!.checksum]));
  if (checksums.size > 1) {
    const of = (r: EngineResult) => [...new Set(r.checksums ?? [r.measurement!.checksum])].join('/');
    k.problems.push(`checksums disagree: ${measured.map((r) => `${label(r.engine, engines)} ${of(r)}`).join(', ')}`);
  } else if (measured.length === k.engines.filter((r) => !engineLacks(r)).length && checksums.size === 1) {
    k.checksum = [...checksums][0];
  }
  const ms = (name: EngineName) => k.engines.find((r) => r.engine === name)?.measurement?.runMs;
  const [jit, liftoff, turbofan] = [ms('jit'), ms('liftoff'), ms('turbofan')];
  if (k.checksum !== undefined && jit !== undefined && liftoff !== undefined && turbofan !== undefined) {
    k.jitOverLiftoff = jit / liftoff;
    k.jitOverTurbofan = jit / turbofan;
    const baseline = ms('baseline');
    if (baseline !== undefined) k.baselineOverLiftoff = baseline / liftoff;
  }
}

export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const started = Date.now();
  const runs = options.runs ?? 5;
  const processes = options.processes ?? 3;
  const engines = options.baseline ? [...ENGINES, baselineEngine(options.baseline.checkout, options.baseline.workerPath)] : ENGINES;
  const quick = options.quick ?? false;
  const kernels: Kernel[] = options.boundaryOnly || options.compileOnly ? [] : loadKernels(options.kernels ?? []);
  const assembler = await Assembler.load();
  const results: KernelResult[] = [];
  for (const kernel of kernels) {
    const arg = quick ? kernel.testArg : kernel.benchArg;
    const wasm = Buffer.from(assembler.assemble(kernel.text, kernel.file)).toString('base64');
    const v8 = kernelV8(kernel);
    const k: KernelResult = { kernel: kernel.name, file: kernel.file, arg, engines: [], problems: [] };
    if ('why' in v8 && v8.why) k.otherV8 = { node: v8.node, v8: v8.v8, execPath: v8.execPath, why: v8.why };
    const onV8 = k.otherV8 ? ` (V8 ${k.otherV8.v8})` : '';
    for (let p = 0; p < processes; p++) {
      for (const engine of engines) {
        // Another checkout's worker knows its JIT as "jit".
        const job = { engine: engine.kind === 'jit' ? 'jit' : engine.name, kernel: kernel.name, wasm, arg, runs } as const;
        if (engine.kind === 'v8' && 'lacks' in v8) {
          keepBest(k.engines, { engine: engine.name, command: [], error: V8_LACKS + v8.lacks });
          continue;
        }
        const { command, reply } = await runWorker(engine, job, 'lacks' in v8 ? {} : { v8Flags: v8.flags, v8Node: v8.execPath });
        const r: EngineResult =
          reply.ok && 'measurement' in reply
            ? { engine: engine.name, command, measurement: reply.measurement }
            : { engine: engine.name, command, error: reply.ok ? 'the worker sent no kernel measurement' : reply.error };
        keepBest(k.engines, r);
        options.progress?.(
          `${kernel.name}(${arg}) on ${engine.label}${engine.kind === 'v8' ? onV8 : ''}, process ${p + 1} of ${processes}: ` +
            (r.measurement ? `checksum ${r.measurement.checksum}, compile ${r.measurement.compileMs.toFixed(2)} ms, run ${r.measurement.runMs.toFixed(1)} ms${rssText(r.measurement.peakRssKiB)}` : `FAILED: ${r.error}`),
        );
      }
    }
    checkKernel(k, engines);
    results.push(k);
  }
  const compile =
    options.boundaryOnly || (options.noCompile && !options.compileOnly)
      ? undefined
      : await runCompileSpeed({ modules: options.compileModules, repetitions: quick ? Math.min(runs, QUICK_REPETITIONS) : runs, processes, progress: options.progress });
  const boundary =
    options.compileOnly || (options.noBoundary && !options.boundaryOnly) ? undefined : await runBoundary({ runs, processes, quick, progress: options.progress });
  const rated = results.filter((k) => k.jitOverLiftoff !== undefined && !k.otherV8);
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    node: process.version,
    v8: process.versions.v8,
    runs,
    processes,
    quick,
    engines: engines.map((e) => ({ name: e.name, label: e.label, command: [process.execPath, ...e.nodeFlags, e.workerPath ?? WORKER_PATH] })),
    kernels: results,
    geomean: {
      kernels: rated.length,
      jitOverLiftoff: geometricMean(rated.map((k) => k.jitOverLiftoff!)),
      jitOverTurbofan: geometricMean(rated.map((k) => k.jitOverTurbofan!)),
      baselineOverLiftoff: options.baseline && rated.every((k) => k.baselineOverLiftoff !== undefined) ? geometricMean(rated.map((k) => k.baselineOverLiftoff!)) : undefined,
    },
    compile,
    boundary,
    ok: results.every((k) => k.problems.length === 0) && (compile?.modules.every((m) => m.problems.length === 0) ?? true) && (boundary?.problems.length ?? 0) === 0,
  };
}

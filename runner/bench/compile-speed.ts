// The benchmark's compile-speed section: how fast each engine compiles a whole real module, how much
// machine code the JIT makes of it and how much resident memory the compiled module holds. The
// modules are the largest of `npm run bench:programs` (each program names its .wasm file). Each
// module and engine is measured in a worker process of its own (compile-worker.ts), as the kernels
// are: V8 with the kernels' flags, every function compiled up front (--no-wasm-lazy-compilation),
// so that its new WebAssembly.Module does the JIT's work; figures are whole-module wall times, the
// best of several compiles in each of several processes.
import { statSync } from 'node:fs';
import { ENGINES, EngineConfig, EngineName } from './engines.js';
import { PROGRAMS } from './programs/programs.js';
import type { ProgramWorkload } from './programs/workload.js';
import type { CompileMeasurement } from './protocol.js';
import { runWorker } from './spawn-worker.js';

/** A module the section compiles. */
export interface CompileModule {
  /** Its program's name. */
  name: string;
  path: string;
  /** Its size in bytes. */
  bytes: number;
}

/** How many of the programs' modules the section compiles, the largest. */
export const COMPILE_MODULES = 3;

/** Compiles per process under --quick (at most). */
export const QUICK_REPETITIONS = 2;

/**
 * V8 keeps a compiled module for as long as it lives and gives it to the next compile of the same
 * bytes; the workers let go of each module before the next compile, and this makes sure none is reused.
 */
export const V8_COMPILE_FLAGS = ['--no-wasm-native-module-cache-enabled'];

/** The targets: the JIT compiles at least 2x faster than Liftoff, its code is at most 2.5 bytes per wasm byte, its RSS growth at most Liftoff's. */
export const COMPILE_TARGETS = { jitOverLiftoff: 0.5, codePerWasmByte: 2.5 } as const;

export function programModule(program: ProgramWorkload): CompileModule {
  const path = program.wasmFile();
  return { name: program.name, path, bytes: statSync(path).size };
}

/** The `count` largest modules of the programs, largest first. */
export function largestProgramModules(count = COMPILE_MODULES, programs: readonly ProgramWorkload[] = PROGRAMS): CompileModule[] {
  return programs
    .map(programModule)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

export interface CompileEngineResult {
  engine: EngineName;
  command: string[];
  /** The measurement of the process with the least compile time. */
  measurement?: CompileMeasurement;
  /** Wasm MB (10^6 bytes) per second of the best compile. */
  mbPerS?: number;
  /** The most RSS growth of the engine's processes, KiB. */
  rssGrowthKiB?: number;
  error?: string;
}

export interface CompileModuleResult {
  module: string;
  path: string;
  wasmBytes: number;
  engines: CompileEngineResult[];
  /** The JIT's best compile time over Liftoff's and over TurboFan's. */
  jitOverLiftoff?: number;
  jitOverTurbofan?: number;
  /** The JIT's machine code, bytes, and per wasm byte. */
  codeBytes?: number;
  codePerWasmByte?: number;
  /** Whether the JIT meets each of the targets on this module (COMPILE_TARGETS), when all figures are there. */
  targets?: { compileSpeed: boolean; codeSize: boolean; memory: boolean };
  /** What went wrong: an engine failed, a figure that is no figure. */
  problems: string[];
}

export interface CompileSpeedResult {
  /** Compiles per process; the best counts. */
  repetitions: number;
  processes: number;
  modules: CompileModuleResult[];
}

export interface CompileSpeedOptions {
  /** The modules; the COMPILE_MODULES largest of bench:programs by default. */
  modules?: CompileModule[];
  repetitions: number;
  /** Worker processes per module and engine, the engines taking turns; the best counts. */
  processes: number;
  progress?: (line: string) => void;
}

const label = (name: EngineName, engines: readonly EngineConfig[] = ENGINES): string => engines.find((e) => e.name === name)?.label ?? name;

const mbPerS = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);

/** Keeps, per engine, the process with the least compile time and the most RSS growth; any failure is the engine's result. */
export function keepFastestCompile(results: CompileEngineResult[], r: CompileEngineResult): void {
  const prev = results.find((x) => x.engine === r.engine);
  if (!prev) return void results.push({ ...r, ...(r.measurement ? { rssGrowthKiB: r.measurement.rssGrowthKiB } : {}) });
  if (prev.error) return;
  if (r.error) return void Object.assign(prev, { error: r.error, measurement: undefined, rssGrowthKiB: undefined, command: r.command });
  prev.rssGrowthKiB = Math.max(prev.rssGrowthKiB!, r.measurement!.rssGrowthKiB);
  if (r.measurement!.compileMs < prev.measurement!.compileMs) prev.measurement = r.measurement;
}

/** The checks on one module's figures, and the ratios and targets from them. */
export function checkCompileModule(m: CompileModuleResult, engines: readonly EngineConfig[] = ENGINES): void {
  for (const r of m.engines) {
    const name = label(r.engine, engines);
    if (r.error || !r.measurement) {
      m.problems.push(`${name} failed: ${r.error ?? 'no measurement'}`);
      continue;
    }
    const { compileMs, wasmBytes, rssGrowthKiB, codeBytes } = r.measurement;
    if (!(Number.isFinite(compileMs) && compileMs > 0)) m.problems.push(`${name}: a compile time of ${compileMs} ms is not a positive figure`);
    else r.mbPerS = mbPerS(m.wasmBytes, compileMs);
    if (wasmBytes !== m.wasmBytes) m.problems.push(`${name}: the worker read ${wasmBytes} bytes, the file had ${m.wasmBytes}`);
    if (!Number.isFinite(rssGrowthKiB)) m.problems.push(`${name}: an RSS growth of ${rssGrowthKiB} KiB is not a figure`);
    const kind = engines.find((e) => e.name === r.engine)?.kind;
    if (kind === 'jit' && !(codeBytes !== undefined && codeBytes > 0)) m.problems.push(`${name}: ${codeBytes ?? 'no'} bytes of machine code`);
  }
  const of = (name: EngineName) => m.engines.find((r) => r.engine === name && !r.error);
  const [jit, liftoff, turbofan] = [of('jit'), of('liftoff'), of('turbofan')];
  if (jit?.measurement?.codeBytes) {
    m.codeBytes = jit.measurement.codeBytes;
    m.codePerWasmByte = m.codeBytes / m.wasmBytes;
  }
  if (m.problems.length > 0 || !jit?.measurement || !liftoff?.measurement || !turbofan?.measurement) return;
  m.jitOverLiftoff = jit.measurement.compileMs / liftoff.measurement.compileMs;
  m.jitOverTurbofan = jit.measurement.compileMs / turbofan.measurement.compileMs;
  m.targets = {
    compileSpeed: m.jitOverLiftoff <= COMPILE_TARGETS.jitOverLiftoff,
    codeSize: m.codePerWasmByte! <= COMPILE_TARGETS.codePerWasmByte,
    memory: jit.rssGrowthKiB! <= liftoff.rssGrowthKiB!,
  };
}

export async function runCompileSpeed(options: CompileSpeedOptions): Promise<CompileSpeedResult> {
  const modules = options.modules ?? largestProgramModules();
  const result: CompileSpeedResult = { repetitions: options.repetitions, processes: options.processes, modules: [] };
  for (const module of modules) {
    const m: CompileModuleResult = { module: module.name, path: module.path, wasmBytes: module.bytes, engines: [], problems: [] };
    for (let p = 0; p < options.processes; p++) {
      for (const engine of ENGINES) {
        const job = { kind: 'compile', engine: engine.name, module: module.name, path: module.path, repetitions: options.repetitions } as const;
        const { command, reply } = await runWorker(engine, job, { v8Flags: V8_COMPILE_FLAGS });
        const r: CompileEngineResult =
          reply.ok && 'compile' in reply
            ? { engine: engine.name, command, measurement: reply.compile }
            : { engine: engine.name, command, error: reply.ok ? 'the worker sent no compile figures' : reply.error };
        keepFastestCompile(m.engines, r);
        const c = r.measurement;
        options.progress?.(
          `compile ${module.name} (${(module.bytes / 1e6).toFixed(2)} MB) on ${engine.label}, process ${p + 1} of ${options.processes}: ` +
            (c
              ? `${c.compileMs.toFixed(1)} ms (${mbPerS(module.bytes, c.compileMs).toFixed(1)} MB/s), RSS +${(c.rssGrowthKiB / 1024).toFixed(1)} MiB` +
                (c.codeBytes !== undefined ? `, ${c.codeBytes} bytes of code` : '')
              : `FAILED: ${r.error}`),
        );
      }
    }
    checkCompileModule(m);
    result.modules.push(m);
  }
  return result;
}

const ORDER: EngineName[] = ['jit', 'liftoff', 'turbofan'];

/** Columns padded to their widest cell; the first and the `text` ones left-aligned, numbers right-aligned. */
function align(rows: string[][], text: number[] = []): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 || text.includes(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

const ratio = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(2)}x`);

function missed(m: CompileModuleResult): string {
  if (!m.targets) return '-';
  const misses = [!m.targets.compileSpeed && 'speed', !m.targets.codeSize && 'code size', !m.targets.memory && 'memory'].filter(Boolean);
  return misses.length === 0 ? 'met' : `missed: ${misses.join(', ')}`;
}

export function formatCompileSpeed(c: CompileSpeedResult): string {
  const engine = (m: CompileModuleResult, e: EngineName) => m.engines.find((r) => r.engine === e && r.measurement);
  const figure = (m: CompileModuleResult, e: EngineName, f: (r: CompileEngineResult) => string | undefined): string => {
    const r = engine(m, e);
    return r ? (f(r) ?? '-') : 'FAIL';
  };
  const ms = (v: number) => v.toFixed(v < 100 ? 1 : 0);
  const mib = (kib: number | undefined) => (kib === undefined ? undefined : (kib / 1024).toFixed(1));
  const labels = ORDER.map((e) => label(e));
  const speedRows = c.modules.map((m) => [
    m.module,
    (m.wasmBytes / 1e6).toFixed(2),
    ...ORDER.map((e) => figure(m, e, (r) => ms(r.measurement!.compileMs))),
    ...ORDER.map((e) => figure(m, e, (r) => r.mbPerS?.toFixed(1))),
    ratio(m.jitOverLiftoff),
    ratio(m.jitOverTurbofan),
  ]);
  const sizeRows = c.modules.map((m) => [
    m.module,
    m.codeBytes === undefined ? '-' : (m.codeBytes / 1e6).toFixed(2),
    ratio(m.codePerWasmByte),
    ...ORDER.map((e) => figure(m, e, (r) => mib(r.rssGrowthKiB))),
    missed(m),
  ]);
  const sizeHeader = ['module', 'JIT code MB', 'code/wasm', ...labels.map((l) => `${l} RSS+`), 'targets'];
  const lines = [
    `compile speed: each of the largest modules of bench:programs compiled whole, wall time (V8 compiles on background threads too), ` +
      `best of ${c.repetitions} compile(s) in each of ${c.processes} process(es) the engines take turns in; MB = 10^6 bytes`,
    `  V8: new WebAssembly.Module, every function up front (--no-wasm-lazy-compilation; ${V8_COMPILE_FLAGS.join(' ')}: no compile reuses another's module); JIT: the addon's compile(bytes)`,
    ...align([['module', 'wasm MB', ...labels.map((l) => `${l} ms`), ...labels.map((l) => `${l} MB/s`), 'JIT/Liftoff', 'JIT/TurboFan'], ...speedRows]),
    '',
    `the JIT's machine code in MB and per wasm byte; RSS+: the resident memory a process gained over its first compile, the module alive, in MiB (the most of the engine's ${c.processes} process(es))`,
    ...align([sizeHeader, ...sizeRows], [sizeHeader.length - 1]),
    `the issue's targets: JIT/Liftoff ≤ ${COMPILE_TARGETS.jitOverLiftoff.toFixed(2)}x (at least ${1 / COMPILE_TARGETS.jitOverLiftoff}x faster), ` +
      `code/wasm ≤ ${COMPILE_TARGETS.codePerWasmByte}x, JIT RSS+ ≤ Liftoff RSS+`,
  ];
  const problems = c.modules.flatMap((m) => m.problems.map((p) => `${m.module}: ${p}`));
  if (problems.length > 0) lines.push('', 'FAILED:', ...problems.map((p) => `  compile speed: ${p}`));
  return lines.join('\n');
}

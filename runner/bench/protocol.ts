// What the benchmark sends a worker process (on its stdin, as JSON) and what it answers (the last
// line of its stdout, as JSON).
import type { EngineName } from './engines.js';

export interface KernelJob {
  kind?: 'kernel';
  engine: EngineName;
  kernel: string;
  /** The module's binary, base64. */
  wasm: string;
  arg: number;
  /** Timed runs after the one warm-up run; the best counts. */
  runs: number;
}

export interface Measurement {
  /** The checksum `run(arg)` returned, in decimal (i64 as a BigInt's digits). */
  checksum: string;
  compileMs: number;
  instantiateMs: number;
  warmupMs: number;
  /** Every timed run, in order. */
  runsMs: number[];
  /** The best (smallest) of runsMs. */
  runMs: number;
  /** For V8: the tier V8 reports `run` in after the runs. */
  tier?: 'liftoff' | 'turbofan' | 'other';
  /** The worker process's peak resident memory after the runs, KiB (process.resourceUsage().maxRSS); absent from older workers (--baseline). */
  peakRssKiB?: number;
}

/** The boundary section (boundary.ts): the calls' cost on one engine. */
export interface BoundaryJob {
  kind: 'boundary';
  engine: EngineName;
  /** The module of boundary.ts, base64. */
  wasm: string;
  runs: number;
  /** 10^5 calls per loop instead of 10^6–10^7. */
  quick: boolean;
}

/** The compile-speed section (compile-speed.ts): one module's whole-module compile on one engine. */
export interface CompileJob {
  kind: 'compile';
  engine: EngineName;
  /** The module's name in the report (its program's). */
  module: string;
  /** The .wasm file, read by the worker before it measures anything. */
  path: string;
  /** Compiles in the process, each of a fresh module; the best counts. */
  repetitions: number;
}

export type WorkerJob = KernelJob | BoundaryJob | CompileJob;

export interface BoundaryMeasurement {
  /** Per case (boundary.ts's BOUNDARY_CASES): ns per call, the best run's; wasmToJs is wasmToJsLoop − wasmToWasmLoop. */
  nsPerCall: Record<string, number>;
  /** Per loop: the calls per run. */
  calls: Record<string, number>;
  /** Per loop: every timed run, in ms. */
  runsMs: Record<string, number[]>;
  /** Whose code the calls reached, as the worker checked it. */
  identity: {
    engine: 'jit' | 'v8';
    /** For V8: the tier each export ended in. */
    tiers?: Record<string, 'liftoff' | 'turbofan' | 'other'>;
    /** One line: which namespace, which kind of exported function. */
    detail: string;
  };
}

export interface CompileMeasurement {
  /** The module's size in bytes, as the worker read it. */
  wasmBytes: number;
  /** Every compile's wall time, in order (the first in a process that had compiled nothing yet). */
  compilesMs: number[];
  /** The best (smallest) of compilesMs. */
  compileMs: number;
  /**
   * process.memoryUsage().rss after the first compile, the compiled module still alive, less the same
   * just before it (the bytes read, the JIT's addon loaded, a collection run), KiB.
   */
  rssGrowthKiB: number;
  /** The JIT's machine code for the module, bytes (the addon's codeBytes); absent for V8. */
  codeBytes?: number;
}

export type WorkerReply =
  | { ok: true; measurement: Measurement }
  | { ok: true; boundary: BoundaryMeasurement }
  | { ok: true; compile: CompileMeasurement }
  | { ok: false; error: string };

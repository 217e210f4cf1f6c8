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

export type WorkerJob = KernelJob | BoundaryJob;

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

export type WorkerReply = { ok: true; measurement: Measurement } | { ok: true; boundary: BoundaryMeasurement } | { ok: false; error: string };

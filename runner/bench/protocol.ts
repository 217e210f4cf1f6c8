// What the benchmark sends a worker process (on its stdin, as JSON) and what it answers (the last
// line of its stdout, as JSON).
import type { EngineName } from './engines.js';

export interface WorkerJob {
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
}

export type WorkerReply = { ok: true; measurement: Measurement } | { ok: false; error: string };

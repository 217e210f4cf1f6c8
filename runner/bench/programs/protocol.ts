// What the parent passes a child process (one JSON argument) and what the child answers (the last
// line of its stdout, as JSON).
import type { ProgramEngineName } from './engines.js';

export interface ChildJob {
  program: string;
  engine: ProgramEngineName;
  size: number;
  /** Timed runs after one warm-up run; the best counts. 0: the warm-up run is the only run and counts. */
  runs: number;
}

export interface TierCounts {
  liftoff: number;
  turbofan: number;
  other: number;
}

export interface ProgramMeasurement {
  /** sha256 of the workload's output, hex. */
  hash: string;
  outputBytes: number;
  /** Time in WebAssembly.compile/instantiate/… and new Module/Instance while the program loaded. */
  compileMs: number;
  /** Calls of each of those functions. */
  compileCalls: Record<string, number>;
  /** Loading the program in all: its glue, the compile time, its own set-up. */
  loadMs: number;
  /** The first run (which also pays for V8's JIT of the glue's JavaScript). */
  warmupMs: number;
  runsMs: number[];
  /** Best of runsMs (the warm-up run when there are no timed runs). */
  runMs: number;
  /** Whether globalThis.WebAssembly was V8's own (its Module a native function) when the child started:
   * false under the JIT's register hook. */
  v8Namespace: boolean;
  /** For V8: the tiers of the exported wasm functions after the runs (needs --allow-natives-syntax). */
  tiers?: TierCounts;
}

export type ChildReply = { ok: true; measurement: ProgramMeasurement } | { ok: false; error: string };

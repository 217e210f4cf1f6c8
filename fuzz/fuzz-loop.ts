// One fuzzing loop: the differential for a seed and a time budget, writing each case to a case
// file before running it (so that a crash of the whole process still leaves the case behind, and
// which engine was running it: the file's first byte) and counting the instructions the cases held.
// A worker process runs one loop per thread.
import { ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { createEngine } from '../engines/create-engine.js';
import { differential } from './differential.js';
import { instructionCount } from './fuzz-case.js';
import { nodes } from './gen/ast.js';
import { coverageKey } from './gen/opcode-of.js';
import { GenFeature, sharedGenFeatures } from './gen/features.js';
import { tallyNew } from './coverage-3.js';
import { Call } from './oracle.js';

export interface FuzzLoopArgs {
  seed: number;
  ms: number;
  /** the engines, the reference first */
  engines: string[];
  caseFile: string;
  /** the Wasm 3.0 features generated (default: those all engines have) */
  features?: GenFeature[];
}

export interface FuzzLoopResult {
  cases: number;
  calls: number;
  /**
   * instructions in the cases run: "numeric:<opcode key>", "simd:<opcode key>" or the node kind
   * (gen/opcode-of.ts coverageKey), and "3.0:<name>" for Wasm 3.0's (coverage-3.ts)
   */
  coverage: Record<string, number>;
  /** the Wasm 3.0 features generated */
  features: GenFeature[];
  finding?: { bytes: Uint8Array; calls: Call[]; what: string; seed: number; path: string; instructions: number; expectFrom: string };
}

/** What a fuzzing worker process is asked to do (on `threads` threads). */
export interface FuzzWorkerArgs {
  seed: number;
  ms: number;
  engines: string[];
  caseFile: string;
  threads: number;
  features?: GenFeature[];
}

/** Thread k's seed and case file (thread 0 is the process's main thread, with the worker's own). */
export function threadLoop(a: FuzzWorkerArgs, k: number): FuzzLoopArgs {
  return {
    seed: a.seed + 100_003 * k,
    ms: a.ms,
    engines: a.engines,
    caseFile: k === 0 ? a.caseFile : `${a.caseFile}-t${k}`,
    ...(a.features ? { features: a.features } : {}),
  };
}

/**
 * Test switch: the process kills itself with SIGSEGV at this case, as a crashing engine would: "N" while
 * the last engine runs case N, "N:NAME" while engine NAME does.
 */
export const CRASH_ENV = 'MITEY_FUZZ_CRASH_AT';

/** A case file: the index + 1 of the engine running the case (0: none), then the v8-serialized { bytes, calls }. */
export function readCaseFile(file: string, engines: readonly string[]): { bytes: Uint8Array; calls: Call[]; running?: string } | undefined {
  try {
    const data = readFileSync(file);
    if (data.length < 2) return undefined;
    const c = deserialize(data.subarray(1)) as { bytes: Uint8Array; calls: Call[] };
    return { bytes: c.bytes, calls: c.calls, ...(data[0] ? { running: engines[data[0] - 1] } : {}) };
  } catch {
    return undefined;
  }
}

export function fuzzLoop(a: FuzzLoopArgs, onProgress: (cases: number, calls: number) => void): FuzzLoopResult {
  const fd = openSync(a.caseFile, 'w');
  const [crashAt, crashIn] = (process.env[CRASH_ENV] ?? '0').split(':');
  const crashEngine = crashIn === undefined ? a.engines.length - 1 : a.engines.indexOf(crashIn);
  let n = 0;
  let calls = 0;
  let lastReport = performance.now();
  const coverage: Record<string, number> = {};
  const engines = a.engines.map((name) => createEngine(name));
  const features = a.features ?? sharedGenFeatures(...engines);
  const r = differential(engines, {
    seed: a.seed,
    ms: a.ms,
    gen: { features },
    onRun: (i) => {
      writeSync(fd, Uint8Array.of(i + 1), 0, 1, 0);
      if (n === Number(crashAt) && i === crashEngine) process.kill(process.pid, 'SIGSEGV');
    },
    onCase: (c) => {
      const bytes = Buffer.concat([Uint8Array.of(0), serialize({ bytes: c.bytes, calls: c.calls })]);
      ftruncateSync(fd, 0);
      writeSync(fd, bytes, 0, bytes.length, 0);
      n++;
      calls += c.calls.length;
      for (const f of c.module?.functions ?? []) {
        for (const e of nodes(f.body)) {
          const key = coverageKey(e);
          coverage[key] = (coverage[key] ?? 0) + 1;
        }
      }
      tallyNew(c.bytes, c.module, coverage);
      if (performance.now() - lastReport > 1000) {
        lastReport = performance.now();
        onProgress(n, calls);
      }
    },
  });
  const f = r.finding;
  return {
    coverage,
    features,
    cases: r.cases,
    calls: r.calls,
    finding: f && { bytes: f.case.bytes, calls: f.case.calls, what: f.what, seed: f.seed, path: f.path, instructions: instructionCount(f.case), expectFrom: f.expectFrom },
  };
}

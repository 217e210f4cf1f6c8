// One fuzzing loop: the differential for a seed and a time budget, writing each case to a case
// file before running it (so that a crash of the whole process still leaves the case behind) and
// counting the instructions the cases held. A worker process runs one loop per thread.
import { ftruncateSync, openSync, writeSync } from 'node:fs';
import { serialize } from 'node:v8';
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
  engine: string;
  reference: string;
  caseFile: string;
  /** the Wasm 3.0 features generated (default: those both engines have) */
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
  finding?: { bytes: Uint8Array; calls: Call[]; what: string; seed: number; path: string; instructions: number };
}

/** What a fuzzing worker process is asked to do (on `threads` threads). */
export interface FuzzWorkerArgs {
  seed: number;
  ms: number;
  engine: string;
  reference: string;
  caseFile: string;
  threads: number;
  features?: GenFeature[];
}

/** Thread k's seed and case file (thread 0 is the process's main thread, with the worker's own). */
export function threadLoop(a: FuzzWorkerArgs, k: number): FuzzLoopArgs {
  return {
    seed: a.seed + 100_003 * k,
    ms: a.ms,
    engine: a.engine,
    reference: a.reference,
    caseFile: k === 0 ? a.caseFile : `${a.caseFile}-t${k}`,
    ...(a.features ? { features: a.features } : {}),
  };
}

/** Test switch: the process kills itself with SIGSEGV at this case, as a crashing engine would. */
export const CRASH_ENV = 'MITEY_FUZZ_CRASH_AT';

export function fuzzLoop(a: FuzzLoopArgs, onProgress: (cases: number, calls: number) => void): FuzzLoopResult {
  const fd = openSync(a.caseFile, 'w');
  const crashAt = Number(process.env[CRASH_ENV] ?? 0);
  let n = 0;
  let calls = 0;
  let lastReport = performance.now();
  const coverage: Record<string, number> = {};
  const reference = createEngine(a.reference);
  const engine = createEngine(a.engine);
  const features = a.features ?? sharedGenFeatures(reference, engine);
  const r = differential(reference, engine, {
    seed: a.seed,
    ms: a.ms,
    gen: { features },
    onCase: (c) => {
      const bytes = serialize({ bytes: c.bytes, calls: c.calls });
      ftruncateSync(fd, 0);
      writeSync(fd, bytes, 0, bytes.length, 0);
      if (++n === crashAt) process.kill(process.pid, 'SIGSEGV');
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
    finding: f && { bytes: f.case.bytes, calls: f.case.calls, what: f.what, seed: f.seed, path: f.path, instructions: instructionCount(f.case) },
  };
}

// A fuzzing worker process: runs the differential for its seed and time, writing each case to its
// case file before running it, so that if the engine crashes the process the runner still has the case.
import { ftruncateSync, openSync, writeSync } from 'node:fs';
import { serialize } from 'node:v8';
import { createEngine } from '../runner/engines/create-engine.js';
import { differential } from './differential.js';
import { instructionCount } from './fuzz-case.js';
import { nodes } from './gen/ast.js';
import { coverageKey } from './gen/opcode-of.js';
import { Call } from './oracle.js';

export interface FuzzWorkerResult {
  type: 'result';
  cases: number;
  calls: number;
  coverage: Record<string, number>; // instructions in the cases run: "numeric:<opcode key>", "simd:<opcode key>" or the node kind (gen/opcode-of.ts coverageKey)
  finding?: { bytes: Uint8Array; calls: Call[]; what: string; seed: number; path: string; instructions: number };
}

export type FuzzWorkerProgress = { type: 'progress'; cases: number; calls: number };

export interface FuzzWorkerArgs {
  seed: number;
  ms: number;
  engine: string;
  reference: string;
  caseFile: string;
}

/** Test switch: the worker kills itself with SIGSEGV at this case, as a crashing engine would. */
export const CRASH_ENV = 'MITEY_FUZZ_CRASH_AT';

function main(): void {
  const a = JSON.parse(process.argv[2]) as FuzzWorkerArgs;
  const fd = openSync(a.caseFile, 'w');
  const crashAt = Number(process.env[CRASH_ENV] ?? 0);
  let n = 0;
  let calls = 0;
  let lastReport = performance.now();
  const coverage: Record<string, number> = {};
  const r = differential(createEngine(a.reference), createEngine(a.engine), {
    seed: a.seed,
    ms: a.ms,
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
      if (performance.now() - lastReport > 1000) {
        lastReport = performance.now();
        process.send!({ type: 'progress', cases: n, calls } satisfies FuzzWorkerProgress);
      }
    },
  });
  const f = r.finding;
  const message: FuzzWorkerResult = {
    type: 'result',
    coverage,
    cases: r.cases,
    calls: r.calls,
    finding: f && { bytes: f.case.bytes, calls: f.case.calls, what: f.what, seed: f.seed, path: f.path, instructions: instructionCount(f.case) },
  };
  process.send!(message, () => process.exit(0));
}

main();

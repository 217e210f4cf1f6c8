// A fuzzing worker process: runs the differential for its seed and time on `threads` threads at
// once (its main thread and worker threads, each with a seed and a case file of its own), and
// reports the sum. If the engine crashes the process, every thread's case file holds its last case.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fuzzLoop, FuzzLoopArgs, FuzzLoopResult, FuzzWorkerArgs, threadLoop } from './fuzz-loop.js';

export { CRASH_ENV } from './fuzz-loop.js';

export interface FuzzWorkerResult extends FuzzLoopResult {
  type: 'result';
}

export type FuzzWorkerProgress = { type: 'progress'; cases: number; calls: number };

export type { FuzzWorkerArgs } from './fuzz-loop.js';

const THREAD = join(fileURLToPath(new URL('.', import.meta.url)), 'fuzz-thread.js');

function runThread(args: FuzzLoopArgs, onProgress: (cases: number, calls: number) => void): Promise<FuzzLoopResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(THREAD, { workerData: args });
    w.on('message', (m: FuzzWorkerProgress | FuzzWorkerResult) => (m.type === 'progress' ? onProgress(m.cases, m.calls) : resolve(m)));
    w.on('error', reject);
  });
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2]) as FuzzWorkerArgs;
  const progress = Array.from({ length: a.threads }, () => ({ cases: 0, calls: 0 }));
  const report = (k: number) => (cases: number, calls: number) => {
    progress[k] = { cases, calls };
    const sum = progress.reduce((s, p) => ({ cases: s.cases + p.cases, calls: s.calls + p.calls }), { cases: 0, calls: 0 });
    process.send!({ type: 'progress', ...sum } satisfies FuzzWorkerProgress);
  };
  const others = Array.from({ length: a.threads - 1 }, (_, i) => runThread(threadLoop(a, i + 1), report(i + 1)));
  // The main thread's loop is synchronous: the other threads' progress arrives after it.
  const mine = fuzzLoop(threadLoop(a, 0), report(0));
  const results = [mine, ...(await Promise.all(others))];
  const coverage: Record<string, number> = {};
  for (const r of results) for (const [k, n] of Object.entries(r.coverage)) coverage[k] = (coverage[k] ?? 0) + n;
  const message: FuzzWorkerResult = {
    type: 'result',
    coverage,
    features: mine.features,
    cases: results.reduce((n, r) => n + r.cases, 0),
    calls: results.reduce((n, r) => n + r.calls, 0),
    finding: results.find((r) => r.finding)?.finding,
  };
  process.send!(message, () => process.exit(0));
}

void main();

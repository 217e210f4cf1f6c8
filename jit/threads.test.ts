// The JIT on several threads at once: four Workers (and the main thread) instantiate, fault out of
// bounds, trap, exhaust their stacks and throw through JIT frames thousands of times each.
import { beforeAll, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Assembler } from '../wast/assembler.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { runStress, STRESS_MODULE, StressReport } from './thread-stress.js';

let bytes: Uint8Array;
beforeAll(async () => {
  bytes = (await Assembler.load()).assemble(STRESS_MODULE);
});

function runWorker(iterations: number, tag: number): Promise<StressReport> {
  // The compiled worker (npm test builds dist/ first): a Worker cannot load TypeScript.
  const worker = new Worker(join(PACKAGE_ROOT, 'dist', 'jit', 'thread-stress-worker.js'), { workerData: { bytes, iterations, tag } });
  return new Promise((resolve, reject) => {
    let report: StressReport | undefined;
    worker.on('message', (r: StressReport) => (report = r));
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 && report ? resolve(report) : reject(new Error(`worker ${tag} exited with ${code}`))));
  });
}

test('four Workers and the main thread use the JIT at once: every result, trap and exception is their own', async () => {
  const iterations = 2000;
  const workers = [1, 2, 3, 4].map((tag) => runWorker(iterations, tag));
  const main = runStress(bytes, 200, 0); // the main thread too, while the Workers run
  const reports = await Promise.all(workers);
  expect(main.problems).toEqual([]);
  for (const r of reports) {
    expect(r.problems).toEqual([]);
    expect(r.iterations).toBe(iterations);
  }
});

test('Workers that end while others run leave the JIT usable (their thread state goes with them)', async () => {
  for (let round = 0; round < 3; round++) {
    const reports = await Promise.all([runWorker(50, 10 + round), runWorker(50, 20 + round)]);
    for (const r of reports) expect(r.problems).toEqual([]);
  }
  expect(runStress(bytes, 20, 30).problems).toEqual([]);
});

// A fuzzing loop on a worker thread of a fuzzing process: the JIT is used by several threads at
// once, as engines embedding it in Workers do, while the oracle checks every case.
import { parentPort, workerData } from 'node:worker_threads';
import { fuzzLoop, FuzzLoopArgs } from './fuzz-loop.js';

const args = workerData as FuzzLoopArgs;
const result = fuzzLoop(args, (cases, calls) => parentPort!.postMessage({ type: 'progress', cases, calls }));
parentPort!.postMessage({ type: 'result', ...result });

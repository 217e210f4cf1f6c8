// A Worker's side of jit/atomics.test.ts: instantiates the module with the shared memory the main thread
// posted (as its SharedArrayBuffer), makes the calls in order and posts their results.
import { parentPort, workerData } from 'node:worker_threads';
import { JitInstance, JitMemory, JitModule } from './api.js';

export interface AtomicsWorkerData {
  /** A module importing the memory as env.mem. */
  bytes: Uint8Array;
  buffer: SharedArrayBuffer;
  calls: [name: string, args: (number | bigint)[]][];
}

const { bytes, buffer, calls } = workerData as AtomicsWorkerData;
const instance = new JitInstance(new JitModule(bytes), { env: { mem: JitMemory.fromSharedBuffer(buffer) } });
const exports = instance.exports as Record<string, (...args: unknown[]) => unknown>;
parentPort!.postMessage(calls.map(([name, args]) => exports[name](...args)));

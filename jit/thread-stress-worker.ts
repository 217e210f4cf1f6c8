// A Worker's side of the thread stress test: runs the workload and posts the report.
import { parentPort, workerData } from 'node:worker_threads';
import { runStress } from './thread-stress.js';

const { bytes, iterations, tag } = workerData as { bytes: Uint8Array; iterations: number; tag: number };
parentPort!.postMessage(runStress(bytes, iterations, tag));

// Messages between the runner and its worker processes.
import { RunOptions } from '../../wast/interpreter.js';
import { FileResult } from '../../wast/results.js';

/** What a worker needs to start: the engine it runs every file on, and how. */
export interface WorkerConfig {
  engine: string;
  cacheDir?: string; // assembled modules, by content hash
  options: Pick<RunOptions, 'strictMessages' | 'line'> & { select?: string[] };
}

export type ToWorker = { type: 'run'; file: string };
/** argv of a worker: its config, and the path of its progress file. */
export type FromWorker = { type: 'ready' } | { type: 'result'; result: FileResult };

/**
 * Before each directive the worker writes "line directive" over the start of its progress file,
 * synchronously (it must be there if the next instruction crashes); the runner reads it only when
 * the worker died or hung. A file rather than a pipe: no wake-up of the runner per directive.
 */
export const PROGRESS_BYTES = 64;

/** Test switch: MITEY_FAULTS="<file substring>@<line>=segv|abort|hang,…" makes a worker fail there. */
export const FAULTS_ENV = 'MITEY_FAULTS';

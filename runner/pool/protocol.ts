// Messages between the runner and its worker processes.
import { RunOptions } from '../../wast/interpreter.js';
import { FileResult } from '../../wast/results.js';

/** What a worker needs to start: the engine it runs every file on, and how. */
export interface WorkerConfig {
  engine: string;
  /** The V8 flags on the worker's command line (its engine line names them). */
  v8Flags?: string[];
  cacheDir?: string; // assembled modules, by content hash
  options: Pick<RunOptions, 'strictMessages' | 'line'> & { select?: string[] };
}

/** The engine a worker runs, as the results name it: it may run on another Node than the runner's. */
export interface EngineIdentity {
  name: string;
  version: string;
  features: string[];
  /** Whose words its messages are in (wast/engine.ts). */
  dialect?: string;
}

export type ToWorker = { type: 'run'; file: string };
/** argv of a worker: its config. */
export type FromWorker = { type: 'ready'; engine: EngineIdentity } | { type: 'result'; result: FileResult };

/** The descriptor of the worker's progress file (progress-file.ts), after stdin, stdout, stderr and the IPC channel. */
export const PROGRESS_FD = 4;

/** A worker's exit status when its engine's driver died (the reason is in its progress file). */
export const DRIVER_DIED_EXIT = 75;

/** Test switch: MITEY_FAULTS="<file substring>@<line>=segv|abort|hang,…" makes a worker fail there. */
export const FAULTS_ENV = 'MITEY_FAULTS';

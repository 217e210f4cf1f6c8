// The versioned JSON document of a run (documented in README.md, "Results JSON").
import { Counts, FileResult, MessageCounts, Tally } from '../wast/results.js';
import type { SuiteIdentity } from './suite-identity.js';

export interface RunResult {
  schema: 'mitey-results';
  version: 1;
  engine: { name: string; version: string; features: string[] };
  /** The suite the run was given (absent in files written before it was recorded). */
  suite?: SuiteIdentity;
  startedAt: string;
  durationMs: number;
  totals: Counts & {
    byDirective: Tally['byDirective'];
    byFeature: Tally['byFeature'];
    commandFailures: number;
    filesNotOk: number;
    messages: MessageCounts;
  };
  files: FileResult[];
}

/** A run fails on any failed assertion or command, or any file that did not run to the end. */
export function runFailed(r: RunResult): boolean {
  return r.totals.failed > 0 || r.totals.commandFailures > 0 || r.totals.filesNotOk > 0;
}

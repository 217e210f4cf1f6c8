// The versioned JSON document of a run (documented in README.md, "Results JSON").
import { addTally, Counts, emptyTally, FileResult, MessageCounts, Tally } from '../wast/results.js';
import type { SuiteIdentity } from './suite-identity.js';

export interface RunResult {
  schema: 'mitey-results';
  version: 1;
  /** `dialect`: whose words its error messages use ("spec", "v8", "spidermonkey", "jsc"); absent in older files. */
  engine: { name: string; version: string; features: string[]; dialect?: string };
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

/** The document of a run whose files are done (in the order given), their totals summed. */
export function runResultOf(engine: RunResult['engine'], startedAt: string, started: number, files: FileResult[]): RunResult {
  const totals = emptyTally();
  for (const r of files) addTally(totals, r);
  return {
    schema: 'mitey-results',
    version: 1,
    engine,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    totals: {
      ...totals.counts,
      byDirective: totals.byDirective,
      byFeature: totals.byFeature,
      commandFailures: totals.commandFailures,
      filesNotOk: files.filter((r) => r.status !== 'ok').length,
      messages: totals.messages,
    },
    files,
  };
}

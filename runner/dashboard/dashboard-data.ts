// What the dashboard page shows, computed from result files (see aggregate.ts) and embedded in the page.
import { Counts, Outcome } from '../../wast/results.js';

export interface EngineSummary {
  engine: string; // name, e.g. "v8", "jit", "cmd:node driver.js"
  version: string;
  dialect?: string; // whose words its error messages use: "spec", "v8", "spidermonkey", "jsc"…
  features: string[]; // the features the engine claims; the others' assertions are unsupported, not failures
  startedAt: string;
  durationMs: number;
  counts: Counts; // assertions per outcome
  commandFailures: number;
  files: { total: number; ok: number; crashed: number; timeout: number; error: number };
}

/** A cell of the feature matrix: the assertions needing a feature, on one engine. */
export interface FeatureCell {
  passed: number;
  failed: number;
  unsupported: number; // not run (the engine lacks a feature they need): neither passed nor failed
  total: number;
}

export interface FeatureRow {
  feature: string;
  tier: '2.0' | '3.0' | 'proposal' | 'mvp';
  cells: Record<string, FeatureCell | undefined>; // by engine
}

export interface FileRow {
  file: string; // the key: path within the suite
  cells: Record<string, { status: string; counts: Counts; failures: number } | undefined>; // by engine
}

/** One non-pass, for the drill-down. */
export interface Failure {
  engine: string;
  file: string;
  line: number;
  col: number;
  directive: string;
  outcome: Outcome;
  detail?: string;
  source?: string;
  expected?: string;
  actual?: string;
  expectedMessage?: string;
  actualMessage?: string;
  rerun: string; // the one command that reruns just this directive
}

export interface HistoryPoint {
  startedAt: string;
  passed: number;
  total: number;
}

export interface RunDiff {
  engine: string;
  from: string; // startedAt of the older run
  to: string;
  // "file:line:col", at most DIFF_KEEP of each (the page embeds them); the totals count them all
  newlyFailing: string[]; // failed now and not before, or passed before and not now (whatever it is now)
  newlyPassing: string[]; // passed now, not before (failed, unsupported, blocked…)
  newlyFailingTotal: number;
  newlyPassingTotal: number;
  added: string[]; // files
  removed: string[];
}

/** An engine the run was to include that is not installed here: shown with how to install it, never as failing. */
export interface AbsentEngine {
  engine: string;
  install: string; // the command that installs it, e.g. "apt-get install libjavascriptcoregtk-4.0-bin"
}

/**
 * What one engine made of an assertion another engine disagrees on. 'unreached': the file stopped (crashed,
 * timed out) before it. Failures carry the values; `rerun` reruns the assertion on that engine.
 */
export interface EngineSide {
  outcome: Outcome | 'unreached';
  detail?: string;
  expected?: string;
  actual?: string;
  actualMessage?: string;
  rerun: string;
}

/**
 * An assertion the engines disagree on, among those that ran it and support what it needs (passed or failed):
 * - 'odd-one-out': one engine fails it, every other passes it (`odd` names it);
 * - 'values': two or more fail it, not all with the same actual value or failure;
 * - 'split': some pass it, two or more fail it the same way (two engines sharing a bug, e.g. V8 twice).
 */
export interface Disagreement {
  file: string;
  line: number;
  col: number;
  directive: string;
  kind: 'odd-one-out' | 'values' | 'split';
  odd?: string;
  expected?: string; // what the script expects, as a failing engine reported it
  source?: string;
  engines: Record<string, EngineSide | undefined>; // by engine; none: the engine did not run the file
}

export interface Disagreements {
  compared: string[]; // the engines compared (all the current runs)
  list: Disagreement[]; // in suite order, at most DISAGREEMENTS_KEEP (the page embeds them)
  total: number; // all of them
  byKind: Record<Disagreement['kind'], number>;
  onlyFails: Record<string, number>; // per engine: odd-one-out assertions it is the odd one of
  /**
   * Per engine: assertions another engine passed or failed that this one did not run (unsupported, blocked,
   * unreached). The engine lacks something there; these are not disagreements.
   */
  setAside: Record<string, number>;
}

export interface DashboardData {
  generatedAt: string;
  suite: string;
  engines: EngineSummary[];
  features: FeatureRow[];
  files: FileRow[];
  failures: Failure[]; // every non-pass that is a failure or a file error, plus (capped) the other non-passes
  history: Record<string, HistoryPoint[]>; // by engine, oldest first, the current run last
  diffs: RunDiff[]; // per engine: the two latest runs
  disagreements: Disagreements;
  absent: AbsentEngine[]; // engines not installed here: not run, not failing
}

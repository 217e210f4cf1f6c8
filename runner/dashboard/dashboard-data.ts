// What the dashboard page shows, computed from result files (see aggregate.ts) and embedded in the page.
import { Counts, Outcome } from '../../wast/results.js';

export interface EngineSummary {
  engine: string; // name, e.g. "v8", "jit"
  version: string;
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

export interface DashboardData {
  generatedAt: string;
  suite: string;
  engines: EngineSummary[];
  features: FeatureRow[];
  files: FileRow[];
  failures: Failure[]; // every non-pass that is a failure or a file error, plus (capped) the other non-passes
  history: Record<string, HistoryPoint[]>; // by engine, oldest first, the current run last
  diffs: RunDiff[]; // per engine: the two latest runs
}

// Turns result files (the current runs, one per engine, and earlier ones) into the dashboard's data.
import { emptyCounts, FileResult } from '../../wast/results.js';
import { featureTier, sortFeatures } from '../../core/features.js';
import { RunResult } from '../run-result.js';
import { sameSuite } from '../suite-identity.js';
import { AbsentEngine, DashboardData, EngineSummary, Failure, FeatureRow, FileRow, HistoryPoint, RunDiff } from './dashboard-data.js';
import { findDisagreements } from './disagreements.js';
import { keyer } from './file-keys.js';
import { defaultRerun, fileRerun } from './rerun-command.js';

function summary(run: RunResult): EngineSummary {
  const count = (s: FileResult['status']) => run.files.filter((f) => f.status === s).length;
  const { byDirective: _d, byFeature: _f, commandFailures, filesNotOk: _n, messages: _m, ...counts } = run.totals;
  return {
    engine: run.engine.name,
    version: run.engine.version,
    ...(run.engine.dialect !== undefined && { dialect: run.engine.dialect }),
    features: run.engine.features ?? [],
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    counts: { ...emptyCounts(), ...counts },
    commandFailures,
    files: { total: run.files.length, ok: count('ok'), crashed: count('crashed'), timeout: count('timeout'), error: count('error') },
  };
}

/** How many keys of each list a diff keeps: the page embeds them, and a release can flip thousands. */
export const DIFF_KEEP = 500;

/**
 * "file:line:col" of every failed and every other non-passing assertion of a run, and its files, for
 * diffs. (A results file lists every directive that did not pass; passes only sometimes.)
 */
function outcomeKeys(run: RunResult): { failed: Set<string>; notPassed: Set<string>; files: Set<string> } {
  const key = keyer(run);
  const failed = new Set<string>();
  const notPassed = new Set<string>();
  for (const f of run.files) {
    for (const d of f.results) {
      if (!d.assertion || d.outcome === 'passed') continue;
      notPassed.add(`${key(f.file)}:${d.line}:${d.col}`);
      if (d.outcome === 'failed') failed.add(`${key(f.file)}:${d.line}:${d.col}`);
    }
  }
  return { failed, notPassed, files: new Set(run.files.map((f) => key(f.file))) };
}

export function diffRuns(older: RunResult, newer: RunResult): RunDiff {
  const a = outcomeKeys(older);
  const b = outcomeKeys(newer);
  const fileOf = (k: string) => k.replace(/:\d+:\d+$/, '');
  // Only files both runs had: a new file's results show as "added", a gone file's as "removed".
  const inBoth = (k: string) => a.files.has(fileOf(k)) && b.files.has(fileOf(k));
  const failing = new Set([...b.failed].filter((k) => !a.failed.has(k)));
  for (const k of b.notPassed) if (!a.notPassed.has(k)) failing.add(k);  // passed before
  const newlyFailing = [...failing].filter(inBoth).sort();
  const newlyPassing = [...a.notPassed].filter((k) => !b.notPassed.has(k) && inBoth(k)).sort();
  return {
    engine: newer.engine.name,
    from: older.startedAt,
    to: newer.startedAt,
    newlyFailing: newlyFailing.slice(0, DIFF_KEEP),
    newlyPassing: newlyPassing.slice(0, DIFF_KEEP),
    newlyFailingTotal: newlyFailing.length,
    newlyPassingTotal: newlyPassing.length,
    added: [...b.files].filter((f) => !a.files.has(f)).sort(),
    removed: [...a.files].filter((f) => !b.files.has(f)).sort(),
  };
}

export interface AggregateOptions {
  suite: string;
  /** How a user reruns one directive; gets the run's file path, line and engine. */
  rerun?: (file: string, line: number, engine: string) => string;
  /** Engines that were to run but are not installed here: listed with how to install them, never as failing. */
  absent?: AbsentEngine[];
}

/** `runs`: the current run of each engine; `history`: earlier runs, any engines, any order. */
export function aggregate(runs: RunResult[], history: RunResult[], options: AggregateOptions): DashboardData {
  const rerun = options.rerun ?? defaultRerun;
  const engines = runs.map(summary);

  const featureNames = sortFeatures(new Set(runs.flatMap((r) => Object.keys(r.totals.byFeature ?? {}))));
  const features: FeatureRow[] = featureNames.map((feature) => ({
    feature,
    tier: feature === 'mvp' ? 'mvp' : (featureTier(feature) ?? 'proposal'),
    cells: Object.fromEntries(runs.map((r) => {
      const c = r.totals.byFeature?.[feature];
      return [r.engine.name, c && { passed: c.passed, failed: c.failed, unsupported: c.unsupported ?? 0, total: c.total }];
    })),
  }));

  const rows = new Map<string, FileRow>();
  const failures: Failure[] = [];
  for (const r of runs) {
    const key = keyer(r);
    for (const f of r.files) {
      const k = key(f.file);
      const row = rows.get(k) ?? { file: k, cells: {} };
      const failed = f.results.filter((d) => d.outcome === 'failed');
      row.cells[r.engine.name] = { status: f.status, counts: f.counts, failures: failed.length + (f.status === 'ok' ? 0 : 1) };
      rows.set(k, row);
      if (f.status !== 'ok') {
        failures.push({ engine: r.engine.name, file: k, line: 0, col: 0, directive: 'file', outcome: 'failed', detail: `${f.status}: ${f.error ?? ''}`, rerun: fileRerun(f.file, r.engine.name) });
      }
      for (const d of failed) {
        failures.push({
          engine: r.engine.name, file: k, line: d.line, col: d.col, directive: d.directive, outcome: d.outcome,
          detail: d.detail, source: d.source, expected: d.expected, actual: d.actual,
          expectedMessage: d.expectedMessage, actualMessage: d.actualMessage,
          rerun: rerun(f.file, d.line, r.engine.name),
        });
      }
    }
  }

  const all = [...history, ...runs];
  const historyByEngine: Record<string, HistoryPoint[]> = {};
  const diffs: RunDiff[] = [];
  for (const r of runs) {
    // Runs of another suite are never its history, whatever folder they were kept in.
    const mine = all.filter((h) => h.engine.name === r.engine.name && sameSuite(h, r)).sort((x, y) => x.startedAt.localeCompare(y.startedAt));
    const unique = mine.filter((h, i) => i === 0 || h.startedAt !== mine[i - 1].startedAt);
    historyByEngine[r.engine.name] = unique.map((h) => ({ startedAt: h.startedAt, passed: h.totals.passed, total: h.totals.total }));
    const previous = unique.filter((h) => h.startedAt < r.startedAt).pop();
    if (previous) diffs.push(diffRuns(previous, r));
  }

  return {
    generatedAt: new Date().toISOString(),
    suite: options.suite,
    engines,
    features,
    files: [...rows.values()].sort((a, b) => a.file.localeCompare(b.file)),
    failures,
    history: historyByEngine,
    diffs,
    disagreements: findDisagreements(runs, rerun),
    // An engine that did run is not absent, whatever the caller thought.
    absent: (options.absent ?? []).filter((a) => !runs.some((r) => r.engine.name === a.engine)),
  };
}

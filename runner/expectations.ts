// Expectations: a committed record of every non-pass per file, so that a run fails only on
// change — a regression (a pass that now fails) or an unexpected pass (asks for --update-expect).
import { readFileSync, writeFileSync } from 'node:fs';
import { FileResult, FileStatus, Outcome } from '../wast/results.js';
import { RunResult } from './run-result.js';

export interface FileExpectation {
  status: FileStatus;
  total: number; // assertions
  nonPasses: Record<string, Outcome>; // "line:col" of each assertion that did not pass
}

/** On disk, positions are grouped by outcome ("12:1 40:3 …"): the files stay small. */
interface StoredFile {
  status: FileStatus;
  total: number;
  nonPasses: Partial<Record<Outcome, string>>;
}

export interface Expectations {
  schema: 'mitey-expectations';
  version: 1;
  engine: string;
  files: Record<string, FileExpectation>; // by the file's key (its path within the suite folder)
}

export type ChangeKind = 'regression' | 'unexpected-pass' | 'changed' | 'new-file' | 'missing-file' | 'status' | 'count';

export interface Change {
  kind: ChangeKind;
  file: string;
  at?: string; // line:col
  expected?: string;
  actual?: string;
}

function expectationOf(f: FileResult): FileExpectation {
  const nonPasses: Record<string, Outcome> = {};
  for (const d of f.results) if (d.assertion && d.outcome !== 'passed') nonPasses[`${d.line}:${d.col}`] = d.outcome;
  return { status: f.status, total: f.counts.total, nonPasses };
}

export function expectationsOf(run: RunResult, keyOf: (file: string) => string): Expectations {
  const files: Record<string, FileExpectation> = {};
  for (const f of run.files) files[keyOf(f.file)] = expectationOf(f);
  return { schema: 'mitey-expectations', version: 1, engine: run.engine.name, files };
}

/** Reads an expectations file; what is wrong with it (missing, unreadable, not one) is said in plain words. */
export function readExpectations(path: string): Expectations {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`expectations file ${path}: no such file (--update-expect writes it)`);
    throw new Error(`expectations file ${path}: cannot be read (${code ?? (err as Error).message})`);
  }
  let stored: Omit<Expectations, 'files'> & { files: Record<string, StoredFile> };
  try {
    stored = JSON.parse(text);
  } catch (err) {
    throw new Error(`expectations file ${path}: not JSON (${(err as Error).message})`);
  }
  if (stored?.schema !== 'mitey-expectations' || stored.version !== 1 || typeof stored.files !== 'object' || stored.files === null) {
    throw new Error(`${path}: not a mitey expectations file (version 1)`);
  }
  const files: Record<string, FileExpectation> = {};
  for (const [key, f] of Object.entries(stored.files)) {
    const nonPasses: Record<string, Outcome> = {};
    for (const [outcome, positions] of Object.entries(f.nonPasses)) {
      for (const at of positions!.split(' ').filter(Boolean)) nonPasses[at] = outcome as Outcome;
    }
    files[key] = { status: f.status, total: f.total, nonPasses };
  }
  return { ...stored, files };
}

export function writeExpectations(path: string, e: Expectations): void {
  const files: Record<string, StoredFile> = {};
  for (const [key, f] of Object.entries(e.files).sort(([a], [b]) => a.localeCompare(b))) {
    const grouped: Partial<Record<Outcome, string[]>> = {};
    for (const [at, outcome] of Object.entries(f.nonPasses)) (grouped[outcome] ??= []).push(at);
    files[key] = { status: f.status, total: f.total, nonPasses: Object.fromEntries(Object.entries(grouped).map(([o, ats]) => [o, ats!.join(' ')])) };
  }
  writeFileSync(path, JSON.stringify({ ...e, files }, null, 1) + '\n');
}

/**
 * Every difference between what was expected and what happened, file by file. `selected`: the keys of the
 * files the run was to run (--filter, --shard); an expected file outside them is not missing.
 */
export function compareExpectations(expected: Expectations, run: RunResult, keyOf: (file: string) => string, selected?: ReadonlySet<string>): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  for (const f of run.files) {
    const key = keyOf(f.file);
    seen.add(key);
    const want = expected.files[key];
    const got = expectationOf(f);
    if (!want) {
      changes.push({ kind: 'new-file', file: key });
      continue;
    }
    if (want.status !== got.status) changes.push({ kind: 'status', file: key, expected: want.status, actual: got.status });
    if (want.total !== got.total) changes.push({ kind: 'count', file: key, expected: String(want.total), actual: String(got.total) });
    for (const [at, outcome] of Object.entries(got.nonPasses)) {
      const was = want.nonPasses[at];
      if (was === undefined) changes.push({ kind: 'regression', file: key, at, expected: 'passed', actual: outcome });
      else if (was !== outcome) changes.push({ kind: 'changed', file: key, at, expected: was, actual: outcome });
    }
    if (got.status === want.status) {
      for (const [at, outcome] of Object.entries(want.nonPasses)) {
        if (!(at in got.nonPasses)) changes.push({ kind: 'unexpected-pass', file: key, at, expected: outcome, actual: 'passed' });
      }
    }
  }
  for (const key of Object.keys(expected.files)) if (!seen.has(key) && (!selected || selected.has(key))) changes.push({ kind: 'missing-file', file: key });
  return changes;
}

/** The expectations after a run of some of the files: those that ran replaced, every other file's kept as it was. */
export function mergeExpectations(before: Expectations, run: Expectations): Expectations {
  return { ...run, files: { ...before.files, ...run.files } };
}

export function describeChange(c: Change): string {
  const where = c.at ? `${c.file}:${c.at}` : c.file;
  switch (c.kind) {
    case 'regression': return `regression      ${where}: passed before, now ${c.actual}`;
    case 'unexpected-pass': return `unexpected pass ${where}: expected ${c.expected}, now passes (run with --update-expect)`;
    case 'changed': return `changed         ${where}: expected ${c.expected}, now ${c.actual}`;
    case 'new-file': return `new file        ${where} (run with --update-expect)`;
    case 'missing-file': return `missing file    ${where}: expected, not run`;
    case 'status': return `file status     ${where}: expected ${c.expected}, now ${c.actual}`;
    case 'count': return `assertions      ${where}: expected ${c.expected}, now ${c.actual} (run with --update-expect)`;
  }
}

// Which suite a run is of. Two suites can share a folder name (every clone of the official one is called
// `testsuite`), so a suite is known by the absolute paths it was run from: its results folder is its name and a
// short hash of those paths, its results files record them, and the dashboard compares only runs of one suite.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { RunResult } from './run-result.js';

export interface SuiteIdentity {
  name: string; // for people: the first path's last folder (or file) name, e.g. "testsuite"
  paths: string[]; // absolute, symbolic links resolved, sorted: the folders, files or globs the run was given
  id: string; // 8 hex digits of the SHA-256 of the paths
}

const isGlob = (part: string) => /[*?]/.test(part);

/** The path from the root, symbolic links resolved in the part before any glob (the part that exists). */
function absolutePath(path: string): string {
  const parts = resolve(path).split('/');
  const firstGlob = parts.findIndex(isGlob);
  const fixed = parts.slice(0, firstGlob < 0 ? parts.length : firstGlob).join('/') || '/';
  let real = fixed;
  try {
    real = realpathSync(fixed);
  } catch {
    // a path that does not exist is reported by discovery; here it is named as given
  }
  return firstGlob < 0 ? real : [real.replace(/\/$/, ''), ...parts.slice(firstGlob)].join('/');
}

/** A name that is safe and readable as a folder name. */
function readableName(path: string): string {
  const parts = path.split('/');
  const firstGlob = parts.findIndex(isGlob);
  const last = basename(parts.slice(0, firstGlob < 0 ? parts.length : firstGlob).join('/')).replace(/\.wast$/, '');
  return last.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '') || 'suite';
}

export function suiteIdentity(paths: string[]): SuiteIdentity {
  const absolute = [...new Set(paths.map(absolutePath))].sort();
  const id = createHash('sha256').update(absolute.join('\n')).digest('hex').slice(0, 8);
  return { name: readableName(paths.length > 0 ? absolutePath(paths[0]) : ''), paths: absolute, id };
}

/** The folder under results/ that `mitey conformance` keeps a suite's results and history in, e.g. "testsuite-1a2b3c4d". */
export function resultsFolderName(suite: SuiteIdentity): string {
  return `${suite.name}-${suite.id}`;
}

/**
 * Whether two runs are of the same suite. Results files written before suites were recorded have none: they
 * compare equal only to each other, never to a run that knows its suite.
 */
export function sameSuite(a: RunResult, b: RunResult): boolean {
  return a.suite?.id === b.suite?.id;
}

/** The run with its suite recorded, placed after the engine so that it reads near the top of the file. */
export function withSuite(run: RunResult, suite: SuiteIdentity): RunResult {
  const { schema, version, engine, ...rest } = run;
  return { schema, version, engine, suite, ...rest };
}

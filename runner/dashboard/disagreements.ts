// Where the engines disagree: the assertions that one engine fails while the others pass them, or that engines
// fail in different ways. Only engines that ran an assertion and support what it needs (it passed or failed
// there) are compared: an engine that lacks a feature (unsupported), could not make the module the assertion
// needs (blocked) or stopped before it (its file crashed or timed out) has no say, and is counted apart.
//
// A results file lists every non-pass, so an assertion some run lists is one where the engines may disagree;
// an engine that ran the file (and counted its assertions) and does not list it passed it.
import { DirectiveResult, FileResult } from '../../wast/results.js';
import { RunResult } from '../run-result.js';
import { unreached } from '../unfinished-file.js';
import { Disagreement, Disagreements, EngineSide } from './dashboard-data.js';
import { keyer } from './file-keys.js';

/** How many disagreements the page embeds; the counts count them all. */
export const DISAGREEMENTS_KEEP = 500;

type Rerun = (file: string, line: number, engine: string) => string;

interface RunFile {
  path: string; // as the run recorded it, for the rerun command
  result: FileResult;
  listed: Map<string, DirectiveResult>; // assertions by "line:col"
}

/** A run's files by key, each with its listed assertions. */
function indexRun(r: RunResult): Map<string, RunFile> {
  const key = keyer(r);
  const files = new Map<string, RunFile>();
  for (const f of r.files) {
    const listed = new Map<string, DirectiveResult>();
    for (const d of f.results) if (d.assertion) listed.set(`${d.line}:${d.col}`, d);
    files.set(key(f.file), { path: f.file, result: f, listed });
  }
  return files;
}

/** What an engine made of the assertion at line:col of a file; none when it did not run the file's assertions. */
function sideOf(file: RunFile | undefined, line: number, col: number, engine: string, rerun: Rerun): EngineSide | undefined {
  if (!file) return undefined;
  const d = file.listed.get(`${line}:${col}`);
  const command = rerun(file.path, line, engine);
  // Not listed: passed, if the engine counted the file's assertions at all (a script it could not read has none).
  if (!d) return file.result.counts.total > 0 ? { outcome: 'passed', rerun: command } : undefined;
  return {
    outcome: unreached(d) ? 'unreached' : d.outcome,
    ...(d.detail !== undefined && { detail: d.detail }),
    ...(d.expected !== undefined && { expected: d.expected }),
    ...(d.actual !== undefined && { actual: d.actual }),
    ...(d.actualMessage !== undefined && { actualMessage: d.actualMessage }),
    rerun: command,
  };
}

/**
 * How failures compare: the value the engine produced, else what went wrong, in the coarsest terms any engine
 * has. Not the engine's error message: engines word those each in their own dialect. An engine behind the JS
 * API knows only a CompileError ('compile') where another tells malformed from invalid, and a function
 * reference one engine names by its index another cannot: differing detail is not a disagreement.
 */
export function failureOf(s: Pick<EngineSide, 'actual' | 'detail'>): string {
  return (s.actual ?? s.detail ?? '').replace(/\b(?:malformed|invalid)\b/g, 'compile').replace(/\bref\.func \d+/g, 'ref.func');
}

/** The kind of disagreement among the sides that took part, and the odd engine; none if they agree. */
export function classify(sides: [string, EngineSide][]): Pick<Disagreement, 'kind' | 'odd'> | undefined {
  const inPlay = sides.filter(([, s]) => s.outcome === 'passed' || s.outcome === 'failed');
  if (inPlay.length < 2) return undefined;
  const failing = inPlay.filter(([, s]) => s.outcome === 'failed');
  const passing = inPlay.length - failing.length;
  if (failing.length === 0) return undefined;
  if (failing.length === 1) return { kind: 'odd-one-out', odd: failing[0][0] };
  if (new Set(failing.map(([, s]) => failureOf(s))).size > 1) return { kind: 'values' };
  return passing > 0 ? { kind: 'split' } : undefined; // all failing the same way: the engines agree
}

/** Engines that did not run an assertion others ran: they lack what it needs. */
const SET_ASIDE = new Set<EngineSide['outcome']>(['unsupported', 'blocked', 'unreached']);

const collator = new Intl.Collator('en', { numeric: true });

/** The disagreements among the current runs (one per engine), in suite order. */
export function findDisagreements(runs: RunResult[], rerun: Rerun): Disagreements {
  const engines = runs.map((r) => r.engine.name);
  const out: Disagreements = {
    compared: engines,
    list: [],
    total: 0,
    byKind: { 'odd-one-out': 0, values: 0, split: 0 },
    onlyFails: Object.fromEntries(engines.map((e) => [e, 0])),
    setAside: Object.fromEntries(engines.map((e) => [e, 0])),
  };
  if (runs.length < 2) return out;
  const indexes = runs.map(indexRun);

  // Every assertion some run lists, once: file key → "line:col" → a listing (for its directive).
  const candidates = new Map<string, Map<string, DirectiveResult>>();
  for (const index of indexes) {
    for (const [file, f] of index) {
      const at = candidates.get(file) ?? new Map<string, DirectiveResult>();
      for (const [lc, d] of f.listed) if (!at.has(lc)) at.set(lc, d);
      candidates.set(file, at);
    }
  }

  const found: Disagreement[] = [];
  for (const [file, at] of candidates) {
    for (const d of at.values()) {
      const sides: [string, EngineSide][] = [];
      indexes.forEach((index, i) => {
        const s = sideOf(index.get(file), d.line, d.col, engines[i], rerun);
        if (s) sides.push([engines[i], s]);
      });
      if (sides.some(([, s]) => s.outcome === 'passed' || s.outcome === 'failed')) {
        for (const [e, s] of sides) if (SET_ASIDE.has(s.outcome)) out.setAside[e]++;
      }
      const verdict = classify(sides);
      if (!verdict) continue;
      out.byKind[verdict.kind]++;
      if (verdict.odd !== undefined) out.onlyFails[verdict.odd]++;
      const listings = indexes.map((index) => index.get(file)?.listed.get(`${d.line}:${d.col}`)).filter((x) => x !== undefined);
      const expected = listings.find((x) => x.expected !== undefined)?.expected;
      const source = listings.find((x) => x.source !== undefined)?.source;
      found.push({
        file, line: d.line, col: d.col, directive: d.directive, ...verdict,
        ...(expected !== undefined && { expected }),
        ...(source !== undefined && { source }),
        engines: Object.fromEntries(sides),
      });
    }
  }
  found.sort((a, b) => collator.compare(a.file, b.file) || a.line - b.line || a.col - b.col);
  out.total = found.length;
  out.list = found.slice(0, DISAGREEMENTS_KEEP);
  return out;
}

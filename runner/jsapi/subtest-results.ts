// A JS API test file's subtests as the assertions of a FileResult, so that the .wast reporters, JSON and
// dashboard show them unchanged: each subtest is one assertion of the directive kind `subtest`.
import { DirectiveResult, emptyTally, FileResult, FileStatus, Outcome } from '../../wast/results.js';

export interface Subtest {
  name: string;
  outcome: Outcome;
  message?: string;
}

export const SUBTEST = 'subtest';

// A subtest's position is the line its name is written on and, as its column, its place among the file's subtests
// (many are made in loops on one line): expectations key non-passes by it.

/** The line a subtest's name is written on (1 when it is built at run time). */
function lineOf(text: string, name: string): number {
  const at = name ? text.indexOf(name) : -1;
  return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

export function fileResult(file: string, text: string, subtests: Subtest[], status: FileStatus, durationMs: number, error?: string, feature?: string): FileResult {
  const r: FileResult = { file, status, durationMs, ...emptyTally(), results: [] };
  if (error) r.error = error;
  const byDirective = (r.byDirective[SUBTEST] = { passed: 0, failed: 0, skipped: 0, blocked: 0, assembler: 0, unsupported: 0, total: 0, messages: { compared: 0, matched: 0 } });
  const byFeature = (r.byFeature[feature ?? 'mvp'] = { passed: 0, failed: 0, skipped: 0, blocked: 0, assembler: 0, unsupported: 0, total: 0 });
  subtests.forEach((t, i) => {
    for (const c of [r.counts, byDirective, byFeature]) {
      c[t.outcome]++;
      c.total++;
    }
    if (t.outcome !== 'passed') {
      const d: DirectiveResult = { line: lineOf(text, t.name), col: i + 1, directive: SUBTEST, assertion: true, outcome: t.outcome, detail: t.message ? `${t.name}: ${t.message}` : t.name };
      r.results.push(d);
    }
  });
  return r;
}

// Plain console lines: one per file, then the closing line.
import { FileResult, summaryTriple } from '../../wast/results.js';
import { RunResult } from '../run-result.js';

export function fileLine(r: FileResult): string {
  const { passed, failed, skipped } = summaryTriple(r.counts);
  const status = r.status === 'ok' ? (failed || r.commandFailures ? 'FAIL' : 'ok  ') : r.status.toUpperCase();
  const extra = [
    r.commandFailures ? `${r.commandFailures} command failures` : '',
    r.counts.blocked ? `${r.counts.blocked} blocked` : '',
    r.counts.assembler ? `${r.counts.assembler} assembler` : '',
    r.counts.unsupported ? `${r.counts.unsupported} unsupported` : '',
  ].filter(Boolean);
  const tail = r.error ? `\n    ${r.error}` : '';
  return `${status} ${r.file}: ${passed} passed, ${failed} failed, ${skipped} skipped${extra.length ? ` (${extra.join(', ')})` : ''} [${r.durationMs} ms]${tail}`;
}

/** Each failure of a file, one line each: file:line:col directive — detail. */
export function failureLines(r: FileResult, limit = 20): string[] {
  const failures = r.results.filter((d) => d.outcome === 'failed');
  const lines = failures.slice(0, limit).map((d) => {
    const parts = [d.detail, d.expected && `expected ${d.expected}`, d.actual && `got ${d.actual}`, d.actualMessage && `message "${d.actualMessage}"`];
    return `    ${r.file}:${d.line}:${d.col} ${d.directive}: ${parts.filter(Boolean).join('; ')}`;
  });
  if (failures.length > limit) lines.push(`    … and ${failures.length - limit} more failures`);
  return lines;
}

/**
 * "wast: N passed, N failed, N skipped" over every assertion of every file (those of a file that did not run
 * to its end included), then how many files did not run to their end, if any.
 */
/** `label`: the command (wast, jsapi) the line closes. */
export function closingLine(run: RunResult, label = 'wast'): string {
  const { passed, failed, skipped } = summaryTriple(run.totals);
  const n = run.totals.filesNotOk;
  const unfinished = n ? ` (${n} ${n === 1 ? 'file' : 'files'} did not run to ${n === 1 ? 'its' : 'their'} end)` : '';
  return `${label}: ${passed} passed, ${failed} failed, ${skipped} skipped${unfinished}`;
}

export function outcomeLine(run: RunResult): string {
  const t = run.totals;
  return (
    `outcomes over ${t.total} assertions: passed ${t.passed}, failed ${t.failed}, skipped ${t.skipped}, blocked ${t.blocked}, ` +
    `assembler ${t.assembler}, unsupported ${t.unsupported}; command failures ${t.commandFailures}; files not ok ${t.filesNotOk}; ` +
    `messages matched ${t.messages.matched}/${t.messages.compared}; ${(run.durationMs / 1000).toFixed(1)} s`
  );
}

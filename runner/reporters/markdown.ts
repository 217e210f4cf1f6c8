// A Markdown summary of a run for pull-request comments (GitHub-flavoured tables): engine, totals per outcome,
// per directive, the files with failures, the first failures and the files that did not run to their end.
import { DirectiveResult, OUTCOMES, summaryTriple } from '../../wast/results.js';
import { sortFeatures } from '../../core/features.js';
import { RunResult, runFailed } from '../run-result.js';

export interface MarkdownOptions {
  /** How many failures to list (default 20); the rest are counted. */
  maxFailures?: number;
}

const MAX_CELL = 160;

/**
 * One line, at most `max` characters; control characters (but tab) and lone surrogates, which a comment cannot
 * carry, written as a visible `\uXXXX`.
 */
function oneLine(s: string, max = MAX_CELL): string {
  const t = s
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]|\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * A code span that holds any text in a table cell: one line, a backtick fence longer than any run of backticks
 * inside, spaces against a backtick at either end, and `|` escaped (GFM splits cells before code spans, and
 * turns `\|` back into `|` inside them).
 */
export function code(s: string): string {
  const t = oneLine(s);
  if (t === '') return '';
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${t.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** Plain text in a table cell: one line, ASCII punctuation that Markdown or HTML would act on escaped. */
export function text(s: string): string {
  return oneLine(s)
    .replace(/[\\`*_[\]<>|#~!]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: string[], align: ('l' | 'r')[], rows: (string | number)[][]): string[] {
  return [row(head), row(align.map((a) => (a === 'r' ? '--:' : '---'))), ...rows.map(row)];
}

function failureRow(file: string, d: DirectiveResult): (string | number)[] {
  const expected = d.expected ?? (d.expectedMessage !== undefined ? `"${d.expectedMessage}"` : '');
  const actual = d.actual ?? (d.actualMessage !== undefined ? `"${d.actualMessage}"` : '');
  return [code(`${file}:${d.line}:${d.col}`), code(d.directive), text(d.detail ?? ''), code(expected), code(actual)];
}

export function toMarkdown(run: RunResult, options: MarkdownOptions = {}): string {
  const maxFailures = options.maxFailures ?? 20;
  const t = run.totals;
  const { passed, failed, skipped } = summaryTriple(t);
  const out: string[] = [];

  out.push(`### mitey: ${runFailed(run) ? 'failed' : 'passed'} — ${passed} passed, ${failed} failed, ${skipped} skipped`);
  out.push('');
  out.push(
    `Engine ${code(run.engine.name)} ${code(run.engine.version)}; ${run.files.length} files (${t.filesNotOk} not ok), ` +
      `${t.total} assertions, ${t.commandFailures} command failures, messages matched ${t.messages.matched}/${t.messages.compared}, ` +
      `${(run.durationMs / 1000).toFixed(1)} s.`,
  );
  out.push('');
  out.push(...table(['outcome', 'assertions'], ['l', 'r'], [...OUTCOMES.map((o) => [o, t[o]]), ['**total**', `**${t.total}**`]]));

  const directives = Object.entries(t.byDirective)
    .filter(([, c]) => c.total > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (directives.length) {
    out.push('', '#### By directive', '');
    out.push(...table(['directive', ...OUTCOMES, 'total'], ['l', ...OUTCOMES.map(() => 'r' as const), 'r'], directives.map(([d, c]) => [code(d), ...OUTCOMES.map((o) => c[o]), c.total])));
  }

  const features = sortFeatures(Object.keys(run.totals.byFeature ?? {})).map((f) => [f, run.totals.byFeature[f]] as const);
  if (features.length) {
    out.push('', '#### By feature', '');
    out.push(...table(['feature', 'passed', 'share', 'total'], ['l', 'r', 'r', 'r'], features.map(([f, c]) => [code(f), c.passed, `${((100 * c.passed) / Math.max(1, c.total)).toFixed(1)}%`, c.total])));
  }

  const failing = run.files.filter((f) => f.counts.failed > 0 || f.commandFailures > 0);
  if (failing.length) {
    out.push('', '#### Files with failures', '');
    out.push(...table(['file', 'failed', 'command failures'], ['l', 'r', 'r'], failing.map((f) => [code(f.file), f.counts.failed, f.commandFailures])));
  }

  const failures = run.files.flatMap((f) => f.results.filter((d) => d.outcome === 'failed').map((d) => ({ file: f.file, d })));
  if (failures.length) {
    const shown = failures.slice(0, maxFailures);
    out.push('', `#### Failed assertions and commands${failures.length > shown.length ? ` (first ${shown.length} of ${failures.length})` : ''}`);
    if (shown.length) out.push('', ...table(['where', 'directive', 'detail', 'expected', 'actual'], ['l', 'l', 'l', 'l', 'l'], shown.map(({ file, d }) => failureRow(file, d))));
    if (failures.length > shown.length) out.push('', `… and ${failures.length - shown.length} more.`);
  }

  const notOk = run.files.filter((f) => f.status !== 'ok');
  if (notOk.length) {
    out.push('', '#### Files not ok', '');
    out.push(...table(['file', 'status', 'error'], ['l', 'l', 'l'], notOk.map((f) => [code(f.file), f.status, code(f.error ?? '')])));
  }
  out.push('');
  return out.join('\n');
}

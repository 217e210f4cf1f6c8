// JUnit XML for CI dashboards; its structure is exactly runner/reporters/junit.xsd.
//
// <testsuites> (the run) holds one <testsuite> per file. A run lists only the non-passes of each file,
// so the testcases of a suite are:
//   - each listed assertion that did not pass: name "<directive> line <n>", classname = the file, with
//     <failure> (outcome failed) or <skipped> (skipped, blocked, assembler, unsupported);
//   - each failed command (module, register, action…: not an assertion, but it fails the run) with <error type="command">;
//   - when the file did not run to its end (status crashed, timeout or error), one testcase named by the status
//     with <error type="<status>">;
//   - one aggregate testcase "passed assertions" standing for all the file's passes: the count is its property
//     `passed` (machine-readable) and its <system-out> (shown by dashboards).
// The attributes carry the real numbers, not the number of testcase elements: tests = counts.total + errors,
// failures = counts.failed, skipped = counts.total - passed - failed, errors = failed commands + (1 if the file is
// not ok). Errors are added to tests so that tests - failures - errors - skipped is the number of passed assertions,
// as dashboards compute it; a file without errors has tests = counts.total exactly.
import { FileResult, DirectiveResult, summaryTriple } from '../../wast/results.js';
import { RunResult } from '../run-result.js';

/**
 * Text as XML 1.0 allows it: characters XML cannot hold at all (control characters other than tab, LF and CR,
 * lone surrogates, U+FFFE and U+FFFF) are written as a visible `\uXXXX`, so nothing is lost silently.
 */
export function xmlSafe(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    out += ok ? ch : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** Character data: `&`, `<` and `>` (the last for `]]>`), and CR as a reference so that it survives parsing. */
export function escapeText(s: string): string {
  return xmlSafe(s).replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c]!);
}

/** An attribute value in double quotes: also quotes, and tab/LF/CR as references (else normalised to spaces). */
export function escapeAttr(s: string): string {
  return xmlSafe(s).replace(
    /[&<>"'\t\n\r]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!,
  );
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function property(name: string, value: string | number, indent: string): string {
  return `${indent}<property${attrs({ name, value })}/>`;
}

/** The one-line message of a non-pass: its outcome's detail, else what was expected and what came. */
function message(d: DirectiveResult): string {
  const parts = [d.detail, d.expected !== undefined && `expected ${d.expected}`, d.actual !== undefined && `got ${d.actual}`];
  return parts.filter(Boolean).join('; ') || d.outcome;
}

/** The body of a <failure> or <error>: every field of the result, one per line. */
function body(file: string, d: DirectiveResult): string {
  const lines = [`${file}:${d.line}:${d.col} ${d.directive}: ${d.outcome}`];
  if (d.detail !== undefined) lines.push(`detail: ${d.detail}`);
  if (d.expected !== undefined) lines.push(`expected: ${d.expected}`);
  if (d.actual !== undefined) lines.push(`actual: ${d.actual}`);
  if (d.expectedMessage !== undefined) lines.push(`expected message: ${d.expectedMessage}`);
  if (d.actualMessage !== undefined) lines.push(`actual message: ${d.actualMessage}`);
  if (d.source !== undefined) lines.push(`source: ${d.source}`);
  return lines.join('\n');
}

function testcase(file: string, name: string, inner: string[]): string[] {
  const open = `    <testcase${attrs({ name, classname: file })}`;
  return inner.length ? [`${open}>`, ...inner, '    </testcase>'] : [`${open}/>`];
}

function suite(f: FileResult): { xml: string[]; errors: number } {
  const cases: string[] = [];
  let errors = 0;
  for (const d of f.results) {
    const name = `${d.directive} line ${d.line}`;
    if (d.assertion && d.outcome === 'failed') {
      cases.push(...testcase(f.file, name, [`      <failure${attrs({ message: message(d), type: 'failed' })}>${escapeText(body(f.file, d))}</failure>`]));
    } else if (d.assertion && d.outcome !== 'passed') {
      cases.push(...testcase(f.file, name, [`      <skipped${attrs({ message: `${d.outcome}: ${message(d)}` })}/>`]));
    } else if (!d.assertion && d.outcome === 'failed') {
      errors++;
      cases.push(...testcase(f.file, name, [`      <error${attrs({ message: message(d), type: 'command' })}>${escapeText(body(f.file, d))}</error>`]));
    }
    // Passed assertions listed for a message mismatch are counted in the aggregate; commands that are blocked or
    // could not be assembled fail nothing themselves: the assertions that depend on them are reported blocked.
  }
  if (f.status !== 'ok') {
    errors++;
    const msg = f.error ?? `${f.file}: ${f.status}`;
    cases.push(...testcase(f.file, f.status, [`      <error${attrs({ message: msg, type: f.status })}>${escapeText(msg)}</error>`]));
  }
  const { passed, failed, skipped } = summaryTriple(f.counts);
  if (passed > 0) {
    cases.push(
      ...testcase(f.file, 'passed assertions', [
        '      <properties>',
        property('passed', passed, '        '),
        '      </properties>',
        `      <system-out>${passed} assertions passed</system-out>`,
      ]),
    );
  }
  const props = [
    property('status', f.status, '      '),
    ...(['passed', 'failed', 'skipped', 'blocked', 'assembler', 'unsupported'] as const).map((o) => property(o, f.counts[o], '      ')),
    property('commandFailures', f.commandFailures, '      '),
    property('messages.compared', f.messages.compared, '      '),
    property('messages.matched', f.messages.matched, '      '),
  ];
  const head = attrs({ name: f.file, tests: f.counts.total + errors, failures: failed, errors, skipped, time: seconds(f.durationMs) });
  return { xml: [`  <testsuite${head}>`, '    <properties>', ...props, '    </properties>', ...cases, '  </testsuite>'], errors };
}

export function toJUnit(run: RunResult): string {
  const suites = run.files.map(suite);
  const errors = suites.reduce((n, s) => n + s.errors, 0);
  const { failed, skipped } = summaryTriple(run.totals);
  const head = attrs({
    name: `mitey ${run.engine.name}`,
    tests: run.totals.total + errors,
    failures: failed,
    errors,
    skipped,
    time: seconds(run.durationMs),
    timestamp: run.startedAt,
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${head}>`,
    '  <properties>',
    property('engine.name', run.engine.name, '    '),
    property('engine.version', run.engine.version, '    '),
    property('engine.features', run.engine.features.join(' '), '    '),
    '  </properties>',
    ...suites.flatMap((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

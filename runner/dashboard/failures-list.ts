// The failures list at the top of the dashboard: every failed assertion and command and every file that did not
// run to its end, one line each (engine, file:line, directive, expected and actual in short), each linking to its
// drill-down in the file table. A handful of failures among tens of thousands of passes is what a reader looks
// for first, and a sliver of a bar does not show it.
//
// Test hooks: the section is #failures; each line carries data-failure-row="<engine>:<file>:<line>:<col>".
import { DashboardData, Failure } from './dashboard-data.js';
import { count, esc } from './format.js';

/** How many lines the page lists; the file table (files with failures first) has the rest. */
export const FAILURES_LIST_CAP = 300;

const collator = new Intl.Collator('en', { numeric: true });

/** Files that did not run to their end first (the worst news), then by place in the suite, engines in order. */
function order(failures: Failure[], engines: string[]): Failure[] {
  const rank = (f: Failure) => (f.directive === 'file' && f.line === 0 ? 0 : 1);
  const eng = (f: Failure) => {
    const i = engines.indexOf(f.engine);
    return i < 0 ? engines.length : i;
  };
  return failures
    .slice()
    .sort((a, b) => rank(a) - rank(b) || collator.compare(a.file, b.file) || a.line - b.line || a.col - b.col || eng(a) - eng(b));
}

/** A cell that shows one line and keeps the whole value in its tooltip. */
function shortCell(cls: string, value: string | undefined): string {
  if (!value) return `<td class="${cls}"></td>`;
  return `<td class="${cls}" title="${esc(value)}">${esc(value)}</td>`;
}

const quoted = (message: string | undefined) => (message ? `“${message}”` : undefined);

function line(f: Failure): string {
  const key = `${f.engine}:${f.file}:${f.line}:${f.col}`;
  const fileError = f.directive === 'file' && f.line === 0;
  const where = fileError ? f.file : `${f.file}:${f.line}`;
  const expected = fileError ? 'runs to its end' : (f.expected ?? quoted(f.expectedMessage));
  const actual = fileError ? f.detail : (f.actual ?? quoted(f.actualMessage) ?? f.detail);
  return `<tr data-failure-row="${esc(key)}"${f.detail ? ` title="${esc(f.detail)}"` : ''}>
<td class="eng" title="${esc(f.engine)}"><span class="chip">${esc(f.engine)}</span></td><td class="where"><a href="#file=${esc(encodeURIComponent(f.file))}" data-jump="${esc(f.file)}" data-jump-failure="${esc(key)}">${esc(where)}</a></td><td class="dir">${esc(fileError ? 'whole file' : f.directive)}</td>${shortCell('expected', expected)}${shortCell('actual', actual)}</tr>`;
}

export function failuresList(data: DashboardData): string {
  const engines = data.engines.map((e) => e.engine);
  const failures = order(data.failures.filter((f) => f.outcome === 'failed'), engines);
  if (failures.length === 0) {
    return `<section id="failures" class="no-failures"><h2>Failures</h2>
<p class="all-clear">No failures: on every engine, no assertion or command failed and every file ran to its end.</p></section>`;
  }
  const perEngine = engines
    .map((e) => [e, failures.filter((f) => f.engine === e).length] as const)
    .map(([e, n]) => `<span><b>${esc(e)}</b> <span class="${n ? 'n-bad' : 'zero'}" data-failures-engine="${esc(e)}">${count(n)}</span></span>`)
    .join('');
  const shown = failures.slice(0, FAILURES_LIST_CAP).map(line);
  const rest = failures.length - shown.length;
  const more = rest > 0 ? `<p class="note">… and ${count(rest)} more: the file table below lists the files with failures first.</p>` : '';
  return `<section id="failures"><h2>Failures <span class="n-bad">${count(failures.length)}</span></h2>
<div class="per-engine">${perEngine}<span class="note">failed assertions and commands, and files that did not run to their end; click one for its drill-down</span></div>
<div class="failures-box"><table class="failures-list grid"><thead><tr><th>engine</th><th>where</th><th>directive</th><th>expected</th><th>actual</th></tr></thead>
<tbody>${shown.join('\n')}</tbody></table></div>${more}
</section>`;
}

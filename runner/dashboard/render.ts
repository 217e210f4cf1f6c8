// The conformance dashboard: one self-contained HTML page (no network) from a DashboardData. What a reader looks
// for first comes first: the summary per engine (which engine it is, pass rate over what the engine supports,
// failures, unsupported apart; engines not installed with how to install them), then the list of failures
// (failures-list.ts), where the engines disagree (disagreements-view.ts), then every count; below them the feature matrix, the
// history charts (history-chart.ts) and the changes between the two latest runs. These are rendered here as HTML
// and inline SVG; the file table and its drill-down of failures are built in the page by its script
// (page-script.ts) from the data embedded as JSON, so that a suite of thousands of files and tens of thousands
// of failures loads fast.
//
// Test hooks: every count in the counts table is the only element with its data-engine + data-outcome (assertion
// outcomes), data-engine + data-files (file statuses) or data-engine + data-stat; a headline's rate is
// [data-stat=headline-rate] in .headline[data-engine]; an engine's version, dialect and claimed features are
// [data-stat=version|dialect|features] in [data-identity=<engine>]; an engine not installed is
// [data-absent-engine]; bar segments carry data-outcome; feature cells
// data-engine + data-feature; file rows carry data-file, failures data-failure="<engine>:<file>:<line>:<col>".
import { OUTCOMES, Outcome } from '../../wast/results.js';
import { segmentWidths } from './bar-widths.js';
import { DashboardData, EngineSummary, FeatureCell, FeatureRow, RunDiff } from './dashboard-data.js';
import { disagreementsView } from './disagreements-view.js';
import { failuresList } from './failures-list.js';
import { count, duration, esc, pct, supported, time } from './format.js';
import { historyChart } from './history-chart.js';
import { OUTCOME_COLOURS, PAGE_CSS } from './page.css.js';
import { PAGE_SCRIPT } from './page-script.js';

/** How many entries of each list of the changes section are shown. */
const DIFF_LIST_CAP = 200;

/**
 * JSON made safe to sit inside a <script> element: `<` (so no `</script` or `<!--`), `>` and `&` as \u escapes,
 * and U+2028/U+2029 escaped too. Outside strings JSON has none of these characters, so the result is the same JSON.
 */
export function escapeJsonForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A script's text must not end its element or open an HTML comment in it. */
function checkInlineScript(code: string): string {
  if (/<\/script|<!--/i.test(code)) throw new Error('inline script text would break out of its element');
  return code;
}

function header(data: DashboardData): string {
  const chips = data.engines
    .map((e) => `<span class="chip"><b>${esc(e.engine)}</b> <code>${esc(e.version)}</code> <span class="muted">started ${time(e.startedAt)}</span></span>`)
    .join(' ');
  return `<header class="top"><div class="inner">
<h1>WebAssembly conformance <span class="suite">${esc(data.suite)}</span></h1>
<div class="meta"><span>generated ${time(data.generatedAt)}</span>${chips}</div>
<nav class="sections"><a href="#summary">Summary</a><a href="#failures">Failures</a><a href="#disagreements">Disagreements</a><a href="#counts">Counts</a><a href="#features">Features</a><a href="#history">History</a><a href="#changes">Changes</a><a href="#files">Files</a></nav>
</div></header>`;
}

// ---- summary ----

/** The bar's width in SVG units, and the thinnest a non-zero outcome is drawn (about 6 px on a wide page). */
const BAR_UNITS = 1000;
const BAR_MIN_UNITS = 6;

function stackedBar(e: EngineSummary): string {
  const total = e.counts.total;
  const widths = segmentWidths(OUTCOMES.map((o) => e.counts[o]), BAR_UNITS, BAR_MIN_UNITS);
  let x = 0;
  const rects: string[] = [];
  OUTCOMES.forEach((o, i) => {
    const n = e.counts[o];
    if (!n || total <= 0) return;
    rects.push(
      `<rect data-outcome="${o}" x="${x.toFixed(2)}" y="0" width="${widths[i].toFixed(2)}" height="22" fill="${OUTCOME_COLOURS[o]}"><title>${o}: ${count(n)} (${pct(n, total)} of all)</title></rect>`,
    );
    x += widths[i];
  });
  const label = OUTCOMES.map((o) => `${o} ${e.counts[o]}`).join(', ');
  const ran = supported(e.counts);
  const failed = e.counts.failed + e.commandFailures + e.files.crashed + e.files.timeout + e.files.error;
  return `<span class="name">${esc(e.engine)}</span>
<svg viewBox="0 0 ${BAR_UNITS} 22" preserveAspectRatio="none" role="img" aria-label="${esc(`${e.engine}: ${label}`)}">${rects.join('')}</svg>
<span class="headline" data-engine="${esc(e.engine)}"><b class="pct" data-stat="headline-rate" title="${count(e.counts.passed)} of the ${count(ran)} assertions ${esc(e.engine)} supports passed">${pct(e.counts.passed, ran)}</b> <span class="muted">of supported</span>
<span class="${failed ? 'n-bad' : 'zero'}" title="failed assertions and commands, and files that did not run to their end">${count(failed)} failure${failed === 1 ? '' : 's'}</span>
<span class="unsup" title="assertions needing a feature ${esc(e.engine)} does not claim: not run, neither passed nor failed">${count(e.counts.unsupported)} unsupported</span></span>
${identity(e)}`;
}

/** Which engine this is: its version, whose words its messages use, how many features it claims. */
function identity(e: EngineSummary): string {
  const claims = e.features.length
    ? `<span data-stat="features" title="${esc(e.features.join(', '))}">${count(e.features.length)} feature${e.features.length === 1 ? '' : 's'} claimed</span>`
    : '<span data-stat="features" title="the results list no claimed features: every feature counts as claimed">claims not recorded</span>';
  const dialect = e.dialect ? `<span data-stat="dialect" title="whose words its error messages use">${esc(e.dialect)} dialect</span>` : '';
  return `<span class="identity" data-identity="${esc(e.engine)}"><code data-stat="version">${esc(e.version)}</code>${dialect}${claims}</span>`;
}

/** Engines that were to run and are not installed: how to install them. Not run is not failing. */
function absentEngines(data: DashboardData): string {
  if (!data.absent.length) return '';
  const items = data.absent.map((a) => `<li data-absent-engine="${esc(a.engine)}"><b>${esc(a.engine)}</b> not installed: <code>${esc(a.install)}</code></li>`);
  return `<ul class="absent" aria-label="engines not installed">${items.join('')}</ul>`;
}

function summary(data: DashboardData): string {
  if (data.engines.length === 0) return `<section id="summary"><h2>Summary</h2><p class="muted">No engines.</p>${absentEngines(data)}</section>`;
  const legend = OUTCOMES.map((o) => `<span class="o-${o}">${o}</span>`).join('');
  const bars = data.engines.map(stackedBar).join('\n');
  return `<section id="summary"><h2>Summary</h2>
<div class="legend">${legend}</div>
<div class="bars">${bars}</div>
${absentEngines(data)}<p class="note">Pass rates are over the assertions each engine supports: those needing a feature it does not claim are unsupported, counted apart, neither passes nor failures.</p>
</section>`;
}

function num(n: number, attrs: string, bad = false): string {
  const cls = n === 0 ? 'num zero' : bad ? 'num bad' : 'num';
  return `<td class="${cls}" ${attrs}>${Number.isFinite(n) ? Math.trunc(n) : 0}</td>`;
}

const FILE_STATUSES = ['total', 'ok', 'crashed', 'timeout', 'error'] as const;

/** Where the longest headers may break (soft hyphens) when the window is narrow. */
const HEADER_BREAKS: Partial<Record<Outcome, string>> = { unsupported: 'unsup&shy;ported', assembler: 'assem&shy;bler' };

/** Every count per engine. Narrow enough for a 1,000 px window: headers wrap; versions and start times are in the header. */
function countsTable(data: DashboardData): string {
  if (data.engines.length === 0) return '';
  const head = `<thead><tr><th rowspan="2">engine</th><th class="group sep" colspan="${OUTCOMES.length + 2}">assertions</th><th class="group sep" colspan="${FILE_STATUSES.length}">files</th><th class="sep num" rowspan="2">failed<br>commands</th><th class="num" rowspan="2">duration</th></tr>
<tr>${OUTCOMES.map((o, i) => `<th class="num o-${o}${i === 0 ? ' sep' : ''}"><span class="sw"></span>${HEADER_BREAKS[o] ?? o}</th>`).join('')}<th class="num">total</th><th class="num" title="passed among the supported assertions">pass<br>rate</th>${FILE_STATUSES.map((s, i) => `<th class="num${i === 0 ? ' sep' : ''}">${s === 'timeout' ? 'timed<br>out' : s}</th>`).join('')}</tr></thead>`;
  const rows = data.engines.map((e) => {
    const eng = `data-engine="${esc(e.engine)}"`;
    const outcomes = OUTCOMES.map((o: Outcome) => num(e.counts[o], `${eng} data-outcome="${o}"`, o === 'failed'));
    const files = FILE_STATUSES.map((s) => num(e.files[s], `${eng} data-files="${s}"`, s !== 'total' && s !== 'ok'));
    return `<tr><td class="engine" title="${esc(e.version)}"><b>${esc(e.engine)}</b></td>
${outcomes.join('')}${num(e.counts.total, `${eng} data-stat="total"`)}<td class="num" ${eng} data-stat="pass-rate">${pct(e.counts.passed, supported(e.counts))}</td>
${files.join('')}${num(e.commandFailures, `${eng} data-stat="command-failures"`, true)}<td class="num">${esc(duration(e.durationMs))}</td></tr>`;
  });
  return `<section id="counts"><h2>Counts</h2>
<div class="scroll"><table class="grid summary">${head}<tbody>${rows.join('\n')}</tbody></table></div>
</section>`;
}

// ---- feature matrix ----

const TIER_LABELS: Record<FeatureRow['tier'], string> = {
  mvp: 'MVP',
  '2.0': 'Wasm 2.0',
  '3.0': 'Wasm 3.0',
  proposal: 'Proposals',
};

/** Background for a pass share: red (0) through yellow (0.5) to green (1), light enough for dark text. */
function shareColour(share: number): string {
  if (share >= 1) return 'hsl(130 55% 72%)';
  return `hsl(${Math.round(share * 115)} 75% 84%)`;
}

/**
 * A feature's cell for one engine. Coloured by the pass rate among the assertions the engine supports; a feature
 * the engine does not claim (or whose assertions it supports none of) is neutral, not a failure, unless
 * something in it failed.
 */
function featureCell(engine: EngineSummary, feature: string, c: FeatureCell | undefined): string {
  const attrs = `data-engine="${esc(engine.engine)}" data-feature="${esc(feature)}"`;
  if (!c) return `<td class="cell" ${attrs}></td>`;
  if (c.total <= 0) return `<td class="cell none" ${attrs} title="no assertions">–</td>`;
  const failed = c.failed ? ` <span class="n-bad">${count(c.failed)} failed</span>` : '';
  const numbers = `${count(c.passed)} passed, ${count(c.failed)} failed, ${count(c.unsupported)} unsupported of ${count(c.total)}`;
  // Results that list no claimed features say nothing about claims: every feature counts as claimed then.
  const claimed = engine.features.length === 0 || engine.features.includes(feature);
  if (!claimed) {
    return `<td class="cell unclaimed" ${attrs} title="${esc(`${engine.engine} does not claim ${feature}: ${numbers}`)}">not claimed${failed}</td>`;
  }
  const ran = supported(c);
  if (ran <= 0) return `<td class="cell unclaimed" ${attrs} title="${esc(`none supported: ${numbers}`)}">unsupported</td>`;
  return `<td class="cell" ${attrs} title="${esc(`${numbers}; the rate is over the ${count(ran)} supported`)}" style="background:${shareColour(c.passed / ran)}">${pct(c.passed, ran)}</td>`;
}

function features(data: DashboardData): string {
  const engines = data.engines;
  if (data.features.length === 0) {
    return '<section id="features"><h2>Features</h2><p class="muted">No feature data.</p></section>';
  }
  // Grouped by tier, the tiers in the order they first appear, the features in the given order within each.
  const groups = new Map<string, FeatureRow[]>();
  for (const f of data.features) {
    const g = groups.get(f.tier);
    if (g) g.push(f);
    else groups.set(f.tier, [f]);
  }
  const body: string[] = [];
  for (const [tier, rows] of groups) {
    body.push(`<tr class="tier"><th colspan="${engines.length + 1}">${esc(TIER_LABELS[tier as FeatureRow['tier']] ?? tier)}</th></tr>`);
    for (const f of rows) {
      const cells = engines.map((e) => featureCell(e, f.feature, f.cells[e.engine]));
      body.push(`<tr><td class="feature">${esc(f.feature)}</td>${cells.join('')}</tr>`);
    }
  }
  return `<section id="features"><h2>Features</h2>
<p class="note">Assertions passed among those needing each feature that the engine supports (an assertion counts under each feature it needs); grey: a feature the engine does not claim.</p>
<div class="scroll"><table class="features"><thead><tr><th>feature</th>${engines.map((e) => `<th class="num eng" title="${esc(e.engine)}"><span class="eng-name">${esc(e.engine)}</span></th>`).join('')}</tr></thead>
<tbody>${body.join('\n')}</tbody></table></div>
</section>`;
}

// ---- history ----

function history(data: DashboardData): string {
  const names = data.engines.map((e) => e.engine);
  for (const k of Object.keys(data.history)) if (!names.includes(k)) names.push(k);
  const charts = names.map((n) => historyChart(n, data.history[n] ?? []));
  return `<section id="history"><h2>History</h2>
<p class="note">Assertions passed per run, oldest first.</p>
<div class="hist">${charts.join('\n') || '<p class="muted">No history.</p>'}</div>
</section>`;
}

// ---- changes between the two latest runs ----

/** "file:line:col" → file. */
function fileOf(key: string): string {
  return key.replace(/:\d+:\d+$/, '');
}

function diffList(d: RunDiff, title: string, items: string[], cls: string, kind: 'failure' | 'file' | 'gone', total = items.length): string {
  if (total === 0) return '';
  const shown = items.slice(0, DIFF_LIST_CAP).map((item) => {
    if (kind === 'gone') return `<li>${esc(item)}</li>`;
    const file = kind === 'failure' ? fileOf(item) : item;
    const extra = kind === 'failure' ? ` data-jump-failure="${esc(`${d.engine}:${item}`)}"` : '';
    return `<li><a href="#file=${esc(encodeURIComponent(file))}" data-jump="${esc(file)}"${extra}>${esc(item)}</a></li>`;
  });
  const listed = Math.min(items.length, DIFF_LIST_CAP);
  if (total > listed) shown.push(`<li class="muted">… and ${total - listed} more</li>`);
  return `<details><summary>${title} <span class="${cls}">(${total})</span></summary><ul>${shown.join('')}</ul></details>`;
}

function changes(data: DashboardData): string {
  const blocks = data.diffs.map((d) => {
    const counts = `<div class="counts"><span>newly failing <span class="${d.newlyFailingTotal ? 'n-bad' : 'zero'}">${d.newlyFailingTotal}</span></span>
<span>newly passing <span class="${d.newlyPassingTotal ? 'n-good' : 'zero'}">${d.newlyPassingTotal}</span></span>
<span>files added <b>${d.added.length}</b></span><span>files removed <b>${d.removed.length}</b></span></div>`;
    const lists = [
      diffList(d, 'Newly failing', d.newlyFailing, 'n-bad', 'failure', d.newlyFailingTotal),
      diffList(d, 'Newly passing', d.newlyPassing, 'n-good', 'failure', d.newlyPassingTotal),
      diffList(d, 'Files added', d.added, 'muted', 'file'),
      diffList(d, 'Files removed', d.removed, 'muted', 'gone'),
    ].join('');
    const none = d.newlyFailingTotal + d.newlyPassingTotal + d.added.length + d.removed.length === 0;
    return `<div class="diff" data-diff-engine="${esc(d.engine)}"><h3>${esc(d.engine)} <span class="muted">${time(d.from)} → ${time(d.to)}</span></h3>
${counts}${none ? '<p class="muted">No changes.</p>' : lists}</div>`;
  });
  return `<section id="changes"><h2>Between the two latest runs</h2>
${blocks.join('\n') || '<p class="muted">Fewer than two runs: nothing to compare.</p>'}
</section>`;
}

// ---- the page ----

export function renderDashboard(data: DashboardData): string {
  const json = escapeJsonForScript(JSON.stringify(data));
  const title = `mitey conformance — ${data.suite}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${header(data)}
<main>
${summary(data)}
${failuresList(data)}
${disagreementsView(data)}
${countsTable(data)}
<div class="cols">
${features(data)}
<div>
${history(data)}
${changes(data)}
</div>
</div>
<section id="files"><h2>Files</h2>
<p class="note">Click a file (or its failure count) for its failures on each engine; click a column header to sort.</p>
<p class="muted" id="files-loading">Loading ${data.files.length} files…</p>
<noscript><p>The file table needs JavaScript.</p></noscript>
</section>
</main>
<script type="application/json" id="mitey-data">${json}</script>
<script>${checkInlineScript(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}

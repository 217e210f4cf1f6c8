// The conformance dashboard: one self-contained HTML page (no network) from a DashboardData. The header, the
// summary per engine, the feature matrix, the history charts and the changes between the two latest runs are
// rendered here as HTML and inline SVG; the file table and its drill-down of failures are built in the page by
// its script (page-script.ts) from the data embedded as JSON, so that a suite of thousands of files and tens of
// thousands of failures loads fast.
//
// Test hooks: every summary number is the only element with its data-engine + data-outcome (assertion outcomes),
// data-engine + data-files (file statuses) or data-engine + data-stat; file rows carry data-file, failures
// data-failure="<engine>:<file>:<line>:<col>".
import { OUTCOMES, Outcome } from '../../wast/results.js';
import { DashboardData, EngineSummary, FeatureRow, HistoryPoint, RunDiff } from './dashboard-data.js';
import { OUTCOME_COLOURS, PAGE_CSS } from './page.css.js';
import { PAGE_SCRIPT } from './page-script.js';

/** How many entries of each list of the changes section are shown. */
const DIFF_LIST_CAP = 200;

/** Text and attribute values in HTML (both contexts, quoted attributes). */
function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

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

function pct(passed: number, total: number): string {
  if (total <= 0) return '–';
  if (passed >= total) return '100%';
  // Rounded down so that anything short of all passing never shows as 100%.
  return `${(Math.floor((passed / total) * 1000) / 10).toFixed(1)}%`;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** An ISO time as written, shortened for reading (date and time, no milliseconds); the full value in `datetime`. */
function time(iso: string): string {
  const short = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(iso);
  const text = short ? `${short[1]} ${short[2]}${short[3] ?? ''}${short[5] === 'Z' ? ' UTC' : (short[5] ?? '')}` : iso;
  return `<time datetime="${esc(iso)}">${esc(text)}</time>`;
}

function header(data: DashboardData): string {
  const chips = data.engines
    .map((e) => `<span class="chip"><b>${esc(e.engine)}</b> <code>${esc(e.version)}</code></span>`)
    .join(' ');
  return `<header class="top"><div class="inner">
<h1>WebAssembly conformance <span class="suite">${esc(data.suite)}</span></h1>
<div class="meta"><span>generated ${time(data.generatedAt)}</span>${chips}</div>
<nav class="sections"><a href="#summary">Summary</a><a href="#features">Features</a><a href="#history">History</a><a href="#changes">Changes</a><a href="#files">Files</a></nav>
</div></header>`;
}

// ---- summary ----

function stackedBar(e: EngineSummary): string {
  const total = e.counts.total;
  let x = 0;
  const rects: string[] = [];
  for (const o of OUTCOMES) {
    const n = e.counts[o];
    if (!n || total <= 0) continue;
    const w = (n / total) * 1000;
    rects.push(
      `<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="22" fill="${OUTCOME_COLOURS[o]}"><title>${o}: ${n} (${pct(n, total)})</title></rect>`,
    );
    x += w;
  }
  const label = OUTCOMES.map((o) => `${o} ${e.counts[o]}`).join(', ');
  return `<span class="name">${esc(e.engine)}</span>
<svg viewBox="0 0 1000 22" preserveAspectRatio="none" role="img" aria-label="${esc(`${e.engine}: ${label}`)}">${rects.join('')}</svg>
<span class="pct" title="${e.counts.passed} / ${total} assertions passed">${pct(e.counts.passed, total)}</span>`;
}

function num(n: number, attrs: string, bad = false): string {
  const cls = n === 0 ? 'num zero' : bad ? 'num bad' : 'num';
  return `<td class="${cls}" ${attrs}>${Number.isFinite(n) ? Math.trunc(n) : 0}</td>`;
}

const FILE_STATUSES = ['total', 'ok', 'crashed', 'timeout', 'error'] as const;

function summary(data: DashboardData): string {
  if (data.engines.length === 0) return '<section id="summary"><h2>Summary</h2><p class="muted">No engines.</p></section>';
  const legend = OUTCOMES.map((o) => `<span class="o-${o}">${o}</span>`).join('');
  const bars = data.engines.map(stackedBar).join('\n');
  const head = `<thead><tr><th rowspan="2">Engine</th><th class="group sep" colspan="${OUTCOMES.length + 2}">assertions</th><th class="group sep" colspan="${FILE_STATUSES.length}">files</th><th class="sep num" rowspan="2">failed<br>commands</th><th class="num" rowspan="2">duration</th></tr>
<tr>${OUTCOMES.map((o, i) => `<th class="num${i === 0 ? ' sep' : ''}"><span class="sw o-${o}"></span>${o}</th>`).join('')}<th class="num">total</th><th class="num">pass</th>${FILE_STATUSES.map((s, i) => `<th class="num${i === 0 ? ' sep' : ''}">${s === 'timeout' ? 'timed out' : s}</th>`).join('')}</tr></thead>`;
  const rows = data.engines.map((e) => {
    const eng = `data-engine="${esc(e.engine)}"`;
    const outcomes = OUTCOMES.map((o: Outcome) => num(e.counts[o], `${eng} data-outcome="${o}"`, o === 'failed'));
    const files = FILE_STATUSES.map((s) => num(e.files[s], `${eng} data-files="${s}"`, s !== 'total' && s !== 'ok'));
    return `<tr><td class="engine"><b>${esc(e.engine)}</b><br><span class="muted mono">${esc(e.version)}</span><br><span class="muted">started ${time(e.startedAt)}</span></td>
${outcomes.join('')}${num(e.counts.total, `${eng} data-stat="total"`)}<td class="num" ${eng} data-stat="pass-rate">${pct(e.counts.passed, e.counts.total)}</td>
${files.join('')}${num(e.commandFailures, `${eng} data-stat="command-failures"`, true)}<td class="num">${esc(duration(e.durationMs))}</td></tr>`;
  });
  return `<section id="summary"><h2>Summary</h2>
<div class="legend">${legend}</div>
<div class="bars">${bars}</div>
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

function features(data: DashboardData): string {
  const engines = data.engines.map((e) => e.engine);
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
      const cells = engines.map((engine) => {
        const c = f.cells[engine];
        const attrs = `data-engine="${esc(engine)}" data-feature="${esc(f.feature)}"`;
        if (!c) return `<td class="cell" ${attrs}></td>`;
        if (c.total <= 0) return `<td class="cell none" ${attrs} title="no assertions">–</td>`;
        return `<td class="cell" ${attrs} title="${c.passed} / ${c.total}" style="background:${shareColour(c.passed / c.total)}">${pct(c.passed, c.total)}</td>`;
      });
      body.push(`<tr><td class="feature">${esc(f.feature)}</td>${cells.join('')}</tr>`);
    }
  }
  return `<section id="features"><h2>Features</h2>
<p class="note">Assertions passed among those needing each feature (an assertion counts under each feature it needs).</p>
<div class="scroll"><table class="features"><thead><tr><th>feature</th>${engines.map((e) => `<th class="num">${esc(e)}</th>`).join('')}</tr></thead>
<tbody>${body.join('\n')}</tbody></table></div>
</section>`;
}

// ---- history ----

function historyChart(engine: string, points: HistoryPoint[]): string {
  const W = 380;
  const H = 110;
  const left = 52;
  const right = 10;
  const top = 8;
  const bottom = 22;
  const last = points[points.length - 1];
  const prev = points[points.length - 2];
  const delta = last && prev ? last.passed - prev.passed : 0;
  const deltaText =
    prev === undefined ? '' : delta > 0 ? ` <span class="n-good">+${delta}</span>` : delta < 0 ? ` <span class="n-bad">${delta}</span>` : ' <span class="muted">±0</span>';
  const caption = `<figcaption><b>${esc(engine)}</b> ${last ? `${last.passed} passed${deltaText}` : ''} <span class="muted">${points.length} run${points.length === 1 ? '' : 's'}</span></figcaption>`;
  if (points.length === 0) return `<figure>${caption}<p class="muted">No history.</p></figure>`;
  const values = points.map((p) => p.passed);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    const pad = Math.max(1, Math.round(hi * 0.01));
    lo = Math.max(0, lo - pad);
    hi += pad;
  }
  const x = (i: number) => (points.length === 1 ? left + (W - left - right) / 2 : left + (i * (W - left - right)) / (points.length - 1));
  const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (H - top - bottom);
  const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p.passed).toFixed(1)}`).join(' ');
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(p.passed).toFixed(1)}" r="${i === points.length - 1 ? 3.5 : 2.5}" fill="${OUTCOME_COLOURS.passed}"><title>${esc(p.startedAt)}: ${p.passed} / ${p.total} passed (${pct(p.passed, p.total)})</title></circle>`,
    )
    .join('');
  const date = (iso: string) => esc(iso.slice(0, 10));
  return `<figure>${caption}
<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`${engine}: assertions passed over ${points.length} runs`)}">
<line x1="${left}" y1="${top}" x2="${W - right}" y2="${top}" stroke="#eaeef2"/><line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#d1d9e0"/>
<text class="axis" x="${left - 6}" y="${top + 3}" text-anchor="end">${hi}</text><text class="axis" x="${left - 6}" y="${H - bottom + 3}" text-anchor="end">${lo}</text>
<text class="axis" x="${left}" y="${H - 6}">${date(points[0].startedAt)}</text>${points.length > 1 ? `<text class="axis" x="${W - right}" y="${H - 6}" text-anchor="end">${date(last.startedAt)}</text>` : ''}
<polyline points="${coords}" fill="none" stroke="${OUTCOME_COLOURS.passed}" stroke-width="2" stroke-linejoin="round"/>${dots}
</svg></figure>`;
}

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

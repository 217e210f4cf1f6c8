// The disagreements section: the assertions the engines disagree on (disagreements.ts), one line each (file:line,
// the kind, directive, expected, then what each engine made of it in short, the odd one out highlighted), and per
// engine how many assertions only it fails. A line opens a drill-down (built by the page's script) with each
// engine's values and the command that reruns the assertion on it. Where engines disagree, at least one of them
// is wrong, or the spec's test is; this is where to look first when adding an engine.
//
// Test hooks: the section is #disagreements; each line carries data-disagreement="<file>:<line>:<col>",
// data-kind and (odd one out) data-odd="<engine>"; its cells data-engine, the odd one's class "odd";
// the per-engine counts data-only-fails="<engine>" and data-set-aside="<engine>".
import { DashboardData, Disagreement, EngineSide } from './dashboard-data.js';
import { count, esc } from './format.js';

const KIND_LABELS: Record<Disagreement['kind'], string> = {
  'odd-one-out': 'odd one out',
  values: 'values differ',
  split: 'split',
};

const KIND_TITLES: Record<Disagreement['kind'], string> = {
  'odd-one-out': 'one engine fails it, the others pass it',
  values: 'two or more engines fail it with different values',
  split: 'some engines pass it, two or more fail it the same way',
};

/** What an engine made of the assertion, in a few words; the whole of it in the tooltip. */
function sideText(s: EngineSide | undefined): { text: string; title: string } {
  if (!s) return { text: '—', title: 'did not run this file' };
  if (s.outcome === 'passed') return { text: 'passes', title: 'passed' };
  if (s.outcome === 'failed') {
    const text = s.actual ?? s.detail ?? 'failed';
    return { text, title: [s.detail, s.actual && `actual: ${s.actual}`, s.actualMessage && `message: ${s.actualMessage}`].filter(Boolean).join('\n') || 'failed' };
  }
  if (s.outcome === 'unreached') return { text: 'not reached', title: s.detail ?? 'the file stopped before this assertion' };
  return { text: s.outcome, title: s.detail ?? s.outcome };
}

function line(d: Disagreement, engines: string[]): string {
  const key = `${d.file}:${d.line}:${d.col}`;
  const cells = engines.map((e) => {
    const s = d.engines[e];
    const { text, title } = sideText(s);
    const cls = `side s-${s ? s.outcome : 'none'}${d.odd === e ? ' odd' : ''}`;
    return `<td class="${cls}" data-engine="${esc(e)}" title="${esc(title)}">${esc(text)}</td>`;
  });
  return `<tr data-disagreement="${esc(key)}" data-kind="${d.kind}"${d.odd !== undefined ? ` data-odd="${esc(d.odd)}"` : ''} tabindex="0" aria-expanded="false">
<td class="where"><a href="#file=${esc(encodeURIComponent(d.file))}" data-jump="${esc(d.file)}" title="${esc(`${key}: open the file's drill-down`)}">${esc(`${d.file}:${d.line}`)}</a></td><td class="kind k-${d.kind}" title="${esc(KIND_TITLES[d.kind])}">${KIND_LABELS[d.kind]}</td><td class="dir">${esc(d.directive)}</td><td class="expected" title="${esc(d.expected ?? '')}">${esc(d.expected ?? '')}</td>${cells.join('')}</tr>`;
}

/** Widths (px) the table needs: it scrolls sideways rather than squeeze six engines' values to nothing. */
const FIXED_COLUMNS_PX = 520;
const ENGINE_COLUMN_PX = 120;

export function disagreementsView(data: DashboardData): string {
  const engines = data.engines.map((e) => e.engine);
  const dis = data.disagreements;
  if (engines.length < 2) {
    return `<section id="disagreements" class="nothing-to-compare"><h2>Disagreements</h2>
<p class="muted">${engines.length === 1 ? `One engine (${esc(engines[0])})` : 'No engines'}: nothing to compare. Run two or more for the assertions they disagree on.</p></section>`;
  }
  const setAside = engines.filter((e) => dis.setAside[e] > 0);
  const setAsideNote = setAside.length
    ? `<p class="note set-aside">Not compared, the engine lacking what the assertion needs (unsupported, blocked, or its file stopped before it) while others ran it: ${setAside
      .map((e) => `<b>${esc(e)}</b> <span data-set-aside="${esc(e)}">${count(dis.setAside[e])}</span>`)
      .join(', ')}.</p>`
    : '';
  if (dis.total === 0) {
    return `<section id="disagreements" class="no-disagreements"><h2>Disagreements</h2>
<p class="all-clear">The ${engines.length} engines agree on every assertion that two or more of them ran.</p>${setAsideNote}</section>`;
  }
  const perEngine = engines
    .map((e) => `<span><b>${esc(e)}</b> only fails <span class="${dis.onlyFails[e] ? 'n-bad' : 'zero'}" data-only-fails="${esc(e)}">${count(dis.onlyFails[e] ?? 0)}</span></span>`)
    .join('');
  const kinds = (Object.keys(KIND_LABELS) as Disagreement['kind'][])
    .map((k) => `<span title="${esc(KIND_TITLES[k])}">${KIND_LABELS[k]} <b data-kind-total="${k}">${count(dis.byKind[k])}</b></span>`)
    .join('');
  const rest = dis.total - dis.list.length;
  const more = rest > 0 ? `<p class="note">… and ${count(rest)} more, not kept in the page (the first ${count(dis.list.length)} in suite order are).</p>` : '';
  const head = engines.map((e) => `<th class="eng" title="${esc(e)}"><span class="eng-name">${esc(e)}</span></th>`).join('');
  const minWidth = FIXED_COLUMNS_PX + ENGINE_COLUMN_PX * engines.length;
  return `<section id="disagreements"><h2>Disagreements <span class="n-bad">${count(dis.total)}</span></h2>
<div class="per-engine">${perEngine}<span class="note">assertions only this engine fails, the others passing them</span></div>
<div class="per-engine kinds">${kinds}<span class="note">click a line for each engine's values and rerun commands</span></div>
<div class="dis-box"><table class="disagreements grid" style="min-width:${minWidth}px"><thead><tr><th class="where">where</th><th class="kind">kind</th><th class="dir">directive</th><th class="expected">expected</th>${head}</tr></thead>
<tbody>${dis.list.map((d) => line(d, engines)).join('\n')}</tbody></table></div>${more}${setAsideNote}
</section>`;
}

// One engine's history on the dashboard: assertions passed per run, as an inline SVG line chart. A chart of one
// run is a lone dot between made-up axis labels, so until there are two runs it is a sentence instead.
import { HistoryPoint } from './dashboard-data.js';
import { count, esc, pct, time } from './format.js';
import { OUTCOME_COLOURS } from './page.css.js';

/** "2026-11-25", or with the time when the runs compared are on the same day. */
function axisDate(iso: string, withTime: boolean): string {
  return esc(withTime ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 10));
}

export function historyChart(engine: string, points: HistoryPoint[]): string {
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
    prev === undefined ? '' : delta > 0 ? ` <span class="n-good">+${count(delta)}</span>` : delta < 0 ? ` <span class="n-bad">${count(delta)}</span>` : ' <span class="muted">±0</span>';
  const caption = `<figcaption><b>${esc(engine)}</b> ${last ? `${count(last.passed)} passed${deltaText}` : ''} <span class="muted">${points.length} run${points.length === 1 ? '' : 's'}</span></figcaption>`;
  if (points.length === 0) return `<figure>${caption}<p class="muted">No history.</p></figure>`;
  if (points.length === 1) {
    return `<figure class="single-run"><figcaption><b>${esc(engine)}</b></figcaption><p>One run so far (${time(last.startedAt)}): ${count(last.passed)} of ${count(last.total)} assertions passed. The chart starts with the next run.</p></figure>`;
  }
  const values = points.map((p) => p.passed);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const flat = lo === hi;
  const x = (i: number) => left + (i * (W - left - right)) / (points.length - 1);
  // A flat history is a line across the middle, labelled once; otherwise the lowest and highest run bound it.
  const y = (v: number) => (flat ? (top + H - bottom) / 2 : top + (1 - (v - lo) / (hi - lo)) * (H - top - bottom));
  const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p.passed).toFixed(1)}`).join(' ');
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(p.passed).toFixed(1)}" r="${i === points.length - 1 ? 3.5 : 2.5}" fill="${OUTCOME_COLOURS.passed}"><title>${esc(p.startedAt)}: ${p.passed} / ${p.total} passed (${pct(p.passed, p.total)})</title></circle>`,
    )
    .join('');
  const yLabels = flat
    ? `<text class="axis" x="${left - 6}" y="${y(lo) + 3}" text-anchor="end">${lo}</text>`
    : `<text class="axis" x="${left - 6}" y="${top + 3}" text-anchor="end">${hi}</text><text class="axis" x="${left - 6}" y="${H - bottom + 3}" text-anchor="end">${lo}</text>`;
  const sameDay = points[0].startedAt.slice(0, 10) === last.startedAt.slice(0, 10);
  return `<figure>${caption}
<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`${engine}: assertions passed over ${points.length} runs`)}">
<line x1="${left}" y1="${top}" x2="${W - right}" y2="${top}" stroke="#eaeef2"/><line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#d1d9e0"/>
${yLabels}
<text class="axis" x="${left}" y="${H - 6}">${axisDate(points[0].startedAt, sameDay)}</text><text class="axis" x="${W - right}" y="${H - 6}" text-anchor="end">${axisDate(last.startedAt, sameDay)}</text>
<polyline points="${coords}" fill="none" stroke="${OUTCOME_COLOURS.passed}" stroke-width="2" stroke-linejoin="round"/>${dots}
</svg></figure>`;
}

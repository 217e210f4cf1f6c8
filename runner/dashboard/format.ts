// How the dashboard page writes values into its HTML: escaping, counts, shares, durations and times.
import { Counts } from '../../wast/results.js';

/** Text and attribute values in HTML (both contexts, quoted attributes). */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A count for reading: 64,094. (Table cells keep plain digits, which tests read back as numbers.) */
export function count(n: number): string {
  return Number.isFinite(n) ? Math.trunc(n).toLocaleString('en-US') : '0';
}

export function pct(passed: number, total: number): string {
  if (total <= 0) return '–';
  if (passed >= total) return '100%';
  // Rounded down so that anything short of all passing never shows as 100%.
  return `${(Math.floor((passed / total) * 1000) / 10).toFixed(1)}%`;
}

/**
 * The assertions an engine ran: all but the unsupported ones (it lacks a feature they need), which are neither
 * passes nor failures. Pass rates are over these.
 */
export function supported(c: Pick<Counts, 'total' | 'unsupported'>): number {
  return Math.max(0, c.total - (c.unsupported || 0));
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** An ISO time as written, shortened for reading (date and time, no milliseconds); the full value in `datetime`. */
export function time(iso: string): string {
  const short = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(iso);
  const text = short ? `${short[1]} ${short[2]}${short[3] ?? ''}${short[5] === 'Z' ? ' UTC' : (short[5] ?? '')}` : iso;
  return `<time datetime="${esc(iso)}">${esc(text)}</time>`;
}

// Reads result files (and a history folder), writes the dashboard page, and adds the runs to the history.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RunResult } from '../run-result.js';
import { sameSuite } from '../suite-identity.js';
import { aggregate } from './aggregate.js';
import { AbsentEngine } from './dashboard-data.js';
import { renderDashboard } from './render.js';

export function readRunResult(path: string): RunResult {
  const r = JSON.parse(readFileSync(path, 'utf8')) as RunResult;
  if (r.schema !== 'mitey-results' || r.version !== 1) throw new Error(`${path}: not a mitey results file (version 1)`);
  return r;
}

function readHistory(dir: string): RunResult[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      try {
        return readRunResult(join(dir, f));
      } catch {
        return undefined; // not ours: left alone
      }
    })
    .filter((r): r is RunResult => r !== undefined);
}

export interface BuildOptions {
  results: string[];
  out: string;
  /** How the page names the suite; default: the paths the runs recorded, else the results files. */
  suite?: string;
  historyDir?: string;
  /** Engines that were to run but are not installed here: the page says how to install them. */
  absent?: AbsentEngine[];
}

/**
 * A file name for an engine's results and its runs in the history. Engine names are any string (`cmd:node ./driver.js`):
 * anything but a plain word is made one, with a hash of the name so that two names never share files.
 */
export function engineFileStem(engine: string): string {
  if (/^[\w.-]+$/.test(engine)) return engine;
  const plain = engine.replace(/[^\w.-]+/g, '_').slice(0, 40);
  return `${plain}-${createHash('sha256').update(engine).digest('hex').slice(0, 8)}`;
}

/** Returns the page's path. The current runs join the history afterwards, for the next page. */
export function buildDashboard(o: BuildOptions): string {
  const runs = o.results.map(readRunResult);
  // Only earlier runs of the suite a current run of the same engine is of: another suite's are not its history.
  const history = (o.historyDir ? readHistory(o.historyDir) : []).filter((h) => runs.some((r) => r.engine.name === h.engine.name && sameSuite(r, h)));
  const suite = o.suite || [...new Set(runs.map((r) => r.suite?.paths.join(' ') ?? ''))].filter(Boolean).join('; ') || o.results.join(' ');
  const page = renderDashboard(aggregate(runs, history, { suite, absent: o.absent }));
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, page);
  if (o.historyDir) {
    mkdirSync(o.historyDir, { recursive: true });
    for (const r of runs) {
      const name = `${engineFileStem(r.engine.name)}-${r.startedAt.replace(/[:.]/g, '-')}.json`;
      const path = join(o.historyDir, name);
      if (!existsSync(path)) writeFileSync(path, JSON.stringify(r));
    }
  }
  return o.out;
}

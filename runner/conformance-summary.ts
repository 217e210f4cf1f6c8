// The closing lines of `mitey conformance`: each engine's figures, where the results and the dashboard are, and
// why the exit status is what it is. The official suites hold failures that are known (proposals an engine lacks,
// places where V8 and the spec part), so a plain run of them fails; the gate is a comparison with expectations.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { summaryTriple } from '../wast/results.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { RunResult } from './run-result.js';
import { SuiteIdentity } from './suite-identity.js';

export interface EngineRun {
  engine: string;
  json: string; // where its results were written
  run: RunResult;
  exitCode: number; // what its `mitey wast` run returned
}

export interface ConformanceSummary {
  suite: SuiteIdentity;
  engines: EngineRun[];
  /** Engines asked for and not installed, with the command that installs each. */
  absent?: { engine: string; install: string }[];
  dashboard: string;
  history: string;
  expect?: string; // the run compared with this expectations file
  /** Expectations files of the project (paths as the user should type them), to name the gate. */
  expectationFiles: string[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What made an engine's run fail besides failed assertions, in words. */
function otherFailures(run: RunResult): string[] {
  const t = run.totals;
  const out: string[] = [];
  if (t.commandFailures) out.push(plural(t.commandFailures, 'failed command', 'failed commands'));
  if (t.filesNotOk) out.push(`${plural(t.filesNotOk, 'file', 'files')} did not run to ${t.filesNotOk === 1 ? 'its' : 'their'} end`);
  return out;
}

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
const quoted = (p: string) => (/[^\w./+@:-]/.test(p) ? JSON.stringify(p) : p);

export function conformanceSummary(s: ConformanceSummary): string[] {
  const width = Math.max(...s.engines.map((e) => e.engine.length), ...(s.absent ?? []).map((a) => a.engine.length));
  const lines = [`conformance of ${s.suite.paths.join(' ')}:`];
  for (const e of s.engines) {
    const { passed, failed, skipped } = summaryTriple(e.run.totals);
    lines.push(`  ${e.engine.padEnd(width)}  ${passed} passed, ${failed} failed, ${skipped} skipped of ${e.run.totals.total} assertions${otherFailures(e.run).map((f) => `; ${f}`).join('')}`);
  }
  for (const a of s.absent ?? []) lines.push(`  ${a.engine.padEnd(width)}  not installed: ${a.install}`);
  lines.push(`  results    ${s.engines.map((e) => e.json).join(', ')}`);
  lines.push(`  dashboard  ${s.dashboard} (open it in a browser; the earlier runs of this suite it shows are in ${s.history})`);

  const failing = s.engines.filter((e) => e.exitCode !== 0).map((e) => e.engine);
  if (failing.length === 0) {
    lines.push(s.expect ? `exit status 0: no change from the expectations in ${s.expect}` : 'exit status 0: no assertion or command failed and every file ran to its end, on every engine');
    return lines;
  }
  if (s.expect) {
    lines.push(`exit status 1: ${list(failing)} ${failing.length === 1 ? 'differs' : 'differ'} from the expectations in ${s.expect} (the changes are listed above)`);
    return lines;
  }
  lines.push(`exit status 1: ${list(failing)} had failures (a run fails on any failed assertion or command and any file that did not run to its end).`);
  lines.push('  The official suites have known failures (proposals an engine lacks, places where V8 and the spec part), so the');
  lines.push('  gate is a comparison with expected results, failing only on a change; CI runs it for V8 14 and the JIT on both suites:');
  const engine = failing.find((e) => s.expectationFiles.some((f) => f.endsWith(`/${e}-${s.suite.name}.json`))) ?? 'jit';
  const file = s.expectationFiles.find((f) => f.endsWith(`/${engine}-${s.suite.name}.json`));
  const command = `npx mitey wast ${s.suite.paths.map(quoted).join(' ')} --engine ${engine}`;
  if (file) {
    lines.push(`    ${command} --expect ${file}`);
  } else {
    lines.push(`    ${command} --expect FILE`);
    lines.push(`  (ours are ${list(s.expectationFiles)}; with --update-expect a run writes FILE)`);
  }
  return lines;
}

/** The project's expectations files, as paths to type from the current folder. */
export function expectationFiles(): string[] {
  const dir = join(PACKAGE_ROOT, 'fixtures', 'expectations');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const rel = relative(process.cwd(), join(dir, f));
      return rel.startsWith('..') ? join(dir, f) : rel;
    });
}

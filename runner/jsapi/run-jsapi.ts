// Runs JS API test files on one engine, each in a worker process of its own (crash and timeout isolation),
// and gathers a RunResult like the .wast runs' (same reporters, JSON, dashboard).
import { fork } from 'node:child_process';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { FileResult, FileStatus } from '../../wast/results.js';
import { runtimeOf } from '../../engines/node-runtime.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { EngineIdentity } from '../pool/protocol.js';
import { onExit } from '../pool/exit-cleanup.js';
import { RunResult, runResultOf } from '../run-result.js';
import { FromJsApiWorker } from './protocol.js';
import { fileResult, Subtest } from './subtest-results.js';
import { readFileSync } from 'node:fs';
import { neededFeature } from './needed-feature.js';
import { parseMeta } from './meta.js';

const WORKER = join(PACKAGE_ROOT, 'dist', 'runner', 'jsapi', 'worker-main.js');

export const DEFAULT_JSAPI_TIMEOUT_MS = 30_000;
/** `// META: timeout=long` files get this many times the timeout (limits.any.js takes about 2 minutes here). */
export const LONG_TIMEOUT_FACTOR = 10;

export interface RunJsApiOptions {
  jobs: number;
  timeoutMs?: number;
  /** Where /wasm/jsapi/ helpers and resources/testharness.js are; default: found from each file. */
  root?: string;
  onFile?: (r: FileResult) => void;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** One file in a fresh worker: its result, or what it reached before it crashed or timed out. */
function runInWorker(file: string, engineName: string, timeoutMs: number, root: string | undefined, onEngine: (e: EngineIdentity) => void): Promise<FileResult> {
  const rt = runtimeOf(engineName);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = fork(WORKER, [engineName, file, root ?? ''], { execPath: rt.execPath, execArgv: rt.v8Flags.slice(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    const forget = onExit(() => void child.kill('SIGKILL'));
    const reached: Subtest[] = [];
    let settled = false;
    const finish = (r: FileResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      forget();
      child.kill('SIGKILL');
      resolve(r);
    };
    // Subtests that ended count; the file itself is one failed assertion more, so a hang or crash is never a pass.
    const unfinished = (status: FileStatus, error: string) =>
      fileResult(file, readText(file), [...reached, { name: `(${status === 'timeout' ? 'timed out' : 'crashed'} after ${reached.length} subtests)`, outcome: 'failed' }], status, Math.round(performance.now() - started), `${file}: ${error}`, neededFeature(file));
    const timer = setTimeout(() => finish(unfinished('timeout', `no result within ${timeoutMs / 1000} s`)), timeoutMs);
    child.on('message', (m: FromJsApiWorker) => {
      if (m.type === 'engine') onEngine(m.engine);
      else if (m.type === 'subtest') reached.push(m.subtest);
      else if (m.type === 'result') finish(m.result);
    });
    child.once('exit', (code, signal) => finish(unfinished('crashed', `the worker ${signal ? `was killed by ${signal}` : `ended with exit code ${code}`}`)));
  });
}

export async function runJsApi(files: string[], engineName: string, options: RunJsApiOptions): Promise<RunResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const rt = runtimeOf(engineName);
  let identity: EngineIdentity | undefined;
  const limit = pLimit(Math.max(1, options.jobs));
  const results = await Promise.all(files.map((f) => limit(async () => {
    const timeoutMs = (options.timeoutMs ?? DEFAULT_JSAPI_TIMEOUT_MS) * (parseMeta(readText(f)).longTimeout ? LONG_TIMEOUT_FACTOR : 1);
    const r = await runInWorker(f, engineName, timeoutMs, options.root, (e) => (identity ??= e));
    options.onFile?.(r);
    return r;
  })));
  const named = identity ?? { name: engineName, version: `${rt.v8} (node ${rt.node}; no worker started)`, features: [] };
  return runResultOf(named, startedAt, started, results);
}

// Runs .wast files on one engine, in worker processes or in this one, and gathers the run's results.
import { readFileSync, statSync } from 'node:fs';
import { Assembler } from '../wast/assembler.js';
import { Engine } from '../wast/engine.js';
import { runScript, RunOptions } from '../wast/interpreter.js';
import { parseScript } from '../wast/parser.js';
import { Script } from '../wast/script.js';
import { emptyTally, FileResult } from '../wast/results.js';
import { WastSyntaxError } from '../wast/source.js';
import pLimit from 'p-limit';
import { createEngine } from '../engines/create-engine.js';
import { runtimeOf } from '../engines/node-runtime.js';
import { scanModuleFeatures } from '../core/feature-scan.js';
import { featuresOfFile, featureTier, proposalFeaturesOfFile, WASM_2_FEATURES } from '../core/features.js';
import { WorkerPool } from './pool/worker-pool.js';
import { RunResult, runResultOf } from './run-result.js';
import { specOfFile } from './spec-of-file.js';
import { completeUnfinished } from './unfinished-file.js';

/** Feature tags for a file's assertions, and the --features selection. */
function featureOptions(file: string, select: string[] | undefined): RunOptions['features'] {
  return {
    ofFile: featuresOfFile(file),
    ofModule: scanModuleFeatures,
    ofProposal: proposalFeaturesOfFile(file),
    select: select && new Set(['mvp', ...select]),
    inSpec: (feature, spec) => feature === 'mvp' || WASM_2_FEATURES.includes(feature) || (spec === '3.0' && featureTier(feature) === '3.0'),
  };
}

export function runFile(file: string, engine: Engine, assembler: Assembler, options: RunOptions & { select?: string[] }): FileResult {
  const started = performance.now();
  options = { ...options, features: featureOptions(file, options.select), spec: options.spec ?? specOfFile(file) };
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
    assembler.cache?.open(text);
    try {
      let script = assembler.cache?.getParsed<Script>();
      if (!script || script.file !== file) {
        script = parseScript(file, text);
        assembler.cache?.setParsed(script);
      }
      const r = runScript(script, { engine, assembler, options });
      return completeUnfinished(r, { why: 'the script stopped with an error', text, line: options.line, features: options.features!.ofFile });
    } finally {
      assembler.cache?.close();
    }
  } catch (err) {
    // A script that cannot be read or tokenised at all: the file is an error (its assertions failed), the run goes on.
    const error = err instanceof WastSyntaxError ? err.message : `${file}: ${(err as Error).message}`;
    const r: FileResult = { file, status: 'error', error, ...emptyTally(), durationMs: Math.round(performance.now() - started), results: [] };
    return completeUnfinished(r, { why: 'the script could not be parsed', text, line: options.line, features: options.features!.ofFile });
  }
}

export interface RunFilesOptions extends Pick<RunOptions, 'strictMessages' | 'line' | 'spec'> {
  /** --features: only assertions needing nothing beyond these (and MVP) run; the others are skipped. */
  select?: string[];
  /** Worker processes; 0 runs the files in this process (no isolation), unless a timeout is given. */
  jobs: number;
  /**
   * Per file; none: DEFAULT_TIMEOUT_MS in workers, no limit with jobs 0. A loop in this process could not be
   * stopped, so with jobs 0 and a timeout the files run one at a time in a single worker process.
   */
  timeoutMs?: number;
  /** Stop starting files after the first one with a failure. */
  bail?: boolean;
  /** Where assembled modules are kept between runs; none: assemble every time. */
  cacheDir?: string;
  /** V8 flags for the engine's process (--v8-flags): on every worker's command line. */
  v8Flags?: string[];
  onFile?: (r: FileResult) => void;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Why the engine cannot run in this process (--jobs 0): it runs on another Node (V8 14), or needs V8 flags this
 * process was not started with. Then --jobs 0 runs the files one at a time in a single worker, with no time limit.
 */
export function whyNotInThisProcess(engineName: string, v8Flags: string[] = []): string | undefined {
  const rt = runtimeOf(engineName);
  if (!rt.here) return `${engineName} is V8 ${rt.v8} of node ${rt.node} (${rt.execPath}), not this process's`;
  if (v8Flags.length) return `the V8 flags ${v8Flags.join(' ')} are given on a worker's command line`;
  return undefined;
}

function fileFailed(r: FileResult): boolean {
  return r.status !== 'ok' || r.counts.failed > 0 || r.commandFailures > 0;
}

/** Runs the files on the named engine: in a pool of worker processes, or in this process. */
export async function runFiles(files: string[], engineName: string, options: RunFilesOptions): Promise<RunResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const rt = runtimeOf(engineName);
  const v8Flags = [...rt.v8Flags, ...(options.v8Flags ?? [])];
  const elsewhere = whyNotInThisProcess(engineName, options.v8Flags);
  // An engine of this process answers for itself; one on another Node (V8 14), as its first worker reports it.
  const engine = elsewhere ? undefined : createEngine(engineName, v8Flags);
  const results: (FileResult | undefined)[] = new Array(files.length);
  let bailed = false;
  const finish = (i: number, r: FileResult) => {
    results[i] = r;
    options.onFile?.(r);
    if (options.bail && fileFailed(r)) bailed = true;
  };
  const runOptions = { strictMessages: options.strictMessages, line: options.line, select: options.select, spec: options.spec };
  let identity = engine && { name: engine.name, version: engine.version, features: [...engine.features].sort(), ...(engine.dialect ? { dialect: engine.dialect } : {}) };
  if (options.jobs <= 0 && options.timeoutMs === undefined && engine) {
    const assembler = await Assembler.load({ cacheDir: options.cacheDir });
    files.forEach((f, i) => {
      if (!bailed) finish(i, runFile(f, engine, assembler, runOptions));
    });
  } else {
    // --jobs 0 for an engine that cannot run here: one worker, no time limit unless one is given.
    const timeoutMs = options.timeoutMs ?? (options.jobs <= 0 ? undefined : DEFAULT_TIMEOUT_MS);
    // A pool per set of V8 flags: scripts that need a proposal behind a flag get workers started with it.
    const pools = new Map<string, WorkerPool>();
    const poolFor = (file: string) => {
      const extra = [...featuresOfFile(file)].flatMap((f) => rt.featureFlags[f] ?? []);
      const key = extra.join(' ');
      let pool = pools.get(key);
      if (!pool) {
        pool = new WorkerPool({ engine: engineName, cacheDir: options.cacheDir, options: runOptions }, timeoutMs, { execPath: rt.execPath, v8Flags: [...v8Flags, ...extra] });
        pools.set(key, pool);
      }
      return pool;
    };
    const limit = pLimit(Math.max(1, options.jobs));
    // Largest files first, so that no worker is left with a big one at the end; results keep discovery order.
    const order = files.map((f, i) => ({ f, i, size: statSync(f, { throwIfNoEntry: false })?.size ?? 0 })).sort((a, b) => b.size - a.size);
    try {
      await Promise.all(order.map(({ f, i }) => limit(async () => {
        if (!bailed) finish(i, await poolFor(f).run(f));
      })));
    } finally {
      await Promise.all([...pools.values()].map((p) => p.close()));
    }
    identity ??= pools.get('')?.identity ?? [...pools.values()].find((p) => p.identity)?.identity;
    // The engine claims what its scripts get: the features behind the flags it starts workers with.
    const flagged = Object.keys(rt.featureFlags);
    if (identity && flagged.length) {
      const flags = flagged.map((f) => `${f}: ${rt.featureFlags[f].join(' ')}`).join(', ');
      identity = { ...identity, version: `${identity.version} [scripts needing ${flags}]`, features: [...new Set([...identity.features, ...flagged])].sort() };
    }
  }
  const done = results.filter((r): r is FileResult => r !== undefined);  // in discovery order
  // No worker started (each crashed at start): the runtime's versions name the engine all the same.
  const named = identity ?? { name: engineName, version: `${rt.v8} (node ${rt.node}; no worker started)`, features: [] };
  return runResultOf(named, startedAt, started, done);
}

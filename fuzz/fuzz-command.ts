// `mitey fuzz`: the differential fuzzer. Two engines or more, each running every case (default: V8, the
// reference, and the JIT), for a time budget, in worker processes; a disagreement is shrunk and written to
// fixtures/regressions/ as a .wast. `--mutants` measures the fuzzer itself: V8 against each mutant engine,
// each must be found. Where V8 is one of the engines, the workers run on the reference's Node (V8 14:
// engines/node-runtime.ts), so the generated modules hold the Wasm 3.0 features all engines have
// (`--features` narrows them).
import { ChildProcess, fork, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { runtimeOf } from '../engines/node-runtime.js';
import { splitEngineList } from '../engines/protocol-engines.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { FuzzWorkerArgs, readCaseFile, threadLoop } from './fuzz-loop.js';
import { FuzzWorkerProgress, FuzzWorkerResult } from './fuzz-worker.js';
import { GenFeature } from './gen/features.js';
import { NUMERIC_OPS, opKey, SIMD_OPS } from './gen/opcodes.js';
import { newCoverageLine } from './coverage-3.js';
import { ALL_TWINS } from './mutants/catalog.js';
import { MutantReport, MutantsWorkerArgs } from './mutants-worker.js';
import { is3Twin, isSimdTwin } from './mutants/twins.js';

export interface FuzzArgs {
  jobs: number;
  seconds: number;
  seed: number;
  /** every case runs on each; the first is the reference (a reproducer's expectations when no majority says otherwise) */
  engines: string[];
  mutants: boolean;
  out: string;
  /** Threads per worker process, each running its own loop on the same engines at once. */
  threads: number;
  /**
   * After a finding, a worker's slot goes on with the next seed until the time is up (engines that differ in many
   * places, as engines of other families do, would otherwise end a campaign in seconds); findings are grouped by kind.
   */
  keepGoing?: boolean;
  /** The Wasm 3.0 features generated (default: those all engines have; [] for Wasm 2.0 only). */
  features?: GenFeature[];
  /** With --mutants: only the mutants whose names contain one of these. */
  only?: string[];
  /** With --mutants: at most this many cases per mutant. */
  runs?: number;
}

/**
 * The engines of `--engines LIST` (comma separated; a comma inside quotes does not separate, for a
 * `cmd:` engine's command line), or of the older `--engine X` and `--reference Y` (Y, X: default v8, jit).
 * Any names: the workers make them (engines/create-engine.ts). Throws on fewer than two, or one twice.
 */
export function fuzzEngines(o: { engines?: string; engine?: string; reference?: string }): string[] {
  if (o.engines === undefined) {
    const list = [o.reference ?? 'v8', o.engine ?? 'jit'];
    if (list[0] === list[1]) throw new Error(`the engine and the reference are both "${list[0]}": fuzzing needs two different engines`);
    return list;
  }
  if (o.engine !== undefined || o.reference !== undefined) throw new Error('--engines names every engine: give it without --engine and --reference');
  const list = splitEngineList(o.engines);
  if (list.some((e) => !e)) throw new Error(`--engines: an empty name in "${o.engines}"`);
  if (list.length < 2) throw new Error(`--engines wants two engines or more, comma separated (e.g. v8,jit or v8,v8-node,jit), got "${o.engines}"`);
  const twice = list.find((e, i) => list.indexOf(e) !== i);
  if (twice) throw new Error(`--engines names "${twice}" twice: each engine once`);
  return list;
}

/** The Node a worker runs on: the reference's (V8 14) where V8 is one of the engines, else the first engine's (this one). */
function workerRuntime(engines: readonly string[]): { execPath: string; execArgv: string[] } {
  const rt = runtimeOf(engines.includes('v8') ? 'v8' : engines[0]);
  return { execPath: rt.execPath, execArgv: [...rt.v8Flags] };
}

export async function fuzzCommand(a: FuzzArgs): Promise<number> {
  if (a.mutants) return mutantsCommand(a);
  const t = performance.now();
  const live = new Map<number, FuzzWorkerProgress>();
  let found = 0; // findings of workers that have ended (--keep-going)
  const progress = setInterval(() => {
    const cases = [...live.values()].reduce((n, p) => n + p.cases, 0);
    const calls = [...live.values()].reduce((n, p) => n + p.calls, 0);
    const secs = (performance.now() - t) / 1000;
    console.log(`  ${secs.toFixed(0)} s: ${cases} cases (${Math.round(cases / secs)}/s), ${calls} export calls, ${found} disagreements so far`);
  }, 10_000);
  const children = new Set<ChildProcess>();
  const deadline = t + a.seconds * 1000;
  const jobs = Math.max(1, a.jobs);
  // A slot runs a worker, and with --keep-going another after each that ended with a finding, while time is left.
  const slot = async (i: number) => {
    const out: Awaited<ReturnType<typeof runWorker>>[] = [];
    const before = { type: 'progress' as const, cases: 0, calls: 0 };
    for (let seed = a.seed + i; ; seed += jobs) {
      const ms = deadline - performance.now();
      const r = await runWorker({ ...a, seconds: Math.max(1, ms / 1000) }, seed, (p) => live.set(i, { ...p, cases: before.cases + p.cases, calls: before.calls + p.calls }), children);
      out.push(r);
      before.cases += r.cases;
      before.calls += r.calls;
      found += r.findings.length;
      if (!a.keepGoing || r.findings.length === 0 || deadline - performance.now() < 2000) return out;
    }
  };
  let results: Awaited<ReturnType<typeof runWorker>>[];
  try {
    results = (await Promise.all(Array.from({ length: jobs }, (_, i) => slot(i)))).flat();
  } catch (err) {
    for (const c of children) c.kill();
    throw err;
  } finally {
    clearInterval(progress);
  }
  const secs = (performance.now() - t) / 1000;
  const cases = results.reduce((n, r) => n + r.cases, 0);
  const calls = results.reduce((n, r) => n + r.calls, 0);
  const findings = results.flatMap((r) => r.findings);
  console.log(
    `fuzz ${a.engines.join(', ')} with ${a.jobs} workers of ${a.threads} thread${a.threads === 1 ? '' : 's'}: ${cases} cases, ${calls} export calls in ${secs.toFixed(1)} s ` +
      `(${Math.round(cases / secs)} cases/s, ${Math.round(calls / secs)} calls/s), ${findings.length} disagreements`,
  );
  const features = results.find((r) => r.cases)?.features ?? [];
  console.log(`Wasm 3.0 features generated: ${features.length ? features.join(', ') : 'none (Wasm 2.0 only)'}`);
  console.log(coverageLine(results));
  if (features.length) console.log(newCoverageLine(mergedCoverage(results)));
  if (findings.length === 0) return 0;
  mkdirSync(a.out, { recursive: true });
  // With --keep-going, findings of one kind (the same engines apart with the same outcomes, whatever the call and
  // values) get one reproducer; else each its own (a crash's threads each left a case that may be the one).
  const kinds = new Map<string, Finding[]>();
  findings.forEach((f, i) => {
    const kind = a.keepGoing ? findingKind(f.what) : String(i);
    kinds.set(kind, [...(kinds.get(kind) ?? []), f]);
  });
  if (a.keepGoing) console.log(`${findings.length} disagreements of ${kinds.size} kinds:`);
  for (const group of kinds.values()) {
    const f = group[0];
    console.log(`disagreement${group.length > 1 ? ` (${group.length} cases of this kind)` : ''}: ${f.what}`);
    const path = join(a.out, `fuzz-seed${f.seed}-${Date.now()}.wast`);
    writeReproducer(a, f, path);
    console.log(`reproducer (${Number.isNaN(f.instructions) ? 'from a crash' : `${f.instructions} instructions`}) written to ${path}`);
  }
  return 1;
}

/** A finding's kind: its words without the call, the values and the numbers that differ from case to case. */
export function findingKind(what: string): string {
  return what
    .replace(/call \d+ "[^"]*"\([^)]*\): /g, '')
    .replace(/global "[^"]*"/g, 'global')
    .replace(/(i32|i64|f32|f64|v128):[0-9a-fx ]+/g, '$1')
    .replace(/\d+/g, 'N');
}

/** The reproducer of a finding, written by a process of the workers' Node; the results of the engine it names are its expectations. */
function writeReproducer(a: FuzzArgs, f: Finding, path: string): void {
  const file = join(tmpdir(), `mitey-finding-${process.pid}-${Date.now()}`);
  writeFileSync(file, serialize({ bytes: f.bytes, calls: f.calls, what: f.what, seed: f.seed, path: f.path, expectFrom: f.expectFrom }));
  const rt = workerRuntime(a.engines);
  const r = spawnSync(rt.execPath, [...rt.execArgv, REPRODUCE, file, path], { encoding: 'utf8' });
  rmSync(file, { force: true });
  if (r.status !== 0) throw new Error(`writing the reproducer failed: ${r.stderr || r.error?.message}`);
}

/** V8 against each mutant engine (all, or those --mutant names), in --jobs worker processes on the reference's Node. */
async function mutantsCommand(a: FuzzArgs): Promise<number> {
  const twins = ALL_TWINS.filter((t) => !a.only?.length || a.only.some((o) => t.name.includes(o)));
  if (!twins.length) throw new Error(`no mutant named like ${a.only?.join(', ')}`);
  const jobs = Math.max(1, Math.min(a.jobs, twins.length));
  const shares = Array.from({ length: jobs }, (_, j) => twins.filter((_, i) => i % jobs === j).map((t) => t.name));
  const reports: MutantReport[] = [];
  const rt = workerRuntime(['v8']);
  await Promise.all(
    shares.map(
      (names) =>
        new Promise<void>((resolve, reject) => {
          const args: MutantsWorkerArgs = { twins: names, seed: a.seed, ms: Math.max(1, a.seconds) * 1000, ...(a.runs ? { runs: a.runs } : {}), ...(a.features ? { features: a.features } : {}) };
          const child = fork(MUTANTS_WORKER, [JSON.stringify(args)], { execPath: rt.execPath, execArgv: rt.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          child.on('message', (r: MutantReport) => {
            reports.push(r);
            console.log(
              `${r.found ? 'found ' : 'MISSED'} ${r.name.padEnd(52)} ${r.cases} cases (${r.ran} changed by it), ${r.secs.toFixed(1)} s${r.size !== undefined ? `, shrunk to ${r.size} instructions` : ''}`,
            );
          });
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a mutants worker ended with exit code ${code}`))));
        }),
    ),
  );
  const found = reports.filter((r) => r.found);
  const sizes = found.map((r) => r.size!).sort((x, y) => x - y);
  const median = sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0;
  const count = (p: (name: string) => boolean) => [reports.filter((r) => p(r.name)).length, found.filter((r) => p(r.name)).length];
  const byName = new Map(twins.map((t) => [t.name, t]));
  const [simdAll, simdFound] = count((n) => isSimdTwin(byName.get(n)!) && !is3Twin(byName.get(n)!));
  const [newAll, newFound] = count((n) => is3Twin(byName.get(n)!));
  console.log(
    `mutants: ${found.length} of ${twins.length} found (${((100 * found.length) / twins.length).toFixed(1)}%; SIMD ${simdFound} of ${simdAll}, Wasm 3.0 ${newFound} of ${newAll}), median reproducer ${median} instructions`,
  );
  return found.length === twins.length ? 0 : 1;
}

function mergedCoverage(results: FuzzWorkerResult[]): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const r of results) for (const [k, n] of Object.entries(r.coverage)) seen[k] = (seen[k] ?? 0) + n;
  return seen;
}

const WORKER = join(PACKAGE_ROOT, 'dist', 'fuzz', 'fuzz-worker.js');
const MUTANTS_WORKER = join(PACKAGE_ROOT, 'dist', 'fuzz', 'mutants-worker.js');
const REPRODUCE = join(PACKAGE_ROOT, 'dist', 'fuzz', 'reproduce.js');

/** Which instructions the campaign's cases held: every numeric opcode, the SIMD ones if any, and the other kinds. */
function coverageLine(results: FuzzWorkerResult[]): string {
  const seen = mergedCoverage(results);
  const missing = NUMERIC_OPS.filter((op) => !seen[`numeric:${opKey(op)}`]).map((op) => op.name);
  const simd = SIMD_OPS.filter((op) => seen[`simd:${opKey(op)}`]).length;
  const kinds = Object.keys(seen).filter((k) => !k.startsWith('numeric:') && !k.startsWith('simd:') && !k.startsWith('3.0:')).sort();
  return (
    `coverage: ${NUMERIC_OPS.length - missing.length} of ${NUMERIC_OPS.length} numeric opcodes${missing.length ? ` (never: ${missing.join(', ')})` : ''}; ` +
    `${simd} of ${SIMD_OPS.length} SIMD opcodes; other instructions: ${kinds.join(', ')}`
  );
}

type Finding = NonNullable<FuzzWorkerResult['finding']>;

/**
 * One worker for one seed; a worker that crashes is itself a finding, with the case it was on (with several
 * threads, each thread's last case: any of them may be the one), naming the engine that was running it when
 * the case file tells. A worker that ends before its first case (an engine it cannot make) fails the command.
 */
function runWorker(a: FuzzArgs, seed: number, onProgress: (p: FuzzWorkerProgress) => void, children: Set<ChildProcess>): Promise<FuzzWorkerResult & { findings: Finding[] }> {
  const caseFile = join(tmpdir(), `mitey-fuzz-${process.pid}-${seed}`);
  const args: FuzzWorkerArgs = { seed, ms: a.seconds * 1000, engines: a.engines, caseFile, threads: a.threads, ...(a.features ? { features: a.features } : {}) };
  const rt = workerRuntime(a.engines);
  return new Promise((resolve, reject) => {
    let result: FuzzWorkerResult | undefined;
    const child = fork(WORKER, [JSON.stringify(args)], { execPath: rt.execPath, execArgv: rt.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.add(child);
    child.on('message', (m: FuzzWorkerResult | FuzzWorkerProgress) => {
      if (m.type === 'progress') onProgress(m);
      else result = m;
    });
    child.on('exit', (code, signal) => {
      children.delete(child);
      const files = Array.from({ length: a.threads }, (_, k) => threadLoop(args, k).caseFile);
      if (result) {
        for (const f of files) rmSync(f, { force: true });
        return resolve({ ...result, findings: result.finding ? [result.finding] : [] });
      }
      const ended = signal ? `was killed by ${signal}` : `ended with exit code ${code}`;
      const findings: Finding[] = [];
      files.forEach((file, k) => {
        const last = readCaseFile(file, a.engines);
        rmSync(file, { force: true });
        if (!last) return;
        // The engine running the case crashed it, as far as can be told; the expectations are another's.
        const how = last.running ? `the worker running ${last.running} ${ended}` : `the worker running ${a.engines.join(', ')} ${ended} between engines' runs`;
        const what = a.threads === 1 ? how : `${how}; thread ${k + 1} of ${a.threads} was running this case`;
        const expectFrom = a.engines.find((e) => e !== last.running)!;
        findings.push({ bytes: last.bytes, calls: last.calls, what, seed: threadLoop(args, k).seed, path: '', instructions: Number.NaN, expectFrom });
      });
      if (!findings.length) return reject(new Error(`a fuzzing worker (${a.engines.join(', ')}) ${ended} before its first case${signal ? '' : ' (its error is above)'}`));
      resolve({ type: 'result', cases: 0, calls: 0, coverage: {}, features: [], finding: findings[0], findings });
    });
  });
}

export const DEFAULT_REGRESSIONS = join(PACKAGE_ROOT, 'fixtures', 'regressions');

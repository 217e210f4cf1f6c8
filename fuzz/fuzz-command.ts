// `mitey fuzz`: the differential fuzzer. Engine b against reference a (default: the JIT against V8)
// for a time budget, in worker processes; a disagreement is shrunk and written to fixtures/regressions/
// as a .wast. `--mutants` measures the fuzzer itself: V8 against each mutant engine, each must be found.
// Where V8 is one of the engines, the workers run on the reference's Node (V8 14: engines/node-runtime.ts),
// so the generated modules hold the Wasm 3.0 features both engines have (`--features` narrows them).
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { runtimeOf } from '../engines/node-runtime.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { FuzzWorkerArgs, threadLoop } from './fuzz-loop.js';
import { FuzzWorkerProgress, FuzzWorkerResult } from './fuzz-worker.js';
import { GenFeature } from './gen/features.js';
import { NUMERIC_OPS, opKey, SIMD_OPS } from './gen/opcodes.js';
import { Call } from './oracle.js';
import { newCoverageLine } from './coverage-3.js';
import { ALL_TWINS } from './mutants/catalog.js';
import { MutantReport, MutantsWorkerArgs } from './mutants-worker.js';
import { is3Twin, isSimdTwin } from './mutants/twins.js';

export interface FuzzArgs {
  jobs: number;
  seconds: number;
  seed: number;
  engine: string;
  reference: string;
  mutants: boolean;
  out: string;
  /** Threads per worker process, each running its own loop on the same engines at once. */
  threads: number;
  /** The Wasm 3.0 features generated (default: those both engines have; [] for Wasm 2.0 only). */
  features?: GenFeature[];
  /** With --mutants: only the mutants whose names contain one of these. */
  only?: string[];
  /** With --mutants: at most this many cases per mutant. */
  runs?: number;
}

/** The Node a worker runs on: the reference's (V8 14) where V8 is one of the engines, else this one. */
function workerRuntime(a: Pick<FuzzArgs, 'engine' | 'reference'>): { execPath: string; execArgv: string[] } {
  const rt = a.engine === 'v8' || a.reference === 'v8' ? runtimeOf('v8') : runtimeOf(a.engine);
  return { execPath: rt.execPath, execArgv: [...rt.v8Flags] };
}

export async function fuzzCommand(a: FuzzArgs): Promise<number> {
  if (a.mutants) return mutantsCommand(a);
  const t = performance.now();
  const live = new Map<number, FuzzWorkerProgress>();
  const progress = setInterval(() => {
    const cases = [...live.values()].reduce((n, p) => n + p.cases, 0);
    const calls = [...live.values()].reduce((n, p) => n + p.calls, 0);
    const secs = (performance.now() - t) / 1000;
    console.log(`  ${secs.toFixed(0)} s: ${cases} cases (${Math.round(cases / secs)}/s), ${calls} export calls, 0 disagreements so far`);
  }, 10_000);
  const results = await Promise.all(Array.from({ length: Math.max(1, a.jobs) }, (_, i) => runWorker(a, a.seed + i, (p) => live.set(i, p))));
  clearInterval(progress);
  const secs = (performance.now() - t) / 1000;
  const cases = results.reduce((n, r) => n + r.cases, 0);
  const calls = results.reduce((n, r) => n + r.calls, 0);
  const findings = results.flatMap((r) => r.findings);
  console.log(
    `fuzz ${a.engine} against ${a.reference} with ${a.jobs} workers of ${a.threads} thread${a.threads === 1 ? '' : 's'}: ${cases} cases, ${calls} export calls in ${secs.toFixed(1)} s ` +
      `(${Math.round(cases / secs)} cases/s, ${Math.round(calls / secs)} calls/s), ${findings.length} disagreements`,
  );
  const features = results.find((r) => r.cases)?.features ?? [];
  console.log(`Wasm 3.0 features generated: ${features.length ? features.join(', ') : 'none (Wasm 2.0 only)'}`);
  console.log(coverageLine(results));
  if (features.length) console.log(newCoverageLine(mergedCoverage(results)));
  if (findings.length === 0) return 0;
  mkdirSync(a.out, { recursive: true });
  for (const f of findings) {
    console.log(`disagreement: ${f.what}`);
    const path = join(a.out, `fuzz-seed${f.seed}-${Date.now()}.wast`);
    writeReproducer(a, f, path);
    console.log(`reproducer (${Number.isNaN(f.instructions) ? 'from a crash' : `${f.instructions} instructions`}) written to ${path}`);
  }
  return 1;
}

/** The reproducer of a finding, written by a process of the reference's Node, whose results are its expectations. */
function writeReproducer(a: FuzzArgs, f: Finding, path: string): void {
  const file = join(tmpdir(), `mitey-finding-${process.pid}-${Date.now()}`);
  writeFileSync(file, serialize({ bytes: f.bytes, calls: f.calls, what: f.what, seed: f.seed, path: f.path }));
  const rt = workerRuntime({ engine: a.reference, reference: a.reference });
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
  const rt = workerRuntime({ engine: 'v8', reference: a.reference });
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
 * One worker for one seed; a worker the engine crashes is itself a finding, with the case it was
 * on (with several threads, each thread's last case: any of them may be the one).
 */
function runWorker(a: FuzzArgs, seed: number, onProgress: (p: FuzzWorkerProgress) => void): Promise<FuzzWorkerResult & { findings: Finding[] }> {
  const caseFile = join(tmpdir(), `mitey-fuzz-${process.pid}-${seed}`);
  const args: FuzzWorkerArgs = { seed, ms: a.seconds * 1000, engine: a.engine, reference: a.reference, caseFile, threads: a.threads, ...(a.features ? { features: a.features } : {}) };
  const rt = workerRuntime(a);
  return new Promise((resolve) => {
    let result: FuzzWorkerResult | undefined;
    const child = fork(WORKER, [JSON.stringify(args)], { execPath: rt.execPath, execArgv: rt.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: FuzzWorkerResult | FuzzWorkerProgress) => {
      if (m.type === 'progress') onProgress(m);
      else result = m;
    });
    child.on('exit', (code, signal) => {
      const files = Array.from({ length: a.threads }, (_, k) => threadLoop(args, k).caseFile);
      if (result) {
        for (const f of files) rmSync(f, { force: true });
        return resolve({ ...result, findings: result.finding ? [result.finding] : [] });
      }
      const how = `the worker running ${a.engine} ${signal ? `was killed by ${signal}` : `ended with exit code ${code}`}`;
      const findings: Finding[] = [];
      files.forEach((file, k) => {
        let last: { bytes: Uint8Array; calls: Call[] } | undefined;
        try {
          last = deserialize(readFileSync(file)) as typeof last;
        } catch {
          return;
        }
        const what = a.threads === 1 ? how : `${how}; thread ${k + 1} of ${a.threads} was running this case`;
        findings.push({ ...last!, what, seed: threadLoop(args, k).seed, path: '', instructions: Number.NaN });
        rmSync(file, { force: true });
      });
      resolve({ type: 'result', cases: 0, calls: 0, coverage: {}, features: [], finding: findings[0], findings });
    });
  });
}

export const DEFAULT_REGRESSIONS = join(PACKAGE_ROOT, 'fixtures', 'regressions');

// `mitey fuzz`: the differential fuzzer. Engine b against reference a (default: the JIT against V8)
// for a time budget; a disagreement is shrunk and written to fixtures/regressions/ as a .wast.
// `--mutants` measures the fuzzer itself: V8 against each mutant engine, each must be found.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { Assembler } from '../wast/assembler.js';
import { createEngine } from '../engines/create-engine.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { differential } from './differential.js';
import { FuzzWorkerArgs, threadLoop } from './fuzz-loop.js';
import { FuzzWorkerProgress, FuzzWorkerResult } from './fuzz-worker.js';
import { NUMERIC_OPS, opKey, SIMD_OPS } from './gen/opcodes.js';
import { Call } from './oracle.js';
import { instructionCount } from './fuzz-case.js';
import { MutantEngine } from './mutants/mutant-engine.js';
import { isSimdTwin, TWINS } from './mutants/twins.js';
import { reproducer } from './reproducer.js';

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
}

export async function fuzzCommand(a: FuzzArgs): Promise<number> {
  const reference = createEngine(a.reference);
  if (a.mutants) {
    const perMutant = Math.max(1, a.seconds) * 1000;
    let found = 0;
    let simdFound = 0;
    const sizes: number[] = [];
    for (const twin of TWINS) {
      const t = performance.now();
      const mutant = new MutantEngine(twin);
      // against V8, a case the twin does not change runs on V8 twice: it cannot disagree, so it is not run
      const relevant = reference.name === 'v8' ? (bytes: Uint8Array) => mutant.applies(bytes) : undefined;
      const r = differential(reference, mutant, { seed: a.seed, ms: perMutant, relevant });
      const size = r.finding ? instructionCount(r.finding.case) : undefined;
      if (size !== undefined) {
        found++;
        if (isSimdTwin(twin)) simdFound++;
        sizes.push(size);
      }
      console.log(`${r.finding ? 'found ' : 'MISSED'} ${twin.name.padEnd(52)} ${r.cases} cases, ${((performance.now() - t) / 1000).toFixed(1)} s${size !== undefined ? `, shrunk to ${size} instructions` : ''}`);
    }
    sizes.sort((x, y) => x - y);
    const median = sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0;
    const simdTwins = TWINS.filter(isSimdTwin).length;
    console.log(
      `mutants: ${found} of ${TWINS.length} found (${((100 * found) / TWINS.length).toFixed(1)}%; SIMD ${simdFound} of ${simdTwins}), median reproducer ${median} instructions`,
    );
    return found === TWINS.length ? 0 : 1;
  }
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
  console.log(coverageLine(results));
  if (findings.length === 0) return 0;
  const assembler = await Assembler.load();
  mkdirSync(a.out, { recursive: true });
  for (const f of findings) {
    console.log(`disagreement: ${f.what}`);
    const path = join(a.out, `fuzz-seed${f.seed}-${Date.now()}.wast`);
    writeFileSync(path, reproducer({ case: { bytes: f.bytes, calls: f.calls }, what: f.what, seed: f.seed, path: f.path }, reference, assembler));
    console.log(`reproducer (${Number.isNaN(f.instructions) ? 'from a crash' : `${f.instructions} instructions`}) written to ${path}`);
  }
  return 1;
}

const WORKER = join(PACKAGE_ROOT, 'dist', 'fuzz', 'fuzz-worker.js');

/** Which instructions the campaign's cases held: every numeric opcode, the SIMD ones if any, and the other kinds. */
function coverageLine(results: FuzzWorkerResult[]): string {
  const seen: Record<string, number> = {};
  for (const r of results) for (const [k, n] of Object.entries(r.coverage)) seen[k] = (seen[k] ?? 0) + n;
  const missing = NUMERIC_OPS.filter((op) => !seen[`numeric:${opKey(op)}`]).map((op) => op.name);
  const simd = SIMD_OPS.filter((op) => seen[`simd:${opKey(op)}`]).length;
  const kinds = Object.keys(seen).filter((k) => !k.startsWith('numeric:') && !k.startsWith('simd:')).sort();
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
  const args: FuzzWorkerArgs = { seed, ms: a.seconds * 1000, engine: a.engine, reference: a.reference, caseFile, threads: a.threads };
  return new Promise((resolve) => {
    let result: FuzzWorkerResult | undefined;
    const child = fork(WORKER, [JSON.stringify(args)], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
      resolve({ type: 'result', cases: 0, calls: 0, coverage: {}, finding: findings[0], findings });
    });
  });
}

export const DEFAULT_REGRESSIONS = join(PACKAGE_ROOT, 'fixtures', 'regressions');

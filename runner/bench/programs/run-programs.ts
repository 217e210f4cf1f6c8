// The program benchmark: every selected program on every selected engine, each in a child process
// of its own, one after another (never in parallel, so they do not compete for the machine's two
// cores), then the checks: Liftoff and TurboFan hash the output the same, the JIT hashes it as V8
// does, every child succeeded, and V8 ran in the tier its flags promise.
import { geometricMean } from '../run-bench.js';
import { programEngines, type ProgramEngine, type ProgramEngineName } from './engines.js';
import { selectPrograms } from './programs.js';
import type { ProgramMeasurement } from './protocol.js';
import { DEFAULT_TIMEOUT_MS, runChild } from './spawn-child.js';

export interface ProgramsOptions {
  /** Program names; all when empty. */
  programs?: string[];
  /** Engine names; all when empty. */
  engines?: string[];
  /** Timed runs after the warm-up, best counts (default 3); 0: the warm-up run alone. */
  runs?: number;
  /** Each program's testSize instead of its benchSize. */
  quick?: boolean;
  /** Multiplies each program's size (after --quick's choice); 1 by default. */
  scale?: number;
  /** Per child (default 10 minutes). */
  timeoutMs?: number;
  /** Where the JIT's register hook is (tests point it elsewhere). */
  registerPath?: string;
  progress?: (line: string) => void;
}

export interface EngineRow {
  engine: ProgramEngineName;
  label: string;
  command?: string[];
  measurement?: ProgramMeasurement;
  error?: string;
  /** The engine could not run at all (the JIT without its register hook): not a failure. */
  unavailable?: string;
}

export interface ProgramResult {
  program: string;
  npmPackage: string;
  version: string;
  origin: string;
  size: number;
  sizeUnit: string;
  engines: EngineRow[];
  /** V8's output hash, when V8 ran and its modes agree. */
  v8Hash?: string;
  /** Run time of the JIT over Liftoff's and over TurboFan's, when the JIT's hash is V8's. */
  jitOverLiftoff?: number;
  jitOverTurbofan?: number;
  /** What went wrong: errors, crashes, timeouts, hashes that disagree, V8 in the wrong tier. */
  problems: string[];
}

export interface ProgramsResult {
  startedAt: string;
  durationMs: number;
  node: string;
  v8: string;
  runs: number;
  quick: boolean;
  scale: number;
  timeoutMs: number;
  engines: { name: ProgramEngineName; label: string; nodeFlags?: string[]; unavailable?: string }[];
  programs: ProgramResult[];
  geomean: { programs: number; jitOverLiftoff?: number; jitOverTurbofan?: number };
  ok: boolean;
}

/** The checks on one program's rows; fills v8Hash, the ratios and problems. */
export function checkProgram(p: ProgramResult, engines: readonly ProgramEngine[]): void {
  const row = (name: ProgramEngineName) => p.engines.find((r) => r.engine === name);
  for (const r of p.engines) {
    if (r.error) p.problems.push(`${r.label} failed: ${r.error}`);
    if (r.measurement && r.measurement.v8Namespace !== (r.engine !== 'jit')) {
      p.problems.push(r.engine === 'jit' ? 'JIT: globalThis.WebAssembly was still V8\'s: the register hook did not replace it' : `${r.label}: globalThis.WebAssembly was not V8's`);
    }
    const want = engines.find((e) => e.name === r.engine)?.tier;
    const tiers = r.measurement?.tiers;
    if (want && tiers) {
      const wrong = want === 'liftoff' ? tiers.turbofan : tiers.liftoff;
      if (wrong > 0) p.problems.push(`${r.label}: ${wrong} of the exported wasm functions ran in ${want === 'liftoff' ? 'TurboFan' : 'Liftoff'}, not ${want}`);
    }
  }
  const liftoff = row('liftoff')?.measurement;
  const turbofan = row('turbofan')?.measurement;
  const jit = row('jit')?.measurement;
  if (liftoff && turbofan && liftoff.hash !== turbofan.hash) {
    p.problems.push(`V8 disagrees with itself: Liftoff hashed ${liftoff.hash.slice(0, 12)}, TurboFan ${turbofan.hash.slice(0, 12)}`);
  } else if (liftoff || turbofan) {
    p.v8Hash = (liftoff ?? turbofan)!.hash;
  }
  if (jit && p.v8Hash !== undefined && jit.hash !== p.v8Hash) {
    p.problems.push(`HASH MISMATCH: the JIT hashed ${jit.hash.slice(0, 12)}, V8 ${p.v8Hash.slice(0, 12)}: the JIT computed a different output`);
  }
  if (jit && p.v8Hash !== undefined && jit.hash === p.v8Hash) {
    if (liftoff) p.jitOverLiftoff = jit.runMs / liftoff.runMs;
    if (turbofan) p.jitOverTurbofan = jit.runMs / turbofan.runMs;
  }
}

export function programSize(benchSize: number, testSize: number, quick: boolean, scale: number): number {
  const size = (quick ? testSize : benchSize) * scale;
  return Number.isInteger(benchSize) && Number.isInteger(testSize) ? Math.max(1, Math.round(size)) : size;
}

export async function runPrograms(options: ProgramsOptions = {}): Promise<ProgramsResult> {
  const started = Date.now();
  const runs = options.runs ?? 3;
  const quick = options.quick ?? false;
  const scale = options.scale ?? 1;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(runs) || runs < 0) throw new Error(`runs must be a whole number, not ${runs}`);
  if (!(scale > 0)) throw new Error(`scale must be positive, not ${scale}`);
  const programs = selectPrograms(options.programs ?? []);
  const engines = programEngines(options.engines ?? [], options.registerPath);
  const results: ProgramResult[] = [];
  for (const program of programs) {
    const size = programSize(program.benchSize, program.testSize, quick, scale);
    const p: ProgramResult = {
      program: program.name,
      npmPackage: program.npmPackage,
      version: program.version,
      origin: program.origin,
      size,
      sizeUnit: program.sizeUnit,
      engines: [],
      problems: [],
    };
    for (const engine of engines) {
      if (!engine.nodeFlags) {
        p.engines.push({ engine: engine.name, label: engine.label, unavailable: engine.unavailable });
        options.progress?.(`${program.name} on ${engine.label}: ${engine.unavailable}`);
        continue;
      }
      const job = { program: program.name, engine: engine.name, size, runs };
      const { reply, command } = await runChild(engine.nodeFlags, job, timeoutMs);
      const r: EngineRow = reply.ok
        ? { engine: engine.name, label: engine.label, command, measurement: reply.measurement }
        : { engine: engine.name, label: engine.label, command, error: reply.error };
      p.engines.push(r);
      const m = r.measurement;
      options.progress?.(
        `${program.name}(${size} ${program.sizeUnit}) on ${engine.label}: ` +
          (m ? `hash ${m.hash.slice(0, 12)}, compile ${m.compileMs.toFixed(1)} ms, run ${m.runMs.toFixed(1)} ms (warm-up ${m.warmupMs.toFixed(1)} ms)` : `FAILED: ${r.error}`),
      );
    }
    checkProgram(p, engines);
    results.push(p);
  }
  const rated = results.filter((p) => p.jitOverLiftoff !== undefined);
  const ratedTf = results.filter((p) => p.jitOverTurbofan !== undefined);
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    node: process.version,
    v8: process.versions.v8,
    runs,
    quick,
    scale,
    timeoutMs,
    engines: engines.map((e) => ({ name: e.name, label: e.label, nodeFlags: e.nodeFlags, unavailable: e.unavailable })),
    programs: results,
    geomean: {
      programs: rated.length,
      jitOverLiftoff: geometricMean(rated.map((p) => p.jitOverLiftoff!)),
      jitOverTurbofan: geometricMean(ratedTf.map((p) => p.jitOverTurbofan!)),
    },
    ok: results.every((p) => p.problems.length === 0),
  };
}

// One kernel's measurement on one engine: compile, instantiate, a warm-up run, then `runs` timed
// runs of which the best counts. Every run must give the same checksum.
import { performance } from 'node:perf_hooks';
import type { Measurement } from './protocol.js';

/** An engine as the measurement needs it: compile bytes to a module, instantiate it to `run`. */
export interface EngineAdapter<M> {
  compile(bytes: Uint8Array): M;
  instantiate(module: M): (arg: number) => unknown;
}

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
}

export function checksumText(value: unknown): string {
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  throw new Error(`run returned ${typeof value}, not an i32 or i64 checksum`);
}

export function measure<M>(engine: EngineAdapter<M>, bytes: Uint8Array, arg: number, runs: number): Measurement & { run: (arg: number) => unknown } {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, not ${runs}`);
  const [module, compileMs] = timed(() => engine.compile(bytes));
  const [run, instantiateMs] = timed(() => engine.instantiate(module));
  const [first, warmupMs] = timed(() => run(arg));
  const checksum = checksumText(first);
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [value, ms] = timed(() => run(arg));
    const again = checksumText(value);
    if (again !== checksum) throw new Error(`run ${i + 1} returned ${again}, the warm-up run ${checksum}`);
    runsMs.push(ms);
  }
  return { checksum, compileMs, instantiateMs, warmupMs, runsMs, runMs: Math.min(...runsMs), run };
}

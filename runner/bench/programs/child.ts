// A child process of the program benchmark: one program on one engine. Run by the parent as
// `node <engine flags> child.js '<job JSON>'`, never by hand. The engine flags come first, so for the
// JIT its register hook has replaced globalThis.WebAssembly before this module runs; the compile
// timer then wraps whichever namespace is installed, before the program's glue loads. The reply is
// the last line of stdout; the process exits when it is written (esbuild's Go runtime would keep it
// alive).
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { installCompileTimer } from './compile-timer.js';
import { programNamed } from './programs.js';
import type { ChildJob, ChildReply, ProgramMeasurement, TierCounts } from './protocol.js';

/** Tiers of the exported wasm functions of the instances the timer saw (V8 with --allow-natives-syntax). */
function v8Tiers(instances: readonly object[]): TierCounts {
  const isLiftoff = new Function('f', 'return %IsLiftoffFunction(f)') as (f: unknown) => boolean;
  const isTurboFan = new Function('f', 'return %IsTurboFanFunction(f)') as (f: unknown) => boolean;
  const counts: TierCounts = { liftoff: 0, turbofan: 0, other: 0 };
  for (const instance of instances) {
    for (const value of Object.values((instance as { exports: Record<string, unknown> }).exports)) {
      if (typeof value !== 'function' || !/^\d+$/.test(value.name)) continue; // wasm exports are named by index
      if (isLiftoff(value)) counts.liftoff++;
      else if (isTurboFan(value)) counts.turbofan++;
      else counts.other++;
    }
  }
  return counts;
}

/** V8's namespace has native functions; the JIT's is JavaScript. */
function isV8Namespace(): boolean {
  const module = (globalThis as { WebAssembly?: { Module?: unknown } }).WebAssembly?.Module;
  return typeof module === 'function' && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(module));
}

async function work(job: ChildJob): Promise<ProgramMeasurement> {
  const v8Namespace = isV8Namespace();
  const timer = installCompileTimer();
  const program = programNamed(job.program);
  const loadStart = performance.now();
  const loaded = await program.load();
  const loadMs = performance.now() - loadStart;
  const compileMs = timer.totalMs();
  const once = async (): Promise<[string, number, number]> => {
    const start = performance.now();
    const output = await loaded.run(job.size);
    const ms = performance.now() - start;
    return [createHash('sha256').update(output).digest('hex'), output.length, ms];
  };
  const [hash, outputBytes, warmupMs] = await once();
  const runsMs: number[] = [];
  for (let i = 0; i < job.runs; i++) {
    const [again, , ms] = await once();
    if (again !== hash) throw new Error(`run ${i + 1} hashed ${again.slice(0, 12)}, the warm-up run ${hash.slice(0, 12)}: the workload is not deterministic on this engine`);
    runsMs.push(ms);
  }
  const tiers = job.engine === 'jit' ? undefined : v8Tiers(timer.instances);
  loaded.close?.();
  const runMs = runsMs.length > 0 ? Math.min(...runsMs) : warmupMs;
  return { hash, outputBytes, compileMs, compileCalls: timer.calls, loadMs, warmupMs, runsMs, runMs, v8Namespace, tiers };
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}${err.stack ? ` [${err.stack.split('\n').slice(1, 4).map((l) => l.trim()).join(' | ')}]` : ''}`;
  return String(err);
}

async function main(): Promise<void> {
  let reply: ChildReply;
  try {
    const job = JSON.parse(process.argv[2] ?? '') as ChildJob;
    reply = { ok: true, measurement: await work(job) };
  } catch (err) {
    reply = { ok: false, error: describe(err) };
  }
  writeSync(1, `\n${JSON.stringify(reply)}\n`);
  process.exit(reply.ok ? 0 : 1);
}

await main();

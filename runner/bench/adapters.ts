// The engines behind the measurement: V8's WebAssembly (in whatever tier the process's flags
// choose) and mitey's JIT, both as compile + instantiate to the exported `run`.
import type { EngineAdapter } from './measure.js';

function exportedRun(exports: Record<string, unknown>): (arg: number) => unknown {
  const run = exports.run;
  if (typeof run !== 'function') throw new Error('the kernel exports no function "run"');
  return run as (arg: number) => unknown;
}

export const v8Adapter: EngineAdapter<WebAssembly.Module> = {
  compile: (bytes) => new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>),
  instantiate: (module) => exportedRun(new WebAssembly.Instance(module, {}).exports as Record<string, unknown>),
};

/** The JIT's adapter; the native addon loads only when it is asked for. */
export async function jitAdapter(): Promise<EngineAdapter<unknown>> {
  const { JitInstance, JitModule } = await import('../../jit/api.js');
  const { loadAddon } = await import('../../jit/addon.js');
  loadAddon(); // loading the shared library is no part of the compile time
  return {
    compile: (bytes) => new JitModule(bytes),
    instantiate: (module) => exportedRun(new JitInstance(module as InstanceType<typeof JitModule>, {}).exports),
  };
}

/**
 * The tier V8 has `fn` (an exported wasm function) in. Needs --allow-natives-syntax, which the
 * benchmark gives V8's workers: the `%` calls only parse with it.
 */
export function v8Tier(fn: unknown): 'liftoff' | 'turbofan' | 'other' {
  const isLiftoff = new Function('f', 'return %IsLiftoffFunction(f)') as (f: unknown) => boolean;
  const isTurboFan = new Function('f', 'return %IsTurboFanFunction(f)') as (f: unknown) => boolean;
  if (isLiftoff(fn)) return 'liftoff';
  if (isTurboFan(fn)) return 'turbofan';
  return 'other';
}

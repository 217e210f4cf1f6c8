// The compile-speed section's measurement inside a worker process (see compile-speed.ts): read the
// module's bytes, load the engine (the JIT's addon), collect garbage and note the resident memory,
// then time a synchronous whole-module compile — V8's new WebAssembly.Module under the process's
// flags (every function up front: --no-wasm-lazy-compilation), the addon's compile(bytes) for the
// JIT — and note the resident memory again with the module alive. Then more compiles, each of a
// fresh module once the last is let go (V8's cache of native modules is off in these workers, so
// none is a cache hit), for the best time. Wall time: V8 compiles on background threads too.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { CompileJob, CompileMeasurement } from './protocol.js';

/** An engine as this measurement needs it: a whole-module compile, and letting go of its module. */
interface Compiler {
  compile(bytes: Uint8Array): { module: unknown; codeBytes?: number };
  release(module: unknown): void;
}

const v8Compiler: Compiler = {
  compile: (bytes) => ({ module: new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>) }),
  release: () => {}, // the collection that follows frees it
};

/** The JIT's addon, loaded before anything is measured (loading the shared library is no part of a compile). */
async function jitCompiler(): Promise<Compiler> {
  const { loadAddon } = await import('../../jit/addon.js');
  const addon = loadAddon();
  return {
    compile(bytes) {
      const r = addon.compile(bytes);
      if (r.error) throw new Error(`the JIT refused the module: ${r.error.kind}: ${r.error.message}`);
      if (r.codeBytes === undefined) throw new Error('the addon reports no codeBytes: it predates them (npm run build:native)');
      return { module: r.module!, codeBytes: r.codeBytes };
    },
    release: (module) => addon.releaseModule(module as Parameters<typeof addon.releaseModule>[0]),
  };
}

/** The collector's gc(), without starting the worker with --expose-gc. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const rssKiB = (): number => process.memoryUsage().rss / 1024;

export async function measureCompile(job: CompileJob): Promise<CompileMeasurement> {
  if (!Number.isInteger(job.repetitions) || job.repetitions < 1) throw new Error(`repetitions must be a positive integer, not ${job.repetitions}`);
  const bytes = new Uint8Array(readFileSync(job.path));
  const compiler = job.engine === 'jit' ? await jitCompiler() : v8Compiler;
  const gc = collector();
  const compilesMs: number[] = [];
  let rssGrowthKiB = 0;
  let codeBytes: number | undefined;
  for (let i = 0; i < job.repetitions; i++) {
    gc();
    const before = rssKiB();
    const start = performance.now();
    const compiled = compiler.compile(bytes);
    compilesMs.push(performance.now() - start);
    if (i === 0) {
      rssGrowthKiB = rssKiB() - before; // the module is alive: `compiled` holds it
      codeBytes = compiled.codeBytes;
    } else if (compiled.codeBytes !== codeBytes) {
      throw new Error(`compile ${i + 1} made ${compiled.codeBytes} bytes of machine code, the first ${codeBytes}`);
    }
    compiler.release(compiled.module);
  }
  return {
    wasmBytes: bytes.length,
    compilesMs,
    compileMs: Math.min(...compilesMs),
    rssGrowthKiB,
    ...(codeBytes !== undefined ? { codeBytes } : {}),
  };
}

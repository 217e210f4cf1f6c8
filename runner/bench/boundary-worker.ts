// The boundary section's measurement inside a worker process (see boundary.ts): compile and
// instantiate the module on this process's engine — the JIT through its standard WebAssembly
// namespace (jit/js-api), V8 through globalThis.WebAssembly — then time each loop.
import { performance } from 'node:perf_hooks';
import { v8Tier } from './adapters.js';
import type { BoundaryJob, BoundaryMeasurement } from './protocol.js';

type Exports = {
  id: (x: number) => number;
  add: (a: number, b: number) => number;
  nop: () => void;
  callImport: (n: number) => number;
  callWasm: (n: number) => number;
};

// One JS function per export, so that every call site sees one callee.
function loopId(id: Exports['id'], n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + id(i)) | 0;
  return s;
}
function loopAdd(add: Exports['add'], n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = add(s, 1.5);
  return s;
}
function loopNop(nop: Exports['nop'], n: number): number {
  for (let i = 0; i < n; i++) nop();
  return n;
}

/** A loop of n calls: runs it and returns what it must have returned. */
interface Loop {
  run(n: number): number;
  expect(n: number): number;
}

const QUICK_CALLS = 100_000;
const MIN_CALLS = 1_000_000;
const MAX_CALLS = 10_000_000;
/** A full run's calls are sized for about this long a run, within MIN_CALLS..MAX_CALLS. */
const TARGET_MS = 60;

function timed(loop: Loop, n: number, what: string): number {
  const start = performance.now();
  const got = loop.run(n);
  const ms = performance.now() - start;
  if (got !== loop.expect(n)) throw new Error(`${what}(${n} calls) returned ${got}, not ${loop.expect(n)}`);
  return ms;
}

function measureLoop(loop: Loop, what: string, runs: number, quick: boolean): { calls: number; runsMs: number[]; best: number } {
  let calls = QUICK_CALLS;
  if (!quick) {
    const ms = timed(loop, MIN_CALLS, what); // also the warm-up of the JS loop's tiers
    calls = Math.min(MAX_CALLS, Math.max(MIN_CALLS, Math.round((MIN_CALLS * TARGET_MS) / Math.max(ms, 0.01) / 100_000) * 100_000));
  }
  timed(loop, calls, what); // warm-up
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) runsMs.push(timed(loop, calls, what));
  return { calls, runsMs, best: Math.min(...runsMs) };
}

export async function measureBoundary(job: BoundaryJob): Promise<BoundaryMeasurement> {
  const bytes = new Uint8Array(Buffer.from(job.wasm, 'base64'));
  const imports = { js: { inc: (x: number) => x + 1 } };
  let exports: Exports;
  let identity: BoundaryMeasurement['identity'];
  if (job.engine === 'jit') {
    const { WebAssembly: JitWebAssembly } = await import('../../jit/js-api/index.js');
    const { loadAddon } = await import('../../jit/addon.js');
    if ((JitWebAssembly as unknown) === globalThis.WebAssembly) throw new Error("the JIT's namespace is V8's WebAssembly");
    const module = new JitWebAssembly.Module(bytes);
    exports = new JitWebAssembly.Instance(module, imports).exports as unknown as Exports;
    const addon = loadAddon();
    for (const [name, fn] of Object.entries(exports)) {
      if (addon.externType(fn)?.kind !== 'func') throw new Error(`the JIT's export "${name}" is no Exported Function of the addon`);
    }
    identity = { engine: 'jit', detail: "mitey's WebAssembly namespace (jit/js-api); every export an Exported Function of the addon" };
  } else {
    const module = new WebAssembly.Module(bytes);
    exports = new WebAssembly.Instance(module, imports).exports as unknown as Exports;
    identity = { engine: 'v8', detail: "V8's WebAssembly" };
  }
  const { id, add, nop, callImport, callWasm } = exports;
  const loops: Record<string, Loop> = {
    jsToWasmId: { run: (n) => loopId(id, n), expect: (n) => ((n * (n - 1)) / 2) | 0 },
    jsToWasmAdd: { run: (n) => loopAdd(add, n), expect: (n) => 1.5 * n },
    jsToWasmNop: { run: (n) => loopNop(nop, n), expect: (n) => n },
    wasmToJsLoop: { run: (n) => callImport(n), expect: (n) => n },
    wasmToWasmLoop: { run: (n) => callWasm(n), expect: (n) => n },
  };
  const m: BoundaryMeasurement = { nsPerCall: {}, calls: {}, runsMs: {}, identity };
  for (const [name, loop] of Object.entries(loops)) {
    const r = measureLoop(loop, name, job.runs, job.quick);
    m.calls[name] = r.calls;
    m.runsMs[name] = r.runsMs;
    m.nsPerCall[name] = (r.best * 1e6) / r.calls;
  }
  m.nsPerCall.wasmToJs = m.nsPerCall.wasmToJsLoop - m.nsPerCall.wasmToWasmLoop;
  if (job.engine !== 'jit') {
    identity.tiers = Object.fromEntries(Object.entries(exports).map(([name, fn]) => [name, v8Tier(fn)]));
    identity.detail += `, exports in ${[...new Set(Object.values(identity.tiers))].join('/')}`;
  }
  return m;
}

// The three engine configurations the benchmark compares. V8's flags hold for a whole process, so
// every configuration runs in a child node process of its own (the JIT too, for symmetry).
export type EngineName = 'jit' | 'liftoff' | 'turbofan' | 'baseline';

export interface EngineConfig {
  name: EngineName;
  /** Column heading. */
  label: string;
  /** Whose compiler: mitey's JIT or V8's WebAssembly. */
  kind: 'jit' | 'v8';
  /** node flags of the worker process. */
  nodeFlags: string[];
  /** For V8: the tier `run` must still be in after the timed runs, checked with V8's natives. */
  tier?: 'liftoff' | 'turbofan';
  /** The worker of another checkout (the baseline JIT); this checkout's by default. */
  workerPath?: string;
}

// V8 compiles wasm functions lazily by default (on their first call), so its new WebAssembly.Module
// would only validate; --no-wasm-lazy-compilation makes it compile every function up front, as
// new JitModule does, so that the compile times compare. It changes no run time: the warm-up run
// would have paid for the lazy compilation. --allow-natives-syntax only lets the worker ask V8
// which tier `run` ended in.
const EAGER = ['--no-wasm-lazy-compilation', '--allow-natives-syntax'];

export const ENGINES: readonly EngineConfig[] = [
  { name: 'jit', label: 'JIT', kind: 'jit', nodeFlags: [] },
  {
    name: 'liftoff',
    label: 'Liftoff',
    kind: 'v8',
    // On Node 20's V8 (11.3) --liftoff --no-wasm-tier-up alone still lets dynamic tiering move hot
    // functions to TurboFan; --no-wasm-dynamic-tiering keeps them in Liftoff. V8 14.6, which runs
    // the kernels needing it (kernel-v8.ts), has every flag here and needs both as well.
    nodeFlags: ['--liftoff', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering', ...EAGER],
    tier: 'liftoff',
  },
  { name: 'turbofan', label: 'TurboFan', kind: 'v8', nodeFlags: ['--no-liftoff', ...EAGER], tier: 'turbofan' },
];

/**
 * The JIT of another checkout of mitey (built: npm ci, npm run build), measured in the same run
 * and in turn with the others: what a change to the JIT is measured against.
 */
export function baselineEngine(checkout: string, workerPath: string): EngineConfig {
  return { name: 'baseline', label: `JIT@${checkout}`, kind: 'jit', nodeFlags: [], workerPath };
}

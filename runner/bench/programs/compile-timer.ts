// Compile time as a program's glue spends it: wraps WebAssembly.compile, compileStreaming,
// instantiate, instantiateStreaming and the Module and Instance constructors of whatever namespace
// globalThis.WebAssembly is when install() runs (V8's, or the JIT's once its register hook replaced
// it), and adds up the wall time spent in them (from the call to the promise settling for the async
// ones). Overlapping intervals (one call inside another, or async calls in flight together) count
// once.
import { performance } from 'node:perf_hooks';

type Interval = [start: number, end: number];

export interface CompileTimer {
  /** Total time inside the wrapped functions so far, in ms, overlaps counted once. */
  totalMs(): number;
  /** How many times each wrapped function was called. */
  calls: Record<string, number>;
  /** The instances made through the wrapped functions (for V8's tier check). */
  instances: object[];
}

const FUNCTIONS = ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming'] as const;
const CLASSES = ['Module', 'Instance'] as const;

function unionMs(intervals: Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = [-Infinity, -Infinity];
  for (const [s, e] of sorted) {
    if (s > end) {
      if (end > start) total += end - start;
      [start, end] = [s, e];
    } else if (e > end) end = e;
  }
  if (end > start) total += end - start;
  return total;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

export function installCompileTimer(): CompileTimer {
  const ns = (globalThis as { WebAssembly?: Record<string, unknown> }).WebAssembly;
  if (!ns) throw new Error('globalThis.WebAssembly is missing');
  const intervals: Interval[] = [];
  const calls: Record<string, number> = {};
  const instances: object[] = [];
  const keep = (name: string, value: unknown): void => {
    if (name === 'Instance' && typeof value === 'object' && value !== null) instances.push(value);
    const instance = (value as { instance?: unknown } | null)?.instance;
    if (name.startsWith('instantiate') && typeof value === 'object' && value !== null) instances.push(typeof instance === 'object' && instance !== null ? instance : value);
  };
  const timed = (name: string, call: () => unknown): unknown => {
    calls[name] = (calls[name] ?? 0) + 1;
    const start = performance.now();
    let result: unknown;
    try {
      result = call();
    } catch (err) {
      intervals.push([start, performance.now()]);
      throw err;
    }
    if (!isThenable(result)) {
      intervals.push([start, performance.now()]);
      keep(name, result);
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        intervals.push([start, performance.now()]);
        keep(name, value);
        return value;
      },
      (err: unknown) => {
        intervals.push([start, performance.now()]);
        throw err;
      },
    );
  };
  const replacements: Record<string, unknown> = {};
  for (const name of FUNCTIONS) {
    const original = ns[name];
    if (typeof original !== 'function') continue;
    replacements[name] = function (this: unknown, ...args: unknown[]) {
      return timed(name, () => Reflect.apply(original, this, args));
    };
  }
  for (const name of CLASSES) {
    const original = ns[name];
    if (typeof original !== 'function') continue;
    // A Proxy keeps `prototype`, `instanceof` and static members of the original class.
    replacements[name] = new Proxy(original, {
      construct: (target, args, newTarget) => timed(name, () => Reflect.construct(target, args, newTarget === replacements[name] ? target : newTarget)) as object,
    });
  }
  for (const [name, value] of Object.entries(replacements)) {
    const ok = Reflect.set(ns, name, value);
    if (!ok || ns[name] !== value) {
      // A frozen namespace: put a copy with the wrapped members in its place instead.
      const copy = Object.create(Object.getPrototypeOf(ns) as object | null) as Record<string, unknown>;
      for (const key of Reflect.ownKeys(ns)) {
        const replacement = typeof key === 'string' && key in replacements ? { value: replacements[key], writable: true, configurable: true, enumerable: false } : undefined;
        Object.defineProperty(copy, key, replacement ?? Object.getOwnPropertyDescriptor(ns, key)!);
      }
      (globalThis as { WebAssembly?: unknown }).WebAssembly = copy;
      break;
    }
  }
  return { totalMs: () => unionMs(intervals), calls, instances };
}

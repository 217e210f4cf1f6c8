// The oracle: one case (a module and calls to its exports) run on two engines, compared exactly —
// results as bits, trap kinds, an uncaught wasm exception (as such: neither engine's invoke says more
// of it), then exported globals. Tolerated where the spec leaves things open:
// the sign and payload of a scalar NaN (any NaN matches any NaN), and how deep the stack goes.
// A v128 is compared exactly, all 16 bytes: its lanes have no type (the same bits are i8x16 or f64x2
// to whichever instruction reads them), so a NaN rule cannot apply; instead the generated code makes
// every NaN whose bits the spec leaves open canonical before it reaches a vector (gen/canonical-nan.ts).
import { Engine, EngineError, EngineInstance, EngineModule } from '../wast/engine.js';
import { formatValue, Value } from '../core/values.js';
import { readModuleInfo } from '../core/wasm/module-info.js';

export interface Call {
  name: string;
  args: Value[];
}

export type CallOutcome =
  | { kind: 'values'; values: Value[] }
  | { kind: 'trap'; trap: string; message: string }
  | { kind: 'exhaustion' }
  /** a wasm exception left the call */
  | { kind: 'exception' }
  | { kind: 'error'; message: string };

export interface CaseRun {
  compileError?: string;
  calls: CallOutcome[];
  globals: [string, Value][];
}

/** A trap's kind from either engine's words (V8 and the spec name the same traps differently). */
export function trapKind(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('unreachable')) return 'unreachable';
  // atomics: V8's "operation does not support unaligned accesses", the spec's "unaligned atomic"
  if (m.includes('unaligned')) return 'unaligned atomic';
  // wait on an unshared memory: V8 refuses as for Atomics.wait where it may not block
  if (/expected shared memory|atomics\.wait cannot be called/.test(m)) return 'expected shared memory';
  // throw_ref of null: V8's "rethrowing null value"
  if (/null exception reference|rethrowing null/.test(m)) return 'null exception reference';
  if (/divide by zero|remainder by zero|division by zero/.test(m)) return 'integer divide by zero';
  if (/overflow|unrepresentable|invalid conversion/.test(m)) return 'integer overflow or invalid conversion';
  // GC: a failed cast (V8's "illegal cast"), an array index past the end (before "element" below), array.new_data's
  // and array.init_data's segment overrun (V8's "data segment out of bounds", the spec's memory access words)
  if (/illegal cast|cast fail/.test(m)) return 'cast failure';
  if (/array element access out of bounds|out of bounds array access/.test(m)) return 'out of bounds array access';
  if (/array too large|new array is too large/.test(m)) return 'array too large';
  if (/memory access out of bounds|out of bounds memory|data segment out of bounds/.test(m)) return 'out of bounds memory access';
  // call_ref and ref.as_non_null on null, and GC's accesses through null: the spec's "null function reference",
  // "null reference", "null structure reference"…, V8's "dereferencing a null pointer" (V8's null
  // call_indirect entry, "null function or function signature mismatch", is not one)
  if (/dereferencing a null pointer|null function reference|null (structure |array |i31 )?reference/.test(m)) return 'null reference';
  if (/table|element|signature mismatch|null function|indirect call/.test(m)) return 'table or indirect call';
  return m;
}

function outcomeOf(err: unknown): CallOutcome {
  if (err instanceof EngineError) {
    if (err.kind === 'trap') return { kind: 'trap', trap: trapKind(err.message), message: err.message };
    if (err.kind === 'exhaustion') return { kind: 'exhaustion' };
    if (err.kind === 'exception') return { kind: 'exception' };
    return { kind: 'error', message: `${err.kind}: ${err.message}` };
  }
  return { kind: 'error', message: String(err) };
}

export function runCase(engine: Engine, bytes: Uint8Array, calls: Call[]): CaseRun {
  let instance: EngineInstance;
  let module: EngineModule | undefined;
  try {
    module = engine.compile(bytes);
    instance = engine.instantiate(module, () => undefined);
  } catch (err) {
    module?.dispose?.();
    return { compileError: String(err instanceof Error ? err.message : err), calls: [], globals: [] };
  }
  const outcomes = calls.map((c): CallOutcome => {
    try {
      return { kind: 'values', values: instance.invoke(c.name, c.args) };
    } catch (err) {
      return outcomeOf(err);
    }
  });
  const globals = readModuleInfo(bytes)
    .filter((e) => e.kind === 'global')
    .map((e): [string, Value] => [e.name, instance.getGlobal(e.name)]);
  // Freed now: a campaign is one synchronous loop, in which no finalizer would ever run.
  instance.dispose?.();
  module.dispose?.();
  return { calls: outcomes, globals };
}

function isNan(v: Value): boolean {
  if (v.type === 'f32') return (v.bits & 0x7f800000) === 0x7f800000 && (v.bits & 0x7fffff) !== 0;
  if (v.type === 'f64') return (v.bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (v.bits & 0xfffffffffffffn) !== 0n;
  return false;
}

/** Equal bits, except that two scalar NaNs of a type are equal; v128 values are never NaNs here. */
export function sameValue(a: Value, b: Value): boolean {
  if (isNan(a) && isNan(b) && a.type === b.type) return true;
  return formatValue(a) === formatValue(b);
}

function describe(o: CallOutcome): string {
  if (o.kind === 'values') return o.values.map(formatValue).join(', ') || '(nothing)';
  if (o.kind === 'trap') return `trap: ${o.trap}`;
  if (o.kind === 'exhaustion') return 'call stack exhausted';
  if (o.kind === 'exception') return 'uncaught wasm exception';
  return o.message;
}

/**
 * The first difference between two runs of the same case, or undefined when they agree; a call whose
 * outcomes differ only as `tolerated` says (known-run-differences.ts) counts as agreeing.
 */
export function disagreement(calls: Call[], a: CaseRun, b: CaseRun, names: [string, string], tolerated: (x: CallOutcome, y: CallOutcome) => boolean = () => false): string | undefined {
  if (a.compileError || b.compileError) {
    if (a.compileError && b.compileError) return undefined;
    return `compile: ${names[0]} ${a.compileError ?? 'ok'}; ${names[1]} ${b.compileError ?? 'ok'}`;
  }
  for (let i = 0; i < calls.length; i++) {
    const x = a.calls[i];
    const y = b.calls[i];
    const same =
      x.kind === y.kind &&
      (x.kind !== 'values' || (x.values.length === (y as typeof x).values.length && x.values.every((v, k) => sameValue(v, (y as typeof x).values[k])))) &&
      (x.kind !== 'trap' || x.trap === (y as typeof x).trap);
    if (!same && !tolerated(x, y)) return `call ${i} "${calls[i].name}"(${calls[i].args.map(formatValue).join(', ')}): ${names[0]} ${describe(x)}; ${names[1]} ${describe(y)}`;
  }
  for (let i = 0; i < a.globals.length; i++) {
    if (!sameValue(a.globals[i][1], b.globals[i][1])) return `global "${a.globals[i][0]}": ${names[0]} ${formatValue(a.globals[i][1])}; ${names[1]} ${formatValue(b.globals[i][1])}`;
  }
  return undefined;
}

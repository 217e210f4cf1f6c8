// The oracle: one case (a module and calls to its exports) run on two engines or more, compared exactly —
// results as bits, trap kinds, an uncaught wasm exception (as such: neither engine's invoke says more
// of it), then exported globals. Tolerated where the spec leaves things open:
// the sign and payload of a scalar NaN (any NaN matches any NaN), and how deep the stack goes.
// A v128 is compared exactly, all 16 bytes: its lanes have no type (the same bits are i8x16 or f64x2
// to whichever instruction reads them), so a NaN rule cannot apply; instead the generated code makes
// every NaN whose bits the spec leaves open canonical before it reaches a vector (gen/canonical-nan.ts).
// Several engines' runs are grouped by outcome (compareRuns): one engine against all the others is the odd one out.
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

/**
 * A trap's kind from any engine's words (the spec, V8, SpiderMonkey and JavaScriptCore name the same traps
 * differently; their words as the 3.0 suite run with --strict-messages shows them). Some engines' words cover
 * several of the spec's kinds: those are kinds of their own, which `sameTrap` matches with each they cover.
 */
export function trapKind(message: string): string {
  const m = message.toLowerCase().replace(/\s*\(evaluating .*$/, ''); // JavaScriptCore quotes the JS call
  if (m.includes('unreachable')) return 'unreachable';
  // JavaScriptCore: "Out of bounds Trunc operation"; "ref.cast failed to cast…"; "<instruction> to a null reference"
  if (m.includes('trunc operation')) return 'integer overflow or invalid conversion';
  if (m.includes('failed to cast')) return 'cast failure';
  if (m.includes('failed to allocate new array')) return 'array too large';
  if (m.startsWith('throw_ref') && m.includes('null reference')) return 'null exception reference';
  if (m.includes('to a null reference')) return 'null reference';
  // JavaScriptCore's words that cover two of the spec's kinds
  if (m.includes('out of bounds array.init_data')) return AMBIGUOUS.arrayOrMemory;
  if (m.includes('out of bounds array.init_elem')) return AMBIGUOUS.arrayOrTable;
  if (m.includes('failed to allocate in array.new_data')) return AMBIGUOUS.memoryOrSize;
  if (m.includes('failed to allocate in array.new_elem')) return AMBIGUOUS.tableOrSize;
  if (/out of bounds array\.(get|set|fill|copy)/.test(m)) return 'out of bounds array access';
  // SpiderMonkey's "index out of bounds": memory, table or an indirect call's index alike
  if (m === 'index out of bounds') return AMBIGUOUS.anyBounds;
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
  if (/table|element|signature mismatch|null function|indirect call|call_indirect/.test(m)) return 'table or indirect call';
  return m;
}

/** Kinds of engines' words that cover several of the spec's kinds. */
const AMBIGUOUS = {
  arrayOrMemory: 'out of bounds array or memory access',
  arrayOrTable: 'out of bounds array or table access',
  memoryOrSize: 'out of bounds memory access or array too large',
  tableOrSize: 'out of bounds table access or array too large',
  anyBounds: 'out of bounds (memory, table or indirect call)',
} as const;

const COVERS: Record<string, readonly string[]> = {
  [AMBIGUOUS.arrayOrMemory]: ['out of bounds array access', 'out of bounds memory access'],
  [AMBIGUOUS.arrayOrTable]: ['out of bounds array access', 'table or indirect call'],
  [AMBIGUOUS.memoryOrSize]: ['out of bounds memory access', 'array too large'],
  [AMBIGUOUS.tableOrSize]: ['table or indirect call', 'array too large'],
  [AMBIGUOUS.anyBounds]: ['out of bounds memory access', 'table or indirect call'],
};

/** Whether two trap kinds can be the same trap: equal, or one engine's words cover the other's kind. */
export function sameTrap(a: string, b: string): boolean {
  return a === b || (COVERS[a]?.includes(b) ?? false) || (COVERS[b]?.includes(a) ?? false);
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

/** Where two runs of a case first differ, and what each run did there. */
interface Difference {
  /** "compile", `call i "name"(args)` or `global "name"` */
  where: string;
  a: string;
  b: string;
}

/** Whether two outcomes of a call differ only as a known difference says (known-run-differences.ts). */
export type Tolerated = (x: CallOutcome, y: CallOutcome) => boolean;

function firstDifference(calls: Call[], a: CaseRun, b: CaseRun, tolerated: Tolerated): Difference | undefined {
  if (a.compileError || b.compileError) {
    if (a.compileError && b.compileError) return undefined;
    return { where: 'compile', a: a.compileError ?? 'ok', b: b.compileError ?? 'ok' };
  }
  for (let i = 0; i < calls.length; i++) {
    const x = a.calls[i];
    const y = b.calls[i];
    const same =
      x.kind === y.kind &&
      (x.kind !== 'values' || (x.values.length === (y as typeof x).values.length && x.values.every((v, k) => sameValue(v, (y as typeof x).values[k])))) &&
      (x.kind !== 'trap' || sameTrap(x.trap, (y as typeof x).trap));
    if (!same && !tolerated(x, y)) return { where: `call ${i} "${calls[i].name}"(${calls[i].args.map(formatValue).join(', ')})`, a: describe(x), b: describe(y) };
  }
  for (let i = 0; i < a.globals.length; i++) {
    if (!sameValue(a.globals[i][1], b.globals[i][1])) return { where: `global "${a.globals[i][0]}"`, a: formatValue(a.globals[i][1]), b: formatValue(b.globals[i][1]) };
  }
  return undefined;
}

/**
 * The first difference between two runs of the same case, or undefined when they agree; a call whose
 * outcomes differ only as `tolerated` says (known-run-differences.ts) counts as agreeing.
 */
export function disagreement(calls: Call[], a: CaseRun, b: CaseRun, names: [string, string], tolerated: Tolerated = () => false): string | undefined {
  const d = firstDifference(calls, a, b, tolerated);
  return d && `${d.where}: ${names[0]} ${d.a}; ${names[1]} ${d.b}`;
}

/** One engine's run of a case. */
export interface EngineRun {
  name: string;
  run: CaseRun;
}

/** How the runs of a case on several engines disagree. */
export interface Comparison {
  /** the engines grouped by outcome, in the order of the runs (a group's first engine is the one the others were compared with) */
  groups: string[][];
  /** the engine that stands out: with three engines or more, the only one outside a group of all the others */
  oddOneOut?: string;
  /** the engine whose results a reproducer expects: the first of the majority (more than half), else the first one */
  expectFrom: string;
  what: string;
}

/**
 * The runs of a case on two or more engines compared: undefined when they all agree, else the engines
 * grouped by outcome. Each run joins the first group whose first run it agrees with (`disagreement`'s
 * equality, with what `tolerated` says of that pair of engines), or starts a group of its own. Two
 * engines read as `disagreement` says; with more, one engine against all the others is the odd one out.
 */
export function compareRuns(calls: Call[], runs: readonly EngineRun[], tolerated: (pair: [string, string]) => Tolerated = () => () => false): Comparison | undefined {
  const groups: EngineRun[][] = [];
  const differ = (a: EngineRun, b: EngineRun) => firstDifference(calls, a.run, b.run, tolerated([a.name, b.name]));
  for (const r of runs) {
    const g = groups.find((g) => !differ(g[0], r));
    if (g) g.push(r);
    else groups.push([r]);
  }
  if (groups.length < 2) return undefined;
  const names = (g: EngineRun[]) => g.map((r) => r.name).join(', ');
  const majority = groups.find((g) => 2 * g.length > runs.length);
  const base = { groups: groups.map((g) => g.map((r) => r.name)), expectFrom: (majority ?? groups[0])[0].name };
  const [first, ...others] = groups;
  // Each other group against the first: where it differs and how.
  const diffs = others.map((g) => differ(first[0], g[0])!);
  if (runs.length === 2) return { ...base, what: `${diffs[0].where}: ${names(first)} ${diffs[0].a}; ${names(others[0])} ${diffs[0].b}` };
  if (groups.length === 2 && (first.length === 1 || others[0].length === 1)) {
    const [odd, rest, d] = first.length === 1 ? [first, others[0], diffs[0]] : [others[0], first, { ...diffs[0], a: diffs[0].b, b: diffs[0].a }];
    return { ...base, oddOneOut: odd[0].name, what: `${odd[0].name} is the odd one out: ${d.where}: ${odd[0].name} ${d.a}; ${names(rest)} agree: ${d.b}` };
  }
  const listed = `${groups.length} groups (${groups.map(names).join(' | ')})`;
  if (diffs.every((d) => d.where === diffs[0].where)) {
    return { ...base, what: `${listed}: ${diffs[0].where}: ${names(first)} ${diffs[0].a}; ${others.map((g, i) => `${names(g)} ${diffs[i].b}`).join('; ')}` };
  }
  return { ...base, what: `${listed}: ${others.map((g, i) => `${diffs[i].where}: ${names(first)} ${diffs[i].a}; ${names(g)} ${diffs[i].b}`).join(' | ')}` };
}

// An engine over the JavaScript API of whatever runs it (V8 in Node, SpiderMonkey's or JavaScriptCore's shell), driven
// through bit-exact wrapper modules. Nothing here needs Node: the shells' protocol driver (drivers/js-shell-driver.ts) runs it.
import { valueFromMemory, valueToIntArgs } from '../core/bits.js';
import { checkArguments } from '../wast/arguments.js';
import { HostRefs } from '../wast/host-refs.js';
import {
  Engine,
  EngineError,
  EngineErrorKind,
  EngineInstance,
  EngineModule,
  ExternKind,
  ExternValue,
  ImportDesc,
  ImportResolver,
} from '../wast/engine.js';
import { RefValue, Value, ValType } from '../core/values.js';
import { ModuleLayout, readModuleLayout } from '../core/wasm/module-info.js';
import { Hierarchy } from '../core/wasm/heap-types.js';
import { ANY_KIND, buildWrapper, EXN_KIND, ResultCrossing, returnedToJs, WrapperPlan } from './v8-wrapper.js';
import { probeFeatures } from './feature-probes.js';

// WebAssembly.Exception is missing from this Node's typings.
const WasmException = (WebAssembly as unknown as { Exception?: abstract new (...args: never[]) => object }).Exception;

/**
 * An engine says a feature is off (V8: with a hint to the flag that turns it on) or names a limit of its own
 * (one memory; 32-bit limits; MVP constant expressions; relaxed SIMD) where a later spec allows more.
 */
const UNSUPPORTED_MESSAGE = new RegExp(
  [
    'experimental-wasm',
    'memory count of \\d+ exceeds internal limit of 1',
    'At most one memory is supported',
    'invalid (?:table elements|element count|memory) limits flags',
    'is not allowed in constant expressions',
    'non-imported globals cannot be used in constant expressions',
    'simd opcode not available',
    // sizes the spec allows beyond what V8 can hold (a table of 2^32 elements, a memory of 2^48 pages)
    'is larger than implementation limit',
    // JavaScriptCore's: "Table's initial page count of 4294967295 is too big, maximum 10000000"
    'is too big, maximum \\d+',
  ].join('|'),
);

/** The classes engines throw at their own limits: RangeError, and SpiderMonkey's InternalError. */
const isEngineLimitError = (err: Error) => err instanceof RangeError || err.name === 'InternalError';

function toEngineError(err: unknown, during: 'compile' | 'instantiate' | 'call'): EngineError {
  if (err instanceof EngineError) return err;
  if (WasmException && err instanceof WasmException) return new EngineError('exception', 'uncaught wasm exception');
  if (!(err instanceof Error)) return new EngineError('host', String(err));
  const message = err.message;
  let kind: EngineErrorKind;
  if (err instanceof WebAssembly.CompileError) kind = 'compile';
  else if (err instanceof WebAssembly.LinkError) kind = 'unlinkable';
  else if (err instanceof WebAssembly.RuntimeError) kind = 'trap';
  // V8's and JavaScriptCore's RangeError "…call stack…", SpiderMonkey's InternalError "too much recursion"
  else if (isEngineLimitError(err) && /call stack|too much recursion/i.test(message)) kind = 'exhaustion';
  else if (isEngineLimitError(err) && /out of memory|cannot allocate|could not allocate/i.test(message)) kind = 'resource';
  else if (during === 'instantiate' && err instanceof TypeError) kind = 'unlinkable'; // missing or mistyped import
  else kind = 'host';
  return new EngineError(kind, message, UNSUPPORTED_MESSAGE.test(message));
}

const EXTERN_KINDS: Record<string, ExternKind> = { function: 'func', table: 'table', memory: 'memory', global: 'global', tag: 'tag' };

/**
 * The module's imports as its JS API lists them, or, where that API cannot describe one (JavaScriptCore's refuses
 * a global of a concrete reference type), as the binary has them.
 */
function importsOf(module: WebAssembly.Module, bytes: Uint8Array): ImportDesc[] {
  try {
    return WebAssembly.Module.imports(module).map((d) => ({ module: d.module, name: d.name, kind: EXTERN_KINDS[d.kind] ?? 'func' }));
  } catch {
    return readModuleLayout(bytes).imports;
  }
}

class JsApiModule implements EngineModule {
  readonly imports: ImportDesc[];
  constructor(
    readonly module: WebAssembly.Module,
    readonly bytes: Uint8Array,
  ) {
    this.imports = importsOf(module, bytes);
  }
}

/**
 * Exports a wrapper module covers: V8 takes at most 100,000 exports a module, and a wrapper adds its memory to the
 * instance's exports, so an instance with more is wrapped in parts, each part built when one of its exports is used.
 */
const WRAPPER_EXPORTS = 10_000;

type Wrapper = { plan: WrapperPlan; exports: WebAssembly.Exports; memory: DataView };

class JsApiInstance implements EngineInstance {
  private readonly wrappers = new Map<number, Wrapper>();
  private info?: ModuleLayout;
  private exportIndex?: Map<string, number>;

  constructor(
    private readonly engine: JsApiEngine,
    private readonly module: JsApiModule,
    private readonly instance: WebAssembly.Instance,
  ) {}

  exportNames(): string[] {
    return Object.keys(this.instance.exports);
  }

  export(name: string): ExternValue | undefined {
    const handle = (this.instance.exports as Record<string, unknown>)[name];
    if (handle === undefined) return undefined;
    const kind: ExternKind =
      typeof handle === 'function' ? 'func'
      : handle instanceof WebAssembly.Global ? 'global'
      : handle instanceof WebAssembly.Memory ? 'memory'
      : handle instanceof WebAssembly.Table ? 'table'
      : 'tag';
    return { kind, handle };
  }

  /** The wrapper of the part of the exports that holds this one (an unknown name: the first part's), built on first use. */
  private wrap(name: string): Wrapper {
    try {
      this.info ??= readModuleLayout(this.module.bytes);
    } catch (err) {
      throw new EngineError('unsupported', `cannot read export types: ${(err as Error).message}`);
    }
    const all = this.info.exports;
    this.exportIndex ??= new Map(all.map((e, i) => [e.name, i]));
    const part = Math.floor((this.exportIndex.get(name) ?? 0) / WRAPPER_EXPORTS);
    const built = this.wrappers.get(part);
    if (built) return built;
    const plan = buildWrapper({ ...this.info, exports: all.slice(part * WRAPPER_EXPORTS, (part + 1) * WRAPPER_EXPORTS) });
    const exports = this.instance.exports as Record<string, unknown>;
    const imports: WebAssembly.Imports = { f: {}, g: {} };
    for (const name of plan.calls.keys()) (imports.f as Record<string, unknown>)[name] = exports[name];
    for (const name of plan.getters.keys()) (imports.g as Record<string, unknown>)[name] = exports[name];
    let inst: WebAssembly.Instance;
    try {
      inst = new WebAssembly.Instance(new WebAssembly.Module(plan.bytes as Uint8Array<ArrayBuffer>), imports);
    } catch (err) {
      throw new EngineError('unsupported', `V8 cannot call these exports bit-exactly: ${(err as Error).message}`);
    }
    const wrapper = { plan, exports: inst.exports, memory: new DataView((inst.exports.mem as WebAssembly.Memory).buffer) };
    this.wrappers.set(part, wrapper);
    return wrapper;
  }

  private unwrappable(name: string, plan: WrapperPlan): never {
    const why = plan.unwrappable.get(name);
    if (why) throw new EngineError('unsupported', `export "${name}": ${why}`);
    throw new EngineError('host', `no export "${name}" of that kind`);
  }

  invoke(name: string, args: Value[]): Value[] {
    const w = this.wrap(name);
    const call = w.plan.calls.get(name);
    if (!call) this.unwrappable(name, w.plan);
    const { params } = call.type;
    checkArguments(name, params, args);
    const jsArgs = args.flatMap((a, i) => this.engine.toJs(a, params[i], call.params[i]));
    let returned: unknown;
    try {
      returned = (w.exports[call.wrapperName] as (...a: unknown[]) => unknown)(...jsArgs);
    } catch (err) {
      throw toEngineError(err, 'call');
    }
    return this.engine.readResults(call.results, returned, w.memory);
  }

  readMemory(name: string, offset: number, length: number): { size: number; bytes: Uint8Array } {
    const m = (this.instance.exports as Record<string, unknown>)[name];
    if (!(m instanceof WebAssembly.Memory)) throw new EngineError('host', `no memory export "${name}"`);
    const size = m.buffer.byteLength;
    const from = Math.min(Math.max(0, offset), size);
    return { size, bytes: new Uint8Array(m.buffer.slice(from, Math.min(size, from + Math.max(0, length)))) };
  }

  readTable(name: string, index: number): { size: number; element?: Value } {
    const t = (this.instance.exports as Record<string, unknown>)[name];
    if (!(t instanceof WebAssembly.Table)) throw new EngineError('host', `no table export "${name}"`);
    if (!(index >= 0 && index < t.length)) return { size: t.length };
    const x: unknown = t.get(index);
    return { size: t.length, element: { type: 'ref', ref: this.engine.tableElement(x) } };
  }

  getGlobal(name: string): Value {
    const w = this.wrap(name);
    const getter = w.plan.getters.get(name);
    if (!getter) this.unwrappable(name, w.plan);
    const returned = (w.exports[getter.wrapperName] as () => unknown)();
    return this.engine.readResults([getter.result], returned, w.memory)[0];
  }
}

export class JsApiEngine implements Engine {
  readonly features: ReadonlySet<string> = probeFeatures((bytes) => WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>));
  private readonly hostRefs = new HostRefs();

  /** `dialect`: whose words its messages are in (v8, spidermonkey, jsc). */
  constructor(
    readonly name: string,
    readonly version: string,
    readonly dialect: string,
  ) {}

  compile(bytes: Uint8Array): EngineModule {
    try {
      return new JsApiModule(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), bytes);
    } catch (err) {
      throw toEngineError(err, 'compile');
    }
  }

  instantiate(module: EngineModule, resolve: ImportResolver): EngineInstance {
    const m = module as JsApiModule;
    const imports: Record<string, Record<string, unknown>> = {};
    for (const d of m.imports) {
      const v = resolve(d.module, d.name);
      if (v === undefined) continue; // V8 reports the missing import as a link error
      (imports[d.module] ??= {})[d.name] = v.handle;
    }
    try {
      return new JsApiInstance(this, m, new WebAssembly.Instance(m.module, imports as WebAssembly.Imports));
    } catch (err) {
      throw toEngineError(err, 'instantiate');
    }
  }

  /** A script value as the wrapper's JS arguments (none for a null exnref: the wrapper makes it). */
  toJs(v: Value, t: ValType, hierarchy?: Hierarchy): unknown[] {
    switch (v.type) {
      case 'i32':
      case 'f32':
      case 'i64':
      case 'f64':
      case 'v128':
        return valueToIntArgs(v);
      case 'ref': {
        const r = v.ref;
        if (hierarchy === 'exn') {
          if (r.kind === 'null') return [];
          throw new EngineError('host', 'only a null exnref can be passed from a script');
        }
        if (r.kind === 'null') return [null];
        if (r.kind === 'extern' || r.kind === 'host') return [this.hostRefs.object(r.id)];
        if (typeof t !== 'string') return [r.handle];
        throw new EngineError('host', `a reference passed for a ${t} parameter`);
      }
    }
  }

  /**
   * Numeric results come from the wrapper's memory (16 bytes a slot), references from its return,
   * with what an anyref or exnref is from its slot.
   */
  readResults(results: ResultCrossing[], returned: unknown, mem: DataView): Value[] {
    const refCount = results.filter(returnedToJs).length;
    const refs: unknown[] = refCount === 1 ? [returned] : refCount > 1 ? (returned as unknown[]) : [];
    let nextRef = 0;
    return results.map(({ type: t, hierarchy }, k): Value => {
      const at = 16 * k;
      switch (t) {
        case 'i32':
        case 'f32':
        case 'i64':
        case 'f64':
        case 'v128':
          return valueFromMemory(t, mem, at);
        default: {
          const kind = hierarchy === 'any' || hierarchy === 'exn' ? mem.getUint32(at, true) : undefined;
          const x = returnedToJs({ type: t, hierarchy }) ? refs[nextRef++] : undefined;
          return { type: 'ref', ref: this.refValue(x, t.heap, hierarchy!, kind) };
        }
      }
    });
  }

  /** A table's element as a reference: its type is not at hand, so its kind is read from the JS value. */
  tableElement(x: unknown): RefValue {
    if (x === null) return { kind: 'null', heap: 'none' };
    if (typeof x === 'function') return { kind: 'func', handle: x, ...functionIndex(x) };
    const id = this.hostRefs.id(x);
    return id !== undefined ? { kind: 'extern', id } : { kind: 'opaque', heap: 'any', handle: x };
  }

  private refValue(x: unknown, heap: string, hierarchy: Hierarchy, kind: number | undefined): RefValue {
    switch (hierarchy) {
      case 'exn':
        return kind === EXN_KIND.null ? { kind: 'null', heap } : { kind: 'opaque', heap: 'exn', handle: undefined };
      case 'any': {
        if (kind === ANY_KIND.null) return { kind: 'null', heap };
        if (kind === ANY_KIND.i31) return { kind: 'opaque', heap: 'i31', handle: x };
        if (kind === ANY_KIND.struct) return { kind: 'opaque', heap: 'struct', handle: x };
        if (kind === ANY_KIND.array) return { kind: 'opaque', heap: 'array', handle: x };
        const id = this.hostRefs.id(x);
        return id !== undefined ? { kind: 'host', id } : { kind: 'opaque', heap: 'any', handle: x };
      }
      case 'extern': {
        if (x === null) return { kind: 'null', heap };
        const id = this.hostRefs.id(x);
        return id !== undefined ? { kind: 'extern', id } : { kind: 'opaque', heap: 'extern', handle: x };
      }
      case 'func':
        if (x === null) return { kind: 'null', heap };
        return { kind: 'func', handle: x, ...functionIndex(x) };
    }
  }
}

/** A function's index in its module: the name the JS API gives an exported wasm function. */
function functionIndex(f: unknown): { index?: number } {
  const name = typeof f === 'function' ? f.name : '';
  return /^\d+$/.test(name) ? { index: Number(name) } : {};
}

// The reference engine: Node's own WebAssembly (V8), driven through bit-exact wrapper modules.
import { checkArguments } from '../../wast/arguments.js';
import { HostRefs } from '../../wast/host-refs.js';
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
} from '../../wast/engine.js';
import { RefValue, Value, ValType } from '../../wast/values.js';
import { WASM_2_FEATURES } from '../features.js';
import { ModuleLayout, readModuleLayout } from '../wasm/module-info.js';
import { Hierarchy } from '../wasm/heap-types.js';
import { ANY_KIND, buildWrapper, EXN_KIND, ResultCrossing, returnedToJs, WrapperPlan } from './v8-wrapper.js';

// WebAssembly.Exception is missing from this Node's typings.
const WasmException = (WebAssembly as unknown as { Exception?: abstract new (...args: never[]) => object }).Exception;

/**
 * V8 says a feature is off with a hint to the flag that turns it on, or names a limit of its own
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
  ].join('|'),
);

function toEngineError(err: unknown, during: 'compile' | 'instantiate' | 'call'): EngineError {
  if (err instanceof EngineError) return err;
  if (WasmException && err instanceof WasmException) return new EngineError('exception', 'uncaught wasm exception');
  if (!(err instanceof Error)) return new EngineError('host', String(err));
  const message = err.message;
  let kind: EngineErrorKind;
  if (err instanceof WebAssembly.CompileError) kind = 'compile';
  else if (err instanceof WebAssembly.LinkError) kind = 'unlinkable';
  else if (err instanceof WebAssembly.RuntimeError) kind = 'trap';
  else if (err instanceof RangeError && /call stack/i.test(message)) kind = 'exhaustion';
  else if (err instanceof RangeError && /out of memory|cannot allocate|could not allocate/i.test(message)) kind = 'resource';
  else if (during === 'instantiate' && err instanceof TypeError) kind = 'unlinkable'; // missing or mistyped import
  else kind = 'host';
  return new EngineError(kind, message, UNSUPPORTED_MESSAGE.test(message));
}

const EXTERN_KINDS: Record<string, ExternKind> = { function: 'func', table: 'table', memory: 'memory', global: 'global', tag: 'tag' };

class V8Module implements EngineModule {
  readonly imports: ImportDesc[];
  constructor(
    readonly module: WebAssembly.Module,
    readonly bytes: Uint8Array,
  ) {
    this.imports = WebAssembly.Module.imports(module).map((d) => ({ module: d.module, name: d.name, kind: EXTERN_KINDS[d.kind] ?? 'func' }));
  }
}

class V8Instance implements EngineInstance {
  private wrapper?: { plan: WrapperPlan; exports: WebAssembly.Exports; memory: DataView };
  private info?: ModuleLayout;

  constructor(
    private readonly engine: V8Engine,
    private readonly module: V8Module,
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

  /** Builds the wrapper on first use: one wasm module per instance covering all its exports. */
  private wrap() {
    if (this.wrapper) return this.wrapper;
    try {
      this.info ??= readModuleLayout(this.module.bytes);
    } catch (err) {
      throw new EngineError('unsupported', `cannot read export types: ${(err as Error).message}`);
    }
    const plan = buildWrapper(this.info);
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
    const memory = new DataView((inst.exports.mem as WebAssembly.Memory).buffer);
    this.wrapper = { plan, exports: inst.exports, memory };
    return this.wrapper;
  }

  private unwrappable(name: string, plan: WrapperPlan): never {
    const why = plan.unwrappable.get(name);
    if (why) throw new EngineError('unsupported', `export "${name}": ${why}`);
    throw new EngineError('host', `no export "${name}" of that kind`);
  }

  invoke(name: string, args: Value[]): Value[] {
    const w = this.wrap();
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

  getGlobal(name: string): Value {
    const w = this.wrap();
    const getter = w.plan.getters.get(name);
    if (!getter) this.unwrappable(name, w.plan);
    const returned = (w.exports[getter.wrapperName] as () => unknown)();
    return this.engine.readResults([getter.result], returned, w.memory)[0];
  }
}

export class V8Engine implements Engine {
  readonly name = 'v8';
  readonly version = `${process.versions.v8} (node ${process.versions.node})`;
  readonly features: ReadonlySet<string> = probeFeatures();
  private readonly hostRefs = new HostRefs();

  compile(bytes: Uint8Array): EngineModule {
    try {
      return new V8Module(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), bytes);
    } catch (err) {
      throw toEngineError(err, 'compile');
    }
  }

  instantiate(module: EngineModule, resolve: ImportResolver): EngineInstance {
    const m = module as V8Module;
    const imports: Record<string, Record<string, unknown>> = {};
    for (const d of m.imports) {
      const v = resolve(d.module, d.name);
      if (v === undefined) continue; // V8 reports the missing import as a link error
      (imports[d.module] ??= {})[d.name] = v.handle;
    }
    try {
      return new V8Instance(this, m, new WebAssembly.Instance(m.module, imports as WebAssembly.Imports));
    } catch (err) {
      throw toEngineError(err, 'instantiate');
    }
  }

  /** A script value as the wrapper's JS arguments (none for a null exnref: the wrapper makes it). */
  toJs(v: Value, t: ValType, hierarchy?: Hierarchy): unknown[] {
    switch (v.type) {
      case 'i32':
      case 'f32':
        return [v.bits | 0];
      case 'i64':
      case 'f64':
        return [BigInt.asIntN(64, v.bits)];
      case 'v128': {
        const dv = new DataView(v.bytes.buffer, v.bytes.byteOffset, 16);
        return [dv.getBigInt64(0, true), dv.getBigInt64(8, true)];
      }
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
          return { type: 'i32', bits: mem.getUint32(at, true) };
        case 'f32':
          return { type: 'f32', bits: mem.getUint32(at, true) };
        case 'i64':
          return { type: 'i64', bits: mem.getBigUint64(at, true) };
        case 'f64':
          return { type: 'f64', bits: mem.getBigUint64(at, true) };
        case 'v128':
          return { type: 'v128', bytes: new Uint8Array(mem.buffer.slice(at, at + 16)) };
        default: {
          const kind = hierarchy === 'any' || hierarchy === 'exn' ? mem.getUint32(at, true) : undefined;
          const x = returnedToJs({ type: t, hierarchy }) ? refs[nextRef++] : undefined;
          return { type: 'ref', ref: this.refValue(x, t.heap, hierarchy!, kind) };
        }
      }
    });
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

/** Features this V8 has, found by validating one tiny module per feature. */
function probeFeatures(): ReadonlySet<string> {
  const probes: Record<string, number[]> = {
    // (func (result v128) v128.const 0)
    simd: [1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 10, 22, 1, 20, 0, 0xfd, 12, ...new Array(16).fill(0), 0x0b],
    // (func (return_call 0))
    'tail-call': [1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x12, 0, 0x0b],
    // (memory i64 1)
    memory64: [5, 3, 1, 4, 1],
    // two memories
    'multi-memory': [5, 5, 2, 0, 1, 0, 1],
    // (global i32 (i32.add (i32.const 1) (i32.const 1)))
    'extended-const': [6, 9, 1, 0x7f, 0, 0x41, 1, 0x41, 1, 0x6a, 0x0b],
    // (type (struct))
    gc: [1, 3, 1, 0x5f, 0],
    // (tag) with (type (func))
    exceptions: [1, 4, 1, 0x60, 0, 0, 13, 3, 1, 0, 0],
    // (memory 1 1 shared)
    threads: [5, 4, 1, 3, 1, 1],
  };
  // Wasm 2.0 is V8's floor; SIMD and later features are probed like the rest.
  const out = new Set(WASM_2_FEATURES.filter((f) => f !== 'simd'));
  for (const [feature, body] of Object.entries(probes)) {
    const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...body]);
    if (WebAssembly.validate(bytes)) out.add(feature);
  }
  return out;
}

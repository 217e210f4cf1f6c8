// The native engine behind the Engine interface: decoding, validation and tier-1 code in C++,
// numbers passed as raw bits, references as opaque handles and the script's host objects.
import { CompileOptions, Engine, EngineError, EngineInstance, EngineModule, ExternValue, ImportDesc, ImportResolver } from '../wast/engine.js';
import { HostRefs } from '../wast/host-refs.js';
import { checkArguments } from '../wast/arguments.js';
import { RefValue, Value, ValType } from '../core/values.js';
import { valueFromUnits, valueToUnits } from '../core/bits.js';
import { WASM_2_FEATURES } from '../core/features.js';
import { loadAddon, NativeAddon, NativeExtern, NativeInstance, NativeModule } from './addon.js';
import { withAddressSpace } from './address-space.js';

class JitModule implements EngineModule {
  constructor(
    readonly native: NativeModule,
    readonly imports: ImportDesc[],
    readonly exports: NativeExtern[],
  ) {}

  dispose(): void {
    loadAddon().releaseModule(this.native);
  }
}

/** Splits "ii:F" into parameter and result letters. */
function signature(type: string | undefined): { params: string; results: string } {
  const [params, results] = (type ?? ':').split(':');
  return { params, results };
}

function trapError(message: string): EngineError {
  return new EngineError(message === 'call stack exhausted' ? 'exhaustion' : 'trap', message);
}

class JitInstance implements EngineInstance {
  private readonly handles = new Map<string, ExternValue | undefined>();

  constructor(
    private readonly addon: NativeAddon,
    readonly native: NativeInstance,
    private readonly exports: NativeExtern[],
    private readonly hostRefs: JitRefs,
  ) {}

  exportNames(): string[] {
    return this.exports.map((e) => e.name);
  }

  dispose(): void {
    this.addon.release(this.native);
  }

  export(name: string): ExternValue | undefined {
    if (!this.handles.has(name)) {
      const e = this.exports.find((x) => x.name === name);
      const handle = e && this.addon.getExport(this.native, name);
      this.handles.set(name, e && handle ? { kind: e.kind, handle } : undefined);
    }
    return this.handles.get(name);
  }

  private exported(name: string, kind: NativeExtern['kind']): NativeExtern {
    const e = this.exports.find((x) => x.name === name && x.kind === kind);
    if (!e) throw new EngineError('host', `no exported ${kind} "${name}"`);
    return e;
  }

  invoke(name: string, args: Value[]): Value[] {
    const { params, results } = signature(this.exported(name, 'func').type);
    checkArguments(name, [...params].map((t) => LETTER_TYPES[t]), args);
    const slots = BigUint64Array.from(args.flatMap(valueToUnits));
    const refs = args.map((a) => (a.type === 'ref' ? this.hostRefs.toJs(a.ref) : undefined));
    let r: ReturnType<NativeAddon['invoke']>;
    try {
      r = this.addon.invoke(this.native, name, slots, refs);
    } catch (err) {
      throw new EngineError('host', err instanceof Error ? err.message : String(err));
    }
    if (r.trap !== undefined) throw trapError(r.trap);
    if (r.exception !== undefined) throw new EngineError('exception', r.exception);
    const units = r.results!;
    let at = 0;
    return [...results].map((t, i) => {
      const n = t === 'V' ? 2 : 1;
      at += n;
      return isRefLetter(t) ? { type: 'ref', ref: this.hostRefs.fromJs(t, r.refs?.[i]) } : fromBits(t, units.subarray(at - n, at));
    });
  }

  getGlobal(name: string): Value {
    const type = this.exported(name, 'global').type ?? 'i';
    const g = this.addon.getGlobal(this.native, name)!;
    if (isRefLetter(type[0])) return { type: 'ref', ref: this.hostRefs.fromJs(type[0], g.ref) };
    return fromBits(type[0], g.bits!);
  }
}

const LETTER_TYPES: Record<string, ValType> = {
  i: 'i32',
  I: 'i64',
  f: 'f32',
  F: 'f64',
  V: 'v128',
  r: { ref: true, nullable: true, heap: 'func' },
  e: { ref: true, nullable: true, heap: 'extern' },
  x: { ref: true, nullable: true, heap: 'exn' },
  a: { ref: true, nullable: true, heap: 'any' },
};

const isRefLetter = (t: string) => t === 'r' || t === 'e' || t === 'x' || t === 'a';

const NULL_HEAPS: Record<string, string> = { r: 'func', x: 'exn', a: 'any', e: 'extern' };

/** The script's references as the JS values the addon takes and gives (null, funcref handles, host objects). */
class JitRefs extends HostRefs {
  constructor(private readonly addon: NativeAddon) {
    super();
  }

  toJs(r: RefValue): unknown {
    switch (r.kind) {
      case 'null':
        return null;
      case 'extern':
      case 'host':
        return this.object(r.id);
      case 'func':
      case 'opaque':
        return r.handle;
    }
  }

  fromJs(letter: string, x: unknown): RefValue {
    if (x === null || x === undefined) return { kind: 'null', heap: NULL_HEAPS[letter] ?? 'extern' };
    if (letter === 'r') return { kind: 'func', handle: x };
    if (letter === 'x') return { kind: 'opaque', heap: 'exn', handle: x };
    const id = this.id(x);
    if (letter === 'a') {
      // An anyref as the addon gives it (jit/src/gc_js.h): a Number is an i31, a wrapper a struct or array, else a host value.
      if (typeof x === 'number') return { kind: 'opaque', heap: 'i31', handle: x };
      const kind = this.addon.gcObjectKind(x);
      if (kind) return { kind: 'opaque', heap: kind, handle: x };
      return id === undefined ? { kind: 'opaque', heap: 'any', handle: x } : { kind: 'host', id };
    }
    return id === undefined ? { kind: 'opaque', heap: 'extern', handle: x } : { kind: 'extern', id };
  }
}

/** A number's value from its frame units (core/bits.ts); a type without bits is unsupported. */
function fromBits(letter: string, units: ArrayLike<bigint>): Value {
  const t = LETTER_TYPES[letter];
  if (typeof t !== 'string') throw new EngineError('unsupported', `values of type ${letter}`);
  return valueFromUnits(t, units);
}

/**
 * What a Wasm 2.0 script may use beyond 2.0: threads, in the threads proposal's own scripts (written
 * against 2.0, runner/spec-of-file.ts; their path says so). Everything else a later spec added is
 * malformed or invalid there, as the 2.0 suite expects (it calls a shared memory's limits flag
 * malformed, and 0xFE an illegal opcode); a 3.0 script gets every feature the JIT has.
 */
const WASM_2_SCRIPT_FEATURES: readonly string[] = ['threads'];

/** The features after Wasm 2.0 the JIT runs (core/features.ts names). */
export const JIT_LATER_FEATURES: readonly string[] = [
  'multi-memory', 'memory64', 'extended-const', 'typed-function-references', 'tail-call', 'relaxed-simd', 'wide-arithmetic',
  'custom-page-sizes', 'annotations', 'exceptions', 'legacy-exceptions', 'threads', 'gc',
];

export class JitEngine implements Engine {
  readonly name = 'jit';
  /** Its traps and errors are in the spec's words. */
  readonly dialect = 'spec';
  private readonly addon: NativeAddon = loadAddon();
  /** Names the SIMD handlers' instruction set too: results say what ran. */
  readonly version = `mitey tier 1 (SIMD: ${this.addon.simdIsa()})`;
  // The feature tags' own names: all of Wasm 2.0 (SIMD only on a CPU with SSE4.1) and the later
  // features the JIT runs (a module it refuses that needs only these is a failure, not "unsupported").
  readonly features: ReadonlySet<string> = new Set([
    ...WASM_2_FEATURES.filter((f) => f !== 'simd' || this.addon.simdIsa() !== 'none'),
    ...JIT_LATER_FEATURES,
  ]);

  private readonly hostRefs = new JitRefs(this.addon);

  compile(bytes: Uint8Array, options: CompileOptions = {}): EngineModule {
    const features = options.spec === '2.0' ? WASM_2_SCRIPT_FEATURES.filter((f) => options.scriptFeatures?.has(f)) : undefined;
    const r = withAddressSpace(this.addon, () => this.addon.compile(bytes, features));
    if (r.error?.kind === 'resource') throw new EngineError('resource', r.error.message);
    if (r.error) {
      const offset = 'offset' in r.error && r.error.offset !== undefined ? ` (at byte 0x${r.error.offset.toString(16)})` : '';
      throw new EngineError(r.error.kind, `${r.error.message}${offset}`);
    }
    return new JitModule(r.module!, r.imports!.map((i) => ({ module: i.module, name: i.name, kind: i.kind })), r.exports!);
  }

  instantiate(module: EngineModule, resolve: ImportResolver): EngineInstance {
    const m = module as JitModule;
    // A handle of the wrong kind is refused by the addon as an incompatible import.
    const imports = m.imports.map((d) => resolve(d.module, d.name)?.handle);
    let r: ReturnType<NativeAddon['instantiate']>;
    try {
      r = withAddressSpace(this.addon, () => this.addon.instantiate(m.native, imports));
    } catch (err) {
      if (err instanceof TypeError) throw new EngineError('unlinkable', err.message); // an import from another engine
      throw new EngineError('host', err instanceof Error ? err.message : String(err));
    }
    if (r.error?.kind === 'resource') throw new EngineError('resource', r.error.message);
    if (r.error?.kind === 'exception') throw new EngineError('exception', r.error.message);
    if (r.error) throw r.error.kind === 'trap' ? trapError(r.error.message) : new EngineError('unlinkable', r.error.message);
    return new JitInstance(this.addon, r.instance!, m.exports, this.hostRefs);
  }
}

// The JIT's own JavaScript API, shaped like WebAssembly.Module / WebAssembly.Instance: compile
// bytes, instantiate with an imports object, call exports as JS functions.
import { loadAddon, NativeExtern, NativeExternHandle, NativeInstance, NativeModule } from './addon.js';
import { withAddressSpace } from './address-space.js';
import { jsToUnit, unitToJs } from '../core/bits.js';
import { NumType } from '../core/values.js';

// The JS API's error classes, so that `instanceof WebAssembly.RuntimeError` (…) holds for the JIT's errors.

/** A trap in wasm code: its message is the spec's ("unreachable", "out of bounds memory access", …). The addon throws WebAssembly.RuntimeError itself. */
export const JitRuntimeError = WebAssembly.RuntimeError;
export class JitCompileError extends WebAssembly.CompileError {}
export class JitLinkError extends WebAssembly.LinkError {}

/** Exports carry their native handle, so that another instance can import them. */
const HANDLE = Symbol('mitey.jit.handle');
type WithHandle = { [HANDLE]?: unknown };

export class JitModule {
  readonly native: NativeModule;
  readonly imports: (NativeExtern & { module: string })[];
  readonly exports: NativeExtern[];

  constructor(bytes: Uint8Array) {
    const addon = loadAddon();
    const r = withAddressSpace(addon, () => addon.compile(bytes));
    if (r.error?.kind === 'resource') throw new RangeError(r.error.message);
    if (r.error) throw new JitCompileError(`${r.error.kind}: ${r.error.message}`);
    this.native = r.module!;
    this.imports = r.imports!;
    this.exports = r.exports!;
  }
}

/** A global's current value as the JS API shows it. */
export class JitGlobal {
  [HANDLE]?: unknown;
  constructor(
    private readonly instance: NativeInstance,
    private readonly name: string,
    private readonly type: string,
  ) {}
  get value(): unknown {
    const g = loadAddon().getGlobal(this.instance, this.name)!;
    return isRefLetter(this.type[0]) ? g.ref : fromSlot(this.type[0], g.bits![0]);
  }
  /** A mutable global's new value (ToWebAssemblyValue); an immutable one is a TypeError. */
  set value(v: unknown) {
    const letter = this.type[0];
    if (letter === 'V') throw new TypeError('type incompatibility when transforming from/to JS: v128');
    const bits = isRefLetter(letter) ? undefined : BigUint64Array.from([toSlot(letter, v), 0n]);
    loadAddon().setGlobal(this.instance, this.name, bits, v);
  }
}

/** Tables and tags: importable by other JIT instances. */
export class JitExtern {
  [HANDLE]?: unknown;
  constructor(readonly kind: 'memory' | 'table' | 'tag') {}
}

/**
 * An exported memory as the JS API shows it: `buffer`, an ArrayBuffer over its pages, replaced (the old
 * one detached) when the memory has grown, and `grow`. A grow inside wasm detaches the buffer at once
 * (the addon does); the next `buffer` read makes the new one. A shared memory's buffer is a
 * SharedArrayBuffer, replaced (never detached) when the memory has grown, on any thread.
 */
export class JitMemory {
  [HANDLE]?: unknown;
  private shared?: { buffer: SharedArrayBuffer; pages: number };

  /**
   * The memory whose SharedArrayBuffer this is (a shared memory's `buffer`, from this thread or another:
   * a Worker that was posted it), to import into instances of this thread.
   */
  static fromSharedBuffer(buffer: SharedArrayBuffer): JitMemory {
    const memory = new JitMemory();
    Object.defineProperty(memory, HANDLE, { value: loadAddon().sharedMemory(buffer), enumerable: false });
    return memory;
  }

  /** The addon's buffer: the same object until the memory grows (which detaches it, in wasm or here). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    const addon = loadAddon();
    const handle = this[HANDLE] as NativeExternHandle;
    if (!addon.externType(handle)?.shared) return addon.memoryBuffer(handle);
    // The addon makes a new SharedArrayBuffer each call: the same one here while the size stays.
    const pages = addon.memorySize(handle);
    if (this.shared?.pages !== pages) this.shared = { buffer: addon.memoryBuffer(handle) as SharedArrayBuffer, pages };
    return this.shared.buffer;
  }

  /** Grows by delta pages: the old size; a RangeError when it cannot, as WebAssembly.Memory.grow. */
  grow(delta: number): number {
    const old = loadAddon().memoryGrow(this[HANDLE] as NativeExternHandle, delta);
    if (old < 0) throw new RangeError('WebAssembly.Memory.grow(): cannot grow the memory by that many pages');
    return old;
  }
}

const isRefLetter = (t: string) => t === 'r' || t === 'e';

/** ToNumber: a BigInt (or a Symbol) is a TypeError, as the JS API's ToWebAssemblyValue has it. */
function toNumber(v: unknown): number {
  return +(v as number);
}

/** ToBigInt64's ToBigInt: a Number is a TypeError (BigInt(5) would accept it). */
function toBigInt(v: unknown): bigint {
  if (typeof v === 'number') throw new TypeError(`Cannot convert ${v} to a BigInt`);
  return BigInt(v as bigint);
}

/** The addon's number letters as their types. */
const NUM_TYPES: Record<string, NumType> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64' };

/** A number's bits (ToWebAssemblyValue, core/bits.ts); a reference crosses as its JS value instead (the addon checks it), its slot 0. */
function toSlot(letter: string, v: unknown): bigint {
  const t = Object.hasOwn(NUM_TYPES, letter) ? NUM_TYPES[letter] : undefined;
  if (t === undefined) return 0n;
  return jsToUnit(t, t === 'i64' ? toBigInt(v) : toNumber(v));
}

/** A number as the JS value it is (ToJSValue, core/bits.ts). */
function fromSlot(letter: string, s: bigint): number | bigint {
  const t = Object.hasOwn(NUM_TYPES, letter) ? NUM_TYPES[letter] : undefined;
  if (t === undefined) throw new TypeError(`values of type ${letter} cannot cross to JS`);
  return unitToJs(t, s);
}

export class JitInstance {
  readonly exports: Record<string, unknown> = {};
  readonly native: NativeInstance;

  /** Frees the instance now rather than when collected; its exports must not be used after. */
  release(): void {
    loadAddon().release(this.native);
  }

  constructor(module: JitModule, importObject: Record<string, Record<string, unknown>> = {}) {
    const addon = loadAddon();
    const imports = module.imports.map((d) => {
      const v = importObject[d.module]?.[d.name];
      const handle = (v as WithHandle | undefined)?.[HANDLE];
      if (handle) return handle;
      return typeof v === 'function' && d.kind === 'func' ? v : undefined;
    });
    const r = withAddressSpace(addon, () => addon.instantiate(module.native, imports));
    if (r.error?.kind === 'resource') throw new RangeError(r.error.message); // as WebAssembly.Memory does
    if (r.error) throw r.error.kind === 'trap' ? new JitRuntimeError(r.error.message) : new JitLinkError(r.error.message);
    const instance = r.instance!;
    this.native = instance;
    for (const e of module.exports) {
      let value: WithHandle;
      if (e.kind === 'func') {
        // The addon's Exported Function: converts as the JS API does, and imports as the wasm function it is.
        this.exports[e.name] = addon.getExport(instance, e.name);
        continue;
      } else if (e.kind === 'global') {
        value = new JitGlobal(instance, e.name, e.type ?? 'i');
      } else if (e.kind === 'memory') {
        value = new JitMemory();
      } else {
        value = new JitExtern(e.kind);
      }
      // Made when another instance imports it: a handle keeps this instance alive until collected.
      let handle: unknown;
      Object.defineProperty(value, HANDLE, { get: () => (handle ??= addon.getExport(instance, e.name)), enumerable: false });
      this.exports[e.name] = value;
    }
  }
}

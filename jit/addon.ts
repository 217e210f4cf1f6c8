// Loads the native addon built by `npm install` (node-gyp, jit/binding.gyp), and types its API.
// Numbers cross as raw bits in BigUint64Array slots: i32/f32 in the low 32 bits, i64/f64 whole, a
// v128 as two. References cross as JS values only: null, an opaque funcref handle, an externref's
// JS value; their slots carry no bits.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';

export interface NativeError {
  kind: 'malformed' | 'invalid' | 'unsupported';
  message: string;
  offset: number;
}

/** Types as letters: i i32, I i64, f f32, F f64, V v128, r funcref, e externref, x exnref. Functions: "params:results"; globals: type, plus "mut". */
export interface NativeExtern {
  name: string;
  /** The exported thing's index in its index space (a function's index names the JS API's exported function). */
  index?: number;
  kind: 'func' | 'table' | 'memory' | 'global' | 'tag';
  type?: string;
}

export type NativeModule = { readonly __brand: 'NativeModule' };
export type NativeInstance = { readonly __brand: 'NativeInstance' };
export type NativeExternHandle = { readonly __brand: 'NativeExternHandle' };

/**
 * The JS API's Exported Function: a native JS function that calls a wasm (or re-exported host)
 * function, converting as ToWebAssemblyValue / ToJSValue do; `length` its parameter count, `name` its
 * function index. The same function gives the same object every time (exports, table.get, funcref
 * results), while that object lives. It is how a funcref crosses to JS, and the only JS value a
 * funcref parameter, table slot or global accepts (besides null). A trap throws WebAssembly.RuntimeError,
 * stack exhaustion a RangeError, a v128 in the signature a TypeError; `new` on it is a TypeError.
 */
export type ExportedFunction = ((...args: unknown[]) => unknown) & { readonly __brand?: 'ExportedFunction' };

/** What an extern handle (or an Exported Function) holds. `id` is the same for the same memory, table, global or function. */
export interface NativeExternType {
  kind: 'func' | 'table' | 'memory' | 'global' | 'tag';
  id: number;
  /** Table: its element letter ('r' funcref, 'e' externref, 'x' exnref); global: its value letter; function and tag: "params:results". */
  type?: string;
  /** Global. */
  mutable?: boolean;
  /** Table and memory: limits in elements or pages. */
  min?: number;
  max?: number;
  /** Memory: true for a shared one (threads). */
  shared?: boolean;
  /** Table and memory: the address type. */
  address?: 'i32' | 'i64';
}

export interface NativeAddon {
  /** null when the module decodes and validates, else why not. */
  /** features: the proposals after Wasm 2.0 allowed, by their names in core/features.ts; absent: all the JIT has. */
  validate(bytes: Uint8Array, features?: readonly string[]): NativeError | null;
  compile(bytes: Uint8Array, features?: readonly string[]): {
    module?: NativeModule;
    imports?: (NativeExtern & { module: string })[];
    exports?: NativeExtern[];
    /** The machine code generated for the module's functions, in bytes. */
    codeBytes?: number;
    error?: NativeError | { kind: 'unsupported' | 'resource'; message: string };
  };
  /**
   * imports: per import, an extern handle, an Exported Function (imported as the wasm function it
   * is), another JS function (a host function), or undefined. Throws what a start function's import throws.
   */
  /** 'resource': the process ran out of address space or room in the fault handler's tables. */
  /** A start function's uncaught exception: kind 'exception', with `exception` its WebAssembly.Exception once a factory is registered (setExceptionFactory). */
  instantiate(module: NativeModule, imports: unknown[]): { instance?: NativeInstance; error?: { kind: 'unlinkable' | 'trap' | 'exception' | 'resource'; message: string; exception?: unknown } };
  /** The export `name`: a function as its Exported Function, anything else as an extern handle. */
  getExport(instance: NativeInstance, name: string): ExportedFunction | NativeExternHandle | undefined;
  /**
   * Throws what an imported JS function throws, and a TypeError for a reference argument of the
   * wrong kind. refs[i] is the value of reference parameter i; a result's refs[i] likewise.
   */
  /** exception: a wasm exception left the call uncaught (a JS exception that went through wasm is thrown again as itself). */
  invoke(instance: NativeInstance, name: string, args: BigUint64Array, refs?: unknown[]): { results?: BigUint64Array; refs?: unknown[]; trap?: string; exception?: string };
  /** bits [low, high] of a numeric or v128 global; ref for a reference global. */
  getGlobal(instance: NativeInstance, name: string): { bits?: BigUint64Array; ref?: unknown } | undefined;
  /** Sets an exported mutable global: bits [low, high] for a number, ref for a reference (TypeError if immutable). */
  setGlobal(instance: NativeInstance, name: string, bits: BigUint64Array | undefined, ref?: unknown): void;
  /** How many linear memories hold their address space now, in the whole process. */
  liveReservations(): number;
  /**
   * The ArrayBuffer over a memory's current pages (it keeps the memory alive): the same object until the
   * memory grows, by memoryGrow or by wasm, which detaches it; the next call makes a new one. A shared
   * memory's is a new SharedArrayBuffer over its current pages each call, never detached.
   */
  memoryBuffer(memory: NativeExternHandle): ArrayBuffer | SharedArrayBuffer;
  /**
   * The shared memory a SharedArrayBuffer of memoryBuffer shows, made on this thread or another (a Worker
   * posted the buffer), as a memory handle; a TypeError for any other buffer.
   */
  sharedMemory(buffer: SharedArrayBuffer): NativeExternHandle;
  /** The memory's size in pages. */
  memorySize(memory: NativeExternHandle): number;
  /** memory.grow from JS: the old size in pages, or -1. */
  memoryGrow(memory: NativeExternHandle, delta: number): number;
  /** Detaches a buffer memoryBuffer made. */
  detachBuffer(buffer: ArrayBuffer): void;
  /** Where a module's frames hold references at each call (for tests and tools): func index, return offset from its entry, frame units. */
  stackMaps(module: unknown): { func: number; offset: number; slots: number[]; base: number }[];
  /** A memory made from JS (WebAssembly.Memory), 64-bit if is64; RangeError when it cannot be reserved; a shared one needs a maximum (TypeError). */
  createMemory(initial: number, maximum: number | undefined, shared?: boolean, is64?: boolean): NativeExternHandle;
  /** A table made from JS: every slot `init`, checked as a reference of the element type (TypeError); a 64-bit one's maximum may be a BigInt. */
  createTable(elem: 'r' | 'e', initial: number, maximum: number | bigint | undefined, init: unknown, is64?: boolean): NativeExternHandle;
  /** A tag made from JS: its parameters as value letters. */
  createTag(params: string): NativeExternHandle;
  /** The JS API's JavaScript exception tag (WebAssembly.JSTag's), of type [externref]. */
  jsTag(): NativeExternHandle;
  /**
   * Registers what makes a WebAssembly.Exception object for a wasm exception that reaches JS (its
   * constructor's result without its steps): the addon wraps the object around the exception. Until
   * then such an exception is a RuntimeError "uncaught wasm exception".
   */
  setExceptionFactory(factory: () => object): void;
  /**
   * Makes object a WebAssembly.Exception of that tag and payload (after WebIDL's conversions): a
   * TypeError for the JS tag, a payload of the wrong length, a v128 or exnref parameter, a value that
   * does not convert. JS values thrown by an import are caught in wasm by their tag if they are one.
   */
  exceptionCreate(object: object, tag: NativeExternHandle, payload: unknown[]): void;
  /** Whether the WebAssembly.Exception is of that tag (TypeError for another object). */
  exceptionIs(object: object, tag: NativeExternHandle): boolean;
  /** A payload value: TypeError for another tag or a v128 / exnref value, RangeError past the payload. */
  exceptionGetArg(object: object, tag: NativeExternHandle, index: number): unknown;
  /** A global made from JS: bits [low, high] for a number, ref for a reference (TypeError when not one). */
  createGlobal(type: string, mutable: boolean, bits: BigUint64Array | undefined, ref?: unknown): NativeExternHandle;
  /** The kind, identity and type of an extern handle or an Exported Function; undefined for anything else. */
  externType(handle: unknown): NativeExternType | undefined;
  tableSize(table: NativeExternHandle): number;
  /** RangeError out of bounds. A funcref is its Exported Function or null; an externref its JS value. */
  tableGet(table: NativeExternHandle, index: number): unknown;
  /** RangeError out of bounds, TypeError for a value that is not a reference of the element type. */
  tableSet(table: NativeExternHandle, index: number, value: unknown): void;
  /** The old length, or -1 when it cannot grow; new slots hold `init` (checked as in tableSet). */
  tableGrow(table: NativeExternHandle, delta: number, init: unknown): number;
  /** A global's value: bits [low, high] for a number or v128, ref for a reference. */
  globalGet(global: NativeExternHandle): { bits?: BigUint64Array; ref?: unknown };
  /** Sets a global (mutable or not: the JS API checks mutability first). */
  globalSet(global: NativeExternHandle, bits: BigUint64Array | undefined, ref?: unknown): void;
  /** "struct" or "array" for a GC object as JS holds it (an anyref's wrapper), else undefined. */
  gcObjectKind(value: unknown): 'struct' | 'array' | undefined;
  /** The thread's GC heap (tests): its objects, their bytes, the collections so far; collect first when asked. */
  gcStats(collect?: boolean): { objects: number; bytes: number; collections: number };
  /** The instruction set the SIMD handlers were chosen for ("avx2", "sse4.1"), or "none" without SSE4.1. */
  simdIsa(): string;
  /** Lets go of the instance now (its memory is unmapped once nothing else holds it); the handle is dead after. */
  release(instance: NativeInstance): void;
  releaseModule(module: NativeModule): void;
}

let addon: NativeAddon | undefined;

/** The addon; MITEY_JIT_ADDON names another build (e.g. the AddressSanitizer one). */
export function loadAddon(): NativeAddon {
  if (addon) return addon;
  // A relative MITEY_JIT_ADDON is the user's, from the working directory (require would read it as a package name).
  const path = process.env.MITEY_JIT_ADDON ? resolve(process.env.MITEY_JIT_ADDON) : join(PACKAGE_ROOT, 'jit', 'build', 'Release', 'mitey_jit.node');
  if (!existsSync(path)) {
    throw new Error(`the native JIT is not built (${path} is missing): run "npm install" or "npm run build:native"; it needs python3, make and g++`);
  }
  addon = createRequire(import.meta.url)(path) as NativeAddon;
  return addon;
}

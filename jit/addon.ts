// Loads the native addon built by `npm install` (node-gyp, jit/binding.gyp), and types its API.
// Numbers cross as raw bits in BigUint64Array slots: i32/f32 in the low 32 bits, i64/f64 whole, a
// v128 as two. References cross as JS values only: null, an opaque funcref handle, an externref's
// JS value; their slots carry no bits.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../runner/package-root.js';

export interface NativeError {
  kind: 'malformed' | 'invalid' | 'unsupported';
  message: string;
  offset: number;
}

/** Types as letters: i i32, I i64, f f32, F f64, V v128, r funcref, e externref. Functions: "params:results"; globals: type, plus "mut". */
export interface NativeExtern {
  name: string;
  /** The exported thing's index in its index space (a function's index names the JS API's exported function). */
  index?: number;
  kind: 'func' | 'table' | 'memory' | 'global';
  type?: string;
}

export type NativeModule = { readonly __brand: 'NativeModule' };
export type NativeInstance = { readonly __brand: 'NativeInstance' };
export type NativeExternHandle = { readonly __brand: 'NativeExternHandle' };

export interface NativeAddon {
  /** null when the module decodes and validates, else why not. */
  validate(bytes: Uint8Array): NativeError | null;
  compile(bytes: Uint8Array): {
    module?: NativeModule;
    imports?: (NativeExtern & { module: string })[];
    exports?: NativeExtern[];
    error?: NativeError | { kind: 'unsupported' | 'resource'; message: string };
  };
  /** imports: per import, an export handle, a JS function, or undefined. Throws what a start function's import throws. */
  /** 'resource': the process ran out of address space or room in the fault handler's tables. */
  instantiate(module: NativeModule, imports: unknown[]): { instance?: NativeInstance; error?: { kind: 'unlinkable' | 'trap' | 'resource'; message: string } };
  getExport(instance: NativeInstance, name: string): NativeExternHandle | undefined;
  /**
   * Throws what an imported JS function throws, and a TypeError for a reference argument of the
   * wrong kind. refs[i] is the value of reference parameter i; a result's refs[i] likewise.
   */
  invoke(instance: NativeInstance, name: string, args: BigUint64Array, refs?: unknown[]): { results?: BigUint64Array; refs?: unknown[]; trap?: string };
  /** bits [low, high] of a numeric or v128 global; ref for a reference global. */
  getGlobal(instance: NativeInstance, name: string): { bits?: BigUint64Array; ref?: unknown } | undefined;
  /** Sets an exported mutable global: bits [low, high] for a number, ref for a reference (TypeError if immutable). */
  setGlobal(instance: NativeInstance, name: string, bits: BigUint64Array | undefined, ref?: unknown): void;
  /** How many linear memories hold their address space now, in the whole process. */
  liveReservations(): number;
  /** An ArrayBuffer over an exported memory's current pages (it keeps the memory alive). */
  memoryBuffer(memory: NativeExternHandle): ArrayBuffer;
  /** The memory's size in pages. */
  memorySize(memory: NativeExternHandle): number;
  /** memory.grow from JS: the old size in pages, or -1. */
  memoryGrow(memory: NativeExternHandle, delta: number): number;
  /** Detaches a buffer memoryBuffer made. */
  detachBuffer(buffer: ArrayBuffer): void;
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
  const path = process.env.MITEY_JIT_ADDON ?? join(PACKAGE_ROOT, 'jit', 'build', 'Release', 'mitey_jit.node');
  if (!existsSync(path)) {
    throw new Error(`the native JIT is not built (${path} is missing): run "npm install" or "npm run build:native"; it needs python3, make and g++`);
  }
  addon = createRequire(import.meta.url)(path) as NativeAddon;
  return addon;
}

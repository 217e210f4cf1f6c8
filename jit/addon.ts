// Loads the native addon built by `npm install` (node-gyp, jit/binding.gyp), and types its API.
// Values cross as raw bits in BigUint64Array slots: i32/f32 in the low 32 bits, i64/f64 whole,
// references as engine-defined bits (0 is null).
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
    error?: NativeError | { kind: 'unsupported'; message: string };
  };
  /** imports: per import, an export handle, a JS function, or undefined. Throws what a start function's import throws. */
  instantiate(module: NativeModule, imports: unknown[]): { instance?: NativeInstance; error?: { kind: 'unlinkable' | 'trap'; message: string } };
  getExport(instance: NativeInstance, name: string): NativeExternHandle | undefined;
  /** Throws what an imported JS function throws. */
  invoke(instance: NativeInstance, name: string, args: BigUint64Array): { results?: BigUint64Array; trap?: string };
  getGlobal(instance: NativeInstance, name: string): BigUint64Array | undefined;
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

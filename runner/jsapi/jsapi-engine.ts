// An engine for the JS API tests: the `WebAssembly` namespace a test realm gets as globalThis.WebAssembly.
// V8 answers with the realm's own; the JIT plugs in here later with a namespace built on that realm's intrinsics
// (its errors must be that realm's TypeError / RangeError for the tests' assert_throws_js to accept them).
import { createEngine } from '../engines/create-engine.js';

export interface JsApiEngine {
  name: string;
  version: string;
  /** Wasm proposals it has (runner/features.ts names): a test needing another is unsupported. */
  features: ReadonlySet<string>;
  /** The object to expose as globalThis.WebAssembly in a fresh test realm whose global is `realm`. */
  webAssemblyFor(realm: typeof globalThis): object;
}

export const JSAPI_ENGINE_NAMES = ['v8-node', 'v8'] as const;

/** `v8` runs in workers under V8 14's Node (node-runtime.ts); in that process, as here, the running V8 answers. */
export function createJsApiEngine(name: string): JsApiEngine {
  if (name === 'v8-node' || name === 'v8') {
    const wast = createEngine(name);
    return { name, version: wast.version, features: wast.features, webAssemblyFor: (realm) => realm.WebAssembly };
  }
  if (name === 'jit') throw new Error('the JIT has no WebAssembly namespace yet (issue 14): jsapi runs on v8-node or v8');
  throw new Error(`unknown engine "${name}" for jsapi (known: ${JSAPI_ENGINE_NAMES.join(', ')})`);
}

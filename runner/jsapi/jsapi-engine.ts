// An engine for the JS API tests: the `WebAssembly` namespace a test realm gets as globalThis.WebAssembly.
// V8 answers with the realm's own, in a fresh vm realm. The JIT's namespace (jit/js-api) is made of this process's
// intrinsics, so its tests run in the worker process's main realm (each file has a process of its own): the
// prototypes they compare and the TypeError / RangeError their assert_throws_js expects are that realm's.
import { createEngine } from '../../engines/create-engine.js';
import { JitWebAssembly } from '../../jit/js-api/namespace.js';

export interface JsApiEngine {
  name: string;
  version: string;
  /** Wasm proposals it has (core/features.ts names): a test needing another is unsupported. */
  features: ReadonlySet<string>;
  /** 'main': the test runs in this process's own realm, not in a fresh vm context. */
  realm: 'fresh' | 'main';
  /** The object to expose as globalThis.WebAssembly in the test realm whose global is `realm`. */
  webAssemblyFor(realm: typeof globalThis): object;
}

export const JSAPI_ENGINE_NAMES = ['v8-node', 'v8', 'jit'] as const;

/** `v8` runs in workers under V8 14's Node (node-runtime.ts); in that process, as here, the running V8 answers. */
export function createJsApiEngine(name: string): JsApiEngine {
  if (name === 'v8-node' || name === 'v8') {
    const wast = createEngine(name);
    return { name, version: wast.version, features: wast.features, realm: 'fresh', webAssemblyFor: (realm) => realm.WebAssembly };
  }
  if (name === 'jit') {
    const wast = createEngine(name);
    return {
      name,
      version: wast.version,
      features: wast.features,
      realm: 'main',
      webAssemblyFor: (realm) => {
        if (realm !== globalThis) throw new Error("the JIT's WebAssembly namespace belongs to the main realm");
        return JitWebAssembly;
      },
    };
  }
  throw new Error(`unknown engine "${name}" for jsapi (known: ${JSAPI_ENGINE_NAMES.join(', ')})`);
}

// WebAssembly.Instance: reads the imports as the JS API says (in the module's import order, a TypeError for a
// module that is not an object, a LinkError for a value of the wrong kind), instantiates, and offers the exports
// as a frozen object with a null prototype: Exported Functions, and the cached Memory, Table, Global and Tag objects.
import { loadAddon, NativeExternHandle, NativeInstance } from '../addon.js';
import { withAddressSpace } from '../address-space.js';
import { LinkError, RuntimeError } from './errors.js';
import { createGlobalHandle, globalHandle, globalObject } from './global.js';
import { memoryHandle, memoryObject } from './memory.js';
import { registerExceptionFactory } from './exception.js';
import { ModuleData, moduleData } from './module.js';
import { tagHandle, tagObject } from './tag.js';
import { MAX_TABLE_SIZE, tableHandle, tableObject } from './table.js';
import { isExportedFunction, toWebAssemblyValue, ValueLetter } from './values.js';
import { brand, isObject, requireArguments, webidlMembers } from './webidl.js';

const INSTANCES = new WeakMap<object, { exports: object; native: NativeInstance }>();

/** "Read the imports": per import, what the addon takes (an extern handle, an Exported Function or another JS function). */
export function readImports(module: ModuleData, importObject: unknown): unknown[] {
  if (module.imports.length > 0 && importObject === undefined) throw new TypeError('WebAssembly.Instance(): imports argument must be present and must be an object');
  if (importObject !== undefined && !isObject(importObject)) throw new TypeError('WebAssembly.Instance(): imports argument must be an object');
  return module.imports.map((d) => {
    const where = `import "${d.module}" "${d.name}"`;
    const o = (importObject as Record<string, unknown>)[d.module];
    if (!isObject(o)) throw new TypeError(`WebAssembly.Instance(): ${where}: module is not an object or function`);
    const v = (o as Record<string, unknown>)[d.name];
    switch (d.kind) {
      case 'func':
        if (typeof v !== 'function') throw new LinkError(`WebAssembly.Instance(): ${where}: function import requires a callable`);
        return hostFunction(v as (...args: unknown[]) => unknown, d.type);
      case 'memory': {
        const h = memoryHandle(v);
        if (!h) throw new LinkError(`WebAssembly.Instance(): ${where}: memory import must be a WebAssembly.Memory object`);
        return h;
      }
      case 'table': {
        const h = tableHandle(v);
        if (!h) throw new LinkError(`WebAssembly.Instance(): ${where}: table import requires a WebAssembly.Table`);
        return h;
      }
      case 'tag': {
        const h = tagHandle(v);
        if (!h) throw new LinkError(`WebAssembly.Instance(): ${where}: tag import requires a WebAssembly.Tag`);
        return h;
      }
      case 'global': {
        const h = globalHandle(v);
        if (h) return h;
        const type = (d.type ?? 'i')[0] as ValueLetter;
        const mutable = (d.type ?? '').endsWith('mut');
        if (type === 'I' && typeof v !== 'bigint') throw new LinkError(`WebAssembly.Instance(): ${where}: global import must be a BigInt or a WebAssembly.Global object`);
        if ((type === 'i' || type === 'f' || type === 'F') && typeof v !== 'number') throw new LinkError(`WebAssembly.Instance(): ${where}: global import must be a Number or a WebAssembly.Global object`);
        if (type === 'V') throw new LinkError(`WebAssembly.Instance(): ${where}: a v128 global import must be a WebAssembly.Global object`);
        let value;
        try {
          value = toWebAssemblyValue(v, type);
        } catch (err) {
          // "If this operation throws a TypeError, catch it, and throw a LinkError."
          if (err instanceof TypeError) throw new LinkError(`WebAssembly.Instance(): ${where}: ${err.message}`);
          throw err;
        }
        if (mutable) throw new LinkError(`WebAssembly.Instance(): ${where}: imported mutable global must be a WebAssembly.Global object`);
        return createGlobalHandle(type, false, value);
      }
    }
  });
}

/**
 * A JS function as an import. With two results or more, the JS API takes any iterable (IterableToList) where
 * the addon takes an array: a wrapper makes the list, with the iterator protocol's steps in the spec's order.
 */
function hostFunction(fn: (...args: unknown[]) => unknown, type: string | undefined): unknown {
  const results = (type ?? ':').split(':')[1] ?? '';
  if (results.length < 2 || isExportedFunction(fn)) return fn;
  return function (...args: unknown[]) {
    return [...(Reflect.apply(fn, undefined, args) as Iterable<unknown>)];
  };
}

/** Instantiates with imports read already: a LinkError, a RuntimeError (a trap in the start function), or what a start function's import threw. */
export function instantiateCore(module: ModuleData, imports: unknown[]): NativeInstance {
  if (module.largestTable > MAX_TABLE_SIZE) throw new RangeError(`WebAssembly.Instance(): a table's initial size of ${module.largestTable} is above the limit of ${MAX_TABLE_SIZE}`);
  const addon = loadAddon();
  registerExceptionFactory(); // a start function's exception reaches JS as a WebAssembly.Exception
  const r = withAddressSpace(addon, () => addon.instantiate(module.native, imports));
  if (r.error?.kind === 'resource') throw new RangeError(`WebAssembly.Instance(): ${r.error.message}`);
  if (r.error?.kind === 'exception') throw r.error.exception ?? new RuntimeError(r.error.message);
  if (r.error?.kind === 'trap') {
    if (r.error.message === 'call stack exhausted') throw new RangeError('Maximum call stack size exceeded');
    throw new RuntimeError(r.error.message);
  }
  if (r.error) throw new LinkError(`WebAssembly.Instance(): ${r.error.message}`);
  return r.instance!;
}

/** The exports object: frozen, null prototype, in the module's export order. */
function exportsObject(module: ModuleData, instance: NativeInstance): object {
  const addon = loadAddon();
  const out = Object.create(null) as Record<string, unknown>;
  for (const e of module.exports) {
    const x = addon.getExport(instance, e.name);
    let value: unknown;
    if (e.kind === 'func') value = x;
    else if (e.kind === 'memory') value = memoryObject(x as NativeExternHandle);
    else if (e.kind === 'table') value = tableObject(x as NativeExternHandle);
    else if (e.kind === 'tag') value = tagObject(x as NativeExternHandle);
    else value = globalObject(x as NativeExternHandle);
    Object.defineProperty(out, e.name, { value, writable: false, enumerable: true, configurable: false });
  }
  return Object.freeze(out);
}

let adopting: { module: ModuleData; native: NativeInstance } | undefined;

export class Instance {
  constructor(module: unknown, ...rest: unknown[]) {
    const importObject = rest[0];
    let made = adopting;
    adopting = undefined;
    if (!made) {
      requireArguments(arguments.length, 1, 'WebAssembly.Instance()');
      const m = moduleData(module, 'WebAssembly.Instance()');
      made = { module: m, native: instantiateCore(m, readImports(m, importObject)) };
    }
    INSTANCES.set(this, { exports: exportsObject(made.module, made.native), native: made.native });
  }

  get exports(): object {
    return brand(INSTANCES, this, 'WebAssembly.Instance.exports').exports;
  }
}

webidlMembers(Instance, 'WebAssembly.Instance');

/** An Instance object over an instance made already (for WebAssembly.instantiate). */
export function instanceObject(module: ModuleData, native: NativeInstance): Instance {
  adopting = { module, native };
  return new Instance(undefined);
}

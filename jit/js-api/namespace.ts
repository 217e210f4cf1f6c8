// The `WebAssembly` namespace over the JIT: the interfaces, the errors (the realm's own), validate, compile,
// instantiate (both overloads), compileStreaming and instantiateStreaming, with WebIDL's property descriptors.
import { loadAddon } from '../addon.js';
import { CompileError, LinkError, RuntimeError } from './errors.js';
import { Global } from './global.js';
import { Instance, instanceObject, instantiateCore, readImports } from './instance.js';
import { moduleLimits } from './limits.js';
import { Memory } from './memory.js';
import { compileBytes, isModule, Module, ModuleData, moduleData, moduleObject } from './module.js';
import { Exception } from './exception.js';
import { Table } from './table.js';
import { Tag, tagObject } from './tag.js';
import { bufferSourceBytes, operation, requireArguments } from './webidl.js';

/** A later task: where the JS API works "in parallel" (the addon compiles on this thread, so after the caller's turn). */
const nextTask = () => new Promise<void>((done) => setImmediate(done));

/** An operation returning a promise: its exceptions become rejections (WebIDL). */
const promising = <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
  (...args: A): Promise<R> => {
    try {
      return f(...args);
    } catch (err) {
      return Promise.reject(err);
    }
  };

async function compileLater(bytes: Uint8Array, what: string): Promise<ModuleData> {
  await nextTask();
  return compileBytes(bytes, what);
}

/** Instantiates once the imports are read: the core instantiation in a later task. */
async function instantiateLater(module: ModuleData, imports: unknown[]): Promise<Instance> {
  await nextTask();
  return instanceObject(module, instantiateCore(module, imports));
}

function validate(bytes: unknown): boolean {
  requireArguments(arguments.length, 1, 'WebAssembly.validate()');
  const b = bufferSourceBytes(bytes, 'WebAssembly.validate()');
  if (moduleLimits(b).error) return false;
  return loadAddon().validate(b) === null;
}

const compile = promising(function compile(this: unknown, ...args: unknown[]): Promise<Module> {
  requireArguments(args.length, 1, 'WebAssembly.compile()');
  return compileLater(bufferSourceBytes(args[0], 'WebAssembly.compile()'), 'WebAssembly.compile()').then(moduleObject);
});

const instantiate = promising(function instantiate(this: unknown, ...args: unknown[]): Promise<unknown> {
  requireArguments(args.length, 1, 'WebAssembly.instantiate()');
  const [source, importObject] = args;
  if (isModule(source)) {
    // The imports are read now; the instance is made in a later task.
    const m = moduleData(source, 'WebAssembly.instantiate()');
    return instantiateLater(m, readImports(m, importObject));
  }
  const bytes = bufferSourceBytes(source, 'WebAssembly.instantiate()');
  return compileLater(bytes, 'WebAssembly.instantiate()').then((m) => {
    const module = moduleObject(m);
    return instantiateLater(m, readImports(m, importObject)).then((instance) => ({ module, instance }));
  });
});

/** The bytes of a Response (or a promise of one), checked as Node's own compileStreaming checks them. */
async function responseBytes(source: unknown, what: string): Promise<Uint8Array> {
  const response = await source;
  const ResponseClass = (globalThis as { Response?: typeof Response }).Response;
  if (!ResponseClass || !(response instanceof ResponseClass)) throw new TypeError(`${what}: argument must be a Response or a promise of one`);
  const type = response.headers.get('Content-Type');
  if (type === null || type.split(';')[0].trim().toLowerCase() !== 'application/wasm') throw new TypeError(`${what}: the response's Content-Type is ${type === null ? 'missing' : `"${type}"`}, not application/wasm`);
  if (!response.ok) throw new TypeError(`${what}: the response's status is ${response.status}, not an ok status`);
  if (response.bodyUsed) throw new TypeError(`${what}: the response's body has been read already`);
  return new Uint8Array(await response.arrayBuffer());
}

const compileStreaming = promising(async function compileStreaming(...args: unknown[]): Promise<Module> {
  requireArguments(args.length, 1, 'WebAssembly.compileStreaming()');
  return moduleObject(compileBytes(await responseBytes(args[0], 'WebAssembly.compileStreaming()'), 'WebAssembly.compileStreaming()'));
});

const instantiateStreaming = promising(async function instantiateStreaming(...args: unknown[]): Promise<{ module: Module; instance: Instance }> {
  requireArguments(args.length, 1, 'WebAssembly.instantiateStreaming()');
  const [source, importObject] = args;
  const m = compileBytes(await responseBytes(source, 'WebAssembly.instantiateStreaming()'), 'WebAssembly.instantiateStreaming()');
  const module = moduleObject(m);
  const instance = await instantiateLater(m, readImports(m, importObject));
  return { module, instance };
});

export interface WebAssemblyNamespace {
  Module: typeof Module;
  Instance: typeof Instance;
  Memory: typeof Memory;
  Table: typeof Table;
  Global: typeof Global;
  Tag: typeof Tag;
  Exception: typeof Exception;
  /** The tag of JS exceptions thrown into wasm (catch can name it; its payload is the value thrown). */
  readonly JSTag: Tag;
  CompileError: typeof WebAssembly.CompileError;
  LinkError: typeof WebAssembly.LinkError;
  RuntimeError: typeof WebAssembly.RuntimeError;
  validate(bytes: BufferSource): boolean;
  compile(bytes: BufferSource): Promise<Module>;
  instantiate(bytes: BufferSource, importObject?: object): Promise<{ module: Module; instance: Instance }>;
  instantiate(module: Module, importObject?: object): Promise<Instance>;
  compileStreaming(source: Response | PromiseLike<Response>): Promise<Module>;
  instantiateStreaming(source: Response | PromiseLike<Response>, importObject?: object): Promise<{ module: Module; instance: Instance }>;
}

/** The namespace object: operations enumerable, interfaces not, and its toStringTag "WebAssembly". */
function makeNamespace(): WebAssemblyNamespace {
  const ns = {};
  const operations: [string, (...args: never[]) => unknown][] = [
    ['validate', validate],
    ['compile', compile],
    ['instantiate', instantiate],
    ['compileStreaming', compileStreaming],
    ['instantiateStreaming', instantiateStreaming],
  ];
  for (const [name, fn] of operations) Object.defineProperty(ns, name, { value: operation(name, 1, fn), writable: true, enumerable: true, configurable: true });
  const interfaces: [string, unknown][] = [
    ['Module', Module],
    ['Instance', Instance],
    ['Memory', Memory],
    ['Table', Table],
    ['Global', Global],
    ['Tag', Tag],
    ['Exception', Exception],
    ['CompileError', CompileError],
    ['LinkError', LinkError],
    ['RuntimeError', RuntimeError],
  ];
  for (const [name, value] of interfaces) Object.defineProperty(ns, name, { value, writable: true, enumerable: false, configurable: true });
  // A read-only attribute: an enumerable accessor, its getter named "get JSTag".
  const getJSTag = operation('get JSTag', 0, () => tagObject(loadAddon().jsTag()));
  Object.defineProperty(ns, 'JSTag', { get: getJSTag, enumerable: true, configurable: true });
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'WebAssembly', writable: false, enumerable: false, configurable: true });
  return ns as WebAssemblyNamespace;
}

export const JitWebAssembly: WebAssemblyNamespace = makeNamespace();

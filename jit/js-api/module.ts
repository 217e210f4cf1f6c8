// WebAssembly.Module: a compiled module, with the static exports(), imports() and customSections().
import { loadAddon, NativeExtern, NativeModule } from '../addon.js';
import { withAddressSpace } from '../address-space.js';
import { customSections } from './custom-sections.js';
import { CompileError } from './errors.js';
import { moduleLimits } from './limits.js';
import { brand, bufferSourceBytes, requireArguments, toDOMString, webidlMembers } from './webidl.js';

export interface ModuleData {
  native: NativeModule;
  imports: (NativeExtern & { module: string })[];
  exports: NativeExtern[];
  bytes: Uint8Array;
  /** The largest initial size of its own tables (the JS API refuses to instantiate one over its limit). */
  largestTable: number;
}

const MODULES = new WeakMap<object, ModuleData>();
/** Lets compileBytes() hand a compiled module to the constructor (for compile() and instantiate()). */
let adopting: ModuleData | undefined;

const KIND_NAMES = { func: 'function', table: 'table', memory: 'memory', global: 'global', tag: 'tag' } as const;

/** Compiles bytes already copied: a CompileError when they do not decode or validate (or use what the JIT lacks). */
export function compileBytes(bytes: Uint8Array, what = 'WebAssembly.Module()'): ModuleData {
  const limits = moduleLimits(bytes);
  if (limits.error) throw new CompileError(`${what}: ${limits.error}`);
  const addon = loadAddon();
  const r = withAddressSpace(addon, () => addon.compile(bytes));
  if (r.error?.kind === 'resource') throw new RangeError(r.error.message);
  if (r.error) {
    const offset = 'offset' in r.error && r.error.offset !== undefined && r.error.offset >= 0 ? ` @+${r.error.offset}` : '';
    throw new CompileError(`${what}: ${r.error.message}${offset}`);
  }
  return { native: r.module!, imports: r.imports!, exports: r.exports!, bytes, largestTable: limits.largestTable };
}

export class Module {
  constructor(bytes: unknown) {
    let data = adopting;
    adopting = undefined;
    if (!data) {
      requireArguments(arguments.length, 1, 'WebAssembly.Module()');
      data = compileBytes(bufferSourceBytes(bytes, 'WebAssembly.Module()'));
    }
    MODULES.set(this, data);
  }

  static exports(moduleObject: unknown): { name: string; kind: string }[] {
    requireArguments(arguments.length, 1, 'WebAssembly.Module.exports()');
    const m = brand(MODULES, moduleObject, 'WebAssembly.Module.exports()');
    return m.exports.map((e) => ({ name: e.name, kind: KIND_NAMES[e.kind] }));
  }

  static imports(moduleObject: unknown): { module: string; name: string; kind: string }[] {
    requireArguments(arguments.length, 1, 'WebAssembly.Module.imports()');
    const m = brand(MODULES, moduleObject, 'WebAssembly.Module.imports()');
    return m.imports.map((i) => ({ module: i.module, name: i.name, kind: KIND_NAMES[i.kind] }));
  }

  static customSections(moduleObject: unknown, sectionName: unknown): ArrayBuffer[] {
    requireArguments(arguments.length, 2, 'WebAssembly.Module.customSections()');
    const m = brand(MODULES, moduleObject, 'WebAssembly.Module.customSections()');
    return customSections(m.bytes, toDOMString(sectionName));
  }
}

webidlMembers(Module, 'WebAssembly.Module');

/** A Module object over a module compiled already. */
export function moduleObject(data: ModuleData): Module {
  adopting = data;
  return new Module(undefined);
}

/** The module of a Module object, or a TypeError. */
export const moduleData = (v: unknown, what: string): ModuleData => brand(MODULES, v, what);
export const isModule = (v: unknown): boolean => typeof v === 'object' && v !== null && MODULES.has(v);

// WebAssembly.Global: a global made in JS or exported by an instance; `value` and valueOf() read it as
// ToJSValue does, the setter writes a mutable one (ToWebAssemblyValue).
import { loadAddon, NativeExternHandle } from '../addon.js';
import { cachedObject, rememberObject } from './object-cache.js';
import { defaultValue, toJSValue, toValueType, toWebAssemblyValue, ValueLetter } from './values.js';
import { brand, requireArguments, toDictionary, toDOMString, webidlMembers } from './webidl.js';

interface GlobalData {
  handle: NativeExternHandle;
  type: ValueLetter;
  mutable: boolean;
}

const GLOBALS = new WeakMap<object, GlobalData>();
let adopting: NativeExternHandle | undefined;

/** Makes a global in the store (for the constructor, and for a Number or BigInt given as a global import). */
export function createGlobalHandle(type: ValueLetter, mutable: boolean, value: { bits?: BigUint64Array; ref?: unknown }): NativeExternHandle {
  return loadAddon().createGlobal(type, mutable, value.bits, value.ref);
}

export class Global {
  constructor(descriptor: unknown, ...rest: unknown[]) {
    const v = rest[0];
    let handle = adopting;
    adopting = undefined;
    if (!handle) {
      requireArguments(arguments.length, 1, 'WebAssembly.Global()');
      const d = toDictionary(descriptor, 'WebAssembly.Global()');
      const mutable = Boolean(d.mutable);
      const valueType = d.value;
      if (valueType === undefined) throw new TypeError("WebAssembly.Global(): the descriptor's value is required");
      const type = toValueType(toDOMString(valueType), 'WebAssembly.Global(): value');
      if (type === 'V') throw new TypeError('WebAssembly.Global(): a v128 global cannot be made from JS');
      // An undefined v is a missing one (WebIDL's optional argument): the type's default.
      const value = v === undefined ? defaultValue(type) : toWebAssemblyValue(v, type);
      handle = createGlobalHandle(type, mutable, value);
    }
    const t = loadAddon().externType(handle)!;
    GLOBALS.set(this, { handle, type: (t.type ?? 'i') as ValueLetter, mutable: !!t.mutable });
    rememberObject('global', t.id, this);
  }

  get value(): unknown {
    const data = brand(GLOBALS, this, 'WebAssembly.Global.value');
    return toJSValue(data.type, loadAddon().globalGet(data.handle));
  }

  set value(v: unknown) {
    const data = brand(GLOBALS, this, 'WebAssembly.Global.value');
    if (!data.mutable) throw new TypeError("WebAssembly.Global.value: can't set the value of an immutable global");
    const value = toWebAssemblyValue(v, data.type);
    loadAddon().globalSet(data.handle, value.bits, value.ref);
  }

  valueOf(): unknown {
    const data = brand(GLOBALS, this, 'WebAssembly.Global.valueOf()');
    return toJSValue(data.type, loadAddon().globalGet(data.handle));
  }
}

webidlMembers(Global, 'WebAssembly.Global');

/** The Global object for an exported (or imported) global: the same one each time while it lives. */
export function globalObject(handle: NativeExternHandle): Global {
  const known = cachedObject<Global>('global', loadAddon().externType(handle)!.id);
  if (known) return known;
  adopting = handle;
  return new Global(undefined);
}

export const globalHandle = (v: unknown): NativeExternHandle | undefined => (typeof v === 'object' && v !== null ? GLOBALS.get(v)?.handle : undefined);

// WebAssembly.Table: a table of references (funcref or externref), made in JS or exported by an instance.
import { loadAddon, NativeExternHandle } from '../addon.js';
import { cachedObject, rememberObject } from './object-cache.js';
import { defaultValue, toJSValue, toWebAssemblyValue, ValueLetter } from './values.js';
import { brand, enforceRangeU32, requireArguments, toDictionary, toDOMString, toEnum, webidlMembers } from './webidl.js';

/** The JS API's limit on a table's initial size. */
export const MAX_TABLE_SIZE = 10_000_000;

interface TableData {
  handle: NativeExternHandle;
  element: 'r' | 'e';
}

const TABLES = new WeakMap<object, TableData>();
let adopting: NativeExternHandle | undefined;

const ELEMENT_TYPES = { anyfunc: 'r', funcref: 'r', externref: 'e' } as const;

/** A slot's value as the addon takes it: `value` converted (ToWebAssemblyValue), or the element type's default. */
function initValue(element: 'r' | 'e', value: unknown, given: boolean): unknown {
  return given ? toWebAssemblyValue(value, element).ref : defaultValue(element).ref;
}

export class Table {
  constructor(descriptor: unknown, ...rest: unknown[]) {
    const value = rest[0];
    let handle = adopting;
    adopting = undefined;
    if (!handle) {
      requireArguments(arguments.length, 1, 'WebAssembly.Table()');
      const d = toDictionary(descriptor, 'WebAssembly.Table()');
      // In the order the JS API tests observe: element, address (table64's; only "i32" here), initial, maximum.
      const elementValue = d.element;
      if (elementValue === undefined) throw new TypeError("WebAssembly.Table(): the descriptor's element is required");
      const element: 'r' | 'e' = ELEMENT_TYPES[toEnum(elementValue, ['anyfunc', 'funcref', 'externref'] as const, 'WebAssembly.Table(): element')];
      const address = d.address;
      if (address !== undefined) toEnum(toDOMString(address), ['i32'], 'WebAssembly.Table(): address');
      const initialValue = d.initial;
      if (initialValue === undefined) throw new TypeError("WebAssembly.Table(): the descriptor's initial is required");
      const initial = enforceRangeU32(initialValue, 'WebAssembly.Table(): initial');
      const maximumValue = d.maximum;
      const maximum = maximumValue === undefined ? undefined : enforceRangeU32(maximumValue, 'WebAssembly.Table(): maximum');
      if (initial > MAX_TABLE_SIZE) throw new RangeError(`WebAssembly.Table(): initial ${initial} is above the limit of ${MAX_TABLE_SIZE}`);
      if (maximum !== undefined && maximum < initial) throw new RangeError('WebAssembly.Table(): initial is above maximum');
      // An undefined value is a missing one (WebIDL's optional argument): the element type's default.
      const init = initValue(element, value, value !== undefined);
      handle = loadAddon().createTable(element, initial, maximum, init);
    }
    const type = loadAddon().externType(handle)!;
    TABLES.set(this, { handle, element: type.type === 'e' ? 'e' : 'r' });
    rememberObject('table', type.id, this);
  }

  get length(): number {
    return loadAddon().tableSize(brand(TABLES, this, 'WebAssembly.Table.length').handle);
  }

  grow(delta: unknown, ...rest: unknown[]): number {
    const value = rest[0];
    const data = brand(TABLES, this, 'WebAssembly.Table.grow()');
    requireArguments(arguments.length, 1, 'WebAssembly.Table.grow()');
    const n = enforceRangeU32(delta, 'WebAssembly.Table.grow(): delta');
    const init = initValue(data.element, value, value !== undefined);
    const old = loadAddon().tableGrow(data.handle, n, init);
    if (old < 0) throw new RangeError(`WebAssembly.Table.grow(): cannot grow the table by ${n}`);
    return old;
  }

  get(index: unknown): unknown {
    const data = brand(TABLES, this, 'WebAssembly.Table.get()');
    requireArguments(arguments.length, 1, 'WebAssembly.Table.get()');
    const i = enforceRangeU32(index, 'WebAssembly.Table.get(): index');
    const addon = loadAddon();
    if (i >= addon.tableSize(data.handle)) throw new RangeError(`WebAssembly.Table.get(): index ${i} is out of bounds`);
    return toJSValue(data.element as ValueLetter, { ref: addon.tableGet(data.handle, i) });
  }

  set(index: unknown, ...rest: unknown[]): void {
    const value = rest[0];
    const data = brand(TABLES, this, 'WebAssembly.Table.set()');
    requireArguments(arguments.length, 1, 'WebAssembly.Table.set()');
    const i = enforceRangeU32(index, 'WebAssembly.Table.set(): index');
    // Here an undefined value given is converted (a TypeError for funcref); only a missing one is the default.
    const ref = initValue(data.element, value, rest.length >= 1);
    const addon = loadAddon();
    if (i >= addon.tableSize(data.handle)) throw new RangeError(`WebAssembly.Table.set(): index ${i} is out of bounds`);
    addon.tableSet(data.handle, i, ref);
  }
}

webidlMembers(Table, 'WebAssembly.Table');

/** The Table object for an exported (or imported) table: the same one each time while it lives. */
export function tableObject(handle: NativeExternHandle): Table {
  const known = cachedObject<Table>('table', loadAddon().externType(handle)!.id);
  if (known) return known;
  adopting = handle;
  return new Table(undefined);
}

export const tableHandle = (v: unknown): NativeExternHandle | undefined => (typeof v === 'object' && v !== null ? TABLES.get(v)?.handle : undefined);

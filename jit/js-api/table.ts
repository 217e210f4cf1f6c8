// WebAssembly.Table: a table of references (funcref or externref), made in JS or exported by an instance;
// its indices and sizes Numbers, or BigInts for a 64-bit table (table64).
import { loadAddon, NativeExternHandle } from '../addon.js';
import { cachedObject, rememberObject } from './object-cache.js';
import { defaultValue, toJSValue, toWebAssemblyValue, ValueLetter } from './values.js';
import {
  AddressType,
  addressValueToU64,
  brand,
  requireArguments,
  toAddressType,
  toDictionary,
  toEnum,
  u64ToAddressValue,
  webidlMembers,
} from './webidl.js';

/** The JS API's limit on a table's initial size. */
export const MAX_TABLE_SIZE = 10_000_000;

/** Element types as letters: 'r' functions (typed too), 'e' extern references, 'x' exception references, 'a' GC's any hierarchy (exported tables only). */
type Element = 'r' | 'e' | 'x' | 'a';

interface TableData {
  handle: NativeExternHandle;
  element: Element;
  address: AddressType;
}

const TABLES = new WeakMap<object, TableData>();
let adopting: NativeExternHandle | undefined;

const ELEMENT_TYPES = { anyfunc: 'r', funcref: 'r', externref: 'e' } as const;

/** A slot's value as the addon takes it: `value` converted (ToWebAssemblyValue), or the element type's default. */
function initValue(element: Element, value: unknown, given: boolean): unknown {
  return given ? toWebAssemblyValue(value, element).ref : defaultValue(element).ref;
}

/** The JS API refuses to read or write a table of exception references from JS. */
function refuseExnRef(data: TableData, what: string): void {
  if (data.element === 'x') throw new TypeError(`${what}: a table of exnref cannot be read or written from JS`);
}

/** An index as the addon takes it (a Number), or a RangeError when it is out of bounds. */
function indexIn(data: TableData, index: bigint, what: string): number {
  if (index >= BigInt(loadAddon().tableSize(data.handle))) throw new RangeError(`${what}: index ${index} is out of bounds`);
  return Number(index);
}

export class Table {
  constructor(descriptor: unknown, ...rest: unknown[]) {
    const value = rest[0];
    let handle = adopting;
    adopting = undefined;
    if (!handle) {
      requireArguments(arguments.length, 1, 'WebAssembly.Table()');
      const d = toDictionary(descriptor, 'WebAssembly.Table()');
      // In the order the JS API tests observe: element, address, initial, maximum.
      const elementValue = d.element;
      if (elementValue === undefined) throw new TypeError("WebAssembly.Table(): the descriptor's element is required");
      const element: 'r' | 'e' = ELEMENT_TYPES[toEnum(elementValue, ['anyfunc', 'funcref', 'externref'] as const, 'WebAssembly.Table(): element')];
      const address = toAddressType(d.address, 'WebAssembly.Table(): address');
      const initialValue = d.initial;
      if (initialValue === undefined) throw new TypeError("WebAssembly.Table(): the descriptor's initial is required");
      const initial = addressValueToU64(initialValue, address, 'WebAssembly.Table(): initial');
      const maximumValue = d.maximum;
      const maximum = maximumValue === undefined ? undefined : addressValueToU64(maximumValue, address, 'WebAssembly.Table(): maximum');
      if (initial > BigInt(MAX_TABLE_SIZE)) throw new RangeError(`WebAssembly.Table(): initial ${initial} is above the limit of ${MAX_TABLE_SIZE}`);
      if (maximum !== undefined && maximum < initial) throw new RangeError('WebAssembly.Table(): initial is above maximum');
      // An undefined value is a missing one (WebIDL's optional argument): the element type's default.
      const init = initValue(element, value, value !== undefined);
      const max = maximum === undefined ? undefined : address === 'i64' ? maximum : Number(maximum);
      handle = loadAddon().createTable(element, Number(initial), max, init, address === 'i64');
    }
    const type = loadAddon().externType(handle)!;
    TABLES.set(this, { handle, element: type.type === 'e' || type.type === 'x' || type.type === 'a' ? type.type : 'r', address: type.address ?? 'i32' });
    rememberObject('table', type.id, this);
  }

  get length(): number | bigint {
    const data = brand(TABLES, this, 'WebAssembly.Table.length');
    return u64ToAddressValue(loadAddon().tableSize(data.handle), data.address);
  }

  grow(delta: unknown, ...rest: unknown[]): number | bigint {
    const value = rest[0];
    const data = brand(TABLES, this, 'WebAssembly.Table.grow()');
    requireArguments(arguments.length, 1, 'WebAssembly.Table.grow()');
    const n = addressValueToU64(delta, data.address, 'WebAssembly.Table.grow(): delta');
    // (A given exnref is refused by the conversion; a missing one is null.)
    const init = initValue(data.element, value, value !== undefined);
    // No table grows by 2^32 entries (the addon takes a count below that).
    const old = n > 0xffff_ffffn ? -1 : loadAddon().tableGrow(data.handle, Number(n), init);
    if (old < 0) throw new RangeError(`WebAssembly.Table.grow(): cannot grow the table by ${n}`);
    return u64ToAddressValue(old, data.address);
  }

  get(index: unknown): unknown {
    const data = brand(TABLES, this, 'WebAssembly.Table.get()');
    requireArguments(arguments.length, 1, 'WebAssembly.Table.get()');
    refuseExnRef(data, 'WebAssembly.Table.get()');
    const i = indexIn(data, addressValueToU64(index, data.address, 'WebAssembly.Table.get(): index'), 'WebAssembly.Table.get()');
    return toJSValue(data.element as ValueLetter, { ref: loadAddon().tableGet(data.handle, i) });
  }

  set(index: unknown, ...rest: unknown[]): void {
    const value = rest[0];
    const data = brand(TABLES, this, 'WebAssembly.Table.set()');
    requireArguments(arguments.length, 1, 'WebAssembly.Table.set()');
    refuseExnRef(data, 'WebAssembly.Table.set()');
    const i = addressValueToU64(index, data.address, 'WebAssembly.Table.set(): index');
    // Here an undefined value given is converted (a TypeError for funcref); only a missing one is the default.
    const ref = initValue(data.element, value, rest.length >= 1);
    loadAddon().tableSet(data.handle, indexIn(data, i, 'WebAssembly.Table.set()'), ref);
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

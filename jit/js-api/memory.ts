// WebAssembly.Memory: a linear memory, made in JS or exported by an instance. `buffer` is an ArrayBuffer over
// its pages: the same object until the memory grows, then the old one is detached and a new one made (a grow
// inside wasm is seen at the next `buffer` read or grow()). A shared memory's (threads) is a frozen
// SharedArrayBuffer, replaced when the memory has grown (on any thread) and never detached. A 64-bit memory's
// (memory64) sizes are BigInts.
import { loadAddon, NativeExternHandle } from '../addon.js';
import { withAddressSpace } from '../address-space.js';
import { cachedObject, rememberObject } from './object-cache.js';
import { AddressType, addressValueToU64, brand, requireArguments, toAddressType, toDictionary, u64ToAddressValue, webidlMembers } from './webidl.js';

/** The JS API's limit on a memory's size in pages (4 GiB of 64 KiB pages). */
export const MAX_PAGES = 65536;
/** A valid 64-bit memory type's limit (2^64 bytes of 64 KiB pages); what the machine can reserve is less. */
const MAX_PAGES_64 = 2n ** 48n;

interface MemoryData {
  handle: NativeExternHandle;
  address: AddressType;
  buffer?: ArrayBuffer | SharedArrayBuffer;
  pages: number;
  shared: boolean;
}

const MEMORIES = new WeakMap<object, MemoryData>();
/** Lets a constructor call made by memoryObject() wrap an existing handle. */
let adopting: NativeExternHandle | undefined;

/** Reserves a memory from JS: the addon's RangeError (out of address space) after a collection and a retry. */
function createMemory(initial: number, maximum: number | undefined, shared: boolean, is64: boolean): NativeExternHandle {
  const addon = loadAddon();
  const r = withAddressSpace(addon, () => {
    try {
      return { handle: addon.createMemory(initial, maximum, shared, is64) };
    } catch (err) {
      if (err instanceof RangeError) return { error: { kind: 'resource' }, err };
      throw err;
    }
  });
  if ('err' in r) throw r.err;
  return r.handle;
}

export class Memory {
  constructor(descriptor: unknown) {
    let handle = adopting;
    adopting = undefined;
    if (!handle) {
      requireArguments(arguments.length, 1, 'WebAssembly.Memory()');
      const d = toDictionary(descriptor, 'WebAssembly.Memory()');
      // Members in the order the JS API tests observe: address, initial, maximum (each read, then converted), shared.
      const address = toAddressType(d.address, 'WebAssembly.Memory(): address');
      const initialValue = d.initial;
      if (initialValue === undefined) throw new TypeError("WebAssembly.Memory(): the descriptor's initial is required");
      const initial = addressValueToU64(initialValue, address, 'WebAssembly.Memory(): initial');
      const maximumValue = d.maximum;
      const maximum = maximumValue === undefined ? undefined : addressValueToU64(maximumValue, address, 'WebAssembly.Memory(): maximum');
      const shared = Boolean(d.shared);
      // A valid memory type, else a RangeError.
      const limit = address === 'i64' ? MAX_PAGES_64 : BigInt(MAX_PAGES);
      if (initial > limit) throw new RangeError(`WebAssembly.Memory(): initial ${initial} is above the limit of ${limit} pages`);
      if (maximum !== undefined && maximum > limit) throw new RangeError(`WebAssembly.Memory(): maximum ${maximum} is above the limit of ${limit} pages`);
      if (maximum !== undefined && maximum < initial) throw new RangeError('WebAssembly.Memory(): initial is above maximum');
      if (shared && maximum === undefined) throw new TypeError('WebAssembly.Memory(): a shared memory needs a maximum');
      handle = createMemory(Number(initial), maximum === undefined ? undefined : Number(maximum), shared, address === 'i64');
    }
    const type = loadAddon().externType(handle)!;
    MEMORIES.set(this, { handle, address: type.address ?? 'i32', pages: -1, shared: type.shared === true });
    rememberObject('memory', type.id, this);
  }

  grow(delta: unknown): number | bigint {
    const data = brand(MEMORIES, this, 'WebAssembly.Memory.grow()');
    requireArguments(arguments.length, 1, 'WebAssembly.Memory.grow()');
    const pages = addressValueToU64(delta, data.address, 'WebAssembly.Memory.grow(): delta');
    const addon = loadAddon();
    // (No memory here can grow by 2^32 pages: the addon takes a page count below that.)
    const old = pages > 0xffff_ffffn ? -1 : addon.memoryGrow(data.handle, Number(pages));
    if (old < 0) throw new RangeError('WebAssembly.Memory.grow(): cannot grow the memory by that many pages');
    refresh(data); // even by 0 pages: the JS API's grow always replaces the buffer
    return u64ToAddressValue(old, data.address);
  }

  get buffer(): ArrayBuffer | SharedArrayBuffer {
    const data = brand(MEMORIES, this, 'WebAssembly.Memory.buffer');
    // A new buffer when the memory has grown, or when its buffer was detached all the same (the addon detaches it
    // at a memory.grow inside wasm, by 0 pages too; a shared memory's never).
    const stale = !data.buffer || loadAddon().memorySize(data.handle) !== data.pages;
    if (stale || (!data.shared && isDetached(data.buffer as ArrayBuffer, data.pages))) refresh(data);
    return data.buffer!;
  }
}

/** Whether a buffer of a memory of `pages` pages has been detached (Node 20 has no ArrayBuffer.prototype.detached). */
function isDetached(buffer: ArrayBuffer, pages: number): boolean {
  if (buffer.byteLength !== pages * 65536) return true;
  if (pages > 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function refresh(data: MemoryData): void {
  const addon = loadAddon();
  if (data.buffer && !data.shared) addon.detachBuffer(data.buffer as ArrayBuffer);
  data.pages = addon.memorySize(data.handle);
  data.buffer = addon.memoryBuffer(data.handle);
  if (data.shared) Object.freeze(data.buffer); // as the JS API makes a shared memory's buffer
}

webidlMembers(Memory, 'WebAssembly.Memory');

/** The Memory object for an exported (or imported) memory: the same one each time while it lives. */
export function memoryObject(handle: NativeExternHandle): Memory {
  const id = loadAddon().externType(handle)!.id;
  const known = cachedObject<Memory>('memory', id);
  if (known) return known;
  adopting = handle;
  return new Memory(undefined);
}

/** The handle of a Memory object, or undefined for anything else. */
export const memoryHandle = (v: unknown): NativeExternHandle | undefined => (typeof v === 'object' && v !== null ? MEMORIES.get(v)?.handle : undefined);

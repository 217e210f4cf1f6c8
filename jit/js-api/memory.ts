// WebAssembly.Memory: a linear memory, made in JS or exported by an instance. `buffer` is an ArrayBuffer over
// its pages: the same object until the memory grows, then the old one is detached and a new one made (a grow
// inside wasm is seen at the next `buffer` read or grow()). A shared memory's (threads) is a frozen
// SharedArrayBuffer, replaced when the memory has grown (on any thread) and never detached.
import { loadAddon, NativeExternHandle } from '../addon.js';
import { withAddressSpace } from '../address-space.js';
import { cachedObject, rememberObject } from './object-cache.js';
import { brand, enforceRangeU32, requireArguments, toDictionary, toDOMString, toEnum } from './webidl.js';
import { webidlMembers } from './webidl.js';

/** The JS API's limit on a memory's size in pages (4 GiB of 64 KiB pages). */
export const MAX_PAGES = 65536;

interface MemoryData {
  handle: NativeExternHandle;
  buffer?: ArrayBuffer | SharedArrayBuffer;
  pages: number;
  shared: boolean;
}

const MEMORIES = new WeakMap<object, MemoryData>();
/** Lets a constructor call made by memoryObject() wrap an existing handle. */
let adopting: NativeExternHandle | undefined;

/** Reserves a memory from JS: the addon's RangeError (out of address space) after a collection and a retry. */
function createMemory(initial: number, maximum: number | undefined, shared: boolean): NativeExternHandle {
  const addon = loadAddon();
  const r = withAddressSpace(addon, () => {
    try {
      return { handle: addon.createMemory(initial, maximum, shared) };
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
      // Members in the order the JS API tests observe: address (memory64's; only "i32" here), initial, maximum, shared.
      const address = d.address;
      if (address !== undefined) toEnum(toDOMString(address), ['i32'], 'WebAssembly.Memory(): address');
      const initialValue = d.initial;
      if (initialValue === undefined) throw new TypeError("WebAssembly.Memory(): the descriptor's initial is required");
      const initial = enforceRangeU32(initialValue, 'WebAssembly.Memory(): initial');
      const maximumValue = d.maximum;
      const maximum = maximumValue === undefined ? undefined : enforceRangeU32(maximumValue, 'WebAssembly.Memory(): maximum');
      const shared = Boolean(d.shared);
      if (initial > MAX_PAGES) throw new RangeError(`WebAssembly.Memory(): initial ${initial} is above the limit of ${MAX_PAGES} pages`);
      if (maximum !== undefined && maximum > MAX_PAGES) throw new RangeError(`WebAssembly.Memory(): maximum ${maximum} is above the limit of ${MAX_PAGES} pages`);
      if (maximum !== undefined && maximum < initial) throw new RangeError('WebAssembly.Memory(): initial is above maximum');
      if (shared && maximum === undefined) throw new TypeError('WebAssembly.Memory(): a shared memory needs a maximum');
      handle = createMemory(initial, maximum, shared);
    }
    MEMORIES.set(this, { handle, pages: -1, shared: loadAddon().externType(handle)!.shared === true });
    rememberObject('memory', loadAddon().externType(handle)!.id, this);
  }

  grow(delta: unknown): number {
    const data = brand(MEMORIES, this, 'WebAssembly.Memory.grow()');
    requireArguments(arguments.length, 1, 'WebAssembly.Memory.grow()');
    const pages = enforceRangeU32(delta, 'WebAssembly.Memory.grow(): delta');
    const addon = loadAddon();
    const old = addon.memoryGrow(data.handle, pages);
    if (old < 0) throw new RangeError('WebAssembly.Memory.grow(): cannot grow the memory by that many pages');
    refresh(data); // even by 0 pages: the JS API's grow always replaces the buffer
    return old;
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

// WebIDL's side of the JS API: argument counts, conversions ([EnforceRange] unsigned long, DOMString, enums,
// dictionaries, BufferSource), brand checks, and the property descriptors of operations, attributes and
// interface objects. The intrinsics used are captured when this module loads, before user code can replace them.
import { types } from 'node:util';

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const getter = (proto: object, name: string) => Object.getOwnPropertyDescriptor(proto, name)!.get!;
const typedBuffer = getter(TypedArrayPrototype, 'buffer');
const typedOffset = getter(TypedArrayPrototype, 'byteOffset');
const typedLength = getter(TypedArrayPrototype, 'byteLength');
const viewBuffer = getter(DataView.prototype, 'buffer');
const viewOffset = getter(DataView.prototype, 'byteOffset');
const viewLength = getter(DataView.prototype, 'byteLength');
const bufferLength = getter(ArrayBuffer.prototype, 'byteLength');
const { apply } = Reflect;
const U8 = Uint8Array;
const copyOf = (buffer: ArrayBuffer, offset: number, length: number) => (length === 0 ? new U8(0) : new U8(new U8(buffer, offset, length)));

/** WebIDL: fewer arguments than the operation requires is a TypeError. */
export function requireArguments(got: number, needed: number, what: string): void {
  if (got < needed) throw new TypeError(`${what}: ${needed} argument${needed === 1 ? '' : 's'} required, but only ${got} present`);
}

/** ECMAScript's ToNumber (a BigInt or a Symbol is a TypeError). */
export const toNumber = (v: unknown): number => +(v as number);

/** [EnforceRange] unsigned long: a TypeError for NaN, infinities and integers outside 0 … 2^32 - 1. */
export function enforceRangeU32(v: unknown, what: string): number {
  const x = toNumber(v);
  if (!Number.isFinite(x)) throw new TypeError(`${what}: ${String(x)} is not a finite number`);
  const n = Math.trunc(x) + 0; // -0 to +0
  if (n < 0 || n > 0xffffffff) throw new TypeError(`${what}: ${n} is outside the range of an unsigned long`);
  return n;
}

/**
 * ECMAScript's ToBigInt (a Number is a TypeError, which BigInt() would take): BigInt.asIntN's own step,
 * with as many bits as it allows, so that no BigInt wraps.
 */
const { asIntN } = BigInt;
export const toBigInt = (v: unknown): bigint => asIntN(2 ** 53 - 1, v as bigint);

/** The JS API's AddressType: memories and tables of 32-bit or 64-bit addresses (memory64, table64). */
export type AddressType = 'i32' | 'i64';

/** A descriptor's address member: absent is "i32". */
export const toAddressType = (v: unknown, what: string): AddressType => (v === undefined ? 'i32' : toEnum(v, ['i32', 'i64'] as const, what));

/**
 * AddressValueToU64: [EnforceRange] unsigned long for "i32"; for "i64" ToBigInt (a Number is a TypeError)
 * within 0 … 2^64 - 1, else a TypeError.
 */
export function addressValueToU64(v: unknown, address: AddressType, what: string): bigint {
  if (address === 'i32') return BigInt(enforceRangeU32(v, what));
  const n = toBigInt(v);
  if (n < 0n || n > 0xffff_ffff_ffff_ffffn) throw new TypeError(`${what}: ${n} is outside the range of a 64-bit address`);
  return n;
}

/** U64ToAddressValue: a Number for "i32", a BigInt for "i64". */
export const u64ToAddressValue = (v: bigint | number, address: AddressType): number | bigint => (address === 'i64' ? BigInt(v) : Number(v));

/** WebIDL's sequence<T> from an iterable object (a TypeError for anything else), its elements unconverted. */
export function toSequence(v: unknown, what: string): unknown[] {
  if (!isObject(v)) throw new TypeError(`${what}: not an iterable object`);
  const method = (v as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof method !== 'function') throw new TypeError(`${what}: not an iterable object`);
  const out: unknown[] = [];
  for (const x of { [Symbol.iterator]: () => Reflect.apply(method, v, []) as Iterator<unknown> }) out.push(x);
  return out;
}

/** DOMString: ECMAScript's ToString (a Symbol is a TypeError). */
export const toDOMString = (v: unknown): string => `${v as string}`;

/** A WebIDL enumeration value: ToString, then one of `values` or a TypeError. */
export function toEnum<T extends string>(v: unknown, values: readonly T[], what: string): T {
  const s = toDOMString(v);
  if (!(values as readonly string[]).includes(s)) throw new TypeError(`${what}: "${s}" is not one of ${values.map((x) => `"${x}"`).join(', ')}`);
  return s as T;
}

/** A dictionary argument: undefined and null are an empty dictionary, any other non-object a TypeError. */
export function toDictionary(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' && typeof v !== 'function') throw new TypeError(`${what}: the descriptor must be an object`);
  return v as Record<string, unknown>;
}

export const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

const sharedLength = getter(SharedArrayBuffer.prototype, 'byteLength');

/**
 * [AllowShared] BufferSource (an ArrayBuffer, SharedArrayBuffer, or a view of either, resizable or not): a copy
 * of its bytes as they are now; anything else a TypeError.
 */
export function bufferSourceBytes(v: unknown, what: string): Uint8Array {
  if (types.isArrayBuffer(v)) return copyOf(v, 0, apply(bufferLength, v, []) as number);
  if (types.isSharedArrayBuffer(v)) return copyOf(v as unknown as ArrayBuffer, 0, apply(sharedLength, v, []) as number);
  if (types.isTypedArray(v)) return copyOf(apply(typedBuffer, v, []) as ArrayBuffer, apply(typedOffset, v, []) as number, apply(typedLength, v, []) as number);
  if (types.isDataView(v)) return copyOf(apply(viewBuffer, v, []) as ArrayBuffer, apply(viewOffset, v, []) as number, apply(viewLength, v, []) as number);
  throw new TypeError(`${what}: argument must be a BufferSource (an ArrayBuffer or a typed array or DataView)`);
}

/**
 * Makes a class's methods and accessors (on its prototype, and static ones) WebIDL operations and attributes:
 * enumerable, as classes do not make them. Names and lengths come from the definitions ("get buffer", …).
 */
export function webidlMembers(cls: { prototype: object }, tag?: string): void {
  for (const target of [cls, cls.prototype]) {
    for (const key of Reflect.ownKeys(target)) {
      if (target === cls ? key === 'prototype' || key === 'length' || key === 'name' : key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      Object.defineProperty(target, key, { ...d, enumerable: true });
    }
  }
  if (tag !== undefined) Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: tag, writable: false, enumerable: false, configurable: true });
}

/** An operation's function as WebIDL makes it: name and length as given, not a constructor. */
export function operation<F extends (...args: never[]) => unknown>(name: string, length: number, fn: F): F {
  Object.defineProperty(fn, 'name', { value: name, writable: false, enumerable: false, configurable: true });
  Object.defineProperty(fn, 'length', { value: length, writable: false, enumerable: false, configurable: true });
  return fn;
}

/** A brand check: the internal data of `self`, or a TypeError when it is not an object of the interface. */
export function brand<T>(map: WeakMap<object, T>, self: unknown, what: string): T {
  const d = isObject(self) ? map.get(self) : undefined;
  if (d === undefined) throw new TypeError(`${what}: receiver is not a ${what.split('.').slice(0, 2).join('.')}`);
  return d;
}

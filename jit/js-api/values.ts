// Values between JS and wasm, as the JS API converts them: ToWebAssemblyValue, ToJSValue, DefaultValue and
// ToValueType, over the addon's representation (numbers as raw bits [low, high], references as JS values:
// null, an Exported Function, an externref's JS value).
import { jsToUnit, unitToJs } from '../../core/bits.js';
import { loadAddon } from '../addon.js';

/** The addon's type letters: i i32, I i64, f f32, F f64, V v128, r funcref, e externref, x exnref (any reference to exceptions),
 * a a reference of GC's any hierarchy (anyref, eqref, i31ref, structs, arrays: the addon checks the exact type). */
export type ValueLetter = 'i' | 'I' | 'f' | 'F' | 'V' | 'r' | 'e' | 'x' | 'a';

/** A value as the addon takes and gives it. */
export interface NativeValue {
  bits?: BigUint64Array;
  ref?: unknown;
}

const NAMES: Record<ValueLetter, string> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64', V: 'v128', r: 'funcref', e: 'externref', x: 'exnref', a: 'anyref' };
export const letterName = (l: string): string => NAMES[l as ValueLetter] ?? l;
export const isRefLetter = (l: string): l is 'r' | 'e' | 'a' => l === 'r' || l === 'e' || l === 'a';

const VALUE_TYPES: Record<string, ValueLetter> = { i32: 'i', i64: 'I', f32: 'f', f64: 'F', v128: 'V', externref: 'e', funcref: 'r', anyfunc: 'r' };

/** ToValueType over a DOMString already converted: a TypeError for names that are not value types. */
export function toValueType(s: string, what: string): ValueLetter {
  const l = Object.hasOwn(VALUE_TYPES, s) ? VALUE_TYPES[s] : undefined;
  if (!l) throw new TypeError(`${what}: "${s}" is not a value type`);
  return l;
}

/** An Exported Function (of any instance): the only non-null funcref a JS value can be. */
export function isExportedFunction(v: unknown): boolean {
  return typeof v === 'function' && loadAddon().externType(v)?.kind === 'func';
}

/** Whether values of the type can cross between JS and wasm (the JS API refuses v128 and exnref). */
export const crossesToJs = (l: string): boolean => l !== 'V' && l !== 'x';

/** ToWebAssemblyValue: a TypeError for what cannot convert (a BigInt for a number, a Number for an i64, a v128 or exnref, a non-wasm function for a funcref). */
export function toWebAssemblyValue(v: unknown, letter: ValueLetter): NativeValue {
  switch (letter) {
    case 'i':
      return { bits: BigUint64Array.of(jsToUnit('i32', +(v as number)), 0n) };
    case 'I':
      // jsToUnit's BigInt.asUintN performs ToBigInt, which refuses a Number (BigInt() would take it).
      return { bits: BigUint64Array.of(jsToUnit('i64', v), 0n) };
    case 'f':
      return { bits: BigUint64Array.of(jsToUnit('f32', +(v as number)), 0n) };
    case 'F':
      return { bits: BigUint64Array.of(jsToUnit('f64', +(v as number)), 0n) };
    case 'r':
      if (v !== null && !isExportedFunction(v)) throw new TypeError('a funcref must be null or an exported WebAssembly function');
      return { ref: v };
    case 'e':
    case 'a': // internalized and checked against the exact type by the addon (jit/src/gc_js.h)
      return { ref: v };
    case 'V':
    case 'x':
      throw new TypeError(`type incompatibility when transforming from/to JS: ${letterName(letter)}`);
  }
}

/** ToJSValue: a Number, a BigInt, an Exported Function or null, an externref's value; a v128 or exnref is a TypeError. */
export function toJSValue(letter: ValueLetter, v: NativeValue): unknown {
  if (!crossesToJs(letter)) throw new TypeError(`type incompatibility when transforming from/to JS: ${letterName(letter)}`);
  if (isRefLetter(letter)) return v.ref === undefined && letter === 'r' ? null : v.ref;
  const b = v.bits![0];
  switch (letter) {
    case 'i':
      return unitToJs('i32', b);
    case 'I':
      return unitToJs('i64', b);
    case 'f':
      return unitToJs('f32', b);
    case 'F':
      return unitToJs('f64', b);
    default:
      throw new TypeError('type incompatibility when transforming from/to JS: v128');
  }
}

/** DefaultValue: zero for numbers, null for funcref, undefined for externref (ToWebAssemblyValue(undefined)). */
export function defaultValue(letter: ValueLetter): NativeValue {
  if (letter === 'r' || letter === 'x' || letter === 'a') return { ref: null };
  if (letter === 'e') return { ref: undefined };
  return { bits: BigUint64Array.of(0n, 0n) };
}

// What each validator says about one binary, in one shape so that cases can be compared and stored.
import { NativeAddon, NativeError } from '../jit/addon.js';

export type JitVerdict = { valid: true } | { valid: false; kind: NativeError['kind']; message: string; offset: number };
export type V8Verdict = { valid: boolean; message?: string };

/** Thrown when the addon misbehaves instead of answering: a crash of the differential, never a verdict. */
export class AddonFault extends Error {}

export function askJit(addon: NativeAddon, bytes: Uint8Array): JitVerdict {
  let r: NativeError | null;
  try {
    r = addon.validate(bytes, []); // the JIT under Wasm 2.0's rules: the differential asks the 2.0 question
  } catch (err) {
    // validate reports every module error as a value; a throw is a bug (e.g. std::bad_alloc).
    throw new AddonFault(`addon.validate threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (r === null) return { valid: true };
  if (typeof r !== 'object' || !['malformed', 'invalid', 'unsupported'].includes(r.kind) || typeof r.message !== 'string' || typeof r.offset !== 'number') {
    throw new AddonFault(`addon.validate returned an ill-formed answer: ${JSON.stringify(r)}`);
  }
  return { valid: false, kind: r.kind, message: r.message, offset: r.offset };
}

/** WebAssembly.validate; the message (from compiling) only when asked, as compiling costs more. */
export function askV8(bytes: Uint8Array, withMessage = false): V8Verdict {
  const valid = WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);
  if (valid || !withMessage) return { valid };
  try {
    new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    return { valid, message: '(compiles although validate said no)' };
  } catch (err) {
    return { valid, message: err instanceof Error ? err.message : String(err) };
  }
}

export function describeJit(v: JitVerdict): string {
  return v.valid ? 'valid' : `${v.kind}: ${v.message} @0x${v.offset.toString(16)}`;
}

export function describeV8(v: V8Verdict): string {
  return v.valid ? 'valid' : `invalid${v.message ? `: ${v.message}` : ''}`;
}

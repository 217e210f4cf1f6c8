// The engine protocol's messages (docs/engine-protocol.md): one JSON object a line each way, a request and then its
// reply. Values cross exact to the bit as hex strings; references an engine made cross as numbers the driver keeps
// (handles), the script's host references as their ids. Nothing here needs Node: drivers inside JS shells use it.
import { Value, RefValue } from '../../core/values.js';
import { EngineErrorKind, ExternKind, ImportDesc } from '../../wast/engine.js';

export const PROTOCOL_VERSION = 1;

export type WireRef =
  | { kind: 'null'; heap: string }
  | { kind: 'extern' | 'host'; id: number }
  | { kind: 'func'; handle: number; index?: number }
  | { kind: 'opaque'; heap: string; handle: number };

export type WireValue =
  | { type: 'i32' | 'f32' | 'i64' | 'f64'; bits: string } // the bit pattern, "0x" and 8 or 16 hex digits
  | { type: 'v128'; bytes: string } // 32 hex digits, byte 0 (lane 0's low byte) first
  | { type: 'ref'; ref: WireRef };

/** An export of an instance, as an import's value. */
export interface WireExtern {
  instance: number;
  name: string;
}

export type Request =
  | { op: 'hello'; protocol: number }
  | { op: 'validate'; bytes: string }
  | { op: 'compile'; bytes: string; spec?: string; features?: string[] }
  | { op: 'instantiate'; module: number; imports: { module: string; name: string; from?: WireExtern }[] }
  | { op: 'invoke'; instance: number; name: string; args: WireValue[] }
  | { op: 'global'; instance: number; name: string }
  | { op: 'memory'; instance: number; name: string; offset: number; length: number }
  | { op: 'table'; instance: number; name: string; index: number }
  | { op: 'dispose'; module?: number; instance?: number }
  | { op: 'quit' };

export interface Hello {
  protocol: number;
  name: string;
  version: string;
  /** Whose words its messages are in: spec, v8, spidermonkey, jsc, or the engine's own name. */
  dialect: string;
}

export interface WireError {
  kind: EngineErrorKind;
  message: string;
  /** A refusal for a limit of the engine's own (a feature it lacks), not for the module's fault. */
  featureLimit?: boolean;
}

export type Reply<T> = { ok: T } | { error: WireError };

export type CompiledReply = { module: number; imports: ImportDesc[] };
export type InstantiatedReply = { instance: number; exports: { name: string; kind: ExternKind }[] };
export type MemoryReply = { size: number; bytes: string };
export type TableReply = { size: number; element?: WireValue };

/**
 * A message as its line: JSON with every character past ASCII escaped, so that a driver reads the same text however
 * its input is decoded (JavaScriptCore's shell reads a line as Latin-1).
 */
export function messageLine(message: unknown): string {
  return JSON.stringify(message).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const hex = (n: number | bigint, digits: number) => '0x' + n.toString(16).padStart(digits, '0');

function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function hexToBytes(s: string): Uint8Array {
  if (!/^[0-9a-fA-F]{32}$/.test(s)) throw new Error(`a v128 needs 32 hex digits, not "${s}"`);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bitsOf(s: string, digits: number): bigint {
  if (!new RegExp(`^0x[0-9a-fA-F]{1,${digits}}$`).test(s)) throw new Error(`bits need "0x" and at most ${digits} hex digits, not "${s}"`);
  return BigInt(s);
}

/** A value on the wire; `handleOf` gives the number a driver-side reference crosses as. */
export function toWire(v: Value, handleOf: (r: RefValue & { handle: unknown }) => number): WireValue {
  switch (v.type) {
    case 'i32':
    case 'f32':
      return { type: v.type, bits: hex(v.bits >>> 0, 8) };
    case 'i64':
    case 'f64':
      return { type: v.type, bits: hex(v.bits, 16) };
    case 'v128':
      return { type: 'v128', bytes: bytesToHex(v.bytes) };
    case 'ref': {
      const r = v.ref;
      if (r.kind === 'null') return { type: 'ref', ref: { kind: 'null', heap: r.heap } };
      if (r.kind === 'extern' || r.kind === 'host') return { type: 'ref', ref: { kind: r.kind, id: r.id } };
      if (r.kind === 'func') return { type: 'ref', ref: { kind: 'func', handle: handleOf(r), ...(r.index === undefined ? {} : { index: r.index }) } };
      return { type: 'ref', ref: { kind: 'opaque', heap: r.heap, handle: handleOf(r) } };
    }
  }
}

/** A value from the wire; `handle` turns a handle number into what the receiving side holds. Throws on a malformed value. */
export function fromWire(w: WireValue, handle: (n: number) => unknown): Value {
  switch (w?.type) {
    case 'i32':
    case 'f32':
      return { type: w.type, bits: Number(bitsOf(w.bits, 8)) };
    case 'i64':
    case 'f64':
      return { type: w.type, bits: bitsOf(w.bits, 16) };
    case 'v128':
      return { type: 'v128', bytes: hexToBytes(w.bytes) };
    case 'ref': {
      const r = w.ref;
      switch (r?.kind) {
        case 'null':
          return { type: 'ref', ref: { kind: 'null', heap: String(r.heap) } };
        case 'extern':
        case 'host':
          if (!Number.isSafeInteger(r.id)) throw new Error(`a ${r.kind} reference needs an integer id`);
          return { type: 'ref', ref: { kind: r.kind, id: r.id } };
        case 'func':
          return { type: 'ref', ref: { kind: 'func', handle: handle(r.handle), ...(r.index === undefined ? {} : { index: r.index }) } };
        case 'opaque':
          return { type: 'ref', ref: { kind: 'opaque', heap: String(r.heap), handle: handle(r.handle) } };
      }
    }
  }
  throw new Error(`not a value: ${JSON.stringify(w)}`);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Base64 of bytes (the shells have no Buffer, and not all have btoa). */
export function toBase64(b: Uint8Array): string {
  const parts: string[] = [];
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
    if (s.length >= 8192) {
      parts.push(s);
      s = '';
    }
  }
  parts.push(s);
  return parts.join('');
}

export function fromBase64(s: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 4 !== 0) throw new Error('bytes must be base64 (a multiple of 4 characters)');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = s[i + k];
      const v = c === '=' && i + k >= s.length - pad ? 0 : B64_INDEX.get(c);
      if (v === undefined) throw new Error(`not base64: "${c}" at ${i + k}`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

// A walker over the instructions of a function body for the Wasm 2.0 opcodes (single-byte, 0xFC- and
// 0xFD-prefixed): where each instruction starts, its opcode, and where its immediates lie. It knows
// only the immediates' lengths, not their meaning; it does not validate. The SIMD immediates come
// from the JIT's table (jit/src/opcodes_simd.inc, read by fuzz/gen/opcodes.ts).
import { SIMD_OPS } from '../gen/opcodes.js';
import { FC_PREFIX, Opcode, SIMD_PREFIX } from './twins.js';

/** A module the walker cannot read: a truncated body, or an opcode outside Wasm 2.0 (relaxed SIMD…). */
export class UnwalkableModule extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnwalkableModule';
  }
}

export interface Instruction {
  /** offset of the opcode's first byte */
  at: number;
  opcode: Opcode;
  /** offset of the first immediate byte (after the opcode and, for 0xFC, its sub-opcode) */
  immediates: number;
  /** offset just past the instruction */
  end: number;
}

/** The length of the LEB128 number at `at` (signed or unsigned: only the continuation bits matter). */
export function lebLength(bytes: Uint8Array, at: number, limit = bytes.length): number {
  for (let i = 0; i < 10; i++) {
    if (at + i >= limit) throw new UnwalkableModule(`LEB128 at ${at} runs off the end`);
    if (!(bytes[at + i] & 0x80)) return i + 1;
  }
  throw new UnwalkableModule(`LEB128 at ${at} is longer than 10 bytes`);
}

/** An unsigned LEB128 of at most 32 bits as a number. */
export function readU32(bytes: Uint8Array, at: number, limit = bytes.length): { value: number; length: number } {
  const length = lebLength(bytes, at, limit);
  let value = 0;
  for (let i = 0; i < length; i++) value += (bytes[at + i] & 0x7f) * 2 ** (7 * i);
  return { value, length };
}

/** The minimal unsigned LEB128 encoding of `value`. */
export function encodeU32(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Each SIMD sub-opcode's immediate kind (None, MemArg, MemArgLane, Lane, V128, Shuffle) and natural alignment. */
const SIMD = new Map(SIMD_OPS.map((op) => [op.code, op]));

/** log2 of the natural alignment of a load or store (0x28-0x3e, SIMD memory instructions), undefined for any other opcode. */
export function naturalAlignmentLog2(op: Opcode): number | undefined {
  const bytes: Record<number, number> = {
    0x28: 4, 0x29: 8, 0x2a: 4, 0x2b: 8, 0x2c: 1, 0x2d: 1, 0x2e: 2, 0x2f: 2, 0x30: 1, 0x31: 1, 0x32: 2, 0x33: 2,
    0x34: 4, 0x35: 4, 0x36: 4, 0x37: 8, 0x38: 4, 0x39: 8, 0x3a: 1, 0x3b: 2, 0x3c: 1, 0x3d: 2, 0x3e: 4,
  };
  const n = op >> 8 === SIMD_PREFIX ? SIMD.get(op & 0xff)?.natural || undefined : bytes[op];
  return n === undefined ? undefined : Math.log2(n);
}

/** The length of a SIMD instruction's immediates at `at`. */
function simdImmediatesLength(sub: number, at: number, lebs: (n: number) => number): number {
  switch (SIMD.get(sub)?.imm) {
    case 'None':
      return 0;
    case 'MemArg':
      return lebs(2);
    case 'MemArgLane':
      return lebs(2) + 1; // then the lane byte
    case 'Lane':
      return 1;
    case 'V128':
    case 'Shuffle':
      return 16;
  }
  throw new UnwalkableModule(`SIMD opcode 0x${sub.toString(16)} at ${at} is not a Wasm 2.0 instruction`);
}

/** The length of the immediates of `op` starting at `at`. */
function immediatesLength(bytes: Uint8Array, op: Opcode, at: number, limit: number): number {
  const leb = (p: number) => lebLength(bytes, p, limit);
  const lebs = (n: number) => {
    let p = at;
    for (let i = 0; i < n; i++) p += leb(p);
    return p - at;
  };
  if (op >= 0x28 && op <= 0x3e) return lebs(2); // memarg: align, offset
  if (op >= 0x45 && op <= 0xc4) return 0; // numeric
  if (op >> 8 === SIMD_PREFIX) return simdImmediatesLength(op & 0xff, at, lebs);
  switch (op) {
    case 0x00: case 0x01: case 0x05: case 0x0b: case 0x0f: case 0x1a: case 0x1b: case 0xd1:
      return 0;
    case 0x02: case 0x03: case 0x04: // block type: 0x40, a value type, or an s33 type index
    case 0x0c: case 0x0d: case 0x10: // label, function
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: // local, global, table
    case 0x3f: case 0x40: // memory index (0x00)
    case 0x41: case 0x42: // i32.const, i64.const
    case 0xd2: // ref.func
      return lebs(1);
    case 0x11: // call_indirect: type, table
      return lebs(2);
    case 0x0e: { // br_table: vec of labels, then the default
      const n = readU32(bytes, at, limit);
      let p = at + n.length;
      for (let i = 0; i <= n.value; i++) p += leb(p);
      return p - at;
    }
    case 0x1c: { // select with types: vec of single-byte value types
      const n = readU32(bytes, at, limit);
      return n.length + n.value;
    }
    case 0x43: return 4;
    case 0x44: return 8;
    case 0xd0: return 1; // ref.null: a reference type byte
    case 0xfc00: case 0xfc01: case 0xfc02: case 0xfc03: case 0xfc04: case 0xfc05: case 0xfc06: case 0xfc07:
      return 0; // saturating truncations
    case 0xfc08: case 0xfc0a: case 0xfc0c: case 0xfc0e: // memory.init, memory.copy, table.init, table.copy
      return lebs(2);
    case 0xfc09: case 0xfc0b: case 0xfc0d: case 0xfc0f: case 0xfc10: case 0xfc11: // data.drop, memory.fill, elem.drop, table.*
      return lebs(1);
  }
  throw new UnwalkableModule(`opcode 0x${op.toString(16)} at ${at} is not a Wasm 2.0 instruction`);
}

/**
 * The instructions of the expression in bytes [start, end): a function body after its locals. Every
 * instruction is listed, nested ones too, up to `end`; the caller knows the last is the final `end`.
 */
export function instructions(bytes: Uint8Array, start: number, end: number): Instruction[] {
  const out: Instruction[] = [];
  let at = start;
  while (at < end) {
    let op: Opcode = bytes[at];
    let immediates = at + 1;
    if (op === FC_PREFIX || op === SIMD_PREFIX) {
      const sub = readU32(bytes, immediates, end);
      if (sub.value > 0xff) throw new UnwalkableModule(`0x${op.toString(16).toUpperCase()} sub-opcode ${sub.value} at ${at} is not a Wasm 2.0 instruction`);
      op = (op << 8) | sub.value;
      immediates += sub.length;
    }
    const next = immediates + immediatesLength(bytes, op, immediates, end);
    if (next > end) throw new UnwalkableModule(`instruction at ${at} runs past its body`);
    out.push({ at, opcode: op, immediates, end: next });
    at = next;
  }
  return out;
}

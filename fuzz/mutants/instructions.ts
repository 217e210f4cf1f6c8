// A walker over the instructions of a function body for the Wasm 2.0 opcodes (single-byte, 0xFC- and
// 0xFD-prefixed): where each instruction starts, its opcode, and where its immediates lie. It knows
// only the immediates' lengths, not their meaning; it does not validate. The immediates come from the
// shared opcode table (core/wasm/opcodes.ts), the natural alignments from the JIT's SIMD table
// (jit/src/opcodes_simd.inc, read by fuzz/gen/opcodes.ts).
import { WASM_2_FEATURES } from '../../core/features.js';
import { Immediate, IMMEDIATE_SIZES, isPrefix, opcodeInfo } from '../../core/wasm/opcodes.js';
import { Reader } from '../../core/wasm/reader.js';
import { SIMD_OPS } from '../gen/opcodes.js';
import { Opcode, SIMD_PREFIX } from './twins.js';

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

/** A Reader of bytes [start, end) whose errors are UnwalkableModule. */
export function walkReader(bytes: Uint8Array, start: number, end = bytes.length): Reader {
  return new Reader(bytes, { start, end, error: (message, at) => new UnwalkableModule(`${message} at ${at}`) });
}

/** Each SIMD sub-opcode's natural alignment. */
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

const isWasm2 = (features: readonly string[]): boolean => features.every((f) => WASM_2_FEATURES.includes(f));

/**
 * Passes over one immediate in its Wasm 2.0 encoding: a block type is then a LEB128, ref.null's heap
 * type and each of select's types one byte; what later proposals encode there is not read.
 */
function skipImmediate(r: Reader, immediate: Immediate): void {
  const size = IMMEDIATE_SIZES[immediate];
  if (size !== undefined) return r.skip(size);
  switch (immediate) {
    case 'blocktype': case 'index': case 'memory': case 'table': case 'int':
      return r.skipLeb();
    case 'memarg': // align, offset
      r.skipLeb();
      return r.skipLeb();
    case 'heaptype': // ref.null's reference type
      return r.skip(1);
    case 'valtypes':
      return r.skip(r.uleb());
    case 'labels': // then the default
      for (let n = r.uleb(); n >= 0; n--) r.skipLeb();
      return;
  }
  r.fail(`a ${immediate} immediate is not Wasm 2.0's`);
}

/**
 * The instructions of the expression in bytes [start, end): a function body after its locals. Every
 * instruction is listed, nested ones too, up to `end`; the caller knows the last is the final `end`.
 */
export function instructions(bytes: Uint8Array, start: number, end: number): Instruction[] {
  const out: Instruction[] = [];
  const r = walkReader(bytes, start, end);
  while (!r.atEnd) {
    const at = r.pos;
    const first = r.u8();
    const sub = isPrefix(first) ? r.uleb() : undefined;
    const op = opcodeInfo(first, sub);
    const opcode = sub === undefined ? first : (first << 8) | sub;
    if (!op || !isWasm2(op.features)) throw new UnwalkableModule(`opcode 0x${opcode.toString(16)} at ${at} is not a Wasm 2.0 instruction`);
    const immediates = r.pos;
    for (const immediate of op.immediates) skipImmediate(r, immediate);
    out.push({ at, opcode, immediates, end: r.pos });
  }
  return out;
}

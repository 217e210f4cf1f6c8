// A walker over the instructions of a function body for the opcodes of Wasm 2.0 and of the Wasm 3.0
// features the generator makes (tail calls, typed function references, multi-memory, memory64,
// relaxed SIMD, exceptions, threads, GC) and wide arithmetic: where each instruction starts, its opcode, and where its
// immediates lie (a memarg's memory index and offset read out). It does not validate. The immediates
// come from the shared opcode table (core/wasm/opcodes.ts), the natural alignments from the JIT's
// tables (read by fuzz/gen/opcodes.ts).
import { WASM_2_FEATURES } from '../../core/features.js';
import { Immediate, IMMEDIATE_SIZES, isPrefix, opcodeInfo } from '../../core/wasm/opcodes.js';
import { Reader } from '../../core/wasm/reader.js';
import { RELAXED_SIMD_OPS, SIMD_OPS } from '../gen/opcodes.js';
import { Opcode, opcodeOf, SIMD_PREFIX } from './twins.js';

/** A module the walker cannot read: a truncated body, or an opcode of a feature it does not walk (custom descriptors…). */
export class UnwalkableModule extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnwalkableModule';
  }
}

/** The features whose instructions the walker reads, besides Wasm 2.0's. */
export const WALKED_FEATURES: readonly string[] = ['tail-call', 'typed-function-references', 'multi-memory', 'memory64', 'relaxed-simd', 'wide-arithmetic', 'exceptions', 'threads', 'gc'];

export interface Instruction {
  /** offset of the opcode's first byte */
  at: number;
  opcode: Opcode;
  /** offset of the first immediate byte (after the opcode and, for a prefix, its sub-opcode) */
  immediates: number;
  /** offset just past the instruction */
  end: number;
  /** a load's or store's memarg: its memory index (0 when the flags have none) and offset */
  memarg?: { memory: number; offset: bigint };
}

/** A Reader of bytes [start, end) whose errors are UnwalkableModule. */
export function walkReader(bytes: Uint8Array, start: number, end = bytes.length): Reader {
  return new Reader(bytes, { start, end, error: (message, at) => new UnwalkableModule(`${message} at ${at}`) });
}

/** Each SIMD sub-opcode's natural alignment. */
const SIMD = new Map([...SIMD_OPS, ...RELAXED_SIMD_OPS].map((op) => [op.code, op]));

/** log2 of the natural alignment of a load or store (0x28-0x3e, SIMD memory instructions), undefined for any other opcode. */
export function naturalAlignmentLog2(op: Opcode): number | undefined {
  const bytes: Record<number, number> = {
    0x28: 4, 0x29: 8, 0x2a: 4, 0x2b: 8, 0x2c: 1, 0x2d: 1, 0x2e: 2, 0x2f: 2, 0x30: 1, 0x31: 1, 0x32: 2, 0x33: 2,
    0x34: 4, 0x35: 4, 0x36: 4, 0x37: 8, 0x38: 4, 0x39: 8, 0x3a: 1, 0x3b: 2, 0x3c: 1, 0x3d: 2, 0x3e: 4,
  };
  const n = op >> 16 === SIMD_PREFIX ? SIMD.get(op & 0xffff)?.natural || undefined : bytes[op];
  return n === undefined ? undefined : Math.log2(n);
}

const walked = (features: readonly string[]): boolean => features.every((f) => WASM_2_FEATURES.includes(f) || WALKED_FEATURES.includes(f));

/** A value type: one byte, or (ref null ht) / (ref ht) with its heap type (an s33). */
export function skipValType(r: Reader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.skipLeb();
}

/** A try_table clause as written: catch 0, catch_ref 1, catch_all 2, catch_all_ref 3; a tag index for the first two; the label. */
export interface CatchClause {
  kind: number;
  tag?: number;
  label: number;
}

/** Reads a try_table's clauses (the reader at the vector). */
export function readCatches(r: Reader): CatchClause[] {
  const out: CatchClause[] = [];
  for (let n = r.uleb(); n > 0; n--) {
    const kind = r.u8();
    if (kind > 3) r.fail(`catch clause kind ${kind}`);
    const tag = kind < 2 ? r.uleb() : undefined;
    out.push({ kind, ...(tag !== undefined ? { tag } : {}), label: r.uleb() });
  }
  return out;
}

/** Passes over a block type: 0x40, a value type, or a type index. */
export function skipBlockType(r: Reader): void {
  const b = r.peek();
  if (b === 0x40) r.skip(1);
  else if ((b & 0xc0) === 0x40) skipValType(r);
  else r.skipLeb();
}

/** Passes over one immediate; a memarg's memory index and offset are returned. */
function skipImmediate(r: Reader, immediate: Immediate): Instruction['memarg'] | undefined {
  const size = IMMEDIATE_SIZES[immediate];
  if (size !== undefined) {
    r.skip(size);
    return undefined;
  }
  switch (immediate) {
    case 'blocktype':
      // 0x40, a value type (a negative s7 byte, or a reference with its heap type), or an s33 type index
      skipBlockType(r);
      return undefined;
    case 'catches':
      readCatches(r);
      return undefined;
    case 'index': case 'memory': case 'table': case 'int': case 'heaptype':
      r.skipLeb();
      return undefined;
    case 'memarg': {
      const flags = r.uleb();
      const memory = flags & 0x40 ? r.uleb() : 0;
      return { memory, offset: r.ulebBigint() };
    }
    case 'valtypes':
      for (let n = r.uleb(); n > 0; n--) skipValType(r);
      return undefined;
    case 'labels': // then the default
      for (let n = r.uleb(); n >= 0; n--) r.skipLeb();
      return undefined;
  }
  r.fail(`a ${immediate} immediate is not walked`);
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
    const opcode = opcodeOf(first, sub);
    if (!op || !walked(op.features)) throw new UnwalkableModule(`opcode 0x${opcode.toString(16)} at ${at} is not an instruction the walker reads`);
    const immediates = r.pos;
    let memarg: Instruction['memarg'];
    for (const immediate of op.immediates) memarg = skipImmediate(r, immediate) ?? memarg;
    out.push({ at, opcode, immediates, end: r.pos, ...(memarg ? { memarg } : {}) });
  }
  return out;
}

/** The instructions of each function body in a code section's content [start, end), its locals skipped. */
export function* codeBodies(bytes: Uint8Array, start: number, end: number): Generator<Instruction[]> {
  const s = walkReader(bytes, start, end);
  for (let n = s.uleb(); n > 0; n--) {
    const size = s.uleb();
    const bodyEnd = s.pos + size;
    for (let runs = s.uleb(); runs > 0; runs--) {
      s.uleb();
      skipValType(s);
    }
    yield instructions(bytes, s.pos, bodyEnd);
    s.pos = bodyEnd;
  }
}

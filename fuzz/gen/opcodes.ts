// The opcode tables of Wasm 2.0 (and relaxed SIMD's, apart), from the JIT's own (core/wasm/jit-opcodes.ts, generated from
// jit/src/opcodes_*.inc) so the generator covers exactly what the JIT knows about.
import { JIT_OPCODES } from '../../core/wasm/jit-opcodes.js';
import type { ValType } from './ast.js';

export type Prefix = 0 | 0xfc | 0xfd | 0xfe;

export interface OpInfo {
  /** 0 for single-byte opcodes, 0xfc, 0xfd or 0xfe (atomics) for the prefixed ones */
  prefix: Prefix;
  code: number;
  name: string;
  /** the immediate's kind as the table names it: None, MemArg, MemArgLane, Lane, V128, Shuffle… */
  imm: string;
  /** operand types, in order */
  params: ValType[];
  /** result type, or null */
  result: ValType | null;
  /** natural alignment in bytes, for loads and stores */
  natural: number;
  /** how many lanes the lane immediate chooses among (extract/replace lane, load/store lane), else 0 */
  lanes: number;
}

const LETTER: Record<string, ValType> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64', V: 'v128' };

/**
 * Whether a table entry is of Wasm 2.0: the tables go on with relaxed SIMD (0xfd 0x100–) and wide
 * arithmetic (0xfc 0x13–0x16), which the generator leaves out (relaxed results are the engine's choice,
 * so V8 and the JIT may both be right and still differ).
 */
const isWasm2Code = (prefix: Prefix, code: number): boolean => (prefix === 0xfd ? code <= 0xff : prefix === 0xfc ? code <= 0x11 : true);

/** The typed instructions of one prefix (the special ones are typed by the validator itself). */
function ofPrefix(prefix: Prefix, wanted: (code: number) => boolean = (code) => isWasm2Code(prefix, code)): OpInfo[] {
  const out: OpInfo[] = [];
  for (const e of JIT_OPCODES) {
    if (e.prefix !== prefix || e.imm === 'Special' || !wanted(e.code)) continue;
    const [ins, outs] = e.sig.includes(':') ? e.sig.split(':') : ['', ''];
    if ([...ins, ...outs].some((c) => !(c in LETTER))) continue;
    out.push({
      prefix,
      code: e.code,
      name: e.name,
      imm: e.imm,
      params: [...ins].map((c) => LETTER[c]),
      result: outs.length ? LETTER[outs[0]] : null,
      natural: e.imm.startsWith('MemArg') ? e.arg : 0,
      lanes: e.imm === 'Lane' ? e.arg : e.imm === 'MemArgLane' ? 16 / e.arg : 0,
    });
  }
  return out;
}

const base = ofPrefix(0);
const fc = ofPrefix(0xfc);

/** every scalar numeric instruction: 0x45–0xc4 and 0xfc 0–7 */
export const NUMERIC_OPS: readonly OpInfo[] = [
  ...base.filter((op) => op.imm === 'None' && op.code >= 0x45 && op.code <= 0xc4),
  ...fc.filter((op) => op.imm === 'None' && op.code <= 7),
];

/** loads (one address operand, a result) and stores (address and value, no result) */
export const LOAD_OPS: readonly OpInfo[] = base.filter((op) => op.imm === 'MemArg' && op.result !== null);
export const STORE_OPS: readonly OpInfo[] = base.filter((op) => op.imm === 'MemArg' && op.result === null);

/** every Wasm 2.0 SIMD instruction (0xfd 0x00–0xff), whatever its immediate */
export const SIMD_OPS: readonly OpInfo[] = ofPrefix(0xfd);
/** SIMD instructions without immediates: arithmetic, comparisons, bitwise, splats, conversions… */
export const SIMD_NUMERIC_OPS: readonly OpInfo[] = SIMD_OPS.filter((op) => op.imm === 'None');
/** extract_lane and replace_lane: a lane index immediate */
export const SIMD_LANE_OPS: readonly OpInfo[] = SIMD_OPS.filter((op) => op.imm === 'Lane');
/** v128.load, the extending, splatting and zeroing loads (memarg), and v128.store */
export const SIMD_LOAD_OPS: readonly OpInfo[] = SIMD_OPS.filter((op) => op.imm === 'MemArg' && op.result !== null);
export const SIMD_STORE_OPS: readonly OpInfo[] = SIMD_OPS.filter((op) => op.imm === 'MemArg' && op.result === null);
/** v128.loadN_lane (address, vector: vector) and v128.storeN_lane (address, vector): memarg and lane */
export const SIMD_LOAD_LANE_OPS: readonly OpInfo[] = SIMD_OPS.filter((op) => op.imm === 'MemArgLane' && op.result !== null);
export const SIMD_STORE_LANE_OPS: readonly OpInfo[] = SIMD_OPS.filter((op) => op.imm === 'MemArgLane' && op.result === null);

/**
 * The relaxed SIMD instructions (0xfd 0x100-0x113): generated only with the relaxed-simd feature, and
 * with operands the encoder confines to where every implementation the spec allows agrees (relaxed.ts).
 */
export const RELAXED_SIMD_OPS: readonly OpInfo[] = ofPrefix(0xfd, (code) => code >= 0x100 && code <= 0x113);

/**
 * The atomic instructions of threads (0xfe): notify, wait32, wait64, then the loads, stores,
 * read-modify-writes and cmpxchg (atomic.fence has no operands: the validator types it). Never in
 * OP_BY_KEY: their keys would be relaxed SIMD's; the tree names them by sub-opcode ('atomic' nodes).
 */
export const ATOMIC_OPS: readonly OpInfo[] = ofPrefix(0xfe, () => true);
export const ATOMIC_BY_CODE: ReadonlyMap<number, OpInfo> = new Map(ATOMIC_OPS.map((op) => [op.code, op]));

/** an opcode's key: code for single-byte opcodes, prefix * 256 + code for the prefixed ones (0xfc00…, 0xfd00…; relaxed SIMD's 0xfe00–0xfe13) */
export function opKey(op: { prefix: number; code: number }): number {
  return op.prefix ? op.prefix * 256 + op.code : op.code;
}

export const OP_BY_KEY: ReadonlyMap<number, OpInfo> = new Map([...NUMERIC_OPS, ...LOAD_OPS, ...STORE_OPS, ...SIMD_OPS, ...RELAXED_SIMD_OPS].map((op) => [opKey(op), op]));

/** The key of a SIMD opcode by name (v128.const, i8x16.shuffle, the relaxed ones…), for instructions the tree has a node kind for. */
export function simdKey(name: string): number {
  const op = SIMD_OPS.find((o) => o.name === name) ?? RELAXED_SIMD_OPS.find((o) => o.name === name);
  if (!op) throw new Error(`no SIMD instruction ${name} in the JIT's tables`);
  return opKey(op);
}

// The scalar opcode table of Wasm 2.0, read from the JIT's own opcode lists (jit/src/opcodes_base.inc
// and jit/src/opcodes_fc.inc) so the generator covers exactly what the JIT knows about.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValType } from './ast.js';

export interface OpInfo {
  /** 0 for single-byte opcodes, 0xfc for the prefixed ones */
  prefix: 0 | 0xfc;
  code: number;
  name: string;
  /** operand types, in order */
  params: ValType[];
  /** result type, or null */
  result: ValType | null;
  /** natural alignment in bytes, for loads and stores */
  natural: number;
}

const LETTER: Record<string, ValType> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64' };

function findInc(file: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'jit', 'src', file);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`opcode table ${file} not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

function parse(file: string, macro: string, prefix: 0 | 0xfc): { op: OpInfo; imm: string }[] {
  const re = new RegExp(`^${macro}\\((0x[0-9a-fA-F]+),\\s*"([^"]+)",\\s*(\\w+),\\s*(\\d+),\\s*"([^"]*)"\\)`);
  const out: { op: OpInfo; imm: string }[] = [];
  for (const line of readFileSync(findInc(file), 'utf8').split('\n')) {
    const m = re.exec(line.trim());
    if (!m) continue;
    const [ins, outs] = m[5].includes(':') ? m[5].split(':') : ['', ''];
    if ([...ins, ...outs].some((c) => !(c in LETTER))) continue; // v128 and the special ones
    out.push({
      imm: m[3],
      op: {
        prefix,
        code: parseInt(m[1], 16),
        name: m[2],
        params: [...ins].map((c) => LETTER[c]),
        result: outs.length ? LETTER[outs[0]] : null,
        natural: Number(m[4]),
      },
    });
  }
  return out;
}

const base = parse('opcodes_base.inc', 'BASE_OP', 0);
const fc = parse('opcodes_fc.inc', 'FC_OP', 0xfc);

/** every scalar numeric instruction: 0x45–0xc4 and 0xfc 0–7 */
export const NUMERIC_OPS: readonly OpInfo[] = [
  ...base.filter((e) => e.imm === 'None' && e.op.code >= 0x45 && e.op.code <= 0xc4),
  ...fc.filter((e) => e.imm === 'None' && e.op.code <= 7),
].map((e) => e.op);

/** loads (one address operand, a result) and stores (address and value, no result) */
export const LOAD_OPS: readonly OpInfo[] = base.filter((e) => e.imm === 'MemArg' && e.op.result !== null).map((e) => e.op);
export const STORE_OPS: readonly OpInfo[] = base.filter((e) => e.imm === 'MemArg' && e.op.result === null).map((e) => e.op);

/** a numeric opcode's key: code for single-byte opcodes, 0xfc00 + code for the prefixed ones */
export function opKey(op: { prefix: number; code: number }): number {
  return op.prefix === 0xfc ? 0xfc00 + op.code : op.code;
}

export const OP_BY_KEY: ReadonlyMap<number, OpInfo> = new Map(
  [...NUMERIC_OPS, ...LOAD_OPS, ...STORE_OPS].map((op) => [opKey(op), op]),
);

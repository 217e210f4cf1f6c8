// The opcode a tree node stands for, as an opcode key (opcodes.ts opKey), for coverage counts: the
// numeric, memory and SIMD instructions; undefined for the rest (control, variables, scalar constants).
import type { Expr } from './ast.js';
import { simdKey } from './opcodes.js';

const V128_CONST = simdKey('v128.const');
const I8X16_SHUFFLE = simdKey('i8x16.shuffle');

export function opcodeOf(e: Expr): number | undefined {
  switch (e.kind) {
    case 'numeric':
    case 'lane':
    case 'load':
    case 'store':
    case 'load_lane':
    case 'store_lane':
      return e.op;
    case 'shuffle':
      return I8X16_SHUFFLE;
    case 'const':
      return e.type === 'v128' ? V128_CONST : undefined;
    default:
      return undefined;
  }
}

/** Whether a key is a SIMD instruction's (0xfd prefix). */
export const isSimdKey = (key: number): boolean => key >> 8 === 0xfd;

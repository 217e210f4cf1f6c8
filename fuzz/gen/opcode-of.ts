// The opcode a tree node stands for, as an opcode key (opcodes.ts opKey), for coverage counts: the
// numeric, memory and SIMD instructions; undefined for the rest (control, variables, scalar constants);
// and the coverage key of any node, which also tells multi-value forms apart.
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

/** Whether a key is a SIMD instruction's (0xfd prefix, relaxed SIMD's sub-opcodes 0x100– included). */
export const isSimdKey = (key: number): boolean => key >= 0xfd00 && key < 0xfd00 + 0x200;

/** Whether a key is a relaxed SIMD instruction's (0xfd 0x100–0x1ff). */
export const isRelaxedSimdKey = (key: number): boolean => key >= 0xfe00 && key < 0xff00;

/** Whether a node carries several values or takes parameters: a multi-value block, loop or if, or a branch or return with several values. */
export function isMultiValue(e: Expr): boolean {
  switch (e.kind) {
    case 'block':
    case 'loop':
      return e.params.length > 0 || e.results.length > 1;
    case 'if':
      return e.params.length > 0 || e.then.results.length > 1;
    case 'br':
    case 'br_if':
    case 'br_table':
    case 'return':
      return e.values.length > 1;
    default:
      return false;
  }
}

/** A node's key in coverage counts: "simd:<opcode key>", "numeric:<opcode key>", else its kind, "(multi)" added for multi-value forms. */
export function coverageKey(e: Expr): string {
  const op = opcodeOf(e);
  if (op !== undefined && isSimdKey(op)) return `simd:${op}`;
  if (e.kind === 'numeric') return `numeric:${e.op}`;
  return isMultiValue(e) ? `${e.kind}(multi)` : e.kind;
}

// One opcode table for C++ and TypeScript: the JIT's tables (jit/src/opcodes_*.inc, which its opcode
// visitor and validator are generated from, as core/wasm/jit-opcodes.ts is) against core/wasm/opcodes.ts.
// opcodes.ts names no instruction (its names are comments), so what is compared is the numbering: every
// opcode the JIT has is one opcodes.ts has, with no feature beyond Wasm 2.0 but relaxed SIMD, wide
// arithmetic, tail calls, typed function references, threads and GC (which the JIT decodes only where a compile allows them), and the immediates of the JIT's
// immediate kind; and every Wasm 2.0 opcode of opcodes.ts is one the JIT has.
import { describe, expect, test } from '@jest/globals';
import { WASM_2_FEATURES } from '../features.js';
import { JIT_OPCODES } from './jit-opcodes.js';
import { FC_PREFIX, type Immediate, opcodeInfo, SIMD_PREFIX } from './opcodes.js';

interface IncEntry {
  prefix: number | undefined;
  code: number;
  name: string;
  imm: string;
}

const INC: IncEntry[] = JIT_OPCODES.map((e) => ({ prefix: e.prefix === 0 ? undefined : e.prefix, code: e.code, name: e.name, imm: e.imm }));

/** The immediates opcodes.ts lists for each immediate kind of the .inc tables (Special: each its own). */
const IMMEDIATES: Record<string, readonly Immediate[] | undefined> = {
  None: [],
  MemArg: ['memarg'],
  MemArgLane: ['memarg', 'lane'],
  Lane: ['lane'],
  V128: ['v128'],
  Shuffle: ['v128'],
  I32: ['int'],
  I64: ['int'],
  F32: ['f32'],
  F64: ['f64'],
  Special: undefined,
};

const hex = (prefix: number | undefined, code: number): string =>
  prefix === undefined ? `0x${code.toString(16)}` : `0x${prefix.toString(16)} 0x${code.toString(16)}`;
const isWasm2 = (features: readonly string[]): boolean => features.every((f) => WASM_2_FEATURES.includes(f));
/** The proposals after Wasm 2.0 whose opcodes the JIT's tables have too (its decoder gates them by feature). */
const JIT_LATER = ['relaxed-simd', 'wide-arithmetic', 'tail-call', 'typed-function-references', 'exceptions', 'legacy-exceptions', 'threads', 'gc'];
const isJitFeature = (features: readonly string[]): boolean => features.every((f) => WASM_2_FEATURES.includes(f) || JIT_LATER.includes(f));

describe('the opcode tables of the JIT and of core/wasm/opcodes.ts', () => {
  test('the .inc tables are read whole: names unique but for select, ref.test and ref.cast (each with a null form), codes unique, known immediate kinds', () => {
    expect(INC.length).toBeGreaterThan(400);
    const keys = INC.map((e) => hex(e.prefix, e.code));
    expect(new Set(keys).size).toBe(keys.length);
    const names = INC.map((e) => e.name).filter((n) => !['select', 'ref.test', 'ref.cast'].includes(n));
    expect(new Set(names).size).toBe(names.length);
    expect(INC.filter((e) => !(e.imm in IMMEDIATES)).map((e) => e.name)).toEqual([]);
  });

  test('every opcode of the JIT is an opcode of opcodes.ts (Wasm 2.0, relaxed SIMD, wide arithmetic, threads…), with the immediates of its kind', () => {
    const wrong: string[] = [];
    for (const e of INC) {
      const info = e.prefix === undefined ? opcodeInfo(e.code) : opcodeInfo(e.prefix, e.code);
      const at = `${e.name} (${hex(e.prefix, e.code)})`;
      if (!info) wrong.push(`${at}: not in opcodes.ts`);
      else if (!isJitFeature(info.features)) wrong.push(`${at}: opcodes.ts needs ${info.features.join(', ')}`);
      else {
        const expected = IMMEDIATES[e.imm];
        if (expected && JSON.stringify(info.immediates) !== JSON.stringify(expected))
          wrong.push(`${at}: immediates ${info.immediates.join(' ') || 'none'} in opcodes.ts, ${e.imm} in the JIT`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('every Wasm 2.0 opcode of opcodes.ts is in the JIT', () => {
    const inc = new Set(INC.map((e) => hex(e.prefix, e.code)));
    const missing: string[] = [];
    for (const [prefix, limit] of [[undefined, 0x100], [FC_PREFIX, 0x100], [SIMD_PREFIX, 0x200]] as const) {
      for (let code = 0; code < limit; code++) {
        if (prefix === undefined && (code === FC_PREFIX || code === SIMD_PREFIX)) continue;
        const info = prefix === undefined ? opcodeInfo(code) : opcodeInfo(prefix, code);
        if (info && isWasm2(info.features) && !inc.has(hex(prefix, code))) missing.push(hex(prefix, code));
      }
    }
    expect(missing).toEqual([]);
  });
});

// The native decoder and validator on hand-made binaries: what they accept, what they refuse and why.
import { describe, expect, test } from '@jest/globals';
import { loadAddon } from './addon.js';

const addon = loadAddon();
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A section: id, LEB size, content. */
function section(id: number, ...content: number[]): number[] {
  return [id, content.length, ...content];
}
const mod = (...sections: number[][]) => Uint8Array.from([...HEADER, ...sections.flat()]);
const TYPE_V_V = section(1, 1, 0x60, 0, 0);
const TYPE_V_I = section(1, 1, 0x60, 0, 1, 0x7f);
const FUNC_0 = section(3, 1, 0);
/** A code section holding one body (no locals). */
const code = (...instrs: number[]) => section(10, 1, instrs.length + 1, 0, ...instrs);

const verdict = (bytes: Uint8Array) => {
  const r = addon.validate(bytes);
  return r === null ? 'valid' : `${r.kind}: ${r.message}`;
};

describe('accepted', () => {
  test.each([
    ['the empty module', mod()],
    ['a function returning a constant', mod(TYPE_V_I, FUNC_0, code(0x41, 0x2a, 0x0b))],
    ['blocks, branches and the polymorphic stack', mod(TYPE_V_I, FUNC_0, code(0x02, 0x7f, 0x00, 0x0c, 0x00, 0x0b, 0x0b))],
    ['a custom section anywhere', mod(section(0, 3, 0x61, 0x62, 0x63, 0xff), TYPE_V_V, section(0, 1, 0x78), FUNC_0, code(0x0b))],
    ['a memory with an aligned load', mod(TYPE_V_I, FUNC_0, section(5, 1, 0, 1), code(0x41, 0, 0x28, 2, 0, 0x0b))],
    ['a SIMD constant and lane extraction', mod(TYPE_V_I, FUNC_0, code(0xfd, 12, ...new Array(16).fill(0), 0xfd, 0x1b, 3, 0x0b))],
    ['an overlong but in-range LEB (5 bytes)', mod(TYPE_V_I, FUNC_0, code(0x41, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b))],
  ])('%s', (_, bytes) => {
    expect(verdict(bytes)).toBe('valid');
    expect(WebAssembly.validate(bytes)).toBe(true); // the reference agrees
  });
});

describe('malformed', () => {
  test.each([
    ['no header', [], 'unexpected end'],
    ['a wrong magic', [0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0], 'magic header not detected'],
    ['a wrong version', [0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 'unknown binary version'],
    ['an unknown section id', [...HEADER, 13, 0], 'malformed section id'],
    ['sections out of order', [...HEADER, ...FUNC_0, ...TYPE_V_V], 'unexpected content after last section'],
    ['a section longer than the module', [...HEADER, 1, 5, 0], 'length out of bounds'],
    ['a section shorter than its contents', [...HEADER, 1, 3, 1, 0x60, 0, 0], 'section size mismatch'],
    ['an LEB with too many bytes', [...HEADER, 1, 7, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0], 'integer representation too long'],
    ['an LEB whose last byte has unused bits set', [...HEADER, 1, 6, 0x81, 0x80, 0x80, 0x80, 0x70, 0], 'integer too large'],
    ['a name that is not UTF-8', [...HEADER, 0, 3, 2, 0xc0, 0x80], 'malformed UTF-8 encoding'],
    ['functions without bodies', [...HEADER, ...TYPE_V_V, ...FUNC_0], 'function and code section have inconsistent lengths'],
    ['an unknown opcode', [...HEADER, ...TYPE_V_V, ...FUNC_0, ...code(0xff, 0x0b)], 'illegal opcode'],
    ['a body without its end', [...HEADER, ...TYPE_V_V, ...FUNC_0, 10, 4, 1, 2, 0, 0x01], 'unexpected end of section or function'],
    ['memory.size without its zero byte', [...HEADER, ...TYPE_V_I, ...FUNC_0, 5, 3, 1, 0, 1, ...code(0x3f, 0x01, 0x0b)], 'zero byte expected'],
    ['an import of kind 4 (a tag: exception handling, not Wasm 2.0)', [...HEADER, 2, 4, 1, 0, 0, 4], 'malformed import kind'],
    ['a mutability flag of 2', [...HEADER, 6, 6, 1, 0x7f, 2, 0x41, 0, 0x0b], 'malformed mutability'],
  ])('%s', (_, bytes, message) => {
    expect(verdict2(Uint8Array.from(bytes))).toBe(`malformed: ${message}`);
  });
});

describe('invalid', () => {
  test.each([
    ['a result of the wrong type', mod(TYPE_V_I, FUNC_0, code(0x42, 0, 0x0b)), 'type mismatch'],
    ['a missing result', mod(TYPE_V_I, FUNC_0, code(0x0b)), 'type mismatch'],
    ['an unknown local', mod(TYPE_V_V, FUNC_0, code(0x20, 0, 0x1a, 0x0b)), 'unknown local 0'],
    ['an unknown label', mod(TYPE_V_V, FUNC_0, code(0x0c, 1, 0x0b)), 'unknown label'],
    ['a load without memory', mod(TYPE_V_I, FUNC_0, code(0x41, 0, 0x28, 2, 0, 0x0b)), 'unknown memory 0'],
    ['an over-aligned load', mod(TYPE_V_I, FUNC_0, section(5, 1, 0, 1), code(0x41, 0, 0x28, 3, 0, 0x0b)), 'alignment must not be larger than natural'],
    ['a lane index out of range', mod(TYPE_V_I, FUNC_0, code(0xfd, 12, ...new Array(16).fill(0), 0xfd, 0x1b, 4, 0x0b)), 'invalid lane index'],
    ['a global.set of an immutable global', mod(TYPE_V_V, FUNC_0, section(6, 1, 0x7f, 0, 0x41, 0, 0x0b), code(0x41, 0, 0x24, 0, 0x0b)), 'global is immutable'],
    ['two memories', mod(section(5, 2, 0, 0, 0, 0)), 'multiple memories'],
    ['a memory over 4 GiB', mod(section(5, 1, 0, 0x81, 0x80, 0x04)), 'memory size must be at most 65536 pages (4GiB)'],
    ['duplicate export names', mod(section(5, 1, 0, 0), section(7, 2, 1, 0x61, 2, 0, 1, 0x61, 2, 0)), 'duplicate export name'],
    ['a start function with a result', mod(TYPE_V_I, FUNC_0, section(8, 0), code(0x41, 0, 0x0b)), 'start function'],
    ['ref.func of an undeclared function', mod(TYPE_V_V, FUNC_0, code(0xd2, 0, 0x1a, 0x0b)), 'undeclared function reference'],
    ['a mutable global in a constant expression', mod(section(2, 1, 0, 0, 3, 0x7f, 1), section(6, 1, 0x7f, 0, 0x23, 0, 0x0b)), 'constant expression required'],
  ])('%s', (_, bytes, message) => {
    expect(verdict2(bytes)).toBe(`invalid: ${message}`);
    expect(WebAssembly.validate(bytes)).toBe(false);
  });
});

describe('tail calls: read where the feature is on, illegal opcodes as in Wasm 2.0 where it is off', () => {
  const TWO_TYPES = section(1, 2, 0x60, 0, 0, 0x60, 0, 1, 0x7f); // [] -> [], [] -> [i32]
  const TABLE = section(4, 1, 0x70, 0, 0);
  const returnCall = mod(TYPE_V_V, FUNC_0, code(0x12, 0, 0x0b));
  const returnCallIndirect = mod(TYPE_V_V, FUNC_0, TABLE, code(0x41, 0, 0x13, 0, 0, 0x0b));

  test.each([
    ['return_call', returnCall],
    ['return_call_indirect', returnCallIndirect],
  ])('%s', (_, bytes) => {
    expect(verdict(bytes)).toBe('valid');
    expect(addon.validate(bytes, ['tail-call'])).toBeNull();
    expect(verdict2(bytes)).toBe('malformed: illegal opcode');
  });

  test.each([
    ['return_call of a function with other results', mod(TWO_TYPES, section(3, 2, 0, 1), section(10, 2, 4, 0, 0x12, 1, 0x0b, 4, 0, 0x41, 0, 0x0b))],
    ['return_call_indirect of a type with other results', mod(TWO_TYPES, FUNC_0, TABLE, code(0x41, 0, 0x13, 1, 0, 0x0b))],
    ['return_call_indirect through an externref table', mod(TYPE_V_V, FUNC_0, section(4, 1, 0x6f, 0, 0), code(0x41, 0, 0x13, 0, 0, 0x0b))],
  ])('%s', (_, bytes) => {
    expect(verdict(bytes)).toBe('invalid: type mismatch');
  });
});

/** The verdict under Wasm 2.0's rules (no feature after it). */
const verdict2 = (bytes: Uint8Array) => {
  const r = addon.validate(bytes, []);
  return r === null ? 'valid' : `${r.kind}: ${r.message}`;
};

describe('later proposals are unsupported, not malformed', () => {
  test.each([
    ['a GC struct type', mod(section(1, 1, 0x5f, 0))],
  ])('%s: unsupported without gc, valid with it', (_, bytes) => {
    expect(addon.validate(bytes, ['typed-function-references'])?.kind).toBe('unsupported');
    expect(addon.validate(bytes)).toBeNull();
  });
});

describe('threads: shared memories and 0xFE instructions only where the compile allows them', () => {
  const SHARED = section(5, 1, 3, 1, 1); // (memory 1 1 shared)
  // i32.atomic.rmw.add (0xfe 0x1e) with alignment exponent `align`
  const rmwAdd = (align: number) => mod(TYPE_V_I, FUNC_0, SHARED, code(0x41, 0, 0x41, 1, 0xfe, 0x1e, align, 0, 0x0b));

  test('a shared memory, and atomics on it', () => {
    expect(verdict(mod(SHARED))).toBe('valid');
    expect(addon.validate(mod(SHARED), ['threads'])).toBeNull();
    expect(verdict2(mod(SHARED))).toBe('malformed: integer too large');
    expect(verdict(rmwAdd(2))).toBe('valid');
  });

  test('a shared memory without a maximum decodes, and is invalid', () => {
    const bytes = mod(section(5, 1, 2, 1));
    expect(verdict(bytes)).toBe('invalid: shared memory must have maximum');
    expect(verdict2(bytes)).toBe('malformed: integer too large');
  });

  test('an atomic access must be aligned exactly naturally', () => {
    expect(verdict(rmwAdd(1))).toBe('invalid: atomic alignment must be natural');
    expect(verdict(rmwAdd(3))).toBe('invalid: atomic alignment must be natural');
  });

  test('atomics on an unshared memory are valid; 0xfe is an illegal opcode without threads', () => {
    const bytes = mod(TYPE_V_I, FUNC_0, section(5, 1, 0, 1), code(0x41, 0, 0xfe, 0x10, 2, 0, 0x0b)); // i32.atomic.load
    expect(verdict(bytes)).toBe('valid');
    expect(verdict2(bytes)).toBe('malformed: illegal opcode');
    expect(addon.validate(bytes, ['multi-memory'])).toMatchObject({ kind: 'malformed', message: 'illegal opcode' });
  });

  test('atomic.fence takes a zero byte', () => {
    expect(verdict(mod(TYPE_V_V, FUNC_0, code(0xfe, 0x03, 0, 0x0b)))).toBe('valid');
    expect(verdict(mod(TYPE_V_V, FUNC_0, code(0xfe, 0x03, 1, 0x0b)))).toBe('malformed: zero byte expected');
  });
});

describe('relaxed SIMD and wide arithmetic decode only where the compile allows them', () => {
  const V128_ZERO = [0xfd, 12, ...new Array(16).fill(0)];
  const TYPE_V_V128 = section(1, 1, 0x60, 0, 1, 0x7b);
  const TYPE_V_I64 = section(1, 1, 0x60, 0, 1, 0x7e);
  test.each([
    // i8x16.relaxed_swizzle: 0xfd 0x100 (LEB 0x80 0x02)
    ['i8x16.relaxed_swizzle', 'relaxed-simd', mod(TYPE_V_V128, FUNC_0, code(...V128_ZERO, ...V128_ZERO, 0xfd, 0x80, 0x02, 0x0b))],
    // i64.mul_wide_u (0xfc 0x16), its high half dropped
    ['i64.mul_wide_u', 'wide-arithmetic', mod(TYPE_V_I64, FUNC_0, code(0x42, 3, 0x42, 5, 0xfc, 0x16, 0x1a, 0x0b))],
  ])('%s', (_, feature, bytes) => {
    expect(verdict(bytes)).toBe('valid');
    expect(addon.validate(bytes, [feature])).toBeNull();
    expect(addon.validate(bytes, ['threads'])).toMatchObject({ kind: 'malformed', message: 'illegal opcode' });
  });
});

describe('locals without a default must be set before they are read; the others need not be', () => {
  // (type $t (func)) (func (local (ref null $t)) (local (ref $t)) …) (elem declare func 0): local 0 has a default (null), local 1 none
  const declare = section(9, 1, 0x03, 0x00, 1, 0);
  const body = (...instrs: number[]) => mod(TYPE_V_V, FUNC_0, declare, section(10, 1, instrs.length + 8, 2, 1, 0x63, 0x00, 1, 0x64, 0x00, ...instrs, 0x0b));
  test.each([
    ['the nullable local read first', body(0x20, 0, 0x1a), 'valid'],
    ['the nullable local read after the other is set', body(0xd2, 0, 0x21, 1, 0x20, 0, 0x1a), 'valid'],
    ['the non-nullable local read after it is set', body(0xd2, 0, 0x21, 1, 0x20, 1, 0x1a), 'valid'],
    ['the non-nullable local read before it is set', body(0x20, 1, 0x1a), 'invalid: uninitialized local'],
    ['the non-nullable local read after a block that set it', body(0x02, 0x40, 0xd2, 0, 0x21, 1, 0x0b, 0x20, 1, 0x1a), 'invalid: uninitialized local'],
  ])('%s', (_, bytes, expected) => {
    expect(verdict(bytes)).toBe(expected);
  });
});

test('random bytes never crash the process and always get a verdict', () => {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 20000; i++) {
    const bytes = Uint8Array.from([...HEADER, ...Array.from({ length: next() % 64 }, next)]);
    const r = addon.validate(bytes);
    expect(r === null || ['malformed', 'invalid', 'unsupported'].includes(r.kind)).toBe(true);
  }
});

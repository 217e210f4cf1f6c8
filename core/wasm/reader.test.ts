// The shared Reader: LEB128 at its length limits (overlong but allowed, one byte too many, cut
// short), signed and 64-bit values, names, section headers, and the errors each user gets.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { ReadError, Reader } from './reader.js';
import { s64, u32 } from './writer.js';

const reader = (...bytes: number[]) => new Reader(Uint8Array.from(bytes));
const error = (read: () => unknown): { message: string; at: number } | undefined => {
  try {
    read();
  } catch (err) {
    if (err instanceof ReadError) return { message: err.message, at: err.at };
    throw err;
  }
  return undefined;
};
const TOO_LONG = 'integer representation too long';
const END = 'unexpected end';

describe('unsigned LEB128', () => {
  test('values up to the largest u32, and where the reader is left', () => {
    const r = reader(0x00, 0x7f, 0x80, 0x01, 0xe5, 0x8e, 0x26, 0xff, 0xff, 0xff, 0xff, 0x0f);
    expect([r.uleb(), r.uleb(), r.uleb(), r.uleb(), r.uleb()]).toEqual([0, 127, 128, 624485, 0xffff_ffff]);
    expect(r.atEnd).toBe(true);
  });

  test('overlong encodings within the limit are read; one byte more is too long', () => {
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x00).uleb()).toBe(0);
    expect(reader(0x83, 0x80, 0x80, 0x80, 0x00).uleb()).toBe(3);
    expect(error(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).uleb())).toEqual({ message: TOO_LONG, at: 0 });
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).uleb(6)).toBe(0);
    expect(error(() => reader(0x80, 0x00).uleb(1))).toEqual({ message: TOO_LONG, at: 0 });
  });

  test('the last byte\'s unused bits are not checked (the readers are not validators)', () => {
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x7f).uleb()).toBe(2 ** 35 - 1);
  });

  test('64-bit values as bigints, up to 10 bytes', () => {
    expect(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).ulebBigint()).toBe(2n ** 64n - 1n);
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00).ulebBigint()).toBe(0n);
    expect(error(() => reader(...Array(10).fill(0x80), 0x00).ulebBigint())).toEqual({ message: TOO_LONG, at: 0 });
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x10).ulebBigint(5)).toBe(2n ** 32n);
  });

  test('cut short: at the bytes\' end, or at the reader\'s own end before it', () => {
    expect(error(() => reader().uleb())).toEqual({ message: END, at: 0 });
    const cut = reader(0x00, 0x80);
    cut.uleb();
    expect(error(() => cut.uleb())).toEqual({ message: END, at: 2 });
    const r = new Reader(Uint8Array.of(0x00, 0x80, 0x01), { start: 1, end: 2 });
    expect(error(() => r.uleb())).toEqual({ message: END, at: 2 });
    expect(error(() => reader(0xff, 0xff).ulebBigint())).toEqual({ message: END, at: 2 });
  });

  test('what the writer encodes reads back', () => {
    fc.assert(fc.property(fc.nat(), (n) => reader(...u32(n)).uleb() === n));
  });
});

describe('signed LEB128', () => {
  test('the sign bit of the last byte: -1, -64, 63, -65, 64', () => {
    const r = reader(0x7f, 0x40, 0x3f, 0xbf, 0x7f, 0xc0, 0x00);
    expect([r.sleb(), r.sleb(), r.sleb(), r.sleb(), r.sleb()]).toEqual([-1, -64, 63, -65, 64]);
  });

  test('the s32 and s33 extremes in 5 bytes; overlong negatives; too long', () => {
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x78).sleb()).toBe(-(2 ** 31));
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x07).sleb()).toBe(2 ** 31 - 1);
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x70).sleb()).toBe(-(2 ** 32)); // the s33 minimum
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x7f).sleb()).toBe(-1);
    expect(error(() => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).sleb())).toEqual({ message: TOO_LONG, at: 0 });
  });

  test('64-bit values as bigints', () => {
    const max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
    const min = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
    expect(reader(...max).slebBigint()).toBe(2n ** 63n - 1n);
    expect(reader(...min).slebBigint()).toBe(-(2n ** 63n));
    expect(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).slebBigint()).toBe(-1n);
    expect(error(() => reader(...Array(10).fill(0xff), 0x7f).slebBigint())).toEqual({ message: TOO_LONG, at: 0 });
    expect(error(() => reader(0x80).slebBigint())).toEqual({ message: END, at: 1 });
  });

  test('what the writer encodes reads back', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => reader(...s64(n)).slebBigint() === n));
    fc.assert(fc.property(fc.integer({ min: -(2 ** 32), max: 2 ** 32 - 1 }), (n) => reader(...s64(BigInt(n))).sleb() === n));
  });
});

describe('the rest of the reader', () => {
  test('skipLeb passes over up to 10 bytes, signed or not', () => {
    const r = reader(0x80, 0x80, 0x01, 0x7f, ...Array(9).fill(0xff), 0x01);
    r.skipLeb();
    expect(r.pos).toBe(3);
    r.skipLeb();
    r.skipLeb();
    expect(r.atEnd).toBe(true);
    expect(error(() => reader(...Array(10).fill(0x80), 0x00).skipLeb())).toEqual({ message: TOO_LONG, at: 0 });
    expect(error(() => reader(0x80, 0x80, 0x00).skipLeb(2))).toEqual({ message: TOO_LONG, at: 0 });
  });

  test('bytes: u8, peek, skip and take stop at the end, and a failed skip leaves the reader where it was', () => {
    const r = reader(1, 2, 3);
    expect([r.peek(), r.u8()]).toEqual([1, 1]);
    expect(error(() => r.skip(3))).toEqual({ message: END, at: 1 });
    expect(r.pos).toBe(1);
    expect([...r.take(2)]).toEqual([2, 3]);
    expect(error(() => r.u8())).toEqual({ message: END, at: 3 });
    expect(error(() => r.peek())).toEqual({ message: END, at: 3 });
  });

  test('names are UTF-8; malformed sequences decode to U+FFFD; a length past the end is an error', () => {
    expect(reader(0x03, 0x61, 0xc3, 0xa9, 0x02, 0xff, 0x62).name()).toBe('aé');
    const r = reader(0x02, 0xff, 0x62);
    expect(r.name()).toBe('\ufffdb');
    expect(error(() => reader(0x05, 0x61).name())).toEqual({ message: END, at: 1 });
  });

  test('section headers: where the size and content start; an end past the bytes is the caller\'s to judge', () => {
    const r = new Reader(Uint8Array.of(0, 0, 0x01, 0x82, 0x00, 0xaa, 0x0a, 0x7f), { start: 2 });
    expect(r.sectionHeader()).toEqual({ id: 1, start: 2, sizeAt: 3, contentStart: 5, end: 7 });
    r.pos = 6;
    expect(r.sectionHeader()).toEqual({ id: 10, start: 6, sizeAt: 7, contentStart: 8, end: 135 });
    expect(error(() => reader(0x01).sectionHeader())).toEqual({ message: END, at: 1 });
  });

  test('each user throws its own error, with the message and offset', () => {
    class Mine extends Error {}
    const r = new Reader(Uint8Array.of(0x80), { error: (message, at) => new Mine(`${message} at ${at}`) });
    expect(() => r.uleb()).toThrow(new Mine('unexpected end at 1'));
    expect(() => r.fail('no such opcode', 0)).toThrow(new Mine('no such opcode at 0'));
  });
});

import { describe, expect, test } from '@jest/globals';
import { memargOffsetError } from './memarg-offsets.js';

describe('memarg offsets of 32-bit memories', () => {
  test('an offset of 2^32 or more is malformed text ("i32 constant")', () => {
    expect(memargOffsetError('(memory 1)(func (drop (i32.load offset=4294967296 (i32.const 0))))')).toMatch(/^i32 constant/);
    expect(memargOffsetError('(memory 1)(func (drop (v128.load offset=0x1_0000_0000 (i32.const 0))))')).toMatch(/^i32 constant/);
  });

  test('offsets that fit, and texts that may declare a 64-bit memory, are left alone', () => {
    expect(memargOffsetError('(memory 1)(func (drop (i32.load offset=4294967295 (i32.const 0))))')).toBeUndefined();
    expect(memargOffsetError('(memory 1)(func (drop (i64.load offset=0xffff_ffff (i32.const 0))))')).toBeUndefined();
    expect(memargOffsetError('(memory i64 1)(func (drop (i32.load offset=4294967296 (i64.const 0))))')).toBeUndefined();
  });
});

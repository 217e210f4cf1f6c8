import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { f32MatchesNan, f64MatchesNan, matches, refMatches, resultsMatch } from './match.js';
import { lanesToBytes } from './parser.js';
import { Expected, RefPattern } from './script.js';
import { RefValue, Value } from '../core/values.js';

const f32 = (bits: number): Value => ({ type: 'f32', bits: bits >>> 0 });
const f64 = (bits: bigint): Value => ({ type: 'f64', bits });

describe('NaN patterns', () => {
  test('canonical: exactly the quiet bit, either sign', () => {
    expect(f32MatchesNan(0x7fc00000, 'canonical')).toBe(true);
    expect(f32MatchesNan(0xffc00000, 'canonical')).toBe(true);
    expect(f32MatchesNan(0x7fc00001, 'canonical')).toBe(false);
    expect(f32MatchesNan(0x7fa00000, 'canonical')).toBe(false);
    expect(f64MatchesNan(0x7ff8000000000000n, 'canonical')).toBe(true);
    expect(f64MatchesNan(0xfff8000000000000n, 'canonical')).toBe(true);
    expect(f64MatchesNan(0x7ff8000000000001n, 'canonical')).toBe(false);
  });

  test('arithmetic: quiet bit set, any payload; signalling NaNs and numbers do not match', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x3fffff }), fc.boolean(), (payload, neg) => {
        const sign = neg ? 0x80000000 : 0;
        expect(f32MatchesNan((sign | 0x7fc00000 | payload) >>> 0, 'arithmetic')).toBe(true);
        expect(f32MatchesNan((sign | 0x7f800000 | payload) >>> 0, 'arithmetic')).toBe(false); // quiet bit clear
        expect(f32MatchesNan((sign | 0x7fc00000 | payload) >>> 0, 'canonical')).toBe(payload === 0);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.bigInt(0n, (1n << 51n) - 1n), fc.boolean(), (payload, neg) => {
        const sign = neg ? 1n << 63n : 0n;
        expect(f64MatchesNan(sign | 0x7ff8000000000000n | payload, 'arithmetic')).toBe(true);
        expect(f64MatchesNan(sign | 0x7ff0000000000000n | payload, 'arithmetic')).toBe(false);
      }),
      { numRuns: 2000 },
    );
    expect(f32MatchesNan(0x7f800000, 'arithmetic')).toBe(false); // infinity
    expect(f32MatchesNan(0x3f800000, 'arithmetic')).toBe(false);
  });

  test('a NaN literal matches bit for bit only', () => {
    const e: Expected = { kind: 'value', value: f32(0x7fc00001) };
    expect(matches(e, f32(0x7fc00001))).toBe(true);
    expect(matches(e, f32(0x7fc00000))).toBe(false);
    expect(matches(e, f32(0xffc00001))).toBe(false);
  });

  test('types must agree', () => {
    expect(matches({ kind: 'nan', type: 'f64', nan: 'canonical' }, f32(0x7fc00000))).toBe(false);
    expect(matches({ kind: 'value', value: { type: 'i32', bits: 0 } }, { type: 'i64', bits: 0n })).toBe(false);
    expect(matches({ kind: 'value', value: f64(0n) }, f64(1n << 63n))).toBe(false); // +0 is not -0
  });
});

describe('v128 lanes', () => {
  const v = (shape: 'f32x4' | 'i8x16' | 'f64x2', lanes: bigint[]): Value => ({ type: 'v128', bytes: lanesToBytes(shape, lanes) });

  test('lane patterns in the expected shape', () => {
    const e: Expected = {
      kind: 'v128',
      shape: 'f32x4',
      lanes: [{ kind: 'nan', nan: 'canonical' }, { kind: 'bits', bits: 0x3f800000n }, { kind: 'nan', nan: 'arithmetic' }, { kind: 'bits', bits: 0n }],
    };
    expect(matches(e, v('f32x4', [0xffc00000n, 0x3f800000n, 0x7fc12345n, 0n]))).toBe(true);
    expect(matches(e, v('f32x4', [0x7fc00001n, 0x3f800000n, 0x7fc12345n, 0n]))).toBe(false);
    expect(matches(e, v('f32x4', [0x7fc00000n, 0x3f800000n, 0x7f812345n, 0n]))).toBe(false);
    expect(matches(e, v('f32x4', [0x7fc00000n, 0x3f800000n, 0x7fc12345n, 1n << 31n]))).toBe(false);
  });

  test('exact lanes compare every byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 15 }), (bytes, flip) => {
        const lanes = Array.from(bytes, BigInt);
        const e: Expected = { kind: 'v128', shape: 'i8x16', lanes: lanes.map((bits) => ({ kind: 'bits', bits })) };
        expect(matches(e, { type: 'v128', bytes })).toBe(true);
        const other = Uint8Array.from(bytes);
        other[flip] ^= 1;
        expect(matches(e, { type: 'v128', bytes: other })).toBe(false);
      }),
    );
  });
});

describe('references, either and result lists', () => {
  test('reference patterns', () => {
    const ref = (r: Extract<Value, { type: 'ref' }>['ref']): Value => ({ type: 'ref', ref: r });
    expect(matches({ kind: 'ref', pattern: { kind: 'null', heap: 'func' } }, ref({ kind: 'null', heap: 'func' }))).toBe(true);
    expect(matches({ kind: 'ref', pattern: { kind: 'null' } }, ref({ kind: 'func', handle: 1 }))).toBe(false);
    expect(matches({ kind: 'ref', pattern: { kind: 'func' } }, ref({ kind: 'func', handle: 1 }))).toBe(true);
    expect(matches({ kind: 'ref', pattern: { kind: 'func' } }, ref({ kind: 'null', heap: 'func' }))).toBe(false);
    expect(matches({ kind: 'ref', pattern: { kind: 'extern', id: 1 } }, ref({ kind: 'extern', id: 1 }))).toBe(true);
    expect(matches({ kind: 'ref', pattern: { kind: 'extern', id: 1 } }, ref({ kind: 'extern', id: 2 }))).toBe(false);
    expect(matches({ kind: 'ref', pattern: { kind: 'extern' } }, ref({ kind: 'extern', id: 2 }))).toBe(true);
    expect(matches({ kind: 'ref', pattern: { kind: 'extern' } }, ref({ kind: 'null', heap: 'extern' }))).toBe(false);
    expect(matches({ kind: 'ref', pattern: { kind: 'host', id: 2 } }, ref({ kind: 'host', id: 2 }))).toBe(true);
    expect(matches({ kind: 'ref', pattern: { kind: 'heap', heap: 'eq' } }, ref({ kind: 'opaque', heap: 'i31', handle: 0 }))).toBe(true);
    expect(matches({ kind: 'ref', pattern: { kind: 'heap', heap: 'struct' } }, ref({ kind: 'opaque', heap: 'array', handle: 0 }))).toBe(false);
  });

  test('every heap pattern against every kind of reference, as the spec interpreter matches them', () => {
    const values: Record<string, RefValue> = {
      null: { kind: 'null', heap: 'any' },
      i31: { kind: 'opaque', heap: 'i31', handle: 1 },
      struct: { kind: 'opaque', heap: 'struct', handle: {} },
      array: { kind: 'opaque', heap: 'array', handle: {} },
      host: { kind: 'host', id: 1 },
      anyOther: { kind: 'opaque', heap: 'any', handle: {} },
      exn: { kind: 'opaque', heap: 'exn', handle: undefined },
      func: { kind: 'func', handle: () => 0, index: 3 },
      extern: { kind: 'extern', id: 1 },
      externalized: { kind: 'opaque', heap: 'extern', handle: {} },
    };
    // each pattern and the values it matches; every other value must not match
    const table: [RefPattern, string[]][] = [
      [{ kind: 'heap', heap: 'i31' }, ['i31']],
      [{ kind: 'heap', heap: 'struct' }, ['struct']],
      [{ kind: 'heap', heap: 'array' }, ['array']],
      [{ kind: 'heap', heap: 'eq' }, ['i31', 'struct', 'array']],
      [{ kind: 'heap', heap: 'any' }, ['i31', 'struct', 'array', 'host', 'anyOther']],
      [{ kind: 'heap', heap: 'exn' }, ['exn']],
      [{ kind: 'host', id: 1 }, ['host']],
      [{ kind: 'extern', id: 1 }, ['extern']],
      [{ kind: 'extern' }, ['extern', 'externalized']],
      [{ kind: 'func' }, ['func']],
      [{ kind: 'func', index: 3 }, ['func']],
      [{ kind: 'func', index: 4 }, []],
      [{ kind: 'null' }, ['null']],
      [{ kind: 'null', heap: 'exn' }, ['null']], // the spec compares nulls whatever their type
    ];
    for (const [pattern, matching] of table) {
      for (const [name, r] of Object.entries(values)) {
        expect([pattern, name, refMatches(pattern, r)]).toEqual([pattern, name, matching.includes(name)]);
      }
    }
    // an engine that cannot tell a function's index never matches (ref.func N)
    expect(refMatches({ kind: 'func', index: 0 }, { kind: 'func', handle: 1 })).toBe(false);
  });

  test('either matches when any alternative does', () => {
    const e: Expected = { kind: 'either', options: [{ kind: 'value', value: { type: 'i32', bits: 1 } }, { kind: 'value', value: { type: 'i32', bits: 2 } }] };
    expect(matches(e, { type: 'i32', bits: 2 })).toBe(true);
    expect(matches(e, { type: 'i32', bits: 3 })).toBe(false);
  });

  test('the number of results must agree', () => {
    const one: Expected = { kind: 'value', value: { type: 'i32', bits: 1 } };
    expect(resultsMatch([one], [{ type: 'i32', bits: 1 }])).toBe(true);
    expect(resultsMatch([one], [])).toBe(false);
    expect(resultsMatch([], [{ type: 'i32', bits: 1 }])).toBe(false);
  });
});

import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  LiteralError,
  f32BitsToDecimal,
  f32BitsToHex,
  f32FromBits,
  f32ToBits,
  f64BitsToDecimal,
  f64BitsToHex,
  f64FromBits,
  f64ToBits,
  parseF32Bits,
  parseF64Bits,
  parseI32,
  parseI64,
  parseIntBits,
} from './literals.js';

function rejects(fn: () => unknown, message: string): void {
  expect(fn).toThrow(LiteralError);
  expect(fn).toThrow(message);
}

// ---------------------------------------------------------------------------------------------
// An independent exact oracle: rationals as BigInt pairs, float values decoded from bits.

interface Rational {
  n: bigint;
  d: bigint;
}

interface Layout {
  mant: number;
  qmin: number;
}
const L32: Layout = { mant: 23, qmin: -149 };
const L64: Layout = { mant: 52, qmin: -1074 };

/** Exact value of positive magnitude bits (the infinity pattern decodes as 2^(emax+1)). */
function valueOf(bits: bigint, l: Layout): Rational {
  const e = Number(bits >> BigInt(l.mant));
  const frac = bits & ((1n << BigInt(l.mant)) - 1n);
  const sig = e === 0 ? frac : frac + (1n << BigInt(l.mant));
  const q = e === 0 ? l.qmin : l.qmin + e - 1;
  return q >= 0 ? { n: sig << BigInt(q), d: 1n } : { n: sig, d: 1n << BigInt(-q) };
}

/** Of candidate bit patterns, the one nearest to v, ties to the even pattern: IEEE rounding. */
function nearest(v: Rational, candidates: bigint[], l: Layout): bigint {
  let best = candidates[0]!;
  let bestVal = valueOf(best, l);
  const gap = (c: Rational) => {
    const diff = v.n * c.d - c.n * v.d;
    return diff < 0n ? -diff : diff; // |v - c| * v.d * c.d
  };
  for (const c of candidates.slice(1)) {
    const cVal = valueOf(c, l);
    // Compare |v-c|/(v.d*c.d) with |v-best|/(v.d*best.d) without dividing.
    const lhs = gap(cVal) * bestVal.d;
    const rhs = gap(bestVal) * cVal.d;
    if (lhs < rhs || (lhs === rhs && (c & 1n) === 0n)) {
      best = c;
      bestVal = cVal;
    }
  }
  return best;
}

/** Exact decimal digits of a dyadic rational: value = N / 10^k. */
function dyadicToDecimal(v: Rational): { N: bigint; k: number } {
  let k = 0;
  let d = v.d;
  while (d > 1n) {
    d >>= 1n;
    k++;
  }
  return { N: v.n * 5n ** BigInt(k), k };
}

function withPoint(N: bigint, k: number): string {
  if (k === 0) return N.toString();
  const s = N.toString().padStart(k + 1, '0');
  return s.slice(0, -k) + '.' + s.slice(-k);
}

const digitString = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

// Special f32 patterns: extreme exponent fields are rare among uniform bits.
const f32Bits = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc
    .tuple(fc.boolean(), fc.constantFrom(0, 1, 0xfe, 0xff), fc.integer({ min: 0, max: 0x7fffff }))
    .map(([s, e, f]) => ((s ? 0x80000000 : 0) | (e << 23) | f) >>> 0),
);

const f64Bits = fc.oneof(
  fc.bigInt(0n, 2n ** 64n - 1n),
  fc
    .tuple(fc.boolean(), fc.constantFrom(0n, 1n, 0x7fen, 0x7ffn), fc.bigInt(0n, 2n ** 52n - 1n))
    .map(([s, e, f]) => (s ? 1n << 63n : 0n) | (e << 52n) | f),
);

// ---------------------------------------------------------------------------------------------

describe('integer literals', () => {
  test('i32 edges', () => {
    expect(parseI32('4294967295')).toBe(0xffffffff);
    expect(parseI32('+4294967295')).toBe(0xffffffff);
    expect(parseI32('-2147483648')).toBe(0x80000000);
    expect(parseI32('-0x80000000')).toBe(0x80000000);
    expect(parseI32('0x80000000')).toBe(0x80000000);
    expect(parseI32('0x7fffffff')).toBe(0x7fffffff);
    expect(parseI32('-0x7fffffff')).toBe(0x80000001);
    expect(parseI32('-1')).toBe(0xffffffff);
    expect(parseI32('+42')).toBe(42);
    expect(parseI32('010')).toBe(10); // not octal
    expect(parseI32('-0')).toBe(0);
    expect(parseI32('-0x0')).toBe(0);
    expect(parseI32('0x0bAdD00D')).toBe(195940365);
  });

  test('underscores between digits', () => {
    expect(parseI32('1_000_000')).toBe(1000000);
    expect(parseI32('1_0_0_0')).toBe(1000);
    expect(parseI32('0xa_0f_00_99')).toBe(0xa0f0099);
    expect(parseI32('0x1_a_A_0_f')).toBe(0x1aa0f);
    expect(parseI64('0xa_f00f_0000_9999')).toBe(0xaf00f00009999n);
  });

  test('i32 out of range', () => {
    for (const t of ['4294967296', '-2147483649', '0x1_0000_0000', '0x100000000', '-0x80000001', '+4294967296']) {
      rejects(() => parseI32(t), 'constant out of range');
    }
  });

  test('i64 edges', () => {
    expect(parseI64('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(parseI64('0xffffffffffffffff')).toBe(2n ** 64n - 1n);
    expect(parseI64('-9223372036854775808')).toBe(2n ** 63n);
    expect(parseI64('-0x8000000000000000')).toBe(2n ** 63n);
    expect(parseI64('-0x7fffffffffffffff')).toBe(2n ** 63n + 1n);
    expect(parseI64('0x0CABBA6E0ba66a6e')).toBe(913028331277281902n);
    expect(parseI64('-1')).toBe(2n ** 64n - 1n);
    for (const t of ['18446744073709551616', '-9223372036854775809', '0x10000000000000000', '-0x8000000000000001']) {
      rejects(() => parseI64(t), 'constant out of range');
    }
  });

  test('narrow widths', () => {
    expect(parseIntBits('255', 8)).toBe(255n);
    expect(parseIntBits('-128', 8)).toBe(128n);
    expect(parseIntBits('-1', 16)).toBe(0xffffn);
    expect(parseIntBits('0xffff', 16)).toBe(0xffffn);
    rejects(() => parseIntBits('256', 8), 'constant out of range');
    rejects(() => parseIntBits('-129', 8), 'constant out of range');
    rejects(() => parseIntBits('0x1_0000', 16), 'constant out of range');
  });

  test('malformed', () => {
    const bad = ['', '+', '-', '1__0', '_1', '0x', '1_', '0x_1', '0x1_', '_0x100', '0_x100', '+_100', '-_100',
      '0xff__ffff', '0X10', ' 1', '1 ', '1.0', '0xg', '1e3', '--1', '+-1', 'nan', 'inf', '٣'];
    for (const t of bad) {
      rejects(() => parseI32(t), `invalid i32 literal ${JSON.stringify(t)}`);
      rejects(() => parseI64(t), `invalid i64 literal ${JSON.stringify(t)}`);
    }
    expect(() => parseI32('0x_1')).toThrow('invalid i32 literal "0x_1"');
  });

  test('property: any u32 / s32 / u64 / s64 in decimal or hex parses to its bit pattern', () => {
    fc.assert(
      fc.property(fc.bigInt(-(2n ** 63n), 2n ** 64n - 1n), fc.boolean(), (v, hex) => {
        const mag = v < 0n ? -v : v;
        const text = (v < 0n ? '-' : '') + (hex ? '0x' + mag.toString(16) : mag.toString());
        expect(parseI64(text)).toBe(BigInt.asUintN(64, v));
        const in32 = v >= -(2n ** 31n) && v < 2n ** 32n;
        if (in32) expect(parseI32(text)).toBe(Number(BigInt.asUintN(32, v)));
        else expect(() => parseI32(text)).toThrow('constant out of range');
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('float literal syntax', () => {
  test('malformed literals are rejected with the literal in the message', () => {
    const bad = ['', '+', '-', '.0', '.0e0', '0e', '0e+', '0.0e', '0.0e-', '0x', '1x', '0xg', '0x.', '0x.8', '0x0.g',
      '0x0p', '0x0p+', '0x0p-', '0x0.0p', '0x0.0p+', '0x0pA', '_100', '+_100', '-_100', '99_', '1__000', '_1.0',
      '1.0_', '1_.0', '1._0', '1.0e_1', '1.0e+_1', '1.0e1_', '0x_1p0', '0x1p_1', 'nan:1', 'nan:0x', 'nan:0x_1',
      'nan:0X1', 'NaN', 'Inf', 'infinity', '+-1', '--1', '1.5e1.5', '0x1e+1', '0X1p0', '1e3 ', ' 1', '1,5', '0b1'];
    for (const t of bad) {
      rejects(() => parseF32Bits(t), `invalid f32 literal ${JSON.stringify(t)}`);
      rejects(() => parseF64Bits(t), `invalid f64 literal ${JSON.stringify(t)}`);
    }
  });

  test('accepted shapes from const.wast', () => {
    for (const t of ['0123456789', '0123456789e019', '0123456789e+019', '0123456789e-019', '0123456789.',
      '0123456789.e019', '0123456789.e+019', '0123456789.e-019', '0123456789.0123456789', '0123456789.0123456789e019',
      '0123456789.0123456789e-019', '0x0123456789ABCDEF', '0x0123456789ABCDEFp019', '0x0123456789ABCDEFp-019',
      '0x0123456789ABCDEF.', '0x0123456789ABCDEF.p+019', '0x0123456789ABCDEF.019aF', '0x0123456789ABCDEF.019aFp-019',
      '0_1_2_3_4_5_6_7_8_9.0_1_2_3_4_5_6_7_8_9e0_1_9', '1E5', '0x1P5']) {
      expect(() => parseF32Bits(t)).not.toThrow();
      expect(() => parseF64Bits(t)).not.toThrow();
    }
  });

  test('underscores mean nothing', () => {
    expect(parseF32Bits('122_000.11_3_54E0_2_3')).toBe(parseF32Bits('122000.11354e23'));
    expect(parseF32Bits('0x2a_f00a.1f_3_eep2_3')).toBe(parseF32Bits('0x2af00a.1f3eep23'));
    expect(parseF32Bits('99e+1_3')).toBe(parseF32Bits('99e+13'));
    expect(parseF64Bits('99e-1_23')).toBe(parseF64Bits('99e-123'));
    expect(parseF64Bits('100_3.141_592')).toBe(f64ToBits(1003.141592));
    expect(parseF64Bits('0xa0_ff.f141_a59a')).toBe(parseF64Bits('0xa0ff.f141a59a'));
  });
});

describe('float literal values (float_literals.wast / const.wast)', () => {
  test('f32 hex', () => {
    expect(parseF32Bits('0x0.0p0')).toBe(0);
    expect(parseF32Bits('-0x0.0p0')).toBe(0x80000000);
    expect(parseF32Bits('0x1.921fb6p+2')).toBe(0x40c90fdb);
    expect(parseF32Bits('0x1p-149')).toBe(1);
    expect(parseF32Bits('0x1p-126')).toBe(0x800000);
    expect(parseF32Bits('0x1.fffffep+127')).toBe(0x7f7fffff);
    expect(parseF32Bits('0x1.fffffcp-127')).toBe(0x7fffff);
    expect(parseF32Bits('0x1.p10')).toBe(0x44800000);
    expect(parseF32Bits('0x12345')).toBe(0x4791a280);
    expect(parseF32Bits('0x1_0000_0000_0000_0000_0000')).toBe(0x67800000);
    expect(parseF32Bits('-0x8000_0000')).toBe(0xcf000000);
    expect(parseF32Bits('-0x8000_0000_0000_0000')).toBe(0xdf000000);
  });

  test('f32 decimal', () => {
    expect(parseF32Bits('0.0e0')).toBe(0);
    expect(parseF32Bits('-0.0e0')).toBe(0x80000000);
    expect(parseF32Bits('6.28318548202514648')).toBe(0x40c90fdb);
    expect(parseF32Bits('1.4013e-45')).toBe(1);
    expect(parseF32Bits('1.1754944e-38')).toBe(0x800000);
    expect(parseF32Bits('1.1754942e-38')).toBe(0x7fffff);
    expect(parseF32Bits('3.4028234e+38')).toBe(0x7f7fffff);
    expect(parseF32Bits('1.e10')).toBe(0x501502f9);
    expect(parseF32Bits('12345')).toBe(0x4640e400);
    expect(parseF32Bits('100_000_000_000_000_000_000')).toBe(0x60ad78ec);
    expect(parseF32Bits('-2147483648')).toBe(0xcf000000);
    expect(parseF32Bits('-9223372036854775808')).toBe(0xdf000000);
    expect(parseF32Bits('1.000000119')).toBe(0x3f800001); // "root beer float"
  });

  test('f64 hex and decimal', () => {
    expect(parseF64Bits('0x1.921fb54442d18p+2')).toBe(0x401921fb54442d18n);
    expect(parseF64Bits('0x0.0000000000001p-1022')).toBe(1n);
    expect(parseF64Bits('0x1p-1022')).toBe(0x10000000000000n);
    expect(parseF64Bits('0x0.fffffffffffffp-1022')).toBe(0xfffffffffffffn);
    expect(parseF64Bits('0x1.fffffffffffffp+1023')).toBe(0x7fefffffffffffffn);
    expect(parseF64Bits('0x1.p100')).toBe(0x4630000000000000n);
    expect(parseF64Bits('0x1_0000_0000_0000_0000_0000')).toBe(0x44f0000000000000n);
    expect(parseF64Bits('-0x8000_0000_0000_0000')).toBe(0xc3e0000000000000n);
    expect(parseF64Bits('-0.0e0')).toBe(0x8000000000000000n);
    expect(parseF64Bits('6.28318530717958623')).toBe(0x401921fb54442d18n);
    expect(parseF64Bits('4.94066e-324')).toBe(1n);
    expect(parseF64Bits('2.2250738585072012e-308')).toBe(0x10000000000000n);
    expect(parseF64Bits('2.2250738585072011e-308')).toBe(0xfffffffffffffn);
    expect(parseF64Bits('1.7976931348623157e+308')).toBe(0x7fefffffffffffffn);
    expect(parseF64Bits('1.e100')).toBe(0x54b249ad2594c37dn);
    expect(parseF64Bits('100_000_000_000_000_000_000')).toBe(0x4415af1d78b58c40n);
    expect(parseF64Bits('1.000000119')).toBe(0x3ff000001ff19e24n);
    expect(parseF64Bits('4294967249')).toBe(f64ToBits(4294967249));
  });

  test('nan and inf', () => {
    expect(parseF32Bits('nan')).toBe(0x7fc00000);
    expect(parseF32Bits('+nan')).toBe(0x7fc00000);
    expect(parseF32Bits('-nan')).toBe(0xffc00000);
    expect(parseF32Bits('nan:0x400000')).toBe(0x7fc00000);
    expect(parseF32Bits('nan:0x200000')).toBe(0x7fa00000);
    expect(parseF32Bits('-nan:0x7fffff')).toBe(0xffffffff);
    expect(parseF32Bits('nan:0x7f_ffff')).toBe(0x7fffffff);
    expect(parseF32Bits('nan:0x012345')).toBe(0x7f812345);
    expect(parseF32Bits('+nan:0x304050')).toBe(0x7fb04050);
    expect(parseF32Bits('-nan:0x2abcde')).toBe(0xffaabcde);
    expect(parseF32Bits('nan:0x1')).toBe(0x7f800001);
    expect(parseF32Bits('inf')).toBe(0x7f800000);
    expect(parseF32Bits('+inf')).toBe(0x7f800000);
    expect(parseF32Bits('-inf')).toBe(0xff800000);
    expect(parseF64Bits('nan')).toBe(0x7ff8000000000000n);
    expect(parseF64Bits('-nan')).toBe(0xfff8000000000000n);
    expect(parseF64Bits('nan:0x4000000000000')).toBe(0x7ff4000000000000n);
    expect(parseF64Bits('-nan:0xfffffffffffff')).toBe(0xffffffffffffffffn);
    expect(parseF64Bits('nan:0xf_ffff_ffff_ffff')).toBe(0x7fffffffffffffffn);
    expect(parseF64Bits('-nan:0x2abcdef012345')).toBe(0xfff2abcdef012345n);
    expect(parseF64Bits('+nan:0x3040506070809')).toBe(0x7ff3040506070809n);
    expect(parseF64Bits('inf')).toBe(0x7ff0000000000000n);
    expect(parseF64Bits('-inf')).toBe(0xfff0000000000000n);
    for (const t of ['nan:0x0', '-nan:0x0', 'nan:0x80_0000', 'nan:0x800000', 'nan:0xffffffff']) {
      rejects(() => parseF32Bits(t), 'constant out of range');
    }
    for (const t of ['nan:0x0', 'nan:0x10_0000_0000_0000']) rejects(() => parseF64Bits(t), 'constant out of range');
    expect(parseF64Bits('nan:0x800000')).toBe(0x7ff0000000800000n); // fits 52 bits, not 23
  });

  test('f32 rounding of long hex mantissas (const.wast)', () => {
    const cases: [string, string][] = [
      ['+0x1.00000100000000000p-50', '+0x1.000000p-50'],
      ['-0x1.00000100000000000p-50', '-0x1.000000p-50'],
      ['+0x1.00000100000000001p-50', '+0x1.000002p-50'],
      ['+0x1.000001fffffffffffp-50', '+0x1.000002p-50'],
      ['+0x1.00000300000000000p-50', '+0x1.000004p-50'],
      ['+0x1.00000500000000000p-50', '+0x1.000004p-50'],
      ['-0x1.00000500000000001p-50', '-0x1.000006p-50'],
      ['+0x4000.004000000p-64', '+0x1.000000p-50'],
      ['+0x4000.004000001p-64', '+0x1.000002p-50'],
      ['+0x4000.00bffffffp-64', '+0x1.000002p-50'],
      ['+0x1.00000100000000001p+50', '+0x1.000002p+50'],
      ['+0x1.00000500000000000p+50', '+0x1.000004p+50'],
      ['+0x0.000003fffffffffffp-126', '+0x0.000004p-126'],
      ['+0x0.00000500000000000p-126', '+0x0.000004p-126'],
      ['-0x0.00000500000000001p-126', '-0x0.000006p-126'],
      ['+0x1.fffffe8p127', '+0x1.fffffep127'],
      ['-0x1.fffffefffffff8p127', '-0x1.fffffep127'],
      ['0x1.fffffefffffffffffp127', '0x1.fffffep127'],
      // decimal spellings of the same halfway points: the double-rounding traps
      ['+8.8817847263968443573e-16', '+0x1.000000p-50'],
      ['+8.8817847263968443574e-16', '+0x1.000002p-50'],
      ['-8.8817857851880284252e-16', '-0x1.000002p-50'],
      ['+8.8817857851880284253e-16', '+0x1.000004p-50'],
    ];
    for (const [input, expected] of cases) expect([input, parseF32Bits(input)]).toEqual([input, parseF32Bits(expected)]);
  });

  test('f64 rounding (const.wast)', () => {
    const cases: [string, string][] = [
      ['+0x1.000000000000080000000000p-600', '+0x1.0000000000000p-600'],
      ['+0x1.000000000000080000000001p-600', '+0x1.0000000000001p-600'],
      ['+0x0.000000000000080000000000p-1022', '+0x0.0000000000000p-1022'],
      ['+0x0.000000000000080000000001p-1022', '+0x0.0000000000001p-1022'],
      ['+0x0.000000000000180000000000p-1022', '+0x0.0000000000002p-1022'],
      ['+5.3575430359313371995e+300', '+0x1.0000000000000p+999'],
      ['-5.3575430359313371996e+300', '-0x1.0000000000001p+999'],
      ['+5.3575430359313383891e+300', '+0x1.0000000000001p+999'],
      ['+5.3575430359313383892e+300', '+0x1.0000000000002p+999'],
    ];
    for (const [input, expected] of cases) expect([input, parseF64Bits(input)]).toEqual([input, parseF64Bits(expected)]);
  });

  test('f32 double-rounding trap: decimal -> double -> f32 is wrong, exact rounding is right', () => {
    // 1 + 2^-24 is exactly halfway between 1 and the next f32; this is a hair above it.
    const above = '1.0000000596046447753906251';
    expect(f32ToBits(Math.fround(Number(above)))).toBe(0x3f800000); // the naive answer
    expect(parseF32Bits(above)).toBe(0x3f800001);
    expect(parseF32Bits('1.000000059604644775390625')).toBe(0x3f800000); // exact tie: to even
    expect(parseF32Bits('1.000000059604644775390624999')).toBe(0x3f800000);
    // and with a very long mantissa, the deciding digit far away
    expect(parseF32Bits('1.000000059604644775390625' + '0'.repeat(3000) + '1')).toBe(0x3f800001);
    expect(parseF32Bits('1.000000059604644775390625' + '0'.repeat(3000))).toBe(0x3f800000);
    expect(parseF32Bits('1.000000059604644775390624' + '9'.repeat(3000))).toBe(0x3f800000);
  });

  test('limits and overflow', () => {
    rejects(() => parseF32Bits('1e39'), 'constant out of range');
    rejects(() => parseF32Bits('-1e39'), 'constant out of range');
    expect(parseF32Bits('1e38')).toBe(f32ToBits(1e38));
    expect(parseF32Bits('0x1.fffffefffffffffffp127')).toBe(0x7f7fffff);
    rejects(() => parseF32Bits('0x1.ffffffp127'), 'constant out of range');
    rejects(() => parseF32Bits('-0x1.ffffffp127'), 'constant out of range');
    rejects(() => parseF32Bits('0x1p128'), 'constant out of range');
    expect(parseF32Bits('0x1p127')).toBe(0x7f000000);
    expect(parseF32Bits('340282356779733623858607532500980858880')).toBe(0x7f7fffff);
    rejects(() => parseF32Bits('340282356779733661637539395458142568448'), 'constant out of range');
    expect(parseF32Bits('340282356779733661637539395458142568447.999999999999')).toBe(0x7f7fffff);
    const f64Limit = 2n ** 1024n - 2n ** 970n; // max + half an ulp
    rejects(() => parseF64Bits(f64Limit.toString()), 'constant out of range');
    expect(parseF64Bits((f64Limit - 1n).toString())).toBe(0x7fefffffffffffffn);
    rejects(() => parseF64Bits('1e309'), 'constant out of range');
    rejects(() => parseF64Bits('0x1p1024'), 'constant out of range');
    rejects(() => parseF64Bits('0x1.fffffffffffff8p1023'), 'constant out of range');
    expect(parseF64Bits('0x1.fffffffffffff7ffffp1023')).toBe(0x7fefffffffffffffn);
    expect(parseF64Bits('1e308')).toBe(f64ToBits(1e308));
  });

  test('subnormals and underflow keep the sign', () => {
    expect(parseF32Bits('0x1p-150')).toBe(0); // tie between 0 and the least subnormal: even is 0
    expect(parseF32Bits('-0x1p-150')).toBe(0x80000000);
    expect(parseF32Bits('0x1.000001p-150')).toBe(1);
    expect(parseF32Bits('0x1.8p-149')).toBe(2); // 1.5 ulps: tie to even
    expect(parseF32Bits('0x1.4p-149')).toBe(1);
    expect(parseF32Bits('0x0.fffffep-126')).toBe(0x7fffff);
    expect(parseF32Bits('0x0.ffffffp-126')).toBe(0x800000); // rounds up into the normals
    const halfLeast = dyadicToDecimal({ n: 1n, d: 2n ** 150n });
    const half = withPoint(halfLeast.N, halfLeast.k);
    expect(parseF32Bits(half)).toBe(0);
    expect(parseF32Bits(half + '1')).toBe(1);
    expect(parseF32Bits('-' + half + '1')).toBe(0x80000001);
    expect(parseF64Bits('2.4703282292062327e-324')).toBe(0n); // just under 2^-1075
    expect(parseF64Bits('2.4703282292062328e-324')).toBe(1n);
    expect(parseF64Bits('-5e-324')).toBe(0x8000000000000001n);
    expect(parseF64Bits('0x1p-1075')).toBe(0n);
    expect(parseF64Bits('0x1.0000000000001p-1075')).toBe(1n);
  });

  test('huge exponents are decided without huge arithmetic, exactly at the edges', () => {
    const start = Date.now();
    expect(parseF32Bits('1e-999999')).toBe(0);
    expect(parseF32Bits('-1e-999999')).toBe(0x80000000);
    expect(parseF64Bits('-1e-99999999999999999999999999')).toBe(0x8000000000000000n);
    rejects(() => parseF32Bits('1e999999'), 'constant out of range');
    rejects(() => parseF64Bits('1e+99999999999999999999999999'), 'constant out of range');
    rejects(() => parseF32Bits('0x1p+99999999'), 'constant out of range');
    rejects(() => parseF64Bits('0x1p+99999999'), 'constant out of range');
    expect(parseF32Bits('0x1p-99999999')).toBe(0);
    expect(parseF64Bits('-0x1p-99999999999999')).toBe(0x8000000000000000n);
    expect(parseF32Bits('0e999999999')).toBe(0); // zero is zero whatever the exponent
    expect(parseF64Bits('0x0p+99999999999')).toBe(0n);
    // long mantissas that bring a big exponent back into range
    expect(parseF32Bits('0.' + '0'.repeat(400) + '1e400')).toBe(f32ToBits(0.1));
    expect(parseF64Bits('0.' + '0'.repeat(400) + '1e400')).toBe(f64ToBits(0.1));
    expect(parseF32Bits('1' + '0'.repeat(1000) + 'e-1000')).toBe(0x3f800000);
    expect(parseF64Bits('1' + '0'.repeat(1000) + 'e-1000')).toBe(0x3ff0000000000000n);
    expect(parseF32Bits('0.' + '0'.repeat(1000) + '1')).toBe(0);
    expect(parseF32Bits('0x' + '0'.repeat(500) + '1' + '0'.repeat(100) + 'p-400')).toBe(0x3f800000);
    expect(parseF64Bits('0x0.' + '0'.repeat(300) + '1p+1204')).toBe(0x3ff0000000000000n);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

// ---------------------------------------------------------------------------------------------

describe('printing', () => {
  test('hex examples', () => {
    expect(f32BitsToHex(0x40400000)).toBe('0x1.8p+1');
    expect(f32BitsToHex(0x80000001)).toBe('-0x1p-149');
    expect(f32BitsToHex(0x7fffff)).toBe('0x1.fffffcp-127');
    expect(f32BitsToHex(0x7f7fffff)).toBe('0x1.fffffep+127');
    expect(f32BitsToHex(0x3f800000)).toBe('0x1p+0');
    expect(f32BitsToHex(0)).toBe('0x0p+0');
    expect(f32BitsToHex(0x80000000)).toBe('-0x0p+0');
    expect(f32BitsToHex(0x7f800000)).toBe('inf');
    expect(f32BitsToHex(0xff800000)).toBe('-inf');
    expect(f32BitsToHex(0xffc00000)).toBe('-nan:0x400000');
    expect(f32BitsToHex(0x7f800001)).toBe('nan:0x1');
    expect(f64BitsToHex(0x4008000000000000n)).toBe('0x1.8p+1');
    expect(f64BitsToHex(1n)).toBe('0x1p-1074');
    expect(f64BitsToHex(0x7fefffffffffffffn)).toBe('0x1.fffffffffffffp+1023');
    expect(f64BitsToHex(0xfff8000000000000n)).toBe('-nan:0x8000000000000');
  });

  test('decimal examples', () => {
    expect(f32BitsToDecimal(1)).toBe('1e-45');
    expect(f32BitsToDecimal(f32ToBits(0.1))).toBe('0.1');
    expect(f32BitsToDecimal(0x3eaaaaab)).toBe('0.33333334');
    expect(f32BitsToDecimal(0x7f7fffff)).toBe('3.4028235e+38');
    expect(f32BitsToDecimal(0x4b800000)).toBe('16777216');
    expect(f32BitsToDecimal(0x80000000)).toBe('-0');
    expect(f32BitsToDecimal(0x7fc00000)).toBe('nan:0x400000');
    expect(f32BitsToDecimal(0xff800000)).toBe('-inf');
    expect(f64BitsToDecimal(1n)).toBe('5e-324');
    expect(f64BitsToDecimal(f64ToBits(0.1))).toBe('0.1');
    expect(f64BitsToDecimal(f64ToBits(1e21))).toBe('1e+21');
    expect(f64BitsToDecimal(f64ToBits(123.456))).toBe('123.456');
    expect(f64BitsToDecimal(0x8000000000000000n)).toBe('-0');
  });

  test('property: f32 bits -> hex -> bits', () => {
    fc.assert(
      fc.property(f32Bits, (bits) => {
        expect(parseF32Bits(f32BitsToHex(bits))).toBe(bits);
      }),
      { numRuns: 20000 },
    );
  });

  test('property: f32 bits -> shortest decimal -> bits', () => {
    fc.assert(
      fc.property(f32Bits, (bits) => {
        const text = f32BitsToDecimal(bits);
        expect(parseF32Bits(text)).toBe(bits);
        // 9 significant digits always suffice for f32, so the shortest never needs more.
        const significant = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+|0+$/g, '');
        if (!/inf|nan/.test(text)) expect(significant.length).toBeLessThanOrEqual(9);
      }),
      { numRuns: 20000 },
    );
  });

  test('property: f64 bits -> hex -> bits', () => {
    fc.assert(
      fc.property(f64Bits, (bits) => {
        expect(parseF64Bits(f64BitsToHex(bits))).toBe(bits);
      }),
      { numRuns: 20000 },
    );
  });

  test('property: f64 bits -> shortest decimal -> bits', () => {
    fc.assert(
      fc.property(f64Bits, (bits) => {
        expect(parseF64Bits(f64BitsToDecimal(bits))).toBe(bits);
      }),
      { numRuns: 10000 },
    );
  });

  test('property: f64 decimal printing agrees with JS (shortest, closest)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(f64BitsToDecimal(f64ToBits(x))).toBe(Object.is(x, -0) ? '-0' : String(x));
      }),
      { numRuns: 10000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('exact decimal rounding', () => {
  test('property: parseF64Bits(String(x)) is x', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        // String(-0) is "0", so only +0 survives the trip through JS text.
        expect(parseF64Bits(String(x))).toBe(f64ToBits(x === 0 ? 0 : x));
        expect(parseF64Bits(x.toExponential())).toBe(f64ToBits(x === 0 ? 0 : x));
      }),
      { numRuns: 10000 },
    );
  });

  test('property: random f32 decimal literals round like an exact oracle', () => {
    const literal = fc.record({
      neg: fc.boolean(),
      int: digitString(1, 25),
      frac: fc.option(digitString(0, 25)),
      exp: fc.option(fc.integer({ min: -75, max: 40 })),
    });
    fc.assert(
      fc.property(literal, ({ neg, int, frac, exp }) => {
        const text = `${neg ? '-' : ''}${int}${frac !== null ? '.' + frac : ''}${exp !== null ? 'e' + exp : ''}`;
        const N = BigInt(int + (frac ?? ''));
        const scale = (exp ?? 0) - (frac?.length ?? 0); // value = N * 10^scale
        const v: Rational = scale >= 0 ? { n: N * 10n ** BigInt(scale), d: 1n } : { n: N, d: 10n ** BigInt(-scale) };
        // The right answer is within an ulp of the double-rounded guess; the oracle decides exactly.
        const guess = BigInt(f32ToBits(Math.fround(Math.abs(Number(text)))));
        const candidates: bigint[] = [];
        for (let c = guess - 2n; c <= guess + 2n; c++) if (c >= 0n && c <= 0x7f800000n) candidates.push(c);
        const best = nearest(v, candidates, L32);
        if (best === 0x7f800000n) {
          rejects(() => parseF32Bits(text), 'constant out of range');
        } else {
          expect(parseF32Bits(text)).toBe(Number(best) + (neg ? 0x80000000 : 0));
        }
      }),
      { numRuns: 10000 },
    );
  });

  // Decimal spellings of points exactly halfway between neighbours, and a hair either side:
  // where rounding twice goes wrong.
  function midpointProperty(layout: Layout, bits: fc.Arbitrary<bigint>, parse: (t: string) => bigint) {
    const arb = fc.record({
      b: bits,
      mode: fc.constantFrom(-1n, 0n, 1n),
      zeros: fc.nat(30),
      sci: fc.boolean(),
      neg: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ b, mode, zeros, sci, neg }) => {
        const lo = valueOf(b, layout);
        const hi = valueOf(b + 1n, layout);
        const mid = { n: lo.n * hi.d + hi.n * lo.d, d: 2n * lo.d * hi.d };
        const { N, k } = dyadicToDecimal(mid);
        const n2 = N * 10n ** BigInt(zeros + 1) + mode;
        const k2 = k + zeros + 1;
        const text = (neg ? '-' : '') + (sci ? `${n2}e-${k2}` : withPoint(n2, k2));
        const expected = mode < 0n ? b : mode > 0n ? b + 1n : (b & 1n) === 0n ? b : b + 1n;
        const sign = neg ? 1n << BigInt(layout.mant === 23 ? 31 : 63) : 0n;
        expect(parse(text)).toBe(expected | sign);
      }),
      { numRuns: 3000 },
    );
  }

  test('property: f32 halfway points and their neighbours', () => {
    midpointProperty(L32, fc.bigInt(0n, 0x7f7ffffen), (t) => BigInt(parseF32Bits(t)));
  });

  test('property: f64 halfway points and their neighbours', () => {
    midpointProperty(L64, fc.bigInt(0n, 0x7feffffffffffffen), parseF64Bits);
  });

  test('property: hex literals with long mantissas round like the oracle', () => {
    fc.assert(
      fc.property(fc.bigInt(1n, 2n ** 80n), fc.integer({ min: -240, max: 140 }), (M, e) => {
        const text = `0x${M.toString(16)}p${e}`;
        const v: Rational = e >= 0 ? { n: M << BigInt(e), d: 1n } : { n: M, d: 1n << BigInt(-e) };
        const guess = BigInt(f32ToBits(Math.fround(Number(M) * 2 ** e)));
        const candidates: bigint[] = [];
        for (let c = guess - 2n; c <= guess + 2n; c++) if (c >= 0n && c <= 0x7f800000n) candidates.push(c);
        const best = nearest(v, candidates, L32);
        if (best === 0x7f800000n) rejects(() => parseF32Bits(text), 'constant out of range');
        else expect(parseF32Bits(text)).toBe(Number(best));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('bit casts', () => {
  test('round trip through DataView', () => {
    expect(f32ToBits(1.5)).toBe(0x3fc00000);
    expect(f32FromBits(0x3fc00000)).toBe(1.5);
    expect(f32ToBits(-0)).toBe(0x80000000);
    expect(f64ToBits(-0)).toBe(0x8000000000000000n);
    expect(f64FromBits(0x3ff8000000000000n)).toBe(1.5);
    expect(Object.is(f64FromBits(0x8000000000000000n), -0)).toBe(true);
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        expect(Object.is(f64FromBits(f64ToBits(x)), x)).toBe(true);
      }),
    );
  });
});

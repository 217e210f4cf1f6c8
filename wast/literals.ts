// Numeric literals of the WebAssembly text format, converted exactly to bit patterns and back.
//
// Floats are rounded once, from the exact rational value of the literal, with BigInt arithmetic:
// going through a JS double first would round twice and land one ulp off for some f32 inputs.

export class LiteralError extends Error {
  override name = 'LiteralError';
}

const OUT_OF_RANGE = 'constant out of range';

// Spec grammar: `num ::= digit ('_'? digit)*`, the same for hexnum; underscores only between digits.
const DEC = '[0-9](?:_?[0-9])*';
const HEX = '[0-9a-fA-F](?:_?[0-9a-fA-F])*';
const INT_RE = new RegExp(`^([+-]?)(?:0x(${HEX})|(${DEC}))$`);
const HEX_FLOAT_RE = new RegExp(`^0x(${HEX})(?:\\.(${HEX})?)?(?:[pP]([+-]?${DEC}))?$`);
const DEC_FLOAT_RE = new RegExp(`^(${DEC})(?:\\.(${DEC})?)?(?:[eE]([+-]?${DEC}))?$`);
const NAN_RE = new RegExp(`^nan:0x(${HEX})$`);

const stripUnderscores = (s: string): string => s.replace(/_/g, '');

function quote(text: string): string {
  return JSON.stringify(text);
}

// ---------------------------------------------------------------------------------------------
// Integers

export function parseIntBits(text: string, width: 8 | 16 | 32 | 64): bigint {
  const m = INT_RE.exec(text);
  if (!m) throw new LiteralError(`invalid i${width} literal ${quote(text)}`);
  const magnitude = m[2] !== undefined ? BigInt('0x' + stripUnderscores(m[2])) : BigInt(stripUnderscores(m[3]!));
  const modulus = 1n << BigInt(width);
  // Either reading is allowed: signed down to -2^(N-1), unsigned up to 2^N-1.
  if (m[1] === '-') {
    if (magnitude > modulus >> 1n) throw new LiteralError(OUT_OF_RANGE);
    return (modulus - magnitude) % modulus;
  }
  if (magnitude >= modulus) throw new LiteralError(OUT_OF_RANGE);
  return magnitude;
}

export function parseI32(text: string): number {
  return Number(parseIntBits(text, 32));
}

export function parseI64(text: string): bigint {
  return parseIntBits(text, 64);
}

// ---------------------------------------------------------------------------------------------
// Float formats

interface FloatFormat {
  name: 'f32' | 'f64';
  mant: number; // stored significand bits (precision - 1)
  qmin: number; // exponent of the least subnormal: values are m * 2^q with q >= qmin
  emax: number; // largest unbiased exponent of a finite value
  infBits: bigint; // also the first magnitude that no longer is finite
  signBit: bigint;
  // Conservative decimal bounds for a value M * 10^E with d significant digits:
  // d - 1 + E >= decOverflow means the value is at least 10^decOverflow, surely out of range;
  // d + E <= decUnderflow means it is below 10^decUnderflow, under half the least subnormal.
  decOverflow: number;
  decUnderflow: number;
}

const F32: FloatFormat = {
  name: 'f32',
  mant: 23,
  qmin: -149,
  emax: 127,
  infBits: 0x7f800000n,
  signBit: 0x80000000n,
  decOverflow: 40, // max ~3.4e38
  decUnderflow: -47, // half the least subnormal ~7.0e-46
};

const F64: FloatFormat = {
  name: 'f64',
  mant: 52,
  qmin: -1074,
  emax: 1023,
  infBits: 0x7ff0000000000000n,
  signBit: 0x8000000000000000n,
  decOverflow: 310, // max ~1.8e308
  decUnderflow: -325, // half the least subnormal ~2.5e-324
};

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const h = n.toString(16);
  return (h.length - 1) * 4 + parseInt(h[0]!, 16).toString(2).length;
}

/**
 * Round num/den (> 0) to nearest-even in the format and return the magnitude bits.
 * A result >= infBits means the value overflowed.
 */
function roundRational(num: bigint, den: bigint, f: FloatFormat): bigint {
  // e = floor(log2(num/den)): the bit-length difference is e or e + 1.
  let e = bitLength(num) - bitLength(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e--;
  // The quantum: the weight of the last significand bit, clamped for subnormals.
  const q = Math.max(e - f.mant, f.qmin);
  let n = num;
  let d = den;
  if (q >= 0) d <<= BigInt(q);
  else n <<= BigInt(-q);
  let m = n / d;
  const twiceRem = (n % d) * 2n;
  if (twiceRem > d || (twiceRem === d && (m & 1n) === 1n)) m++;
  // Exponent field and significand add up, so a carry out of the significand (m = 2^(mant+1)),
  // a subnormal turning normal, and an overflow to infBits all fall out of the same sum.
  const bits = (BigInt(q - f.qmin) << BigInt(f.mant)) + m;
  return bits > f.infBits ? f.infBits : bits;
}

/** Magnitude bits of M * 2^E. */
function fromBinary(M: bigint, E: bigint, f: FloatFormat): bigint {
  if (M === 0n) return 0n;
  const L = BigInt(bitLength(M));
  // Decide the far ends from the exponent alone, so huge exponents never become huge BigInts.
  if (L - 1n + E > BigInt(f.emax)) return f.infBits; // >= 2^(emax+1)
  if (L + E <= BigInt(f.qmin - 1)) return 0n; // < half the least subnormal
  const e = Number(E);
  return e >= 0 ? roundRational(M << BigInt(e), 1n, f) : roundRational(M, 1n << BigInt(-e), f);
}

/** Magnitude bits of M * 10^E. */
function fromDecimal(M: bigint, E: bigint, f: FloatFormat): bigint {
  if (M === 0n) return 0n;
  const d = BigInt(M.toString().length);
  if (d - 1n + E >= BigInt(f.decOverflow)) return f.infBits;
  if (d + E <= BigInt(f.decUnderflow)) return 0n;
  // Here |E| is bounded by the digit count plus a few hundred, so the powers stay modest.
  const e = Number(E);
  return e >= 0 ? roundRational(M * 10n ** BigInt(e), 1n, f) : roundRational(M, 10n ** BigInt(-e), f);
}

function parseFloatBits(text: string, f: FloatFormat): bigint {
  let s = text;
  let sign = 0n;
  if (s.startsWith('+') || s.startsWith('-')) {
    if (s[0] === '-') sign = f.signBit;
    s = s.slice(1);
  }
  if (s === 'inf') return sign | f.infBits;
  // Plain `nan` is the canonical NaN: only the top significand bit set.
  if (s === 'nan') return sign | f.infBits | (1n << BigInt(f.mant - 1));

  let m = NAN_RE.exec(s);
  if (m) {
    const payload = BigInt('0x' + stripUnderscores(m[1]!));
    if (payload === 0n || payload >> BigInt(f.mant) !== 0n) throw new LiteralError(OUT_OF_RANGE);
    return sign | f.infBits | payload;
  }

  let magnitude: bigint;
  if ((m = HEX_FLOAT_RE.exec(s))) {
    const frac = stripUnderscores(m[2] ?? '');
    const M = BigInt('0x' + stripUnderscores(m[1]!) + frac);
    const E = BigInt(stripUnderscores(m[3] ?? '0')) - 4n * BigInt(frac.length);
    magnitude = fromBinary(M, E, f);
  } else if ((m = DEC_FLOAT_RE.exec(s))) {
    const frac = stripUnderscores(m[2] ?? '');
    const M = BigInt(stripUnderscores(m[1]!) + frac);
    const E = BigInt(stripUnderscores(m[3] ?? '0')) - BigInt(frac.length);
    magnitude = fromDecimal(M, E, f);
  } else {
    throw new LiteralError(`invalid ${f.name} literal ${quote(text)}`);
  }
  if (magnitude >= f.infBits) throw new LiteralError(OUT_OF_RANGE);
  return sign | magnitude;
}

export function parseF32Bits(text: string): number {
  return Number(parseFloatBits(text, F32));
}

export function parseF64Bits(text: string): bigint {
  return parseFloatBits(text, F64);
}

// ---------------------------------------------------------------------------------------------
// Printing

interface Decoded {
  sign: string;
  special?: string; // 'inf' or 'nan:0x…' (never plain `nan`, so the payload is explicit)
  magnitude: bigint;
  sig: bigint; // value = sig * 2^q
  q: number;
}

function decode(bits: bigint, f: FloatFormat): Decoded {
  const sign = (bits & f.signBit) !== 0n ? '-' : '';
  const magnitude = bits & (f.signBit - 1n);
  const mant = BigInt(f.mant);
  const expField = magnitude >> mant;
  const frac = magnitude & ((1n << mant) - 1n);
  if (magnitude >= f.infBits) {
    return { sign, special: frac === 0n ? 'inf' : `nan:0x${frac.toString(16)}`, magnitude, sig: 0n, q: 0 };
  }
  if (expField === 0n) return { sign, magnitude, sig: frac, q: f.qmin };
  return { sign, magnitude, sig: frac | (1n << mant), q: Number(expField) - 1 + f.qmin };
}

function bitsToHex(bits: bigint, f: FloatFormat): string {
  const v = decode(bits, f);
  if (v.special) return v.sign + v.special;
  if (v.sig === 0n) return v.sign + '0x0p+0';
  // Normalize to 0x1.hhh so subnormals print like normals.
  const h = bitLength(v.sig) - 1;
  const digits = Math.ceil(h / 4);
  const fraction = ((v.sig - (1n << BigInt(h))) << BigInt(digits * 4 - h))
    .toString(16)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  const exp = h + v.q;
  return `${v.sign}0x1${fraction ? '.' + fraction : ''}p${exp >= 0 ? '+' : ''}${exp}`;
}

/** floor(log10(num/den)) for num/den > 0, estimated from bit lengths and then made exact. */
function floorLog10(num: bigint, den: bigint): number {
  let e = Math.floor((bitLength(num) - bitLength(den)) * Math.log10(2));
  const atLeast = (k: number) => (k >= 0 ? num >= den * 10n ** BigInt(k) : num * 10n ** BigInt(-k) >= den);
  while (!atLeast(e)) e--;
  while (atLeast(e + 1)) e++;
  return e;
}

/** Lay out digits * 10^exp the way JS Number#toString does, which is valid wat syntax. */
function layoutDecimal(digits: bigint, exp: number): string {
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp++;
  }
  const s = digits.toString();
  const k = s.length;
  const n = exp + k; // the value is 0.s * 10^n
  if (k <= n && n <= 21) return s + '0'.repeat(n - k);
  if (0 < n && n <= 21) return s.slice(0, n) + '.' + s.slice(n);
  if (-6 < n && n <= 0) return '0.' + '0'.repeat(-n) + s;
  const e = n - 1;
  return `${s[0]}${k > 1 ? '.' + s.slice(1) : ''}e${e >= 0 ? '+' : '-'}${Math.abs(e)}`;
}

/**
 * Shortest decimal that parses back to the same bits; among equally short ones the closest,
 * ties to an even last digit (the rule JS uses for doubles).
 */
function bitsToDecimal(bits: bigint, f: FloatFormat): string {
  const v = decode(bits, f);
  if (v.special) return v.sign + v.special;
  if (v.sig === 0n) return v.sign + '0';
  const num = v.q >= 0 ? v.sig << BigInt(v.q) : v.sig;
  const den = v.q >= 0 ? 1n : 1n << BigInt(-v.q);
  const e10 = floorLog10(num, den);
  const roundTrips = (c: bigint, exp: number) => fromDecimal(c, BigInt(exp), f) === v.magnitude;
  // Only the two k-digit neighbours of the value can round-trip: anything further out is
  // further from the value than one of them, and the rounding interval is convex.
  for (let k = 1; k <= 40; k++) {
    const exp = e10 - k + 1;
    const cn = exp >= 0 ? num : num * 10n ** BigInt(-exp);
    const cd = exp >= 0 ? den * 10n ** BigInt(exp) : den;
    const lo = cn / cd;
    const loGap = cn - lo * cd;
    if (loGap === 0n) return v.sign + layoutDecimal(lo, exp);
    const hi = lo + 1n;
    const hiGap = cd - loGap;
    const loOk = roundTrips(lo, exp);
    const hiOk = roundTrips(hi, exp);
    if (loOk && hiOk) {
      const pickLo = loGap < hiGap || (loGap === hiGap && (lo & 1n) === 0n);
      return v.sign + layoutDecimal(pickLo ? lo : hi, exp);
    }
    if (loOk) return v.sign + layoutDecimal(lo, exp);
    if (hiOk) return v.sign + layoutDecimal(hi, exp);
  }
  throw new Error(`unreachable: no round-tripping decimal for ${f.name} bits ${bits}`);
}

export function f32BitsToHex(bits: number): string {
  return bitsToHex(BigInt(bits >>> 0), F32);
}

export function f64BitsToHex(bits: bigint): string {
  return bitsToHex(BigInt.asUintN(64, bits), F64);
}

export function f32BitsToDecimal(bits: number): string {
  return bitsToDecimal(BigInt(bits >>> 0), F32);
}

export function f64BitsToDecimal(bits: bigint): string {
  return bitsToDecimal(BigInt.asUintN(64, bits), F64);
}

// Bit casts: core/bits.ts's (the one place that converts values to and from bits), re-exported.
export { f32FromBits, f32ToBits, f64FromBits, f64ToBits } from '../core/bits.js';

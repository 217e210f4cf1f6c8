// Handlers for the non-SIMD numeric instructions of Wasm 2.0 (spec section 4.3, "Numerics") and of
// wide arithmetic.
// Free of undefined behaviour: unsigned arithmetic for wrapping, shift counts reduced modulo the
// width, explicit checks before division and float-to-int conversion, std::bit_cast for the bits
// of floats. Float arithmetic is plain IEEE 754 (SSE on x86-64) in the default rounding mode.
#include "numeric_handlers.h"

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace mitey {
namespace {

static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "wasm floats are IEEE 754 binary32/binary64");

// ---- Slot access ---------------------------------------------------------------------------------

inline uint32_t getU32(Slot v) { return static_cast<uint32_t>(v); }
inline int32_t getI32(Slot v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }
inline uint64_t getU64(Slot v) { return v; }
inline int64_t getI64(Slot v) { return static_cast<int64_t>(v); }
inline float getF32(Slot v) { return std::bit_cast<float>(static_cast<uint32_t>(v)); }
inline double getF64(Slot v) { return std::bit_cast<double>(v); }

inline Slot ofU32(uint32_t v) { return v; }  // zero-extended
inline Slot ofI32(int32_t v) { return static_cast<uint32_t>(v); }
inline Slot ofBool(bool b) { return b ? 1u : 0u; }
inline Slot ofU64(uint64_t v) { return v; }
inline Slot ofI64(int64_t v) { return static_cast<uint64_t>(v); }
inline Slot ofF32(float f) { return std::bit_cast<uint32_t>(f); }
inline Slot ofF64(double d) { return std::bit_cast<uint64_t>(d); }

// ---- Float helpers (sign-bit operations, NaN handling, rounding) ---------------------------------

template <class F> struct FloatTraits;
template <> struct FloatTraits<float> {
  using Bits = uint32_t;
  static constexpr Bits kSign = 0x80000000u;
  static constexpr Bits kQuiet = 0x00400000u;         // most significant payload bit
  static constexpr Bits kCanonicalNaN = 0x7fc00000u;
  static constexpr float kIntegral = 8388608.0f;       // 2^23: from here on every float is an integer
};
template <> struct FloatTraits<double> {
  using Bits = uint64_t;
  static constexpr Bits kSign = 0x8000000000000000u;
  static constexpr Bits kQuiet = 0x0008000000000000u;
  static constexpr Bits kCanonicalNaN = 0x7ff8000000000000u;
  static constexpr double kIntegral = 4503599627370496.0;  // 2^52
};

template <class F> inline typename FloatTraits<F>::Bits bitsOf(F x) { return std::bit_cast<typename FloatTraits<F>::Bits>(x); }
template <class F> inline F fromBits(typename FloatTraits<F>::Bits b) { return std::bit_cast<F>(b); }

/** The NaN x with its quiet bit set (payload and sign kept). */
template <class F> inline F quieted(F x) { return fromBits<F>(bitsOf(x) | FloatTraits<F>::kQuiet); }
template <class F> inline F canonicalNaN() { return fromBits<F>(FloatTraits<F>::kCanonicalNaN); }

template <class F> inline F wasmAbs(F x) { return fromBits<F>(bitsOf(x) & ~FloatTraits<F>::kSign); }
template <class F> inline F wasmNeg(F x) { return fromBits<F>(bitsOf(x) ^ FloatTraits<F>::kSign); }
template <class F> inline F wasmCopysign(F x, F y) {
  constexpr auto kSign = FloatTraits<F>::kSign;
  return fromBits<F>((bitsOf(x) & ~kSign) | (bitsOf(y) & kSign));
}

// ceil/floor/trunc are exact operations; libm keeps the sign of zero (ceil(-0.5) = -0). NaNs are
// handled here so that the result is a quiet NaN regardless of the libm's behaviour.
template <class F> inline F wasmCeil(F x) { return std::isnan(x) ? quieted(x) : std::ceil(x); }
template <class F> inline F wasmFloor(F x) { return std::isnan(x) ? quieted(x) : std::floor(x); }
template <class F> inline F wasmTrunc(F x) { return std::isnan(x) ? quieted(x) : std::trunc(x); }

/** Round to nearest integer, ties to even, independent of the current rounding mode. */
template <class F> inline F wasmNearest(F x) {
  if (std::isnan(x)) return quieted(x);
  // Infinities, and finite values from 2^mantissa up, are integers already.
  if (!(wasmAbs(x) < FloatTraits<F>::kIntegral)) return x;
  F r = std::trunc(x);              // exact, keeps the sign (also of zero)
  F frac = wasmAbs(x - r);          // exact: x and r share sign and exponent range
  if (frac > F(0.5) || (frac == F(0.5) && std::fmod(r, F(2)) != F(0))) {
    r += wasmCopysign(F(1), x);     // exact: |r| < 2^mantissa
  }
  return wasmCopysign(r, x);        // nearest(-0.4) = -0
}

template <class F> inline F wasmSqrt(F x) {
  if (std::isnan(x)) return quieted(x);
  if (x < F(0)) return canonicalNaN<F>();
  return std::sqrt(x);              // sqrt(-0) = -0
}

template <class F> inline F wasmMin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return canonicalNaN<F>();
  if (a == b) return fromBits<F>(bitsOf(a) | bitsOf(b));  // min(-0, +0) = -0
  return a < b ? a : b;
}

template <class F> inline F wasmMax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return canonicalNaN<F>();
  if (a == b) return fromBits<F>(bitsOf(a) & bitsOf(b));  // max(-0, +0) = +0
  return a > b ? a : b;
}

// ---- Float <-> integer conversions ---------------------------------------------------------------

template <class F> constexpr F pow2(int n) {
  F r = F(1);
  for (int i = 0; i < n; ++i) r *= F(2);
  return r;
}

/**
 * The range of x that truncates (toward zero) into the integer type I: aboveMin(x) && belowMax(x).
 * All bounds used are exactly representable in F.
 */
template <class I, class F> struct TruncRange {
  static constexpr int kBits = static_cast<int>(sizeof(I) * 8);
  static constexpr bool kSigned = std::is_signed_v<I>;
  // One past the maximum, a power of two: 2^(N-1) signed, 2^N unsigned.
  static constexpr F kHi = pow2<F>(kSigned ? kBits - 1 : kBits);
  static bool belowMax(F x) { return x < kHi; }
  static bool aboveMin(F x) {
    if constexpr (!kSigned) {
      return x > F(-1);                       // (-1, 0) truncates to 0
    } else if constexpr (std::numeric_limits<F>::digits >= kBits) {
      return x > -kHi - F(1);                 // min - 1 is exact: accept (min - 1, min]
    } else {
      // min - 1 is not representable; the next F below min is at most min - 2.
      return x >= -kHi;
    }
  }
};

/** Non-saturating truncation: NaN -> invalid conversion; out of range -> integer overflow. */
template <class I, class F> inline I truncOrTrap(F x) {
  if (std::isnan(x)) raiseTrap(Trap::InvalidConversion);
  using R = TruncRange<I, F>;
  if (!R::aboveMin(x) || !R::belowMax(x)) raiseTrap(Trap::IntegerOverflow);
  return static_cast<I>(x);  // defined: the truncated value is representable in I
}

/** Saturating truncation: NaN -> 0; clamps to the range of I. */
template <class I, class F> inline I truncSat(F x) {
  if (std::isnan(x)) return 0;
  using R = TruncRange<I, F>;
  if (!R::aboveMin(x)) return std::numeric_limits<I>::min();
  if (!R::belowMax(x)) return std::numeric_limits<I>::max();
  return static_cast<I>(x);
}

/** Correctly rounded conversion of an unsigned 64-bit integer (one rounding, also above 2^63). */
template <class F> inline F convertU64(uint64_t v) {
  if (static_cast<int64_t>(v) >= 0) return static_cast<F>(static_cast<int64_t>(v));
  // v >= 2^63: halve it, keeping the dropped bit as a sticky bit (it lies far below F's rounding
  // position, so it only breaks ties the way the full value would), convert once, double exactly.
  uint64_t half = (v >> 1) | (v & 1u);
  F f = static_cast<F>(static_cast<int64_t>(half));
  return f + f;
}

// ---- Integer helpers ----------------------------------------------------------------------------

[[noreturn]] inline void trapDivideByZero() { raiseTrap(Trap::DivideByZero); }

template <class S, class U> inline U divS(U a, U b) {
  if (b == 0) trapDivideByZero();
  S sa = static_cast<S>(a), sb = static_cast<S>(b);
  if (sa == std::numeric_limits<S>::min() && sb == S(-1)) raiseTrap(Trap::IntegerOverflow);
  return static_cast<U>(sa / sb);
}
template <class U> inline U divU(U a, U b) {
  if (b == 0) trapDivideByZero();
  return a / b;
}
template <class S, class U> inline U remS(U a, U b) {
  if (b == 0) trapDivideByZero();
  S sa = static_cast<S>(a), sb = static_cast<S>(b);
  if (sb == S(-1)) return 0;  // also INT_MIN rem -1 = 0, which sa % sb would overflow on
  return static_cast<U>(sa % sb);
}
template <class U> inline U remU(U a, U b) {
  if (b == 0) trapDivideByZero();
  return a % b;
}

constexpr unsigned kMask32 = 31, kMask64 = 63;

// ==== Handlers ===================================================================================
// Unary: s[0] -> s[0]. Binary: s[0] op s[1] -> s[0].

// ---- i32 comparisons (0x45..0x4f) ----
void i32_eqz(Slot* s) { s[0] = ofBool(getU32(s[0]) == 0); }
void i32_eq(Slot* s) { s[0] = ofBool(getU32(s[0]) == getU32(s[1])); }
void i32_ne(Slot* s) { s[0] = ofBool(getU32(s[0]) != getU32(s[1])); }
void i32_lt_s(Slot* s) { s[0] = ofBool(getI32(s[0]) < getI32(s[1])); }
void i32_lt_u(Slot* s) { s[0] = ofBool(getU32(s[0]) < getU32(s[1])); }
void i32_gt_s(Slot* s) { s[0] = ofBool(getI32(s[0]) > getI32(s[1])); }
void i32_gt_u(Slot* s) { s[0] = ofBool(getU32(s[0]) > getU32(s[1])); }
void i32_le_s(Slot* s) { s[0] = ofBool(getI32(s[0]) <= getI32(s[1])); }
void i32_le_u(Slot* s) { s[0] = ofBool(getU32(s[0]) <= getU32(s[1])); }
void i32_ge_s(Slot* s) { s[0] = ofBool(getI32(s[0]) >= getI32(s[1])); }
void i32_ge_u(Slot* s) { s[0] = ofBool(getU32(s[0]) >= getU32(s[1])); }

// ---- i64 comparisons (0x50..0x5a) ----
void i64_eqz(Slot* s) { s[0] = ofBool(getU64(s[0]) == 0); }
void i64_eq(Slot* s) { s[0] = ofBool(getU64(s[0]) == getU64(s[1])); }
void i64_ne(Slot* s) { s[0] = ofBool(getU64(s[0]) != getU64(s[1])); }
void i64_lt_s(Slot* s) { s[0] = ofBool(getI64(s[0]) < getI64(s[1])); }
void i64_lt_u(Slot* s) { s[0] = ofBool(getU64(s[0]) < getU64(s[1])); }
void i64_gt_s(Slot* s) { s[0] = ofBool(getI64(s[0]) > getI64(s[1])); }
void i64_gt_u(Slot* s) { s[0] = ofBool(getU64(s[0]) > getU64(s[1])); }
void i64_le_s(Slot* s) { s[0] = ofBool(getI64(s[0]) <= getI64(s[1])); }
void i64_le_u(Slot* s) { s[0] = ofBool(getU64(s[0]) <= getU64(s[1])); }
void i64_ge_s(Slot* s) { s[0] = ofBool(getI64(s[0]) >= getI64(s[1])); }
void i64_ge_u(Slot* s) { s[0] = ofBool(getU64(s[0]) >= getU64(s[1])); }

// ---- f32 / f64 comparisons (0x5b..0x66): ordered, so any NaN makes all false except ne ----
void f32_eq(Slot* s) { s[0] = ofBool(getF32(s[0]) == getF32(s[1])); }
void f32_ne(Slot* s) { s[0] = ofBool(getF32(s[0]) != getF32(s[1])); }
void f32_lt(Slot* s) { s[0] = ofBool(getF32(s[0]) < getF32(s[1])); }
void f32_gt(Slot* s) { s[0] = ofBool(getF32(s[0]) > getF32(s[1])); }
void f32_le(Slot* s) { s[0] = ofBool(getF32(s[0]) <= getF32(s[1])); }
void f32_ge(Slot* s) { s[0] = ofBool(getF32(s[0]) >= getF32(s[1])); }
void f64_eq(Slot* s) { s[0] = ofBool(getF64(s[0]) == getF64(s[1])); }
void f64_ne(Slot* s) { s[0] = ofBool(getF64(s[0]) != getF64(s[1])); }
void f64_lt(Slot* s) { s[0] = ofBool(getF64(s[0]) < getF64(s[1])); }
void f64_gt(Slot* s) { s[0] = ofBool(getF64(s[0]) > getF64(s[1])); }
void f64_le(Slot* s) { s[0] = ofBool(getF64(s[0]) <= getF64(s[1])); }
void f64_ge(Slot* s) { s[0] = ofBool(getF64(s[0]) >= getF64(s[1])); }

// ---- i32 arithmetic (0x67..0x78) ----
void i32_clz(Slot* s) { s[0] = ofU32(static_cast<uint32_t>(std::countl_zero(getU32(s[0])))); }
void i32_ctz(Slot* s) { s[0] = ofU32(static_cast<uint32_t>(std::countr_zero(getU32(s[0])))); }
void i32_popcnt(Slot* s) { s[0] = ofU32(static_cast<uint32_t>(std::popcount(getU32(s[0])))); }
void i32_add(Slot* s) { s[0] = ofU32(getU32(s[0]) + getU32(s[1])); }
void i32_sub(Slot* s) { s[0] = ofU32(getU32(s[0]) - getU32(s[1])); }
void i32_mul(Slot* s) { s[0] = ofU32(getU32(s[0]) * getU32(s[1])); }
void i32_div_s(Slot* s) { s[0] = ofU32(divS<int32_t>(getU32(s[0]), getU32(s[1]))); }
void i32_div_u(Slot* s) { s[0] = ofU32(divU(getU32(s[0]), getU32(s[1]))); }
void i32_rem_s(Slot* s) { s[0] = ofU32(remS<int32_t>(getU32(s[0]), getU32(s[1]))); }
void i32_rem_u(Slot* s) { s[0] = ofU32(remU(getU32(s[0]), getU32(s[1]))); }
void i32_and(Slot* s) { s[0] = ofU32(getU32(s[0]) & getU32(s[1])); }
void i32_or(Slot* s) { s[0] = ofU32(getU32(s[0]) | getU32(s[1])); }
void i32_xor(Slot* s) { s[0] = ofU32(getU32(s[0]) ^ getU32(s[1])); }
void i32_shl(Slot* s) { s[0] = ofU32(getU32(s[0]) << (getU32(s[1]) & kMask32)); }
void i32_shr_s(Slot* s) { s[0] = ofI32(getI32(s[0]) >> (getU32(s[1]) & kMask32)); }  // arithmetic (C++20)
void i32_shr_u(Slot* s) { s[0] = ofU32(getU32(s[0]) >> (getU32(s[1]) & kMask32)); }
void i32_rotl(Slot* s) { s[0] = ofU32(std::rotl(getU32(s[0]), static_cast<int>(getU32(s[1]) & kMask32))); }
void i32_rotr(Slot* s) { s[0] = ofU32(std::rotr(getU32(s[0]), static_cast<int>(getU32(s[1]) & kMask32))); }

// ---- i64 arithmetic (0x79..0x8a) ----
void i64_clz(Slot* s) { s[0] = ofU64(static_cast<uint64_t>(std::countl_zero(getU64(s[0])))); }
void i64_ctz(Slot* s) { s[0] = ofU64(static_cast<uint64_t>(std::countr_zero(getU64(s[0])))); }
void i64_popcnt(Slot* s) { s[0] = ofU64(static_cast<uint64_t>(std::popcount(getU64(s[0])))); }
void i64_add(Slot* s) { s[0] = ofU64(getU64(s[0]) + getU64(s[1])); }
void i64_sub(Slot* s) { s[0] = ofU64(getU64(s[0]) - getU64(s[1])); }
void i64_mul(Slot* s) { s[0] = ofU64(getU64(s[0]) * getU64(s[1])); }
void i64_div_s(Slot* s) { s[0] = ofU64(divS<int64_t>(getU64(s[0]), getU64(s[1]))); }
void i64_div_u(Slot* s) { s[0] = ofU64(divU(getU64(s[0]), getU64(s[1]))); }
void i64_rem_s(Slot* s) { s[0] = ofU64(remS<int64_t>(getU64(s[0]), getU64(s[1]))); }
void i64_rem_u(Slot* s) { s[0] = ofU64(remU(getU64(s[0]), getU64(s[1]))); }
void i64_and(Slot* s) { s[0] = ofU64(getU64(s[0]) & getU64(s[1])); }
void i64_or(Slot* s) { s[0] = ofU64(getU64(s[0]) | getU64(s[1])); }
void i64_xor(Slot* s) { s[0] = ofU64(getU64(s[0]) ^ getU64(s[1])); }
void i64_shl(Slot* s) { s[0] = ofU64(getU64(s[0]) << (getU64(s[1]) & kMask64)); }
void i64_shr_s(Slot* s) { s[0] = ofI64(getI64(s[0]) >> (getU64(s[1]) & kMask64)); }  // arithmetic (C++20)
void i64_shr_u(Slot* s) { s[0] = ofU64(getU64(s[0]) >> (getU64(s[1]) & kMask64)); }
void i64_rotl(Slot* s) { s[0] = ofU64(std::rotl(getU64(s[0]), static_cast<int>(getU64(s[1]) & kMask64))); }
void i64_rotr(Slot* s) { s[0] = ofU64(std::rotr(getU64(s[0]), static_cast<int>(getU64(s[1]) & kMask64))); }

// ---- f32 arithmetic (0x8b..0x98) ----
void f32_abs(Slot* s) { s[0] = ofF32(wasmAbs(getF32(s[0]))); }
void f32_neg(Slot* s) { s[0] = ofF32(wasmNeg(getF32(s[0]))); }
void f32_ceil(Slot* s) { s[0] = ofF32(wasmCeil(getF32(s[0]))); }
void f32_floor(Slot* s) { s[0] = ofF32(wasmFloor(getF32(s[0]))); }
void f32_trunc(Slot* s) { s[0] = ofF32(wasmTrunc(getF32(s[0]))); }
void f32_nearest(Slot* s) { s[0] = ofF32(wasmNearest(getF32(s[0]))); }
void f32_sqrt(Slot* s) { s[0] = ofF32(wasmSqrt(getF32(s[0]))); }
void f32_add(Slot* s) { s[0] = ofF32(getF32(s[0]) + getF32(s[1])); }
void f32_sub(Slot* s) { s[0] = ofF32(getF32(s[0]) - getF32(s[1])); }
void f32_mul(Slot* s) { s[0] = ofF32(getF32(s[0]) * getF32(s[1])); }
void f32_div(Slot* s) { s[0] = ofF32(getF32(s[0]) / getF32(s[1])); }  // IEEE: x/0 = ±inf or NaN
void f32_min(Slot* s) { s[0] = ofF32(wasmMin(getF32(s[0]), getF32(s[1]))); }
void f32_max(Slot* s) { s[0] = ofF32(wasmMax(getF32(s[0]), getF32(s[1]))); }
void f32_copysign(Slot* s) { s[0] = ofF32(wasmCopysign(getF32(s[0]), getF32(s[1]))); }

// ---- f64 arithmetic (0x99..0xa6) ----
void f64_abs(Slot* s) { s[0] = ofF64(wasmAbs(getF64(s[0]))); }
void f64_neg(Slot* s) { s[0] = ofF64(wasmNeg(getF64(s[0]))); }
void f64_ceil(Slot* s) { s[0] = ofF64(wasmCeil(getF64(s[0]))); }
void f64_floor(Slot* s) { s[0] = ofF64(wasmFloor(getF64(s[0]))); }
void f64_trunc(Slot* s) { s[0] = ofF64(wasmTrunc(getF64(s[0]))); }
void f64_nearest(Slot* s) { s[0] = ofF64(wasmNearest(getF64(s[0]))); }
void f64_sqrt(Slot* s) { s[0] = ofF64(wasmSqrt(getF64(s[0]))); }
void f64_add(Slot* s) { s[0] = ofF64(getF64(s[0]) + getF64(s[1])); }
void f64_sub(Slot* s) { s[0] = ofF64(getF64(s[0]) - getF64(s[1])); }
void f64_mul(Slot* s) { s[0] = ofF64(getF64(s[0]) * getF64(s[1])); }
void f64_div(Slot* s) { s[0] = ofF64(getF64(s[0]) / getF64(s[1])); }
void f64_min(Slot* s) { s[0] = ofF64(wasmMin(getF64(s[0]), getF64(s[1]))); }
void f64_max(Slot* s) { s[0] = ofF64(wasmMax(getF64(s[0]), getF64(s[1]))); }
void f64_copysign(Slot* s) { s[0] = ofF64(wasmCopysign(getF64(s[0]), getF64(s[1]))); }

// ---- Conversions (0xa7..0xbf) ----
void i32_wrap_i64(Slot* s) { s[0] = ofU32(static_cast<uint32_t>(getU64(s[0]))); }
void i32_trunc_f32_s(Slot* s) { s[0] = ofI32(truncOrTrap<int32_t>(getF32(s[0]))); }
void i32_trunc_f32_u(Slot* s) { s[0] = ofU32(truncOrTrap<uint32_t>(getF32(s[0]))); }
void i32_trunc_f64_s(Slot* s) { s[0] = ofI32(truncOrTrap<int32_t>(getF64(s[0]))); }
void i32_trunc_f64_u(Slot* s) { s[0] = ofU32(truncOrTrap<uint32_t>(getF64(s[0]))); }
void i64_extend_i32_s(Slot* s) { s[0] = ofI64(static_cast<int64_t>(getI32(s[0]))); }
void i64_extend_i32_u(Slot* s) { s[0] = ofU64(static_cast<uint64_t>(getU32(s[0]))); }
void i64_trunc_f32_s(Slot* s) { s[0] = ofI64(truncOrTrap<int64_t>(getF32(s[0]))); }
void i64_trunc_f32_u(Slot* s) { s[0] = ofU64(truncOrTrap<uint64_t>(getF32(s[0]))); }
void i64_trunc_f64_s(Slot* s) { s[0] = ofI64(truncOrTrap<int64_t>(getF64(s[0]))); }
void i64_trunc_f64_u(Slot* s) { s[0] = ofU64(truncOrTrap<uint64_t>(getF64(s[0]))); }
// int -> float: one correctly rounded conversion (cvtsi2ss/sd from a value exact in int64).
void f32_convert_i32_s(Slot* s) { s[0] = ofF32(static_cast<float>(getI32(s[0]))); }
void f32_convert_i32_u(Slot* s) { s[0] = ofF32(static_cast<float>(static_cast<int64_t>(getU32(s[0])))); }
void f32_convert_i64_s(Slot* s) { s[0] = ofF32(static_cast<float>(getI64(s[0]))); }
void f32_convert_i64_u(Slot* s) { s[0] = ofF32(convertU64<float>(getU64(s[0]))); }
// demote/promote: IEEE conversion; the hardware quietens signalling NaNs (spec: arithmetic NaN).
void f32_demote_f64(Slot* s) { s[0] = ofF32(static_cast<float>(getF64(s[0]))); }
void f64_convert_i32_s(Slot* s) { s[0] = ofF64(static_cast<double>(getI32(s[0]))); }
void f64_convert_i32_u(Slot* s) { s[0] = ofF64(static_cast<double>(getU32(s[0]))); }  // exact
void f64_convert_i64_s(Slot* s) { s[0] = ofF64(static_cast<double>(getI64(s[0]))); }
void f64_convert_i64_u(Slot* s) { s[0] = ofF64(convertU64<double>(getU64(s[0]))); }
void f64_promote_f32(Slot* s) { s[0] = ofF64(static_cast<double>(getF32(s[0]))); }
// Reinterpretations keep the bits; the 32-bit ones re-establish the zero upper half.
void i32_reinterpret_f32(Slot* s) { s[0] = ofU32(getU32(s[0])); }
void i64_reinterpret_f64(Slot* s) { s[0] = getU64(s[0]); }
void f32_reinterpret_i32(Slot* s) { s[0] = ofU32(getU32(s[0])); }
void f64_reinterpret_i64(Slot* s) { s[0] = getU64(s[0]); }

// ---- Sign extensions (0xc0..0xc4) ----
void i32_extend8_s(Slot* s) { s[0] = ofI32(static_cast<int32_t>(static_cast<int8_t>(getU32(s[0])))); }
void i32_extend16_s(Slot* s) { s[0] = ofI32(static_cast<int32_t>(static_cast<int16_t>(getU32(s[0])))); }
void i64_extend8_s(Slot* s) { s[0] = ofI64(static_cast<int64_t>(static_cast<int8_t>(getU64(s[0])))); }
void i64_extend16_s(Slot* s) { s[0] = ofI64(static_cast<int64_t>(static_cast<int16_t>(getU64(s[0])))); }
void i64_extend32_s(Slot* s) { s[0] = ofI64(static_cast<int64_t>(static_cast<int32_t>(getU64(s[0])))); }

// ---- Saturating truncations (0xFC 0..7) ----
void i32_trunc_sat_f32_s(Slot* s) { s[0] = ofI32(truncSat<int32_t>(getF32(s[0]))); }
void i32_trunc_sat_f32_u(Slot* s) { s[0] = ofU32(truncSat<uint32_t>(getF32(s[0]))); }
void i32_trunc_sat_f64_s(Slot* s) { s[0] = ofI32(truncSat<int32_t>(getF64(s[0]))); }
void i32_trunc_sat_f64_u(Slot* s) { s[0] = ofU32(truncSat<uint32_t>(getF64(s[0]))); }
void i64_trunc_sat_f32_s(Slot* s) { s[0] = ofI64(truncSat<int64_t>(getF32(s[0]))); }
void i64_trunc_sat_f32_u(Slot* s) { s[0] = ofU64(truncSat<uint64_t>(getF32(s[0]))); }
void i64_trunc_sat_f64_s(Slot* s) { s[0] = ofI64(truncSat<int64_t>(getF64(s[0]))); }
void i64_trunc_sat_f64_u(Slot* s) { s[0] = ofU64(truncSat<uint64_t>(getF64(s[0]))); }

// ---- Wide arithmetic (0xFC 0x13..0x16) ----
// A 128-bit value is the pair (low, high) of i64 slots, low first. Unsigned __int128 wraps modulo
// 2^128; the signed product is formed from the unsigned one (two's complement: subtract the other
// operand, shifted up 64 bits, for each negative operand), so nothing overflows a signed type.
using U128 = unsigned __int128;
inline U128 getU128(const Slot* s) { return (U128(s[1]) << 64) | s[0]; }
inline void setU128(Slot* s, U128 v) {
  s[0] = static_cast<uint64_t>(v);
  s[1] = static_cast<uint64_t>(v >> 64);
}
void i64_add128(Slot* s) { setU128(s, getU128(s) + getU128(s + 2)); }
void i64_sub128(Slot* s) { setU128(s, getU128(s) - getU128(s + 2)); }
void i64_mul_wide_u(Slot* s) { setU128(s, U128(s[0]) * s[1]); }
void i64_mul_wide_s(Slot* s) {
  U128 p = U128(s[0]) * s[1];
  if (getI64(s[0]) < 0) p -= U128(s[1]) << 64;
  if (getI64(s[1]) < 0) p -= U128(s[0]) << 64;
  setU128(s, p);
}

// ==== Opcode key -> handler table (built at compile time) ========================================

constexpr uint16_t kFirstKey = 0x45, kLastBaseKey = 0xc4;
constexpr uint16_t kSatBase = 0x100, kSatCount = 8;
constexpr uint16_t kWideBase = 0x113, kWideCount = 4;  // 0xFC 0x13..0x16
constexpr size_t kTableSize = kWideBase + kWideCount;

constexpr std::array<NumericOp, kTableSize> buildTable() {
  std::array<NumericOp, kTableSize> t{};  // every entry {nullptr, 0}
  auto un = [&t](uint16_t key, NumericHandler fn) { t[key] = NumericOp{fn, 1}; };
  auto bin = [&t](uint16_t key, NumericHandler fn) { t[key] = NumericOp{fn, 2}; };
  auto quad = [&t](uint16_t key, NumericHandler fn) { t[key] = NumericOp{fn, 4}; };

  un(0x45, i32_eqz);
  bin(0x46, i32_eq); bin(0x47, i32_ne); bin(0x48, i32_lt_s); bin(0x49, i32_lt_u);
  bin(0x4a, i32_gt_s); bin(0x4b, i32_gt_u); bin(0x4c, i32_le_s); bin(0x4d, i32_le_u);
  bin(0x4e, i32_ge_s); bin(0x4f, i32_ge_u);

  un(0x50, i64_eqz);
  bin(0x51, i64_eq); bin(0x52, i64_ne); bin(0x53, i64_lt_s); bin(0x54, i64_lt_u);
  bin(0x55, i64_gt_s); bin(0x56, i64_gt_u); bin(0x57, i64_le_s); bin(0x58, i64_le_u);
  bin(0x59, i64_ge_s); bin(0x5a, i64_ge_u);

  bin(0x5b, f32_eq); bin(0x5c, f32_ne); bin(0x5d, f32_lt); bin(0x5e, f32_gt); bin(0x5f, f32_le); bin(0x60, f32_ge);
  bin(0x61, f64_eq); bin(0x62, f64_ne); bin(0x63, f64_lt); bin(0x64, f64_gt); bin(0x65, f64_le); bin(0x66, f64_ge);

  un(0x67, i32_clz); un(0x68, i32_ctz); un(0x69, i32_popcnt);
  bin(0x6a, i32_add); bin(0x6b, i32_sub); bin(0x6c, i32_mul); bin(0x6d, i32_div_s); bin(0x6e, i32_div_u);
  bin(0x6f, i32_rem_s); bin(0x70, i32_rem_u); bin(0x71, i32_and); bin(0x72, i32_or); bin(0x73, i32_xor);
  bin(0x74, i32_shl); bin(0x75, i32_shr_s); bin(0x76, i32_shr_u); bin(0x77, i32_rotl); bin(0x78, i32_rotr);

  un(0x79, i64_clz); un(0x7a, i64_ctz); un(0x7b, i64_popcnt);
  bin(0x7c, i64_add); bin(0x7d, i64_sub); bin(0x7e, i64_mul); bin(0x7f, i64_div_s); bin(0x80, i64_div_u);
  bin(0x81, i64_rem_s); bin(0x82, i64_rem_u); bin(0x83, i64_and); bin(0x84, i64_or); bin(0x85, i64_xor);
  bin(0x86, i64_shl); bin(0x87, i64_shr_s); bin(0x88, i64_shr_u); bin(0x89, i64_rotl); bin(0x8a, i64_rotr);

  un(0x8b, f32_abs); un(0x8c, f32_neg); un(0x8d, f32_ceil); un(0x8e, f32_floor); un(0x8f, f32_trunc);
  un(0x90, f32_nearest); un(0x91, f32_sqrt);
  bin(0x92, f32_add); bin(0x93, f32_sub); bin(0x94, f32_mul); bin(0x95, f32_div);
  bin(0x96, f32_min); bin(0x97, f32_max); bin(0x98, f32_copysign);

  un(0x99, f64_abs); un(0x9a, f64_neg); un(0x9b, f64_ceil); un(0x9c, f64_floor); un(0x9d, f64_trunc);
  un(0x9e, f64_nearest); un(0x9f, f64_sqrt);
  bin(0xa0, f64_add); bin(0xa1, f64_sub); bin(0xa2, f64_mul); bin(0xa3, f64_div);
  bin(0xa4, f64_min); bin(0xa5, f64_max); bin(0xa6, f64_copysign);

  un(0xa7, i32_wrap_i64);
  un(0xa8, i32_trunc_f32_s); un(0xa9, i32_trunc_f32_u); un(0xaa, i32_trunc_f64_s); un(0xab, i32_trunc_f64_u);
  un(0xac, i64_extend_i32_s); un(0xad, i64_extend_i32_u);
  un(0xae, i64_trunc_f32_s); un(0xaf, i64_trunc_f32_u); un(0xb0, i64_trunc_f64_s); un(0xb1, i64_trunc_f64_u);
  un(0xb2, f32_convert_i32_s); un(0xb3, f32_convert_i32_u); un(0xb4, f32_convert_i64_s); un(0xb5, f32_convert_i64_u);
  un(0xb6, f32_demote_f64);
  un(0xb7, f64_convert_i32_s); un(0xb8, f64_convert_i32_u); un(0xb9, f64_convert_i64_s); un(0xba, f64_convert_i64_u);
  un(0xbb, f64_promote_f32);
  un(0xbc, i32_reinterpret_f32); un(0xbd, i64_reinterpret_f64); un(0xbe, f32_reinterpret_i32); un(0xbf, f64_reinterpret_i64);

  un(0xc0, i32_extend8_s); un(0xc1, i32_extend16_s);
  un(0xc2, i64_extend8_s); un(0xc3, i64_extend16_s); un(0xc4, i64_extend32_s);

  un(kSatBase + 0, i32_trunc_sat_f32_s); un(kSatBase + 1, i32_trunc_sat_f32_u);
  un(kSatBase + 2, i32_trunc_sat_f64_s); un(kSatBase + 3, i32_trunc_sat_f64_u);
  un(kSatBase + 4, i64_trunc_sat_f32_s); un(kSatBase + 5, i64_trunc_sat_f32_u);
  un(kSatBase + 6, i64_trunc_sat_f64_s); un(kSatBase + 7, i64_trunc_sat_f64_u);

  quad(kWideBase + 0, i64_add128); quad(kWideBase + 1, i64_sub128);
  bin(kWideBase + 2, i64_mul_wide_s); bin(kWideBase + 3, i64_mul_wide_u);
  return t;
}

constexpr std::array<NumericOp, kTableSize> kNumericOps = buildTable();

/** Every key of the numeric ranges has a handler, and nothing outside them does. */
constexpr bool tableComplete() {
  for (size_t k = 0; k < kTableSize; ++k) {
    bool wide = k >= kWideBase;
    bool numeric = (k >= kFirstKey && k <= kLastBaseKey) || (k >= kSatBase && k < kSatBase + kSatCount) || wide;
    if (numeric != (kNumericOps[k].fn != nullptr)) return false;
    if (numeric && !wide && kNumericOps[k].arity != 1 && kNumericOps[k].arity != 2) return false;
  }
  return true;
}
static_assert(tableComplete(), "numeric handler table has a hole or a stray entry");

}  // namespace

NumericOp numericOp(uint16_t key) {
  if (key < kTableSize) return kNumericOps[key];
  return NumericOp{nullptr, 0};
}

}  // namespace mitey

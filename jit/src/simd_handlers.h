// Precompiled handlers for the SIMD (0xFD) instructions of Wasm 2.0 and relaxed SIMD, called by tier-1 code.
//
// Operand layout: like the scalar handlers, a handler works in place on the wasm operand stack,
// made of 8-byte units. Operands lie in stack order from s[0]; a v128 takes two units (lane bytes
// 0-7 in the first, little-endian, 8-15 in the second), any scalar one unit (i32/f32 as raw bits in
// the low 32 bits, upper bits zero; i64/f64 as 64 bits). The result replaces the operands from s[0]:
// a v128 result in s[0..1], a scalar result in s[0] (i32 zero-extended).
//   "VV:V"  a = s[0..1], b = s[2..3]            -> s[0..1]
//   "VVV:V" a = s[0..1], b = s[2..3], c = s[4..5] -> s[0..1]   (bitselect, relaxed madd, laneselect, dot add)
//   "Vi:V"  v = s[0..1], shift count / lane value = s[2]        (shifts, replace_lane)
//   "i:V"   scalar s[0] -> s[0..1]                               (splat)
//   "V:i"   s[0..1] -> s[0]                                      (extract_lane, any_true, all_true, bitmask)
// The immediate `imm` is the lane index for lane instructions and the address of the 16 lane
// indices for i8x16.shuffle; other handlers ignore it.
//
// Two builds of the same handlers exist, one for SSE4.1 (the floor) and one for AVX2; the table is
// chosen once, at run time, from what the CPU offers (MITEY_JIT_SIMD=sse4.1 forces the floor).
#pragma once
#include <cstdint>

#include "opcodes.h"

namespace mitey {

using SimdHandler = void (*)(uint64_t* s, uint64_t imm);

/** One build's handlers, indexed by the code after the 0xFD prefix; null where the code generator
 * works inline (loads, stores, v128.const, the lane loads/stores, the zero-extending loads). */
struct SimdTable {
  const char* isa;  // "sse4.1" or "avx2"
  SimdHandler fn[kFdCodes];
};

/** True when this CPU has what tier-1 SIMD needs (SSE4.1). */
bool simdAvailable();

/** The table for this CPU; only call when simdAvailable(). */
const SimdTable& simdTable();

// The two builds (simd_handlers_sse41.cc, simd_handlers_avx2.cc), both from simd_handlers.inc.
namespace simd_sse41 { void fill(SimdTable& t); }
namespace simd_avx2 { void fill(SimdTable& t); }

}  // namespace mitey

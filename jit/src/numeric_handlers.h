// Precompiled handlers for the non-SIMD numeric instructions of Wasm 2.0 and wide arithmetic, called
// by tier-1 code. A handler works on the wasm operand stack in memory: 8-byte slots, s[0] the first
// (deepest) operand, s[1] the second, and so on; the results replace the operands from s[0] (one for
// all of Wasm 2.0's, two for wide arithmetic's). Slot encoding: i32 and f32 (raw bits) in the low 32
// bits with the upper 32 bits zero, i64 and f64 (raw bits) as all 64 bits.
#pragma once
#include <cstdint>

#include "trap.h"

namespace mitey {

using Slot = uint64_t;

/** A numeric handler: reads its operands from s[0] on and writes its results there. */
using NumericHandler = void (*)(Slot* s);

/** A handler and how many operand slots it consumes: 1 (unary, conversion), 2 (binary, comparison,
 * i64.mul_wide_*) or 4 (i64.add128, i64.sub128). */
struct NumericOp {
  NumericHandler fn;
  uint8_t arity;
};

/**
 * The handler of a non-SIMD numeric opcode, by opcode key: single-byte opcodes 0x45..0xc4 as is,
 * 0xFC-prefixed saturating truncations at 0x100 + code (0..7) and wide arithmetic at 0x100 + code
 * (0x13..0x16). {nullptr, 0} for anything else.
 */
NumericOp numericOp(uint16_t key);

}  // namespace mitey

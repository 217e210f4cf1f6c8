// Precompiled handlers for the non-SIMD numeric instructions of Wasm 2.0, called by tier-1 code.
// A handler works on the wasm operand stack in memory: 8-byte slots, s[0] the first (deepest)
// operand, s[1] the second; the result replaces s[0]. Slot encoding: i32 and f32 (raw bits) in the
// low 32 bits with the upper 32 bits zero, i64 and f64 (raw bits) as all 64 bits.
#pragma once
#include <cstdint>

#include "trap.h"

namespace mitey {

using Slot = uint64_t;

/** A numeric handler: reads its operands from s[0] (and s[1]) and writes its result to s[0]. */
using NumericHandler = void (*)(Slot* s);

/** A handler and how many operand slots it consumes: 1 (unary, conversion) or 2 (binary, comparison). */
struct NumericOp {
  NumericHandler fn;
  uint8_t arity;
};

/**
 * The handler of a non-SIMD numeric opcode, by opcode key: single-byte opcodes 0x45..0xc4 as is,
 * 0xFC-prefixed saturating truncations at 0x100 + code (0..7). {nullptr, 0} for anything else.
 */
NumericOp numericOp(uint16_t key);

}  // namespace mitey

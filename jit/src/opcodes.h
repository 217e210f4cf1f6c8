// The opcode tables (single byte, 0xFC, 0xFD, 0xFE and 0xFB prefixes): name, immediate, type. Wasm 2.0's opcodes,
// and those of the later proposals the JIT has, which the decoder reads only where the compile allows
// their feature (opFeature).
#pragma once
#include <cstdint>

#include <optional>

#include "features.h"
#include "val_type.h"

namespace mitey {

enum class Imm : uint8_t { None, Special, MemArg, MemArgLane, V128, Shuffle, Lane, I32, I64, F32, F64 };

struct OpInfo {
  const char* name = nullptr;  // null: no such opcode in the tables
  Imm imm = Imm::None;
  uint8_t arg = 0;        // natural alignment (bytes) of memory accesses, or lane count
  const char* sig = "";   // operands ':' results, i I f F V
};

constexpr uint32_t kPrefixFC = 0xfc;
constexpr uint32_t kPrefixFD = 0xfd;
constexpr uint32_t kPrefixFE = 0xfe;
constexpr uint32_t kPrefixFB = 0xfb;
/** One past the highest 0xFD code of the tables (relaxed SIMD ends at 0x113). */
constexpr uint32_t kFdCodes = 0x114;
/** One past the highest 0xFE code of the tables (i64.atomic.rmw32.cmpxchg_u). */
constexpr uint32_t kFeCodes = 0x4f;
/** One past the highest 0xFB code of the tables (i31.get_u). */
constexpr uint32_t kFbCodes = 0x1f;

/** The value type of a signature letter (i I f F V). */
constexpr ValType sigLetterType(char c) {
  switch (c) {
    case 'i': return ValType::I32;
    case 'I': return ValType::I64;
    case 'f': return ValType::F32;
    case 'F': return ValType::F64;
    default: return ValType::V128;
  }
}

/** The ':' of a signature: its operands' letters come before it, its results' after. */
constexpr const char* sigColon(const char* sig) {
  while (*sig != ':') sig++;
  return sig;
}

/** The feature an opcode of the tables belongs to (features.h), or nothing for Wasm 2.0's: where it
 * is off, the decoder reads the opcode as Wasm 2.0 does (not an instruction). */
constexpr std::optional<Feature> opFeature(uint32_t prefix, uint32_t code) {
  if (prefix == 0 && (code == 0x12 || code == 0x13)) return Feature::TailCall;
  if (prefix == 0 && ((code >= 0x06 && code <= 0x0a) || code == 0x18 || code == 0x19 || code == 0x1f)) return Feature::Exceptions;
  if (prefix == 0 && code == 0x15) return Feature::TailCall;  // return_call_ref: tail calls over typed references too (checked in the decoder)
  if (prefix == 0 && (code == 0x14 || code == 0xd4 || code == 0xd5 || code == 0xd6)) return Feature::TypedFuncRefs;
  if (prefix == kPrefixFD && code >= 0x100) return Feature::RelaxedSimd;
  if (prefix == kPrefixFC && code >= 0x13 && code <= 0x16) return Feature::WideArithmetic;
  if (prefix == kPrefixFE) return Feature::Threads;
  if (prefix == kPrefixFB || (prefix == 0 && code == 0xd3)) return Feature::GC;  // 0xd3: ref.eq
  return std::nullopt;
}

/** The entry for an opcode; prefix 0 for single-byte opcodes. */
const OpInfo& opInfo(uint32_t prefix, uint32_t code);

}  // namespace mitey

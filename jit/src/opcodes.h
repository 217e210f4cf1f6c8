// The opcode tables of Wasm 2.0 and of the later proposals the JIT has (single byte, 0xFC and 0xFD
// prefixes): name, immediate, type.
#pragma once
#include <cstdint>

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

/** The entry for an opcode; prefix 0 for single-byte opcodes. */
const OpInfo& opInfo(uint32_t prefix, uint32_t code);

}  // namespace mitey

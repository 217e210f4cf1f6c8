// Value and reference types in the binary format, as both the section and code decoders read them.
#pragma once
#include <cstdint>

#include "module.h"
#include "reader.h"

namespace mitey {

inline bool isValTypeByte(uint8_t b) { return b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x7b || b == 0x70 || b == 0x6f; }

/** Reference types of later proposals (typed references, GC, exceptions): unsupported, not malformed. */
inline bool isLaterRefTypeByte(uint8_t b) { return b == 0x63 || b == 0x64 || (b >= 0x69 && b <= 0x6e) || (b >= 0x71 && b <= 0x74); }

/** The type of a one-byte value type code (isValTypeByte). */
inline ValType valTypeOfByte(uint8_t b) {
  if (b == 0x70) return ValType::FuncRef;
  if (b == 0x6f) return ValType::ExternRef;
  return ValType::number(static_cast<ValType::Kind>(b));
}

inline ValType readValType(Reader& r) {
  size_t at = r.pos();
  uint8_t b = r.u8();
  if (isValTypeByte(b)) return valTypeOfByte(b);
  if (isLaterRefTypeByte(b)) unsupported("reference type of a later proposal (Wasm 3.0)", at);
  malformed("malformed value type", at);
}

inline ValType readRefType(Reader& r) {
  size_t at = r.pos();
  uint8_t b = r.u8();
  if (b == 0x70 || b == 0x6f) return valTypeOfByte(b);
  if (isLaterRefTypeByte(b)) unsupported("reference type of a later proposal (Wasm 3.0)", at);
  malformed("malformed reference type", at);
}

}  // namespace mitey

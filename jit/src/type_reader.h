// Value, reference and heap types in the binary format, as both the section and code decoders read
// them. Wasm 2.0 has two reference types (funcref 0x70, externref 0x6f); typed function references
// add (ref null? ht) (0x63 / 0x64) over a heap type: an abstract one or a type index. The abstract
// heap types of GC (any, eq, i31, struct, array, none) and of exception handling (exn, noexn) decode
// where their feature is on, and are unsupported where it is off.
#pragma once
#include <cstdint>

#include "features.h"
#include "module.h"
#include "reader.h"

namespace mitey {

inline bool isValTypeByte(uint8_t b) { return b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x7b || b == 0x70 || b == 0x6f; }

/** Reference type bytes of later proposals (typed references, GC, exceptions): unsupported in 2.0, not malformed. */
inline bool isLaterRefTypeByte(uint8_t b) { return b == 0x63 || b == 0x64 || (b >= 0x69 && b <= 0x6e) || (b >= 0x71 && b <= 0x74); }

/** The type of a one-byte value type code (isValTypeByte). */
inline ValType valTypeOfByte(uint8_t b) {
  if (b == 0x70) return ValType::FuncRef;
  if (b == 0x6f) return ValType::ExternRef;
  return ValType::number(static_cast<ValType::Kind>(b));
}

/** exnref and nullexnref as exception handling writes them, which needs no typed references. */
inline bool isExnRefShorthand(uint8_t b, Features f) { return (b == 0x69 || b == 0x74) && f.has(Feature::Exceptions); }

/** An abstract heap type byte (func, extern and their bottoms nofunc, noextern; exn and noexn with
 * exception handling; any, eq, i31, struct, array, none with GC); others throw. */
inline uint32_t abstractHeap(uint8_t b, size_t at, Features f) {
  switch (b) {
    case 0x70: case 0x6f: case 0x73: case 0x72: return b;
    case 0x69: case 0x74:
      if (f.has(Feature::Exceptions)) return b;
      unsupported("exception references (exnref)", at);
    case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a: case 0x71:
      if (f.has(Feature::GC)) return b;
      unsupported("GC heap types (Wasm 3.0)", at);
  }
  malformed("malformed heap type", at);
}

/** A heap type: an abstract one by its byte, or a type index (s33). */
inline uint32_t readHeapType(Reader& r, Features f) {
  size_t at = r.pos();
  int64_t v = r.s33();
  if (v >= 0) return ValType::kConcrete | static_cast<uint32_t>(v);  // an index past 2^31: unknown type, the validator says
  if (v < -64) malformed("malformed heap type", at);
  return abstractHeap(static_cast<uint8_t>(v & 0x7f), at, f);
}

/** A reference type byte (0x63, 0x64 or a shorthand) already read as `b`, at `at`. */
inline ValType refTypeAfter(Reader& r, uint8_t b, size_t at, Features f) {
  if (b == 0x63 || b == 0x64) return ValType::ref(readHeapType(r, f), b == 0x63);
  return ValType::ref(abstractHeap(b, at, f), true);  // shorthands are nullable
}

inline ValType readValType(Reader& r, Features f) {
  size_t at = r.pos();
  uint8_t b = r.u8();
  if (isValTypeByte(b)) return valTypeOfByte(b);
  if (isLaterRefTypeByte(b)) {
    if (f.has(Feature::TypedFuncRefs) || isExnRefShorthand(b, f)) return refTypeAfter(r, b, at, f);
    unsupported("reference type of a later proposal (Wasm 3.0)", at);
  }
  malformed("malformed value type", at);
}

inline ValType readRefType(Reader& r, Features f) {
  size_t at = r.pos();
  uint8_t b = r.u8();
  if (b == 0x70 || b == 0x6f) return valTypeOfByte(b);
  if (isLaterRefTypeByte(b)) {
    if (f.has(Feature::TypedFuncRefs) || isExnRefShorthand(b, f)) return refTypeAfter(r, b, at, f);
    unsupported("reference type of a later proposal (Wasm 3.0)", at);
  }
  malformed("malformed reference type", at);
}

/** A struct field's or array element's type: a storage type (a value type, or packed i8 0x78 / i16
 * 0x77), then its mutability. */
inline FieldType readFieldType(Reader& r, Features f) {
  FieldType field;
  uint8_t b = r.peek();
  if (b == 0x78 || b == 0x77) {
    r.u8();
    field.packed = b == 0x78 ? Packed::I8 : Packed::I16;
  } else {
    field.type = readValType(r, f);
  }
  size_t at = r.pos();
  uint8_t mut = r.u8();
  if (mut > 1) malformed("malformed mutability", at);
  field.mut = mut == 1;
  return field;
}

}  // namespace mitey

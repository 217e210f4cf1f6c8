// Value types, structured as Wasm 3.0 has them: a number, a vector, or a reference with its
// nullability and heap type (an abstract one, by its binary code, or a concrete type index). Used
// by the decoder, validator, compiler and the JS boundary alike. Switches read a Code: the number
// kinds and funcref / externref by heap type, so today's code reads as it did; equality compares
// the whole type.
#pragma once
#include <cstdint>

namespace mitey {

class ValType {
 public:
  enum class Kind : uint8_t { Bot = 0, I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, Ref = 0x64 };
  enum class Code : uint8_t { Bot = 0, I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, FuncRef = 0x70, ExternRef = 0x6f, OtherRef = 0x64 };
  /** Heap types: the abstract ones by their binary code (func 0x70, extern 0x6f, …), a concrete one by kConcrete | index. */
  static constexpr uint32_t kHeapFunc = 0x70, kHeapExtern = 0x6f, kConcrete = 0x80000000u;

  /** Bot: the unknown type of the polymorphic stack, never in a module. */
  constexpr ValType() = default;
  static constexpr ValType number(Kind k) { return ValType(k, false, 0); }
  static constexpr ValType ref(uint32_t heap, bool nullable) { return ValType(Kind::Ref, nullable, heap); }

  constexpr Kind kind() const { return kind_; }
  constexpr bool isRef() const { return kind_ == Kind::Ref; }
  constexpr bool nullable() const { return nullable_; }
  constexpr uint32_t heap() const { return heap_; }

  constexpr operator Code() const {
    if (kind_ != Kind::Ref) return static_cast<Code>(kind_);
    if (heap_ == kHeapFunc) return Code::FuncRef;
    if (heap_ == kHeapExtern) return Code::ExternRef;
    return Code::OtherRef;
  }
  constexpr bool operator==(const ValType&) const = default;

  /** The whole type in 64 bits (what an instruction's immediate and a type key hold). */
  constexpr uint64_t bits() const { return static_cast<uint64_t>(kind_) | static_cast<uint64_t>(nullable_) << 8 | static_cast<uint64_t>(heap_) << 32; }
  static constexpr ValType fromBits(uint64_t b) {
    return ValType(static_cast<Kind>(b & 0xff), ((b >> 8) & 1) != 0, static_cast<uint32_t>(b >> 32));
  }

  static const ValType Bot, I32, I64, F32, F64, V128, FuncRef, ExternRef;

 private:
  constexpr ValType(Kind k, bool nullable, uint32_t heap) : kind_(k), nullable_(nullable), heap_(heap) {}
  Kind kind_ = Kind::Bot;
  bool nullable_ = false;
  uint32_t heap_ = 0;
};

inline constexpr ValType ValType::Bot{};
inline constexpr ValType ValType::I32 = ValType::number(ValType::Kind::I32);
inline constexpr ValType ValType::I64 = ValType::number(ValType::Kind::I64);
inline constexpr ValType ValType::F32 = ValType::number(ValType::Kind::F32);
inline constexpr ValType ValType::F64 = ValType::number(ValType::Kind::F64);
inline constexpr ValType ValType::V128 = ValType::number(ValType::Kind::V128);
inline constexpr ValType ValType::FuncRef = ValType::ref(ValType::kHeapFunc, true);
inline constexpr ValType ValType::ExternRef = ValType::ref(ValType::kHeapExtern, true);

/** The abstract heap types, by their binary codes: four hierarchies, each a top and a bottom (GC's
 * any has eq, i31, struct and array between). */
namespace heap {
inline constexpr uint32_t Func = 0x70, NoFunc = 0x73, Extern = 0x6f, NoExtern = 0x72, Exn = 0x69, NoExn = 0x74;
inline constexpr uint32_t Any = 0x6e, Eq = 0x6d, I31 = 0x6c, Struct = 0x6b, Array = 0x6a, None = 0x71;
}  // namespace heap

inline bool isRef(ValType t) { return t.isRef(); }
/** The 8-byte frame units a value takes: two for a v128. */
constexpr uint32_t frameUnits(ValType t) { return t == ValType::V128 ? 2 : 1; }
inline bool isNum(ValType t) { return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64; }

}  // namespace mitey

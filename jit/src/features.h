// Which proposals after Wasm 2.0 a module may use: decoding and validation follow Wasm 2.0 exactly
// where a feature is off (what it calls malformed stays malformed), and the feature's rules where it
// is on. The harness turns them off for a 2.0 script; the JS API and a 3.0 script have all of them.
#pragma once
#include <cstdint>
#include <string_view>

namespace mitey {

enum class Feature : uint32_t {
  MultiMemory = 1u << 0,
  Memory64 = 1u << 1,
  ExtendedConst = 1u << 2,
  TailCall = 1u << 3,
  Exceptions = 1u << 4,
  TypedFuncRefs = 1u << 5,
  Threads = 1u << 6,
  RelaxedSimd = 1u << 7,
  WideArithmetic = 1u << 8,
  CustomPageSizes = 1u << 9,
  GC = 1u << 10,
};

class Features {
 public:
  constexpr Features() = default;
  static constexpr Features all() { return Features(~0u); }
  static constexpr Features none() { return Features(0); }
  constexpr bool has(Feature f) const { return (bits_ & static_cast<uint32_t>(f)) != 0; }
  constexpr Features with(Feature f) const { return Features(bits_ | static_cast<uint32_t>(f)); }

  /** A feature by the harness's name for it (core/features.ts), or 0 when there is none. */
  static constexpr uint32_t named(std::string_view name) {
    if (name == "multi-memory") return static_cast<uint32_t>(Feature::MultiMemory);
    if (name == "memory64") return static_cast<uint32_t>(Feature::Memory64);
    if (name == "extended-const") return static_cast<uint32_t>(Feature::ExtendedConst);
    if (name == "tail-call") return static_cast<uint32_t>(Feature::TailCall);
    if (name == "exceptions" || name == "legacy-exceptions") return static_cast<uint32_t>(Feature::Exceptions);
    if (name == "typed-function-references") return static_cast<uint32_t>(Feature::TypedFuncRefs);
    if (name == "threads") return static_cast<uint32_t>(Feature::Threads);
    if (name == "relaxed-simd") return static_cast<uint32_t>(Feature::RelaxedSimd);
    if (name == "wide-arithmetic") return static_cast<uint32_t>(Feature::WideArithmetic);
    if (name == "custom-page-sizes") return static_cast<uint32_t>(Feature::CustomPageSizes);
    // GC builds on typed function references: its (ref null? $t) types are theirs
    if (name == "gc") return static_cast<uint32_t>(Feature::GC) | static_cast<uint32_t>(Feature::TypedFuncRefs);
    return 0;
  }
  static constexpr Features fromBits(uint32_t bits) { return Features(bits); }

 private:
  constexpr explicit Features(uint32_t bits) : bits_(bits) {}
  uint32_t bits_ = ~0u;
};

}  // namespace mitey

// Where tier 1 writes a module's machine code: straight into the mapping it will run from, so the
// code is written once (no growing vector, no final copy). The mapping is reserved up front for a
// bound on the code's size (only the pages written are ever backed by memory) and, where the
// address space allows, within a 32-bit displacement of the addon, so that calls to handlers are
// 5-byte `call rel32`s. Running past the reservation throws CodeBufferFull: the caller compiles
// again with a larger one (a pathological module: the bound holds for every module seen).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace mitey {

struct CodeBufferFull : std::exception {
  const char* what() const noexcept override { return "the module's code outgrew its reservation"; }
};

class CodeBuffer {
 public:
  CodeBuffer() = default;
  CodeBuffer(uint8_t* base, size_t capacity) : base_(base), cur_(base), end_(base + capacity) {}

  uint8_t* base() const { return base_; }
  size_t pos() const { return static_cast<size_t>(cur_ - base_); }
  size_t capacity() const { return static_cast<size_t>(end_ - base_); }
  /** The absolute address of position `at` (the code runs where it is written). */
  uintptr_t address(size_t at) const { return reinterpret_cast<uintptr_t>(base_) + at; }

  void byte(uint8_t b) {
    if (cur_ == end_) [[unlikely]] full();
    *cur_++ = b;
  }
  void put(const void* p, size_t n) {
    if (static_cast<size_t>(end_ - cur_) < n) [[unlikely]] full();
    std::memcpy(cur_, p, n);
    cur_ += n;
  }
  void patch(size_t at, const void* p, size_t n) { std::memcpy(base_ + at, p, n); }

 private:
  [[noreturn]] static void full() { throw CodeBufferFull(); }

  uint8_t* base_ = nullptr;
  uint8_t* cur_ = nullptr;
  uint8_t* end_ = nullptr;
};

}  // namespace mitey

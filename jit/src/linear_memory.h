// A linear memory: 8 GiB of address space reserved once (every 32-bit address plus a 32-bit
// offset lands inside it), pages made accessible as it grows, so the base never moves and every
// out-of-bounds access faults.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "object_id.h"

namespace mitey {

class LinearMemory {
 public:
  static constexpr uint64_t kPageSize = 65536;
  static constexpr uint64_t kMaxPages = 65536;
  static constexpr uint64_t kReservation = (8ull << 30) + kPageSize;

  /** Throws ResourceError when the address space cannot be reserved. */
  LinearMemory(uint64_t minPages, std::optional<uint64_t> maxPages);
  ~LinearMemory();
  LinearMemory(const LinearMemory&) = delete;
  LinearMemory& operator=(const LinearMemory&) = delete;

  uint8_t* base() const { return base_; }
  uint64_t sizeBytes() const { return pages_ * kPageSize; }
  uint64_t pages() const { return pages_; }
  std::optional<uint64_t> maxPages() const { return max_; }
  /** Its identity for JS (object_id.h). */
  uint64_t id() const { return id_; }

  /** How many memories hold a reservation now, in the whole process. */
  static uint64_t liveReservations();

  /** memory.grow: the old size in pages, or -1 when it cannot grow. */
  int64_t grow(uint64_t delta);

  /**
   * What shows the memory to JS (its current ArrayBuffer, js_memory_buffer.h), and what to do with
   * it after every successful grow (by 0 pages too, as V8): the JS API detaches the old buffer at
   * once, also when wasm grows the memory (glue code refreshes its views when their length reads 0).
   */
  std::shared_ptr<void> jsBuffer;
  static inline void (*grewHook)(LinearMemory&) = nullptr;

 private:
  uint8_t* base_;
  uint64_t pages_;
  std::optional<uint64_t> max_;
  uint64_t id_ = nextObjectId();
};

}  // namespace mitey

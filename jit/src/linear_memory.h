// A linear memory. Its address space is reserved once and pages are made accessible as it grows,
// so the base never moves. Two bounds schemes (BoundsScheme):
// - Guard: a 32-bit memory of 64 KiB pages reserves 8 GiB (every 32-bit address plus a 32-bit
//   offset lands inside it), and every out-of-bounds access faults: JIT code checks nothing.
// - Checked: a 64-bit memory (memory64), or one of 1-byte pages (custom page sizes, where an OS page
//   is too coarse to guard), reserves what its maximum can reach (capped, kCheckedReservationCap), and
//   JIT code compares each access with the current size (View::bytes) before it.
// A shared memory (threads) is one object that instances on several threads hold at once: it grows
// under a mutex, and its size is read atomically (View::bytes by JIT code, pages() by the rest).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "object_id.h"

namespace mitey {

/** A memory's declared shape: index type, page size, limits in pages, sharing. */
struct MemoryShape {
  uint64_t minPages = 0;
  std::optional<uint64_t> maxPages;
  bool is64 = false;
  bool shared = false;
  uint8_t pageLog2 = 16;
};

enum class BoundsScheme : uint8_t { Guard, Checked };

class LinearMemory {
 public:
  static constexpr uint64_t kGuardReservation = (8ull << 30) + 65536;
  /** Address space a checked memory may reserve at most: its size can grow that far. */
  static constexpr uint64_t kCheckedReservationCap = 16ull << 30;

  /** What JIT code reads (Instance::memories): the base, and the size in bytes (Checked memories). */
  struct View {
    uint8_t* base;
    uint64_t bytes;
  };

  /** Throws ResourceError when the address space cannot be reserved. */
  explicit LinearMemory(const MemoryShape& shape);
  /** A 32-bit memory of 64 KiB pages. */
  LinearMemory(uint64_t minPages, std::optional<uint64_t> maxPages) : LinearMemory(MemoryShape{minPages, maxPages}) {}
  ~LinearMemory();
  LinearMemory(const LinearMemory&) = delete;
  LinearMemory& operator=(const LinearMemory&) = delete;

  /** Which bounds scheme a memory of this shape gets. */
  static BoundsScheme schemeOf(bool is64, uint8_t pageLog2) { return !is64 && pageLog2 == 16 ? BoundsScheme::Guard : BoundsScheme::Checked; }
  /** The most pages the spec allows a memory of this index type and page size. */
  static uint64_t specMaxPages(bool is64, uint8_t pageLog2) {
    if (pageLog2 == 0) return is64 ? ~0ull : 0xffffffffull;  // 1-byte pages: every size an address can name
    return is64 ? 1ull << (64 - pageLog2) : 1ull << (32 - pageLog2);  // 2^48 or 65536 pages of 64 KiB
  }

  uint8_t* base() const { return view_.base; }
  uint64_t pageSize() const { return 1ull << shape_.pageLog2; }
  uint64_t sizeBytes() const { return pages() << shape_.pageLog2; }
  uint64_t pages() const { return pages_.load(std::memory_order_acquire); }
  bool shared() const { return shape_.shared; }
  std::optional<uint64_t> maxPages() const { return shape_.maxPages; }
  const MemoryShape& shape() const { return shape_; }
  bool is64() const { return shape_.is64; }
  BoundsScheme scheme() const { return schemeOf(shape_.is64, shape_.pageLog2); }
  View* view() { return &view_; }
  /** Its identity for JS (object_id.h). */
  uint64_t id() const { return id_; }

  /** How many memories hold a reservation now, in the whole process. */
  static uint64_t liveReservations();

  /** memory.grow: the old size in pages, or -1 when it cannot grow. Any thread may grow a shared memory. */
  int64_t grow(uint64_t delta);

  /**
   * Shared memories by base address, so that a SharedArrayBuffer over one (which another thread may
   * receive) leads back to it: remember() once JS may see its pages; find() gives the memory whose
   * pages start at `base`, or null.
   */
  static void rememberShared(const std::shared_ptr<LinearMemory>& memory);
  static std::shared_ptr<LinearMemory> findShared(const void* base);

  /**
   * What shows the memory to JS (its current ArrayBuffer, js_memory_buffer.h), and what to do with
   * it after every successful grow (by 0 pages too, as V8): the JS API detaches the old buffer at
   * once, also when wasm grows the memory (glue code refreshes its views when their length reads 0).
   * Neither for a shared memory: its SharedArrayBuffers are never detached, and any thread grows it.
   */
  std::shared_ptr<void> jsBuffer;
  static inline void (*grewHook)(LinearMemory&) = nullptr;

 private:
  View view_{nullptr, 0};
  uint64_t reservation_ = 0;
  std::atomic<uint64_t> pages_{0};
  std::mutex growing_;  // grows one at a time (a shared memory's may come from several threads)
  MemoryShape shape_;
  uint64_t id_ = nextObjectId();
};

}  // namespace mitey

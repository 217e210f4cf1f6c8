#include "linear_memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "error.h"
#include "trap.h"

namespace mitey {

namespace {
std::atomic<uint64_t> gLiveReservations{0};

/** The shared memories JS has seen, by base (LinearMemory::rememberShared); never destroyed, as
 * memories may die on any thread up to the process's exit. */
struct SharedMemories {
  std::mutex mutex;
  std::unordered_map<const void*, std::weak_ptr<LinearMemory>> byBase;
};
SharedMemories& sharedMemories() {
  static auto* s = new SharedMemories;
  return *s;
}

constexpr uint64_t kOsPage = 4096;

uint64_t roundUp(uint64_t n, uint64_t to) { return (n + to - 1) / to * to; }
}  // namespace

uint64_t LinearMemory::liveReservations() { return gLiveReservations.load(std::memory_order_relaxed); }

LinearMemory::LinearMemory(const MemoryShape& shape) : shape_(shape) {
  if (scheme() == BoundsScheme::Guard) {
    reservation_ = kGuardReservation;
  } else {
    // What the maximum can reach (the spec's largest when none is declared), within the cap; never
    // less than the initial size, so that a memory that fits the machine is made.
    uint64_t maxPages = std::min(shape.maxPages.value_or(~0ull), specMaxPages(shape.is64, shape.pageLog2));
    uint64_t want = maxPages > (kCheckedReservationCap >> shape.pageLog2) ? kCheckedReservationCap : maxPages << shape.pageLog2;
    uint64_t minBytes = shape.minPages > (~0ull >> shape.pageLog2) ? ~0ull : shape.minPages << shape.pageLog2;
    reservation_ = roundUp(std::max<uint64_t>({want, minBytes, kOsPage}), kOsPage);
  }
  void* p = mmap(nullptr, reservation_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw ResourceError("out of memory: cannot reserve the address space of a linear memory");
  view_.base = static_cast<uint8_t*>(p);
  if (!registerMemory(view_.base, reservation_)) {
    munmap(view_.base, reservation_);
    throw ResourceError("out of resources: too many linear memories alive at once");
  }
  if (grow(shape.minPages) < 0) {
    unregisterMemory(view_.base);
    munmap(view_.base, reservation_);
    throw ResourceError("out of memory: cannot commit the initial pages of a linear memory");
  }
  gLiveReservations.fetch_add(1, std::memory_order_relaxed);
}

LinearMemory::~LinearMemory() {
  if (shape_.shared) {
    SharedMemories& s = sharedMemories();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.byBase.erase(view_.base);  // (its pages are still mapped: no other memory has this base yet)
  }
  gLiveReservations.fetch_sub(1, std::memory_order_relaxed);
  unregisterMemory(view_.base);
  munmap(view_.base, reservation_);
}

int64_t LinearMemory::grow(uint64_t delta) {
  uint64_t old;
  {
    std::lock_guard<std::mutex> lock(growing_);
    old = pages_.load(std::memory_order_relaxed);
    uint64_t limit = std::min(shape_.maxPages.value_or(~0ull), specMaxPages(shape_.is64, shape_.pageLog2));
    if (delta > limit - old) return -1;
    if (delta > 0) {
      uint64_t newBytes = (old + delta) << shape_.pageLog2;
      if (newBytes > reservation_) return -1;  // beyond what was reserved: the machine's limit, not the spec's
      // Pages of 1 byte: the OS pages that hold them (the rest of the last one stays past the checked size).
      uint64_t from = roundUp(old << shape_.pageLog2, kOsPage), to = roundUp(newBytes, kOsPage);
      if (to > from && mprotect(view_.base + from, to - from, PROT_READ | PROT_WRITE) != 0) return -1;
      // The pages are accessible before any thread can see the new size.
      pages_.store(old + delta, std::memory_order_release);
      __atomic_store_n(&view_.bytes, newBytes, __ATOMIC_RELEASE);
    }
  }
  // As V8, a grow by nothing detaches the buffer too. (Outside the lock: the hook runs JS API code.)
  if (!shape_.shared && jsBuffer && grewHook) grewHook(*this);
  return static_cast<int64_t>(old);
}

void LinearMemory::rememberShared(const std::shared_ptr<LinearMemory>& memory) {
  SharedMemories& s = sharedMemories();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.byBase[memory->base()] = memory;
}

std::shared_ptr<LinearMemory> LinearMemory::findShared(const void* base) {
  SharedMemories& s = sharedMemories();
  std::lock_guard<std::mutex> lock(s.mutex);
  auto it = s.byBase.find(base);
  return it == s.byBase.end() ? nullptr : it->second.lock();
}

}  // namespace mitey

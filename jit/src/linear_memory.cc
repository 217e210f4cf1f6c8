#include "linear_memory.h"

#include <sys/mman.h>

#include <atomic>

#include "error.h"
#include "trap.h"

namespace mitey {

namespace {
std::atomic<uint64_t> gLiveReservations{0};
}

uint64_t LinearMemory::liveReservations() { return gLiveReservations.load(std::memory_order_relaxed); }

LinearMemory::LinearMemory(uint64_t minPages, std::optional<uint64_t> maxPages) : pages_(0), max_(maxPages) {
  void* p = mmap(nullptr, kReservation, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw ResourceError("out of memory: cannot reserve the address space of a linear memory");
  base_ = static_cast<uint8_t*>(p);
  if (!registerMemory(base_, kReservation)) {
    munmap(base_, kReservation);
    throw ResourceError("out of resources: too many linear memories alive at once");
  }
  if (grow(minPages) < 0) {
    unregisterMemory(base_);
    munmap(base_, kReservation);
    throw ResourceError("out of memory: cannot commit the initial pages of a linear memory");
  }
  gLiveReservations.fetch_add(1, std::memory_order_relaxed);
}

LinearMemory::~LinearMemory() {
  gLiveReservations.fetch_sub(1, std::memory_order_relaxed);
  unregisterMemory(base_);
  munmap(base_, kReservation);
}

int64_t LinearMemory::grow(uint64_t delta) {
  uint64_t old = pages_;
  uint64_t limit = max_.value_or(kMaxPages);
  if (delta > limit - old) return -1;
  if (delta == 0) {
    if (jsBuffer && grewHook) grewHook(*this);  // as V8: a grow by nothing detaches the buffer too
    return static_cast<int64_t>(old);
  }
  if (mprotect(base_ + old * kPageSize, delta * kPageSize, PROT_READ | PROT_WRITE) != 0) return -1;
  pages_ = old + delta;
  if (jsBuffer && grewHook) grewHook(*this);
  return static_cast<int64_t>(old);
}

}  // namespace mitey

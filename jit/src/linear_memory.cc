#include "linear_memory.h"

#include <sys/mman.h>

#include <new>

#include "trap.h"

namespace mitey {

LinearMemory::LinearMemory(uint64_t minPages, std::optional<uint64_t> maxPages) : pages_(0), max_(maxPages) {
  void* p = mmap(nullptr, kReservation, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  base_ = static_cast<uint8_t*>(p);
  if (!registerMemory(base_, kReservation)) {
    munmap(base_, kReservation);
    throw std::bad_alloc();
  }
  if (grow(minPages) < 0) {
    unregisterMemory(base_);
    munmap(base_, kReservation);
    throw std::bad_alloc();
  }
}

LinearMemory::~LinearMemory() {
  unregisterMemory(base_);
  munmap(base_, kReservation);
}

int64_t LinearMemory::grow(uint64_t delta) {
  uint64_t old = pages_;
  uint64_t limit = max_.value_or(kMaxPages);
  if (delta > limit - old) return -1;
  if (delta == 0) return static_cast<int64_t>(old);
  if (mprotect(base_ + old * kPageSize, delta * kPageSize, PROT_READ | PROT_WRITE) != 0) return -1;
  pages_ = old + delta;
  return static_cast<int64_t>(old);
}

}  // namespace mitey

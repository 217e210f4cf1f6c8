#include "code_space.h"

#include <sys/mman.h>

#include <initializer_list>
#include <mutex>

#include "error.h"
#include "runtime_handlers.h"

namespace mitey {
namespace {

constexpr int64_t kMiB = int64_t(1) << 20;
// Code and handlers stay within this of each other (rel32 reaches 2 GiB; the addon is far smaller
// than the slack).
constexpr int64_t kNear = 1536 * kMiB;

std::mutex gMutex;
uintptr_t gNext = 0;  // where the next reservation is tried first: the end of the last one's code

int64_t anchor() { return static_cast<int64_t>(reinterpret_cast<uintptr_t>(&rt::trap)); }

bool withinReach(uintptr_t p, size_t size) {
  auto lo = static_cast<int64_t>(p);
  return lo - anchor() > -kNear && lo + static_cast<int64_t>(size) - anchor() < kNear;
}

/** A mapping exactly at `at`, or null (occupied). */
uint8_t* mapAt(uintptr_t at, size_t size) {
  void* p = mmap(reinterpret_cast<void*>(at), size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
                 -1, 0);
  if (p == MAP_FAILED) return nullptr;
  if (p != reinterpret_cast<void*>(at)) {  // a kernel without MAP_FIXED_NOREPLACE took it as a hint
    munmap(p, size);
    return nullptr;
  }
  return static_cast<uint8_t*>(p);
}

}  // namespace

uint8_t* reserveCodePages(size_t size) {
  std::lock_guard<std::mutex> lock(gMutex);
  uint8_t* p = nullptr;
  if (gNext && withinReach(gNext, size)) p = mapAt(gNext, size);  // (past the reachable range: a fresh start)
  if (!p) {  // a fresh start, low in the reachable range so that the modules after it grow upwards
    const int64_t a = anchor(), big = static_cast<int64_t>(size);
    for (int64_t at : {a - 1280 * kMiB, a - 1024 * kMiB, a - 768 * kMiB, a - 512 * kMiB, a + 256 * kMiB, a + 512 * kMiB, a + 1024 * kMiB - big}) {
      if (at <= 0 || !withinReach(static_cast<uintptr_t>(at), size)) continue;
      if ((p = mapAt(static_cast<uintptr_t>(at) & ~uintptr_t(4095), size))) break;
    }
  }
  if (!p) {  // anywhere: calls to handlers go through a register
    void* q = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (q == MAP_FAILED) throw ResourceError("out of memory: cannot map the module's code");
    p = static_cast<uint8_t*>(q);
  }
  gNext = reinterpret_cast<uintptr_t>(p) + size;
  return p;
}

void trimCodePages(uint8_t* base, size_t size, size_t kept) {
  if (kept >= size) return;
  std::lock_guard<std::mutex> lock(gMutex);
  munmap(base + kept, size - kept);
  if (gNext == reinterpret_cast<uintptr_t>(base) + size) gNext = reinterpret_cast<uintptr_t>(base) + kept;
}

}  // namespace mitey

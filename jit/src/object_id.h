// Identities of runtime objects (memories, tables, globals, functions) as JS sees them: the JS API
// gives the same JS object for the same memory, table or global, and JS keys its caches by these.
// Numbers only: an id never leads back to an address.
#pragma once
#include <atomic>
#include <cstdint>

namespace mitey {

inline uint64_t nextObjectId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace mitey
